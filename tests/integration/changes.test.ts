/**
 * What changed between two builds (loaders/history/previous.ts, loaders/publish/changes.ts): the
 * customers who moved, from the previous build's assignment kept in the new store.
 */
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {copyPreviousCustomers} from "../../loaders/history/previous.ts";
import {
  CHANGE_COLUMNS,
  CUSTOMER_CHANGES,
  customerChangesQuery
} from "../../loaders/publish/changes.ts";
import {sql} from "../../loaders/core/sql.ts";
import {Store} from "../../loaders/core/store.ts";

describe("customerChangesQuery({hasValue}) against typed fixture tables", () => {
  it("names every kind of change, leaves the unchanged out and sorts by id", async () => {
    const store = await Store.open(":memory:");
    try {
      for (const statement of [
        sql`CREATE TABLE overview_as_of AS SELECT DATE '2026-10-31' AS as_of`,
        sql`CREATE TABLE previous_build AS SELECT DATE '2026-09-30' AS as_of, 7 AS customers`,
        sql`CREATE TABLE previous_customers (customer_id VARCHAR, profile_id VARCHAR, at_risk BOOLEAN)`,
        sql`INSERT INTO previous_customers VALUES ('c1', 'p1', false), ('c2', 'p1', false),
           ('c3', 'p1', false), ('c4', 'p1', true), ('c5', 'p1', false), ('c6', 'p1', true),
           ('c7', 'p2', false)`,
        sql`CREATE TABLE customer_profiles (customer_id VARCHAR, profile_id VARCHAR)`,
        sql`INSERT INTO customer_profiles VALUES ('c1', 'p1'), ('c2', 'p2'), ('c3', 'p1'),
           ('c4', 'p1'), ('c5', 'p2'), ('c6', 'p2'), ('c8', 'p3')`,
        sql`CREATE TABLE customer_value (customer_id VARCHAR, at_risk BOOLEAN)`,
        sql`INSERT INTO customer_value VALUES ('c1', false), ('c2', false), ('c3', true),
           ('c4', false), ('c5', true), ('c6', NULL), ('c8', true)`
      ])
        await store.run(statement);
      const rows = await store.all(customerChangesQuery({hasValue: true}));
      expect(rows.map((r) => Object.keys(r))[0]).toEqual([...CHANGE_COLUMNS]);
      expect(rows.map((r) => [r.customer_id, r.change])).toEqual([
        ["c2", "moved"],
        ["c3", "into_risk"],
        ["c4", "out_of_risk"],
        ["c5", "moved_into_risk"],
        ["c6", "moved"], // risk not assessed now: the move, and no claim about risk
        ["c7", "left"],
        ["c8", "joined"]
      ]);
      expect(rows.find((r) => r.customer_id === "c7")).toMatchObject({
        previous_profile_id: "p2",
        profile_id: null,
        previous_at_risk: false,
        at_risk: null,
        previous_as_of: "2026-09-30",
        as_of: "2026-10-31"
      });
      expect(
        (await store.all(customerChangesQuery({hasValue: false}))).map((r) => r.change)
      ).toEqual(["moved", "moved", "moved", "left", "joined"]);
      expect(CUSTOMER_CHANGES).toHaveLength(7);
    } finally {
      store.close();
    }
  });
});

describe("copyPreviousCustomers(store, path)", () => {
  const dir = mkdtempSync(join(tmpdir(), "portrait-changes-"));
  afterAll(() => rmSync(dir, {recursive: true, force: true}));

  const into = async (path: string) => {
    const store = await Store.open(":memory:");
    try {
      return {
        result: await copyPreviousCustomers(store, path),
        has: await store.has("previous_customers")
      };
    } finally {
      store.close();
    }
  };

  it("copies each customer's profile and risk from the old store, opened read-only", async () => {
    const path = join(dir, "old.duckdb");
    const old = await Store.open(path);
    await old.run(
      sql`CREATE TABLE customer_profiles AS SELECT * FROM (VALUES ('c2', 'p1'), ('c1', 'p2')) t(customer_id, profile_id)`
    );
    await old.run(sql`CREATE TABLE customer_value AS SELECT 'c1' AS customer_id, true AS at_risk`);
    old.close();
    const store = await Store.open(":memory:");
    try {
      expect(await copyPreviousCustomers(store, path)).toEqual({customers: 2});
      expect(await store.all(sql`SELECT * FROM previous_customers`)).toEqual([
        {customer_id: "c1", profile_id: "p2", at_risk: true},
        {customer_id: "c2", profile_id: "p1", at_risk: null}
      ]);
      // detached again: the new store can be saved whole, and the old one opened for writing
      expect(
        await store.all(
          sql`SELECT database_name FROM duckdb_databases() WHERE database_name = 'previous_store'`
        )
      ).toEqual([]);
    } finally {
      store.close();
    }
    (await Store.open(path)).close();
  });

  it("treats a missing store, an unreadable file and a store without profiles as no previous build", async () => {
    expect(await into(join(dir, "none.duckdb"))).toEqual({
      result: {missing: "no previous store"},
      has: false
    });
    writeFileSync(join(dir, "junk.duckdb"), "not a database");
    const junk = await into(join(dir, "junk.duckdb"));
    expect(junk.has).toBe(false);
    expect("missing" in junk.result && junk.result.missing).toMatch(
      /^the previous store cannot be read \(/
    );
    const empty = await Store.open(join(dir, "empty.duckdb"));
    await empty.run(sql`CREATE TABLE customers (customer_id VARCHAR)`);
    empty.close();
    expect(await into(join(dir, "empty.duckdb"))).toEqual({
      result: {missing: "the previous store has no profiles"},
      has: false
    });
  });
});
