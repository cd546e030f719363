import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {buildOverview, calendarSuppression, readOverview} from "../../loaders/clean/inventory.ts";
import {QUARANTINE_DDL} from "../../loaders/ingest/sources.ts";
import {Store} from "../../loaders/core/store.ts";
import {sql} from "../../loaders/core/sql.ts";

let store: Store;

beforeEach(async () => {
  store = await Store.open(":memory:");
  await store.run(QUARANTINE_DDL);
  await store.run(
    sql`CREATE TABLE customers AS SELECT 'C' || i AS customer_id, DATE '2024-12-01' + INTERVAL (i) DAY AS signup_date FROM range(1, 4) t(i)`
  );
  await store.run(
    sql`CREATE TABLE orders AS SELECT 'O' || i AS order_id, 'C' || (1 + i % 3) AS customer_id,
       TIMESTAMP '2025-01-15 12:00:00' + INTERVAL (i % 6) MONTH AS ordered_at, 1.0 AS amount FROM range(0, 3000) t(i)`
  );
  await store.run(
    sql`INSERT INTO quarantine VALUES ('shop', 'orders', 7, 'orders.csv', 'ordered_at', 'malformed_date', 'm', ['malformed_date'], '{}'),
       ('shop', 'orders', 9, 'orders.csv', 'amount', 'not_a_number', 'm', ['not_a_number'], '{}')`
  );
});

afterEach(() => store.close());

describe("buildOverview(store, asOf)", () => {
  it("summarises each table's rows, customers, span and quarantined rows, and counts rows per month", async () => {
    await buildOverview(store, "2025-06-30");
    const overview = await readOverview(store);
    expect(overview.asOf).toBe("2025-06-30");
    expect(overview.tables).toEqual([
      {
        table: "customers",
        label: "Customers",
        rows: 3,
        customers: 3,
        first: "2024-12-02",
        last: "2024-12-04",
        quarantined: 0
      },
      {
        table: "orders",
        label: "Orders",
        rows: 3000,
        customers: 3,
        first: "2025-01-15",
        last: "2025-06-15",
        quarantined: 2
      }
    ]);
    expect(
      overview.monthly.filter((m) => m.table === "orders").map((m) => [m.month, m.rows])
    ).toEqual([
      ["2025-01", 500],
      ["2025-02", 500],
      ["2025-03", 500],
      ["2025-04", 500],
      ["2025-05", 500],
      ["2025-06", 500]
    ]);
  });
});

describe("calendarSuppression(months, min)", () => {
  it("hides a month of fewer than min sign-ups and the smallest other month of its year", () => {
    const months = [
      {month: "2024-01", rows: 3},
      {month: "2024-02", rows: 25},
      {month: "2024-03", rows: 12},
      {month: "2025-01", rows: 40},
      {month: "2025-02", rows: 30}
    ];
    const hidden = calendarSuppression(months, 10);
    expect(hidden.months).toEqual([true, false, true, false, false]);
    expect([...hidden.years]).toEqual([
      [2024, false],
      [2025, false]
    ]);
  });

  it("hides a small year with another year, so all customers less the rest cannot give it", () => {
    const hidden = calendarSuppression(
      [
        {month: "2014-05", rows: 4},
        {month: "2024-01", rows: 30},
        {month: "2024-02", rows: 25},
        {month: "2025-01", rows: 40}
      ],
      10
    );
    expect(hidden.months[0]).toBe(true);
    expect(hidden.years.get(2014)).toBe(true);
    // a second year hidden, and inside it a second month, so neither follows from the other
    expect([...hidden.years.values()].filter(Boolean).length).toBe(2);
  });
});
