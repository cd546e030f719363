/** Validation's SQL builders (loaders/clean/validate.ts) as text and bound values. */
import {listValue} from "@duckdb/node-api";
import {describe, expect, it} from "vitest";
import {ORDERS} from "../../loaders/config/canonical.ts";
import {checksFor, parse} from "../../loaders/clean/validate.ts";
import {ident, sql} from "../../loaders/core/sql.ts";
import type {FieldMapping} from "../../loaders/ingest/mapping.ts";

const text = ident("v_ordered_at");

describe("parse(type, text, formats)", () => {
  it("casts the text it is given, binding nothing without formats", () => {
    expect(parse("date", text, []).render()).toEqual({
      text: 'TRY_CAST("v_ordered_at" AS DATE)',
      params: []
    });
    expect(parse("number", sql`t`, []).render().text).toBe(
      "CASE WHEN isfinite(TRY_CAST(t AS DOUBLE)) THEN TRY_CAST(t AS DOUBLE) END"
    );
    expect(parse("text", sql`t`, []).render().text).toBe("t");
  });

  it("binds the source's date formats as a list", () => {
    expect(parse("timestamp", text, ["%d.%m.%Y", "%d/%m/%Y"]).render()).toEqual({
      text: 'TRY_STRPTIME("v_ordered_at", $1)',
      params: [listValue(["%d.%m.%Y", "%d/%m/%Y"])]
    });
  });
});

describe("checksFor(table, mappings, formats, {future, negativeAmounts})", () => {
  const mappings: FieldMapping[] = ["order_id", "customer_id", "ordered_at", "amount"].map(
    (field) => ({field, kind: "column", sql: ident(field), label: field})
  );
  const checks = checksFor(ORDERS, mappings, ["%d'%m'%Y"], {
    future: {after: "2025-06-30", what: "the as-of date"},
    negativeAmounts: "reject"
  });
  const check = (reason: string, column: string) =>
    checks.find((c) => c.reason === reason && c.column === column)!;

  it("binds the as-of date and writes it into the message as a value", () => {
    const future = check("future_date", "ordered_at");
    expect(future.when.render()).toEqual({
      text: '"p_ordered_at" >= $1::DATE + INTERVAL 1 DAY',
      params: ["2025-06-30"]
    });
    expect(future.message.render()).toEqual({
      text: '$1 || "v_ordered_at" || $2',
      params: ["ordered_at ", " is after the as-of date (2025-06-30)"]
    });
  });

  it("names today when future is measured against the build's clock", () => {
    const [future] = checksFor(ORDERS, mappings, [], {
      future: {after: "2026-12-05", what: "today"},
      negativeAmounts: "reject"
    }).filter((c) => c.reason === "future_date");
    expect(future.message.render().params).toEqual(["ordered_at ", " is after today (2026-12-05)"]);
  });

  it("binds a date format in a message, quotes and all", () => {
    expect(check("malformed_date", "ordered_at").message.render()).toEqual({
      text: `$1 || '"' || "v_ordered_at" || '"' || $2`,
      params: ["ordered_at ", " is not a date (expected %d'%m'%Y)"]
    });
  });

  it("reports its checks in order: duplicates, missing values, unparsable values, then the rest", () => {
    expect(checks.map((c) => `${c.reason}:${c.column ?? ""}`)).toEqual([
      "duplicate_row:",
      "missing_value:order_id",
      "missing_value:customer_id",
      "missing_value:ordered_at",
      "missing_value:amount",
      "malformed_date:ordered_at",
      "not_a_number:amount",
      "negative_amount:amount",
      "future_date:ordered_at",
      "unknown_customer:customer_id"
    ]);
  });
});
