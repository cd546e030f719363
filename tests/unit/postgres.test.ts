/** The PostgreSQL source's helpers that need no server (loaders/ingest/postgres.ts). */
import {describe, expect, it} from "vitest";
import {
  connectionFromEnv,
  createRawTable,
  rawColumnNames,
  splitQualifiedName
} from "../../loaders/ingest/postgres.ts";
import {closest} from "../../loaders/core/closest.ts";
import {postgresBin} from "../support/postgres.ts";

describe("connectionFromEnv(name, env)", () => {
  it("returns the variable's connection string", () => {
    expect(connectionFromEnv("SHOP_DATABASE_URL", {SHOP_DATABASE_URL: "postgres://a@b/c"})).toBe(
      "postgres://a@b/c"
    );
  });

  it("says how to set a missing variable", () => {
    expect(() => connectionFromEnv("SHOP_DATABASE_URL", {})).toThrow(
      "environment variable SHOP_DATABASE_URL is not set: export it with the connection string (postgres://user:password@host:5432/db)"
    );
  });
});

describe("the test server (tests/support/postgres.ts)", () => {
  it("fails, saying what to install, when PostgreSQL's binaries are missing", () => {
    expect(() => postgresBin("/nonexistent/postgresql")).toThrow(
      "no PostgreSQL server found in /nonexistent/postgresql/<version>/bin: the PostgreSQL tests need one. Run `apt-get install postgresql` (.ci/run does it for CI)."
    );
  });
});

describe("naming helpers", () => {
  it("rawColumnNames renames repeats as read_csv does, ignoring case", () => {
    expect(rawColumnNames(["id", "id_1", "id", "ID"])).toEqual(["id", "id_1", "id_1_1", "ID_2"]);
    expect(() => rawColumnNames(["_row"])).toThrow(/clashes with Portrait's own _row column/);
  });

  it("splitQualifiedName keeps quoted dots and case", () => {
    expect(splitQualifiedName('"Odd.Schema"."Or""ders"')).toEqual(["Odd.Schema", 'Or"ders']);
    expect(splitQualifiedName("sales.orders")).toEqual(["sales", "orders"]);
    expect(() => splitQualifiedName("a.b.c")).toThrow(/invalid PostgreSQL table name a.b.c/);
  });

  it("createRawTable quotes every name and types every source column as text", () => {
    expect(createRawTable("src_shop", ["id", 'Odd "Name"']).render()).toEqual({
      text: 'CREATE OR REPLACE TEMP TABLE "src_shop" ("id" VARCHAR, "Odd ""Name""" VARCHAR, _row BIGINT, _file VARCHAR)',
      params: []
    });
  });

  it("closest suggests a plausible typo only", () => {
    expect(closest("Ordrs", ["customers", "orders"])).toBe("orders");
    expect(closest("invoices", ["customers", "orders"])).toBeUndefined();
  });
});
