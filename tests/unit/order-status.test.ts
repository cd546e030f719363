/** Order statuses (loaders/clean/order-status.ts): the lists, and the SQL bound to DuckDB. */
import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {
  DEFAULT_STATUSES,
  separateCancelled,
  statusClassSql,
  statusLists
} from "../../loaders/clean/order-status.ts";
import {parseConfig} from "../../loaders/config/project.ts";
import {ident, raw, sql} from "../../loaders/core/sql.ts";
import {Store} from "../../loaders/core/store.ts";

describe("statusLists(lists)", () => {
  it("takes the defaults for the lists a source does not give, and folds values like the data", () => {
    const lists = statusLists({cancelled: [" Canceled ", "NOT  AVAILABLE"]});
    expect(lists.cancelled).toEqual(["cancelled", "canceled", "not available"]);
    expect(lists.purchase).toEqual(DEFAULT_STATUSES.purchase);
    expect(lists.returned).toEqual(DEFAULT_STATUSES.returned);
  });

  it("keeps each list's own word, the status credits give an order built from lines", () => {
    expect(statusLists({purchase: ["paid"], cancelled: [], returned: ["rma"]})).toEqual({
      purchase: ["purchase", "paid"],
      cancelled: ["cancelled"],
      returned: ["returned", "rma"]
    });
  });

  it("counts Olist's statuses as the issue says: unavailable and canceled are cancellations", () => {
    const lists = statusLists(undefined);
    for (const s of ["delivered", "shipped", "invoiced", "processing", "approved", "created"])
      expect(lists.purchase).toContain(s);
    expect(lists.cancelled).toEqual(expect.arrayContaining(["canceled", "unavailable"]));
  });
});

describe("statusClassSql(status, lists)", () => {
  it("binds every listed value and checks cancelled before returned before purchase", () => {
    const {text, params} = statusClassSql(ident("status"), {
      purchase: ["paid"],
      cancelled: ["void"],
      returned: []
    }).render();
    expect(params).toEqual(["void", "paid"]);
    expect(text).toBe(
      `CASE WHEN "status" IS NULL THEN 'purchase'
    WHEN "status" IN ($1) THEN 'cancelled'
    WHEN false THEN 'returned'
    WHEN "status" IN ($2) THEN 'purchase'
    ELSE 'unlisted' END`
    );
  });
});

let store: Store;
beforeEach(async () => {
  store = await Store.open(":memory:");
});
afterEach(() => store.close());

describe("separateCancelled(store, config)", () => {
  it("moves cancelled orders to cancelled_orders, marks returns returned and counts every status per source", async () => {
    await store.run(
      sql`CREATE TABLE orders AS SELECT * FROM (VALUES
        ('O1', 'C1', 'delivered', 'shop', 1), ('O2', 'C1', 'canceled', 'shop', 2),
        ('O3', 'C2', 'refunded', 'shop', 3), ('O4', 'C2', 'on hold', 'shop', 4),
        ('O5', 'C2', NULL, 'shop', 5), ('O6', 'C3', 'on hold', 'market', 1))
        t(order_id, customer_id, status, _source, _row)`
    );
    const config = parseConfig(
      {
        sources: {
          crm: {table: "customers", file: "c.csv"},
          shop: {table: "orders", file: "o.csv"},
          market: {table: "orders", file: "m.csv", status: {cancelled: ["On Hold"]}}
        }
      },
      "/p/portrait.config.ts"
    );
    const counts = await separateCancelled(store, config);
    expect(Object.fromEntries(counts)).toEqual({
      market: [{status: "on hold", countsAs: "cancelled", orders: 1}],
      shop: [
        {status: "canceled", countsAs: "cancelled", orders: 1},
        {status: "delivered", countsAs: "purchase", orders: 1},
        {status: "on hold", countsAs: "unlisted", orders: 1},
        {status: "refunded", countsAs: "returned", orders: 1},
        {status: null, countsAs: "purchase", orders: 1}
      ]
    });
    const rows = (t: string) =>
      store.all(sql`SELECT order_id, status FROM ${raw(t)} ORDER BY order_id`);
    expect(await rows("orders")).toEqual([
      {order_id: "O1", status: "delivered"},
      {order_id: "O3", status: "returned"},
      {order_id: "O4", status: "on hold"},
      {order_id: "O5", status: null}
    ]);
    expect(await rows("cancelled_orders")).toEqual([
      {order_id: "O2", status: "canceled"},
      {order_id: "O6", status: "on hold"}
    ]);
    expect(await store.all(sql`SELECT field, method, value, original FROM derived_values`)).toEqual(
      [{field: "status", method: "status_returned", value: "returned", original: "refunded"}]
    );
  });
});
