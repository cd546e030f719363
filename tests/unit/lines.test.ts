/** Orders built from lines (loaders/clean/lines.ts): the builders as text and bound to DuckDB. */
import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {acceptedColumnsSql, ORDER_LINES, ORDERS} from "../../loaders/config/canonical.ts";
import {
  buildOrders,
  creditsSql,
  linesSql,
  linesTable,
  ordersSql
} from "../../loaders/clean/lines.ts";
import {QUARANTINE_DDL} from "../../loaders/ingest/sources.ts";
import {ident, raw, sql} from "../../loaders/core/sql.ts";
import {Store} from "../../loaders/core/store.ts";
import type {FieldMapping} from "../../loaders/ingest/mapping.ts";

const mapped = (...fields: string[]): FieldMapping[] =>
  fields.map((field) => ({field, kind: "column", sql: ident(field), label: field}));

describe("linesTable(configPath, source, mappings)", () => {
  it("requires each line's amount when amount is mapped, else its quantity and price", () => {
    const base = ["order_id", "customer_id", "ordered_at"];
    expect(linesTable("p.ts", "s", mapped(...base, "amount")).required).toEqual([
      ...base,
      "amount"
    ]);
    expect(linesTable("p.ts", "s", mapped(...base, "price", "quantity")).required).toEqual([
      ...base,
      "quantity",
      "price"
    ]);
  });

  it("names the key and says what to map when a line has neither amount nor price", () => {
    expect(() => linesTable("p.ts", "invoices", mapped("order_id", "price"))).toThrow(
      /map amount, or price and quantity/
    );
    expect(() => linesTable("p.ts", "invoices", mapped("order_id", "quantity"))).toThrow(
      /^p\.ts: sources\.invoices\.columns: a source of order lines needs each line's amount, or its price and quantity/
    );
  });
});

describe("linesSql(source), ordersSql(), creditsSql()", () => {
  it("bind the source and read the lines' amount as amount, else quantity × price", () => {
    const lines = linesSql("invoices").render();
    expect(lines.params).toEqual(["invoices"]);
    expect(lines.text).toContain("coalesce(amount, quantity * price) AS _amount");
    expect(lines.text).toContain("FROM accepted_order_lines WHERE _source = $1");
    expect(ordersSql().render().params).toEqual([]);
    expect(ordersSql().render().text).toContain(
      'first("category" ORDER BY _n DESC, "category") AS "category"'
    );
    expect(creditsSql().render().text).toContain("p.product = c.product");
  });
});

let store: Store;
beforeEach(async () => {
  store = await Store.open(":memory:");
  await store.run(QUARANTINE_DDL);
  await store.run(sql`CREATE TABLE accepted_order_lines (${acceptedColumnsSql(ORDER_LINES)})`);
  await store.run(sql`CREATE TABLE accepted_orders (${acceptedColumnsSql(ORDERS)})`);
});
afterEach(() => store.close());

/** Lines as (order, customer, day, quantity, price, product, category), rows numbered in order. */
async function lines(rows: [string, string, string, number, number, string, string | null][]) {
  const values = rows
    .map(
      ([o, c, d, q, p, product, category], i) =>
        `('${o}', '${c}', TIMESTAMP '${d}', ${q}, ${p}, '${product}', ${category === null ? "NULL" : `'${category}'`}, 'invoices', ${i + 1}, 'retail.csv')`
    )
    .join(", ");
  await store.run(
    sql`INSERT INTO accepted_order_lines (order_id, customer_id, ordered_at, quantity, price, product, category, _source, _row, _file) VALUES ${raw(values)}`
  );
}

const orders = () =>
  store.all(
    sql`SELECT order_id, customer_id, strftime(ordered_at, '%Y-%m-%d') AS day, amount, quantity::INTEGER AS quantity, category, status, _row::INTEGER AS "row"
      FROM accepted_orders ORDER BY _row`
  );

