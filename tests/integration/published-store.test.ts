/**
 * What a build keeps once it has published (loaders/publish/published-store.ts): the profiles'
 * state from the store, and the store as `<store>.published`, the same file, which the engine
 * then reads as the previous build. (tests/e2e/failed-build.test.ts runs whole builds.)
 */
import {existsSync, readFileSync, statSync} from "node:fs";
import {mkdtemp, rename, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {
  checksumOf,
  checksumPath,
  verifyChecksum,
  writeChecksum
} from "../../loaders/core/checksum.ts";
import {sql, val} from "../../loaders/core/sql.ts";
import {Store} from "../../loaders/core/store.ts";
import {previousStore, publishedStore} from "../../loaders/history/previous.ts";
import type {IdentityState} from "../../loaders/profile/stable-ids.ts";
import {keepPublishedStore} from "../../loaders/publish/published-store.ts";

const state = (asOf: string): IdentityState => ({
  version: 1,
  as_of: asOf,
  next_id: 2,
  profiles: [{id: "p1", name: "Loyal regulars", customers: 40, centroid: {orders: 3}}]
});

/** Writes a store as the engine leaves it: build_meta with a state, and its checksum. */
async function writeStore(path: string, kept: IdentityState | null): Promise<void> {
  const store = await Store.open(`${path}.building`);
  await store.run(sql`CREATE TABLE build_meta (fingerprint VARCHAR, state VARCHAR)`);
  await store.run(
    sql`INSERT INTO build_meta VALUES ('f', ${val(kept ? JSON.stringify(kept) : null)})`
  );
  store.close();
  const checksum = await checksumOf(`${path}.building`);
  await rename(`${path}.building`, path);
  await writeChecksum(path, checksum);
}

let dir: string;
let store: string;
let statePath: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "portrait-published-"));
  store = join(dir, "store.duckdb");
  statePath = join(dir, "portrait.state.json");
});
afterEach(() => rm(dir, {recursive: true, force: true}));

describe("keepPublishedStore(store, statePath)", () => {
  it("writes the store's state and keeps the store as <store>.published, the same file, with its checksum", async () => {
    await writeStore(store, state("2026-10-31"));
    expect(previousStore(store)).toBe(store);
    expect(await keepPublishedStore(store, statePath)).toBe(true);
    expect(JSON.parse(readFileSync(statePath, "utf8"))).toEqual(state("2026-10-31"));
    expect(statSync(publishedStore(store)).ino).toBe(statSync(store).ino);
    expect(readFileSync(checksumPath(publishedStore(store)), "utf8")).toBe(
      readFileSync(checksumPath(store), "utf8")
    );
    expect(await verifyChecksum(publishedStore(store))).toBeUndefined();
    expect(previousStore(store)).toBe(publishedStore(store));
  });

  it("keeps the published store when a new store replaces it, until the new one is published", async () => {
    await writeStore(store, state("2026-10-31"));
    await keepPublishedStore(store, statePath);
    const first = readFileSync(statePath, "utf8");
    const published = readFileSync(store);
    // A build that fails after the engine swapped its store in: nothing is kept.
    await writeStore(store, state("2026-11-30"));
    expect(readFileSync(publishedStore(store))).toEqual(published);
    expect(await verifyChecksum(publishedStore(store))).toBeUndefined();
    expect(readFileSync(statePath, "utf8")).toBe(first);
    // Once it publishes, it is the previous build, and its state is kept.
    expect(await keepPublishedStore(store, statePath)).toBe(true);
    expect(statSync(publishedStore(store)).ino).toBe(statSync(store).ino);
    expect(JSON.parse(readFileSync(statePath, "utf8")).as_of).toBe("2026-11-30");
    expect(existsSync(`${publishedStore(store)}.new`)).toBe(false);
  });

  it("keeps nothing new for a store already published, and writes no state for a store without one", async () => {
    await writeStore(store, null);
    expect(await keepPublishedStore(store, statePath)).toBe(true);
    expect(await keepPublishedStore(store, statePath)).toBe(false);
    expect(existsSync(statePath)).toBe(false);
  });
});
