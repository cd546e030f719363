/**
 * The profile report's SQL builders (loaders/site/report.ts) bound against a real in-memory
 * DuckDB over a few typed rows.
 */
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {sql} from "../../loaders/core/sql.ts";
import {Store} from "../../loaders/core/store.ts";
import {longValues} from "../../loaders/site/report.ts";

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
      {mine: true, feature: "orders", v: 1, type: "DOUBLE"},
      {mine: false, feature: "orders", v: 3, type: "DOUBLE"},
      {mine: false, feature: "p_alive", v: 0.25, type: "DOUBLE"},
      {mine: true, feature: "p_alive", v: 0.5, type: "DOUBLE"},
      {mine: false, feature: "spend", v: 10.5, type: "DOUBLE"}
    ]);
  });
});
