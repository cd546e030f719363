/** The data overview's SQL (loaders/clean/inventory.ts) as text and bound values. */
import {describe, expect, it} from "vitest";
import {ORDERS} from "../../loaders/config/canonical.ts";
import {monthlySql, tableOverviewSql} from "../../loaders/clean/inventory.ts";

describe("tableOverviewSql(table, position) and monthlySql(table)", () => {
  it("quote the table's names and bind its position, name and label", () => {
    const overview = tableOverviewSql(ORDERS, 1).render();
    expect(overview.params).toEqual([1, "orders", "Orders", "orders", "order_lines"]);
    expect(overview.text).toContain(
      `(SELECT strftime(min("ordered_at"), '%Y-%m-%d') FROM "orders")`
    );
    // An orders source of lines quarantines lines: they count for the orders table.
    expect(overview.text).toContain(
      `(SELECT count(*) FROM quarantine WHERE "table" = $4 OR "table" = $5)`
    );
    const monthly = monthlySql(ORDERS).render();
    expect(monthly.params).toEqual(["orders"]);
    expect(monthly.text).toContain(`FROM "orders" WHERE "ordered_at" IS NOT NULL GROUP BY month`);
  });
});
