/**
 * Property: whatever happens to the input, validation loses nothing. For randomly corrupted
 * exports, every source row is either accepted or quarantined (accepted + quarantined = read),
 * never both, and every accepted row satisfies the checks.
 */
import {mkdtemp, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {parseConfig} from "../../loaders/config/project.ts";
import {rng, type Random} from "../../loaders/demo/random.ts";
import {readSources} from "../../loaders/ingest/sources.ts";
import {Store} from "../../loaders/core/store.ts";
import {validate} from "../../loaders/clean/validate.ts";
import {sql} from "../../loaders/core/sql.ts";

const ROWS = 150;
const RUNS = 25;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "portrait-property-"));
});
afterAll(async () => {
  await rm(dir, {recursive: true, force: true});
});

const CORRUPTIONS: ((fields: string[], r: Random, lines: string[]) => string)[] = [
  (f) => ((f[0] = ""), f.join(",")), // missing id
  (f) => ((f[1] = "C99"), f.join(",")), // unknown customer
  (f, r) => (
    (f[2] = r.pick(["2025-13-01", "31/02/2025", "not a date", "2025-06-31", ""])),
    f.join(",")
  ),
  (f, r) => ((f[3] = r.pick(["N/A", "12,50", "$4", "-3.20", "", "1e400", "NaN"])), f.join(",")),
  (f) => ((f[2] = "2099-01-01 00:00:00"), f.join(",")), // future
  (f) => [...f, "extra"].join(","), // too many columns
  (f) => f.slice(0, 2).join(","), // too few columns
  (f, r) => ((f[4] = r.pick(["many", "2.5", "-1", '"a, quoted"', "ünïcödé"])), f.join(",")),
  (_f, r, lines) => (lines.length > 1 ? lines[r.int(1, lines.length - 1)] : "O0,C1,2024-01-01,1,1") // duplicate an earlier line
];

function corruptedOrders(r: Random): string {
  const lines = ["order_id,customer_id,ordered_at,amount,quantity"];
  for (let i = 1; i <= ROWS; i++) {
    const fields = [
      `O${i}`,
      `C${r.int(1, 3)}`,
      `2024-0${r.int(1, 9)}-1${r.int(0, 9)} 10:00:00`,
      r.uniform(1, 200).toFixed(2),
      String(r.int(1, 5))
    ];
    lines.push(r.chance(0.3) ? r.pick(CORRUPTIONS)(fields, r, lines) : fields.join(","));
  }
  return `${lines.join("\n")}\n`;
}

describe("validate() on randomly corrupted inputs", () => {
  it(`accepts or quarantines every row, never both (${RUNS} random files of ${ROWS} rows)`, async () => {
    for (let run = 0; run < RUNS; run++) {
      const r = rng(20261129, "property", run);
      await writeFile(
        join(dir, "customers.csv"),
        "customer_id,signup_date\nC1,2023-01-01\nC2,2023-01-01\nC3,2023-01-01\n"
      );
      await writeFile(join(dir, "orders.csv"), corruptedOrders(r));
      const config = parseConfig(
        {
          asOf: "2024-12-31",
          sources: {
            crm: {table: "customers", file: "customers.csv"},
            shop: {table: "orders", file: "orders.csv"}
          },
          validation: {maxRejectShare: 1}
        },
        join(dir, "portrait.config.ts")
      );
      const store = await Store.open(":memory:");
      try {
        const {sources} = await validate(store, config, await readSources(store, config));
        const shop = sources.find((s) => s.source === "shop")!;
        expect(shop.read, `run ${run}`).toBe(ROWS);
        expect(shop.accepted + shop.quarantined, `run ${run}`).toBe(shop.read);
        const overlap = await store.one<{n: number}>(
          sql`SELECT count(*)::INTEGER AS n FROM accepted_orders a JOIN quarantine q ON q.source = 'shop' AND q."row" = a._row`
        );
        expect(overlap?.n, `run ${run}: rows both accepted and quarantined`).toBe(0);
        const rows = await store.one<{distinct_rows: number; min_row: number; max_row: number}>(
          sql`SELECT count(DISTINCT _row)::INTEGER AS distinct_rows, min(_row)::INTEGER AS min_row, max(_row)::INTEGER AS max_row
           FROM (SELECT _row FROM accepted_orders UNION ALL SELECT "row" FROM quarantine WHERE source = 'shop')`
        );
        expect(rows, `run ${run}: every row number once`).toEqual({
          distinct_rows: ROWS,
          min_row: 1,
          max_row: ROWS
        });
        const bad = await store.one<{n: number}>(
          sql`SELECT count(*)::INTEGER AS n FROM accepted_orders WHERE order_id IS NULL OR customer_id NOT IN ('C1', 'C2', 'C3')
             OR ordered_at IS NULL OR ordered_at > TIMESTAMP '2024-12-31 23:59:59' OR amount IS NULL OR amount < 0`
        );
        expect(bad?.n, `run ${run}: accepted rows that break a check`).toBe(0);
      } finally {
        store.close();
      }
    }
  });
});
