import {totalmem} from "node:os";
import {afterEach, describe, expect, it} from "vitest";
import {memoryLimitOf, Store, usedParams} from "../../loaders/core/store.ts";

/** DuckDB's memory limit of a store, as DuckDB writes it ("1.0 GiB"). */
async function limitOf(store: Store): Promise<string | undefined> {
  const row = await store.one<{limit: string}>(
    "SELECT current_setting('memory_limit') AS \"limit\""
  );
  return row?.limit;
}

describe("memoryLimitOf(env)", () => {
  it("takes PORTRAIT_MEMORY_LIMIT as written", () => {
    expect(memoryLimitOf({PORTRAIT_MEMORY_LIMIT: "4GB"})).toBe("4GB");
    expect(memoryLimitOf({PORTRAIT_MEMORY_LIMIT: " 512 MiB "})).toBe("512 MiB");
  });

  it("defaults to a quarter of the machine's memory, between 1 and 6 GiB", () => {
    const mib = Number(/^(\d+)MiB$/.exec(memoryLimitOf({}))?.[1]);
    expect(mib).toBe(Math.round(Math.min(Math.max(totalmem() / 4 / 2 ** 20, 1024), 6 * 1024)));
  });

  it("rejects a limit that is not a size, saying how to write one", () => {
    expect(() => memoryLimitOf({PORTRAIT_MEMORY_LIMIT: "80%"})).toThrow(
      'invalid PORTRAIT_MEMORY_LIMIT: "80%" (write a size such as 4GB or 512MB)'
    );
  });
});

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

describe("usedParams(sql, params)", () => {
  it("keeps only the named parameters the statement uses, whole names only", () => {
    expect(usedParams("SELECT $prior10, $lo1", {prior1: 1, prior10: 2, lo1: 3, hi1: 4})).toEqual({
      prior10: 2,
      lo1: 3
    });
  });
});

describe("store.columns(sql)", () => {
  it("gives each selected column as an array, an empty one when no row matches", async () => {
    const store = await Store.open(":memory:");
    try {
      expect(await store.columns("SELECT 1 AS a, 'x' AS b")).toEqual([[1], ["x"]]);
      expect(await store.columns("SELECT 1 AS a, 'x' AS b WHERE false")).toEqual([[], []]);
    } finally {
      store.close();
    }
  });
});
