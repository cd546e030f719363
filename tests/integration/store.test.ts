import {afterEach, describe, expect, it} from "vitest";
import {Store} from "../../loaders/core/store.ts";
import {ident, join, sql, val, valueList} from "../../loaders/core/sql.ts";

/** DuckDB's memory limit of a store, as DuckDB writes it ("1.0 GiB"). */
async function limitOf(store: Store): Promise<string | undefined> {
  const row = await store.one<{limit: string}>(
    sql`SELECT current_setting('memory_limit') AS "limit"`
  );
  return row?.limit;
}

describe("Store.open(path, {memoryLimit})", () => {
  let store: Store | undefined;
  afterEach(() => store?.close());

  it("sets DuckDB's memory limit, from the option or else from the environment", async () => {
    store = await Store.open(":memory:", {memoryLimit: "1GiB"});
    expect(await limitOf(store)).toBe("1.0 GiB");
    store.close();
    store = undefined;
    const saved = process.env.PORTRAIT_MEMORY_LIMIT;
    process.env.PORTRAIT_MEMORY_LIMIT = "2GiB";
    try {
      store = await Store.open(":memory:");
      expect(await limitOf(store)).toBe("2.0 GiB");
    } finally {
      if (saved === undefined) delete process.env.PORTRAIT_MEMORY_LIMIT;
      else process.env.PORTRAIT_MEMORY_LIMIT = saved;
    }
  });
});

describe("store.columns(sql)", () => {
  it("gives each selected column as an array, an empty one when no row matches", async () => {
    const store = await Store.open(":memory:");
    try {
      expect(await store.columns(sql`SELECT 1 AS a, 'x' AS b`)).toEqual([[1], ["x"]]);
      expect(await store.columns(sql`SELECT 1 AS a, 'x' AS b WHERE false`)).toEqual([[], []]);
    } finally {
      store.close();
    }
  });
});

describe("store.all(sql`…`)", () => {
  it("runs a fragment with its values bound, whatever quotes or dollars they hold", async () => {
    const store = await Store.open(":memory:");
    try {
      await store.run(sql`CREATE TABLE ${ident('odd "t"')} (name VARCHAR, n INTEGER)`);
      await store.run(
        sql`INSERT INTO ${ident('odd "t"')} VALUES (${valueList(["it's $1", 2])}), (${val("b")}, ${3})`
      );
      const where = join([sql`n >= ${2}`, sql`name <> ${val("")}`], " AND ");
      expect(
        await store.all(
          sql`SELECT name, n, ${0.5} AS half FROM ${ident('odd "t"')} WHERE ${where} ORDER BY n`
        )
      ).toEqual([
        {name: "it's $1", n: 2, half: 0.5},
        {name: "b", n: 3, half: 0.5}
      ]);
    } finally {
      store.close();
    }
  });

  it("names the SQL it ran when DuckDB refuses it", async () => {
    const store = await Store.open(":memory:");
    try {
      await expect(store.all(sql`SELECT * FROM missing WHERE x = ${1}`)).rejects.toThrow(
        /Table with name missing does not exist[\s\S]*-- while running:\nSELECT \* FROM missing WHERE x = \$1/
      );
    } finally {
      store.close();
    }
  });
});
