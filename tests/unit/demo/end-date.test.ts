import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {cleanup, demo, SMALL} from "./fixture.ts";
import {isTimestamp, readTable} from "./read-csv.ts";

const LATER = {...SMALL, end: "2026-11-30"};

afterAll(cleanup);

function counts(rows: string[][]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(r.join("\u0001"), (m.get(r.join("\u0001")) ?? 0) + 1);
  return m;
}

/** Rows of `earlier` that the later run lacks (as a multiset difference). */
function missing(earlier: string[][], later: string[][]): string[][] {
  const have = counts(later);
  const out: string[][] = [];
  for (const r of earlier) {
    const k = r.join("\u0001");
    const n = have.get(k) ?? 0;
    if (n === 0) out.push(r);
    else have.set(k, n - 1);
  }
  return out;
}

describe("a later end date", () => {
  const a = demo(SMALL).dir;
  const b = demo(LATER).dir;

  it("keeps every customer row, in the same place, and adds the customers who signed up since", () => {
    const before = readTable(join(a, "customers.csv"));
    const after = readTable(join(b, "customers.csv"));
    expect(after.rows.slice(0, before.rows.length)).toEqual(before.rows);
    const added = after.rows.slice(before.rows.length);
    expect(added.length).toBeGreaterThan(0);
    for (const r of added) expect(after.get(r, "signup_date") > SMALL.end).toBe(true);
  });

  it.each(["orders", "email_events", "web_sessions", "survey_responses"])(
    "contains every %s row of the earlier run with the same values, plus new rows",
    (table) => {
      const before = readTable(join(a, `${table}.csv`)).rows;
      const after = readTable(join(b, `${table}.csv`)).rows;
      expect(missing(before, after)).toEqual([]);
      expect(after.length).toBeGreaterThan(before.length);
    }
  );

  it("contains every ticket, tickets open at the earlier end possibly resolved since", () => {
    const before = readTable(join(a, "tickets.csv"));
    const after = readTable(join(b, "tickets.csv"));
    // Everything but resolved_at and satisfaction, which an open ticket may have gained.
    const known = (r: string[]) => [...r.slice(0, 3), ...r.slice(4, 7)];
    const laterIds = new Map(after.rows.map((r) => [r[0], r]));
    for (const r of before.rows) {
      const later = laterIds.get(r[0]);
      expect(later, r[0]).toBeDefined();
      if (before.get(r, "resolved_at") === "") expect(known(later!)).toEqual(known(r));
    }
    expect(
      missing(
        before.rows.filter((r) => before.get(r, "resolved_at") !== ""),
        after.rows
      )
    ).toEqual([]);
  });

  it("truncates the history at the end date", () => {
    const orders = readTable(join(a, "orders.csv"));
    const dates = orders.rows.map((r) => orders.get(r, "ordered_at")).filter(isTimestamp);
    // Future-dated typos (2025 written 2052) are planted defects, checked elsewhere.
    const valid = dates.filter((d) => d.slice(0, 4) < "2040");
    expect(valid.every((d) => d.slice(0, 10) <= SMALL.end)).toBe(true);
    expect(valid.some((d) => d.slice(0, 7) === "2026-10")).toBe(true);
  });
});
