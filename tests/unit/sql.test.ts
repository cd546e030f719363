/** The sql tag (loaders/core/sql.ts): fragments as text and the values they bind. */
import {listValue} from "@duckdb/node-api";
import {describe, expect, it} from "vitest";
import {
  byProfileId,
  ident,
  join,
  literal,
  raw,
  sql,
  val,
  valueList
} from "../../loaders/core/sql.ts";

describe("sql`…`", () => {
  it("binds every value as a positional parameter, in order", () => {
    const list = listValue(["a", "b"]);
    expect(
      sql`SELECT * FROM t WHERE n > ${3} AND x = ${val("it's")} AND f = ${true} AND y IN ${list}`.render()
    ).toEqual({
      text: "SELECT * FROM t WHERE n > $1 AND x = $2 AND f = $3 AND y IN $4",
      params: [3, "it's", true, list]
    });
    expect(sql`SELECT ${null} AS nothing`.render()).toEqual({
      text: "SELECT $1 AS nothing",
      params: [null]
    });
  });

  it("inlines a fragment's text and keeps its values bound, renumbered", () => {
    const where = sql`a = ${1} AND b = ${val("x")}`;
    expect(sql`SELECT ${val("first")}, * FROM t WHERE ${where} LIMIT ${10}`.render()).toEqual({
      text: "SELECT $1, * FROM t WHERE a = $2 AND b = $3 LIMIT $4",
      params: ["first", 1, "x", 10]
    });
  });

  it("refuses a bare string, at compile time and at run time", () => {
    const name = "orders";
    // @ts-expect-error: a string must say what it is, val() or ident()
    expect(() => sql`SELECT * FROM ${name}`).toThrow(
      /a string interpolated into sql`SELECT \* FROM \$\{…\}`: wrap it in val\(\) to bind it as a value or ident\(\) to quote it as a name/
    );
  });

  it("refuses to be written into a string: fragments compose through the tag", () => {
    const fragment = sql`SELECT ${1}`;
    expect(() => `${fragment}`).toThrow(
      /an SQL fragment was written into a string: compose it with sql`…` instead \(SELECT \$1\)/
    );
    expect(() => String(ident("a"))).toThrow(/written into a string/);
  });
});

describe("ident(name), raw(text), literal(text)", () => {
  it("quotes a name, doubling quotes inside it", () => {
    expect(sql`SELECT ${ident('odd "name"')} FROM ${ident("t")}`.render().text).toBe(
      'SELECT "odd ""name""" FROM "t"'
    );
  });

  it("takes the code's own SQL as it is, and quotes a literal only where DuckDB binds nothing", () => {
    expect(sql`SELECT ${raw("count(*)")} FROM t`.render()).toEqual({
      text: "SELECT count(*) FROM t",
      params: []
    });
    expect(sql`ATTACH ${literal("/tmp/o'brien.duckdb")} AS old`.render().text).toBe(
      "ATTACH '/tmp/o''brien.duckdb' AS old"
    );
  });
});

describe("join(fragments, separator), valueList(values)", () => {
  it("joins fragments, leaving empty ones out, with their values in order", () => {
    const parts = [sql`a = ${1}`, sql``, sql`b = ${val("x")}`];
    expect(join(parts, " AND ").render()).toEqual({text: "a = $1 AND b = $2", params: [1, "x"]});
    expect(join([ident("a"), ident("b")]).render().text).toBe('"a", "b"');
    expect(join([]).empty).toBe(true);
  });

  it("binds a list of values one by one", () => {
    expect(sql`x IN (${valueList(["a", 2, null])})`.render()).toEqual({
      text: "x IN ($1, $2, $3)",
      params: ["a", 2, null]
    });
  });
});

describe("byProfileId(column)", () => {
  it("orders profile ids by their number, then the id", () => {
    expect(byProfileId().render().text).toBe(
      'TRY_CAST(substr("profile_id", 2) AS INTEGER), "profile_id"'
    );
    expect(byProfileId(sql`p.profile_id`).render().text).toBe(
      "TRY_CAST(substr(p.profile_id, 2) AS INTEGER), p.profile_id"
    );
  });
});
