import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {COUNTRIES} from "../../../loaders/demo/geography.ts";
import {cleanup, demo, SMALL} from "./fixture.ts";
import {isTimestamp, readTable} from "./read-csv.ts";
import type {Table} from "./read-csv.ts";

afterAll(cleanup);

// Enough rows that even the rarest defect (future dates, 0.05 % of orders) is planted.
const {dir} = demo({...SMALL, customers: 3000});
const read = (file: string) => readTable(join(dir, file));
const tables: Record<string, Table> = {
  customers: read("customers.csv"),
  orders: read("orders.csv"),
  tickets: read("tickets.csv"),
  email_events: read("email_events.csv")
};
const defects = read("truth/defects.csv");
const postal = read("postal_codes.csv");
const ids = new Set(tables.customers.rows.map((r) => r[0]));
const codes = new Set(postal.rows.map((r) => r[1]));
const cityCodes = new Map<string, Set<string>>();
for (const r of postal.rows) cityCodes.set(r[3], (cityCodes.get(r[3]) ?? new Set()).add(r[1]));
const ISO = new Set<string>(COUNTRIES.map((c) => c.code));
const AMOUNT = /^\d+\.\d{2}$/;

interface Defect {
  readonly table: string;
  readonly row: number;
  readonly column: string;
  readonly kind: string;
}

const planted: Defect[] = defects.rows.map(([table, row, column, kind]) => ({
  table,
  row: Number(row),
  column,
  kind
}));
const at = (d: Defect) => tables[d.table].rows[d.row - 1];
const value = (d: Defect) => tables[d.table].get(at(d), d.column);
const plantedAt = new Set(planted.map((d) => `${d.table}/${d.row}/${d.column}`));
const rowCounts = new Map<string, Map<string, number>>();

/** How many rows of a table are exactly equal to a given row. */
function copiesOf(table: string, row: string[]): number {
  let counts = rowCounts.get(table);
  if (counts === undefined) {
    counts = new Map();
    for (const r of tables[table].rows)
      counts.set(r.join("\u0001"), (counts.get(r.join("\u0001")) ?? 0) + 1);
    rowCounts.set(table, counts);
  }
  return counts.get(row.join("\u0001")) ?? 0;
}

/** Checks that a planted defect is really there. */
const checks: Record<string, (d: Defect) => boolean> = {
  malformed_date: (d) => value(d) !== "" && !isTimestamp(value(d)),
  future_date: (d) => isTimestamp(value(d)) && value(d).slice(0, 10) > SMALL.end,
  negative_amount: (d) => Number(value(d)) < 0,
  non_numeric_amount: (d) => value(d) !== "" && !Number.isFinite(Number(value(d))),
  missing_value: (d) => value(d) === "",
  unknown_customer: (d) => !ids.has(value(d)),
  duplicate_row: (d) => copiesOf(d.table, at(d)) >= 2,
  country_variant: (d) => value(d) !== "" && !ISO.has(value(d)),
  email_variant: (d) => value(d) !== value(d).trim().toLowerCase(),
  // Compared with the codes of the customer's own city: another country may use the same digits.
  postal_code_variant: (d) =>
    !(cityCodes.get(tables.customers.get(at(d), "city")) ?? codes).has(value(d))
};

describe("truth/defects.csv", () => {
  it("records every kind of planted defect", () => {
    const kinds = new Set(planted.map((d) => d.kind));
    for (const kind of Object.keys(checks)) expect(kinds.has(kind), kind).toBe(true);
  });

  it("points at rows and columns that really have the defect", () => {
    for (const d of planted) {
      const check = checks[d.kind];
      expect(check, d.kind).toBeDefined();
      expect(at(d), JSON.stringify(d)).toBeDefined();
      expect(check(d), JSON.stringify(d)).toBe(true);
    }
  });

  it("plants defects at about the intended rates", () => {
    const rate = (table: string, kind: string) =>
      planted.filter((d) => d.table === table && d.kind === kind).length /
      tables[table].rows.length;
    expect(rate("orders", "duplicate_row")).toBeGreaterThan(0.0015);
    expect(rate("orders", "duplicate_row")).toBeLessThan(0.006);
    expect(rate("orders", "malformed_date")).toBeLessThan(0.004);
    expect(rate("customers", "country_variant")).toBeGreaterThan(0.07);
    expect(rate("customers", "country_variant")).toBeLessThan(0.13);
  });
});

describe("rows not listed in truth/defects.csv", () => {
  const clean = (table: string, column: string) => {
    const t = tables[table];
    return t.rows
      .filter((_, i) => !plantedAt.has(`${table}/${i + 1}/${column}`))
      .map((r) => t.get(r, column));
  };

  it("have valid order dates and amounts, and known customers", () => {
    expect(
      clean("orders", "ordered_at").filter((v) => !isTimestamp(v) || v.slice(0, 10) > SMALL.end)
    ).toEqual([]);
    expect(clean("orders", "amount").filter((v) => !AMOUNT.test(v))).toEqual([]);
    expect(clean("orders", "customer_id").filter((v) => !ids.has(v))).toEqual([]);
    expect(clean("tickets", "opened_at").filter((v) => !isTimestamp(v))).toEqual([]);
  });

  it("have ISO countries, clean e-mails and reference postal codes (or blanks)", () => {
    expect(clean("customers", "country").filter((v) => !ISO.has(v))).toEqual([]);
    expect(clean("customers", "email").filter((v) => v !== v.trim().toLowerCase())).toEqual([]);
    expect(clean("customers", "postal_code").filter((v) => v !== "" && !codes.has(v))).toEqual([]);
  });

  it("are never exact copies of another row of orders, tickets or e-mail events", () => {
    for (const table of ["orders", "tickets", "email_events"]) {
      const copies = new Set(
        planted.filter((d) => d.table === table && d.kind === "duplicate_row").map((d) => d.row)
      );
      const seen = new Set<string>();
      let unplanned = 0;
      tables[table].rows.forEach((r, i) => {
        const key = r.join("\u0001");
        if (seen.has(key) && !copies.has(i + 1)) unplanned++;
        seen.add(key);
      });
      expect(unplanned, table).toBe(0);
    }
  });
});
