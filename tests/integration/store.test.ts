import {afterEach, describe, expect, it} from "vitest";
import {Store} from "../../loaders/core/store.ts";

/** DuckDB's memory limit of a store, as DuckDB writes it ("1.0 GiB"). */
async function limitOf(store: Store): Promise<string | undefined> {
  const row = await store.one<{limit: string}>(
    "SELECT current_setting('memory_limit') AS \"limit\""
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
      expect(await store.columns("SELECT 1 AS a, 'x' AS b")).toEqual([[1], ["x"]]);
      expect(await store.columns("SELECT 1 AS a, 'x' AS b WHERE false")).toEqual([[], []]);
    } finally {
      store.close();
    }
  });
});