describe("buildOrders(store, sources)", () => {
  it("makes one order per order id and customer: Σ quantity × price, Σ quantity, the earliest line's time, the commonest category", async () => {
    await lines([
      ["A1", "C1", "2024-01-02 10:00:00", 2, 1.5, "P1", "mugs"],
      ["A1", "C1", "2024-01-02 09:00:00", 1, 4, "P2", "cups"],
      ["A1", "C1", "2024-01-02 10:00:00", 3, 1, "P3", "cups"],
      ["A2", "C1", "2024-01-05 10:00:00", 1, 2, "P1", null],
      ["A3", "C2", "2024-01-06 10:00:00", 5, 1, "P1", "mugs"]
    ]);
    const [made] = await buildOrders(store, ["invoices"]);
    expect(made).toMatchObject({source: "invoices", lines: 5, orders: 3, credits: 0});
    expect(await orders()).toEqual([
      {
        order_id: "A1",
        customer_id: "C1",
        day: "2024-01-02",
        amount: 10,
        quantity: 6,
        category: "cups",
        status: "purchase",
        row: 1
      },
      {
        order_id: "A2",
        customer_id: "C1",
        day: "2024-01-05",
        amount: 2,
        quantity: 1,
        category: null,
        status: "purchase",
        row: 4
      },
      {
        order_id: "A3",
        customer_id: "C2",
        day: "2024-01-06",
        amount: 5,
        quantity: 5,
        category: "mugs",
        status: "purchase",
        row: 5
      }
    ]);
    expect(await store.has("accepted_order_lines")).toBe(false);
  });

  it("nets a credit against the customer's latest earlier order of the same product, else their latest earlier order; never makes it an order", async () => {
    await lines([
      ["A1", "C1", "2024-01-02 10:00:00", 2, 5, "P1", null], // 10
      ["A2", "C1", "2024-01-03 10:00:00", 1, 5, "P1", null], // 5
      ["A2", "C1", "2024-01-03 10:00:00", 4, 1, "P2", null], // 4
      ["C9", "C1", "2024-01-04 10:00:00", -1, 5, "P1", null], // credits A2's P1: A2 returned in part
      ["A3", "C2", "2024-01-02 10:00:00", 3, 2, "P7", null], // 6
      ["C8", "C2", "2024-01-09 10:00:00", -3, 2, "P8", null], // no P8: nets against A3, cancelling it
      ["C7", "C3", "2024-01-09 10:00:00", -1, 2, "P8", null] // C3 has no order: unmatched
    ]);
    const [made] = await buildOrders(store, ["invoices"]);
    expect(made).toEqual({
      source: "invoices",
      lines: 7,
      orders: 3,
      credits: 3,
      creditsByProduct: 1,
      creditsByCustomer: 1,
      unmatchedCredits: 1,
      cancelledByCredits: 1,
      returnedByCredits: 1
    });
    expect((await orders()).map((o) => [o.order_id, o.amount, o.quantity, o.status])).toEqual([
      ["A1", 10, 2, "purchase"],
      ["A2", 4, 4, "returned"],
      ["A3", 0, 0, "cancelled"]
    ]);
    const quarantined = await store.all(
      sql`SELECT source, "table", "row"::INTEGER AS "row", file, reason, message FROM quarantine`
    );
    expect(quarantined).toEqual([
      {
        source: "invoices",
        table: "order_lines",
        row: 7,
        file: "retail.csv",
        reason: "unmatched_credit",
        message:
          "credit line of order C7 (amount -2.00) has no order of customer C3 at or before 2024-01-09 to net against"
      }
    ]);
  });

  it("never nets a credit against a later order: a credit before every order of its customer is unmatched", async () => {
    await lines([
      ["C1", "C1", "2024-01-01 10:00:00", -1, 5, "P1", null],
      ["A1", "C1", "2024-01-02 10:00:00", 1, 5, "P1", null]
    ]);
    const [made] = await buildOrders(store, ["invoices"]);
    expect(made).toMatchObject({orders: 1, unmatchedCredits: 1});
    expect((await orders())[0]).toMatchObject({order_id: "A1", amount: 5, status: "purchase"});
  });

  it("builds each source's orders from its own lines", async () => {
    await lines([["A1", "C1", "2024-01-02 10:00:00", 1, 5, "P1", null]]);
    expect(await buildOrders(store, ["elsewhere"])).toMatchObject([{lines: 0, orders: 0}]);
    expect(await orders()).toEqual([]);
  });
});
