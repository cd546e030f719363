import {existsSync} from "node:fs";
import {mkdir, mkdtemp, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {invalidateLoaderCache} from "../scripts/build.ts";

let cache: string;

beforeEach(async () => {
  cache = await mkdtemp(join(tmpdir(), "portrait-cache-"));
  await mkdir(join(cache, "data"), {recursive: true});
  await mkdir(join(cache, "_npm", "d3@7.9.2"), {recursive: true});
  await writeFile(join(cache, "data", "overview.json"), "{}");
});

afterEach(async () => {
  await rm(cache, {recursive: true, force: true});
});

describe("invalidateLoaderCache(cache, digest)", () => {
  it("drops cached loader output when the inputs' fingerprint changes, keeping Framework's own caches", async () => {
    expect(await invalidateLoaderCache(cache, "a")).toBe(true);
    expect(existsSync(join(cache, "data", "overview.json"))).toBe(false);
    expect(existsSync(join(cache, "_npm", "d3@7.9.2"))).toBe(true);
  });

  it("keeps loader output while the fingerprint is unchanged", async () => {
    await invalidateLoaderCache(cache, "a");
    await mkdir(join(cache, "data"), {recursive: true});
    await writeFile(join(cache, "data", "overview.json"), "{}");
    expect(await invalidateLoaderCache(cache, "a")).toBe(false);
    expect(existsSync(join(cache, "data", "overview.json"))).toBe(true);
    expect(await invalidateLoaderCache(cache, "b")).toBe(true);
    expect(existsSync(join(cache, "data", "overview.json"))).toBe(false);
  });
});
