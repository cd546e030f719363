/** Related files (loaders/ingest/related.ts): lookups' names and SQL, bound to DuckDB. */
import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {
  addColumnSql,
  dependencyOrder,
  lookupColumn,
  lookupValuesSql
} from "../../loaders/ingest/related.ts";
import {parseConfig, type LookupSpec} from "../../loaders/config/project.ts";
import {sql} from "../../loaders/core/sql.ts";
import {Store} from "../../loaders/core/store.ts";

describe("lookupColumn(spec)", () => {
  it("names the column after what the lookup computes", () => {
    expect(lookupColumn({from: "payments", sum: "payment_value"})).toBe(
      "payments.sum(payment_value)"
    );
    expect(lookupColumn({from: "items", count: true})).toBe("items.count()");
    expect(lookupColumn({from: "orders", on: "OrderRef", value: "customer_id"})).toBe(
      "orders.value(customer_id) on OrderRef"
    );
  });
});

let store: Store;
beforeEach(async () => {
  store = await Store.open(":memory:");
  // Text, as every file is read: a repeated key, a value that is no number, an empty key.
  await store.run(
    sql`CREATE TABLE rel_items AS SELECT * FROM (VALUES
      ('o1', 'p1', '8', 'toys', 'a.csv', 1), ('o1 ', 'p2', '7.5', 'games', 'a.csv', 2),
      ('o1', 'p3', 'n/a', 'games', 'a.csv', 3), ('o2', 'p1', '20', 'toys', 'a.csv', 4),
      ('', 'p9', '1', NULL, 'a.csv', 5))
      t(order_id, product_id, price, category, _file, _row)`
  );
});
afterEach(() => store.close());

const values = async (spec: LookupSpec) =>
  Object.fromEntries(
    (
      await store.all<{_key: string | null; _value: string | null}>(
        sql`SELECT * FROM (${lookupValuesSql("rel_items", "order_id", spec)}) ORDER BY _key`
      )
    ).map((r) => [r._key ?? "(none)", r._value])
  );

describe("lookupValuesSql(table, key, spec)", () => {
  it("combines the rows of each trimmed key by the lookup's aggregate, as text", async () => {
    expect(await values({from: "items", count: true})).toEqual({o1: "3", o2: "1", "(none)": "1"});
    expect(await values({from: "items", sum: "price"})).toEqual({
      o1: "15.5",
      o2: "20.0",
      "(none)": "1.0"
    });
    expect(await values({from: "items", mean: "price"})).toMatchObject({o1: "7.75"});
    expect(await values({from: "items", value: "product_id"})).toMatchObject({o1: "p1"});
    expect(await values({from: "items", mode: "category"})).toMatchObject({
      o1: "games",
      o2: "toys"
    });
    // Numbers compare as numbers; a key with any other value (ISO dates, "n/a") as text.
    expect(await values({from: "items", max: "product_id"})).toMatchObject({o1: "p3"});
    expect(await values({from: "items", min: "price"})).toMatchObject({o1: "7.5", o2: "20.0"});
  });

  it("quotes the table and columns and binds nothing", () => {
    const {text, params} = lookupValuesSql("rel_items", "order_id", {
      from: "items",
      sum: "price"
    }).render();
    expect(params).toEqual([]);
    expect(text).toBe(
      `SELECT NULLIF(trim(CAST("order_id" AS VARCHAR)), '') AS _key, sum(TRY_CAST("price" AS DOUBLE))::VARCHAR AS _value FROM "rel_items" GROUP BY _key`
    );
  });
});

describe("addColumnSql(target, from, column, value)", () => {
  it("joins a lookup on the row's key, leaving NULL (never 0) where nothing matches, in file order", async () => {
    await store.run(
      sql`CREATE TABLE src_shop AS SELECT * FROM (VALUES ('o2', 'a.csv', 1), ('o3', 'a.csv', 2), ('o1', 'a.csv', 3)) t(order_id, _file, _row)`
    );
    const lookup = lookupValuesSql("rel_items", "order_id", {from: "items", count: true});
    await store.run(addColumnSql("next", "src_shop", "items.count()", {lookup, on: "order_id"}));
    expect(await store.all(sql`SELECT order_id, "items.count()" AS n FROM next`)).toEqual([
      {order_id: "o2", n: "1"},
      {order_id: "o3", n: null},
      {order_id: "o1", n: "3"}
    ]);
  });
});

describe("dependencyOrder(config)", () => {
  const config = (related: Record<string, unknown>) =>
    parseConfig(
      {sources: {crm: {table: "customers", file: "c.csv"}}, related},
      "/p/portrait.config.ts"
    );

  it("puts each related file after the files its own columns look up", () => {
    expect(
      dependencyOrder(
        config({
          items: {
            file: "i.csv",
            key: "order_id",
            columns: {category: {from: "products", on: "product_id", value: "category"}}
          },
          products: {
            file: "p.csv",
            key: "product_id",
            columns: {category: {from: "names", on: "name", value: "english"}}
          },
          names: {file: "n.csv", key: "name"}
        })
      )
    ).toEqual(["names", "products", "items"]);
  });

  it("refuses lookups that go round in a circle, naming the key", () => {
    expect(() =>
      dependencyOrder(
        config({
          a: {file: "a.csv", key: "k", columns: {x: {from: "b", value: "x"}}},
          b: {file: "b.csv", key: "k", columns: {x: {from: "a", value: "x"}}}
        })
      )
    ).toThrow(
      "/p/portrait.config.ts: related.a.columns: the lookups go round in a circle: a → b → a"
    );
  });
});

describe("parseConfig: related files and lookups", () => {
  const parse = (input: unknown) => () => parseConfig(input, "/p/portrait.config.ts");
  const crm = {table: "customers", file: "c.csv"};

  it("names the key of a lookup into a file that related does not declare", () => {
    expect(
      parse({
        sources: {
          crm,
          shop: {table: "orders", file: "o.csv", columns: {amount: {from: "payment", sum: "value"}}}
        },
        related: {payments: {file: "p.csv", key: "order_id"}}
      })
    ).toThrow(
      '/p/portrait.config.ts: sources.shop.columns.amount.from: no related file "payment"; the related files: payments'
    );
  });

  it("asks for exactly one aggregate", () => {
    expect(
      parse({
        sources: {
          crm,
          shop: {
            table: "orders",
            file: "o.csv",
            columns: {amount: {from: "payments", sum: "a", max: "b"}}
          }
        },
        related: {payments: {file: "p.csv", key: "order_id"}}
      })
    ).toThrow(
      /sources\.shop\.columns\.amount: give exactly one of value, sum, min, max, mean, mode, count/
    );
  });

  it("keeps lines and status to orders sources", () => {
    expect(parse({sources: {crm: {...crm, lines: true}}})).toThrow(
      "/p/portrait.config.ts: sources.crm.lines: only an orders source has lines"
    );
  });
});
