import {cp, mkdtemp, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {inputFingerprint, runEngine, storedFingerprint} from "../loaders/engine.ts";
import {readOverview} from "../loaders/overview.ts";
import {withStore} from "../loaders/store.ts";

const FIXTURE = join(import.meta.dirname, "fixtures", "tiny");

let dir: string;
let data: string;
let store: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "portrait-engine-"));
  data = join(dir, "data");
  store = join(dir, "store", "store.duckdb");
  await cp(FIXTURE, data, {recursive: true});
});

afterEach(async () => {
  await rm(dir, {recursive: true, force: true});
});

describe("runEngine({dataDir, storePath})", () => {
  it("ingests every canonical table present and writes the overview", async () => {
    const result = await runEngine({dataDir: data, storePath: store});
    expect(result.rebuilt).toBe(true);
    expect(result.tables.map((t) => [t.table, t.rows])).toEqual([
      ["customers", 3],
      ["orders", 5]
    ]);
    const overview = await withStore(store, readOverview);
    expect(overview.tables).toEqual([
      {
        table: "customers",
        label: "Customers",
        rows: 3,
        customers: 3,
        first: "2024-01-05",
        last: "2024-03-20",
        unreadableTime: 0,
        missingTime: 0,
        futureTime: 0
      },
      {
        table: "orders",
        label: "Orders",
        rows: 5,
        customers: 3,
        first: "2024-02-01",
        last: "2024-03-28",
        unreadableTime: 1,
        missingTime: 1,
        futureTime: 0
      }
    ]);
    expect(overview.asOf).toBe("2024-03-31");
    expect(overview.monthly.filter((m) => m.table === "orders")).toEqual([
      {table: "orders", label: "Orders", month: "2024-02", rows: 1},
      {table: "orders", label: "Orders", month: "2024-03", rows: 2}
    ]);
  });

  it("types canonical fields and leaves unparsable values NULL, never zero", async () => {
    await runEngine({dataDir: data, storePath: store});
    const rows = await withStore(store, (s) =>
      s.all("SELECT order_id, amount, ordered_at IS NULL AS no_time FROM orders ORDER BY order_id")
    );
    expect(rows.map((r) => [r.order_id, r.amount, r.no_time])).toEqual([
      ["O1", 12.5, false],
      ["O2", null, true],
      ["O3", 30, false],
      ["O4", 99.99, false],
      ["O5", 10, true]
    ]);
    const customers = await withStore(store, (s) =>
      s.all("SELECT customer_id, income, phone FROM customers ORDER BY customer_id")
    );
    expect(customers).toEqual([
      {customer_id: "C1", income: 52000, phone: null},
      {customer_id: "C2", income: null, phone: null},
      {customer_id: "C3", income: 61000.5, phone: null}
    ]);
  });

  it("reuses the store while its inputs are unchanged, and rebuilds when data changes", async () => {
    const first = await runEngine({dataDir: data, storePath: store});
    const second = await runEngine({dataDir: data, storePath: store});
    expect(second.rebuilt).toBe(false);
    expect(second.fingerprint).toBe(first.fingerprint);
    await writeFile(
      join(data, "orders.csv"),
      "order_id,customer_id,ordered_at,amount\nO9,C1,2024-05-01,1\n"
    );
    const third = await runEngine({dataDir: data, storePath: store});
    expect(third.rebuilt).toBe(true);
    expect(third.fingerprint).not.toBe(first.fingerprint);
    expect(await storedFingerprint(store)).toBe(third.fingerprint);
    const overview = await withStore(store, readOverview);
    expect(overview.tables.find((t) => t.table === "orders")?.rows).toBe(1);
  });

  it("ignores the demo's truth folder when fingerprinting (the engine never reads it)", async () => {
    const before = await inputFingerprint(data);
    await cp(join(data, "customers.csv"), join(data, "truth", "customers.csv"), {recursive: true});
    expect(await inputFingerprint(data)).toBe(before);
  });

  it("names the file and lists its columns when a required column is missing", async () => {
    await writeFile(join(data, "orders.csv"), "id,customer,when,total\nO1,C1,2024-01-01,3\n");
    await expect(runEngine({dataDir: data, storePath: store})).rejects.toThrow(
      `${join(data, "orders.csv")}: missing required columns order_id, customer_id, ordered_at, amount for the orders table. Its columns are: id, customer, when, total.`
    );
  });

  it("explains what to do when there are no customers", async () => {
    await rm(join(data, "customers.csv"));
    await expect(runEngine({dataDir: data, storePath: store})).rejects.toThrow(
      /customers\.csv not found: customers are required\. Run `npm run demo-data`/
    );
  });
});
