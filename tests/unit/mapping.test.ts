/** The column mapping (loaders/ingest/mapping.ts): which SQL feeds each canonical field. */
import {describe, expect, it} from "vitest";
import {ORDERS} from "../../loaders/config/canonical.ts";
import {parseConfig} from "../../loaders/config/project.ts";
import {resolveColumns} from "../../loaders/ingest/mapping.ts";

describe("resolveColumns(configPath, sourceName, source, table, columns)", () => {
  const config = parseConfig(
    {
      sources: {
        crm: {file: "customers.csv", table: "customers"},
        shop: {
          file: "orders.csv",
          table: "orders",
          columns: {
            order_id: "Order No",
            ordered_at: {column: "Date"},
            amount: {sql: "price * qty"},
            channel: "upper(Channel)"
          }
        }
      }
    },
    "/project/portrait.config.ts"
  );
  const columns = ["Order No", "customer_id", "Date", "price", "qty", "Channel"];
  const mappings = resolveColumns(config.path, "shop", config.sources.shop, ORDERS, columns);
  const text = (field: string) => {
    const mapping = mappings.find((m) => m.field === field)!;
    return {kind: mapping.kind, ...mapping.sql.render()};
  };

  it("quotes a column as a name", () => {
    expect(text("order_id")).toEqual({kind: "column", text: '"Order No"', params: []});
    expect(text("ordered_at")).toEqual({kind: "column", text: '"Date"', params: []});
    expect(text("customer_id")).toEqual({kind: "column", text: '"customer_id"', params: []});
  });

  it("takes the config's SQL as written, in parentheses", () => {
    expect(text("amount")).toEqual({kind: "sql", text: "(price * qty)", params: []});
    expect(text("channel")).toEqual({kind: "sql", text: "(upper(Channel))", params: []});
  });
});

describe("resolveColumns: a field of order lines on an orders source", () => {
  it("says to set lines: true rather than listing the orders fields", () => {
    const config = parseConfig(
      {
        sources: {
          crm: {file: "customers.csv", table: "customers"},
          shop: {file: "lines.csv", table: "orders", columns: {product: "StockCode"}}
        }
      },
      "/project/portrait.config.ts"
    );
    expect(() =>
      resolveColumns(config.path, "shop", config.sources.shop, ORDERS, ["StockCode"])
    ).toThrow(
      "sources.shop.columns.product: orders has no field product: product is a field of order lines. If each row of this source is one line of an order, set sources.shop.lines: true (README, Line items)"
    );
  });
});
