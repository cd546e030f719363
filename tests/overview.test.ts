import {listValue} from "@duckdb/node-api";
import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {buildOverview, readOverview} from "../loaders/overview.ts";
import {Store} from "../loaders/store.ts";
import {typedColumns} from "../loaders/ingest.ts";
import {ORDERS} from "../loaders/canonical.ts";

let store: Store;

beforeEach(async () => {
  store = await Store.open(":memory:");
});

afterEach(() => store.close());

/** Puts orders into the store as ingest would: raw text, then typed. */
async function orders(dates: string[]): Promise<void> {
  await store.run(
    "CREATE TABLE raw_orders AS SELECT 'O' || i AS order_id, 'C' || (i % 7) AS customer_id, d AS ordered_at, '1' AS amount FROM (SELECT unnest($dates) AS d, generate_subscripts($dates, 1) AS i)",
    {dates: listValue(dates)}
  );
  await store.run(
    `CREATE TABLE orders AS SELECT ${typedColumns(ORDERS, ["order_id", "customer_id", "ordered_at", "amount"])} FROM raw_orders`
  );
  await store.run("CREATE TABLE customers (customer_id VARCHAR, signup_date DATE)");
  await store.run("CREATE TABLE raw_customers (customer_id VARCHAR, signup_date VARCHAR)");
}

describe("buildOverview(store)", () => {
  it("sets the as-of date at the end of the month that holds 99.9 % of dated rows, so a stray typo cannot stretch the time span", async () => {
    const dates = Array.from(
      {length: 3000},
      (_, i) => `2025-${String(1 + (i % 6)).padStart(2, "0")}-15 12:00:00`
    );
    await orders([...dates, "2062-10-13 08:00:00", "2025-13-01"]);
    await buildOverview(store);
    const overview = await readOverview(store);
    expect(overview.asOf).toBe("2025-06-30");
    const row = overview.tables.find((t) => t.table === "orders");
    expect(row).toMatchObject({
      rows: 3002,
      first: "2025-01-15",
      last: "2025-06-15",
      unreadableTime: 1,
      futureTime: 1
    });
    expect(overview.monthly.map((m) => [m.month, m.rows])).toEqual([
      ["2025-01", 500],
      ["2025-02", 500],
      ["2025-03", 500],
      ["2025-04", 500],
      ["2025-05", 500],
      ["2025-06", 500]
    ]);
  });
});
