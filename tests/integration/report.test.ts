/**
 * The profile report's SQL builders (loaders/site/report.ts) bound against a real in-memory
 * DuckDB over a few typed rows.
 */
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {sql} from "../../loaders/core/sql.ts";
import {Store} from "../../loaders/core/store.ts";
import {MAX_BINS, longValues, traitRows} from "../../loaders/site/report.ts";

let store: Store;

beforeAll(async () => {
  store = await Store.open(":memory:");
  await store.run(sql`CREATE TABLE customer_profiles (customer_id VARCHAR, profile_id VARCHAR)`);
  await store.run(
    sql`INSERT INTO customer_profiles VALUES ('c1', 'p1'), ('c2', 'p2'), ('c3', 'p2')`
  );
  await store.run(sql`CREATE TABLE features (customer_id VARCHAR, orders INTEGER, spend DOUBLE)`);
  await store.run(
    sql`INSERT INTO features VALUES ('c1', 3, 10.5), ('c2', NULL, 'NaN'), ('c3', 1, 'Infinity')`
  );
  await store.run(sql`CREATE TABLE customer_value (customer_id VARCHAR, p_alive DOUBLE)`);
  await store.run(sql`INSERT INTO customer_value VALUES ('c1', 0.25), ('c2', 0.5)`);
});

afterAll(() => store.close());

describe("longValues(columns, profileId)", () => {
  it("gives every finite value once, as DOUBLE, marked when its customer is in the profile", async () => {
    const long = longValues(
      [
        {table: "features", feature: "orders"},
        {table: "features", feature: "spend"},
        {table: "customer_value", feature: "p_alive"}
      ],
      "p2"
    );
    const rows = await store.all(
      sql`SELECT l.*, typeof(l.v) AS type FROM (${long}) l ORDER BY feature, v`
    );
    expect(rows).toEqual([
      {mine: true, feature: "orders", v: 1, profile_id: "p2", type: "DOUBLE"},
      {mine: false, feature: "orders", v: 3, profile_id: "p1", type: "DOUBLE"},
      {mine: false, feature: "p_alive", v: 0.25, profile_id: "p1", type: "DOUBLE"},
      {mine: true, feature: "p_alive", v: 0.5, profile_id: "p2", type: "DOUBLE"},
      {mine: false, feature: "spend", v: 10.5, profile_id: "p1", type: "DOUBLE"}
    ]);
  });
});

describe("traitRows(store, profileId)", () => {
  it("draws at most MAX_BINS levels of a category, even when every level sets the profile apart", async () => {
    // a number read as a category: a level per value, each one distinguishing
    await store.run(
      sql`CREATE TABLE profile_traits AS
        SELECT 'p1' AS profile_id, 'credit_limit' AS feature, CAST(i * 100 AS VARCHAR) AS level,
          'firmographic' AS dimension, 'Credit limit' AS label, 'category' AS unit,
          'category' AS kind, 0.02 AS profile_value, 0.01 AS base_value, 2.0 AS lift,
          0.3 AS effect, 0.1 AS effect_low, 0.5 AS effect_high, 1.0 AS coverage,
          20 AS customers, false AS suppressed, true AS distinguishing, i AS rank
        FROM range(1, 301) t(i)
        UNION ALL
        SELECT 'p1', 'spend', NULL, 'behavioral', 'Spend', 'currency', 'number', 120, 80, 1.5,
          0.8, 0.6, 1.0, 1.0, 200, false, true, 1`
    );
    const rows = await traitRows(store, "p1");
    expect(rows.filter((r) => r.feature === "credit_limit")).toHaveLength(MAX_BINS);
    expect(rows.filter((r) => r.feature === "spend")).toHaveLength(1);
  });
});
