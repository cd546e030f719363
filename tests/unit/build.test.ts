import {existsSync} from "node:fs";
import {mkdir, mkdtemp, readFile, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {pinLastModified, reuseOrWrite} from "../../loaders/publish/finish.ts";
import {CommandError, diskFull, invalidateLoaderCache} from "../../scripts/build.ts";

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

describe("pinLastModified(dir, asOf)", () => {
  it("pins the file times Framework writes into pages to the data's as-of day", async () => {
    const site = join(cache, "site");
    await mkdir(join(site, "profiles"), {recursive: true});
    const page = (a: string, b: string) =>
      `<script>registerFile("./a.json", {"lastModified":${a},"size":3});registerFile("./b.csv", {"lastModified":${b}});</script>`;
    await writeFile(join(site, "index.html"), page("1795913110126", "1795913110127.5"));
    await writeFile(join(site, "profiles", "p1.html"), page("1795913062966", "1"));
    await writeFile(join(site, "app.js"), '{"lastModified":1}');
    expect(await pinLastModified(site, "2026-10-31")).toBe(2);
    const pinned = String(Date.parse("2026-10-31T23:59:59Z"));
    expect(await readFile(join(site, "index.html"), "utf8")).toBe(page(pinned, pinned));
    expect(await readFile(join(site, "profiles", "p1.html"), "utf8")).toBe(page(pinned, pinned));
    expect(await readFile(join(site, "app.js"), "utf8")).toBe('{"lastModified":1}');
  });
});

describe("reuseOrWrite(cache, key, site, write)", () => {
  it("writes once per key and copies the files into the site on every build", async () => {
    const site = join(cache, "site");
    const saved = join(cache, "cards");
    let writes = 0;
    const write = async (dir: string) => {
      writes++;
      await mkdir(join(dir, "data", "cards"), {recursive: true});
      await writeFile(join(dir, "data", "cards", "0.json"), `{"write":${writes}}`);
      return 1;
    };
    expect(await reuseOrWrite(saved, "a", site, write)).toEqual({result: 1, reused: false});
    await rm(site, {recursive: true});
    expect(await reuseOrWrite(saved, "a", site, write)).toEqual({result: 1, reused: true});
    expect(await readFile(join(site, "data", "cards", "0.json"), "utf8")).toBe('{"write":1}');
    expect(existsSync(join(site, ".portrait-key.json"))).toBe(false);
    // A new store (or new options) writes afresh, leaving nothing of the old files behind.
    await writeFile(join(saved, "data", "cards", "stale.json"), "{}");
    expect(await reuseOrWrite(saved, "b", site, write)).toEqual({result: 1, reused: false});
    expect(await readFile(join(site, "data", "cards", "0.json"), "utf8")).toBe('{"write":2}');
    expect(existsSync(join(saved, "data", "cards", "stale.json"))).toBe(false);
    expect(writes).toBe(2);
  });
});

describe("diskFull(error)", () => {
  it("tells a full disk from other failures, in Node's errors and in what a command printed", () => {
    const enospc = Object.assign(new Error("ENOSPC: no space left on device, write"), {
      code: "ENOSPC"
    });
    expect(diskFull(enospc)).toBe(true);
    expect(
      diskFull(
        new CommandError(
          "node observable.js build failed (exit 1)",
          "Unexpected error: ENOSPC: no space left on device, copyfile 'a' -> 'b'"
        )
      )
    ).toBe(true);
    expect(
      diskFull(new CommandError("node observable.js build failed (exit 1)", "SyntaxError"))
    ).toBe(false);
    expect(diskFull(new Error("the privacy check found 1 problem in the new site"))).toBe(false);
  });
});
