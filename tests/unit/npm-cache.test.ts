import {existsSync} from "node:fs";
import {mkdir, mkdtemp, readFile, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {fillNpmCache, scanNpmImports, type NpmCacheEntry} from "../../scripts/npm-cache.ts";

const lock = JSON.parse(await readFile(join(PROJECT_DIR, "package-lock.json"), "utf8"));
const locked = (name: string): string => lock.packages[`node_modules/${name}`].version;

let root: string;
let entries: NpmCacheEntry[];
const npm = (path: string) => join(root, ".observablehq", "cache", "_npm", path);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "portrait-npm-"));
  // A stale version left by an earlier build must not win Framework's version look-up.
  await mkdir(npm("d3@7.0.0"), {recursive: true});
  entries = await fillNpmCache({root, projectDir: PROJECT_DIR});
});

afterAll(async () => {
  await rm(root, {recursive: true, force: true});
});

describe("fillNpmCache({root, projectDir})", () => {
  it("bundles the implicit libraries at the versions in package-lock.json", () => {
    for (const name of [
      "@observablehq/plot",
      "d3",
      "d3-dsv",
      "htl",
      "apache-arrow",
      "arquero",
      "@duckdb/duckdb-wasm"
    ]) {
      const version = locked(name);
      expect(entries).toContainEqual({name, version, kind: "bundle"});
      expect(existsSync(npm(`${name}@${version}/_esm.js`))).toBe(true);
      expect(existsSync(npm(`${name}@${version}/package.json`))).toBe(true);
    }
  });

  it("pins DuckDB-Wasm to the version Framework uses and ships its wasm and workers", () => {
    expect(locked("@duckdb/duckdb-wasm")).toBe("1.29.0");
    for (const file of [
      "duckdb-mvp.wasm",
      "duckdb-eh.wasm",
      "duckdb-browser-mvp.worker.js",
      "duckdb-browser-eh.worker.js"
    ]) {
      expect(existsSync(npm(`@duckdb/duckdb-wasm@1.29.0/dist/${file}`))).toBe(true);
    }
  });

  it("keeps apache-arrow one instance: DuckDB-Wasm imports it from its own folder", async () => {
    const code = await readFile(npm("@duckdb/duckdb-wasm@1.29.0/_esm.js"), "utf8");
    expect(code).toContain(`"../../apache-arrow@${locked("apache-arrow")}/_esm.js"`);
    const plot = await readFile(
      npm(`@observablehq/plot@${locked("@observablehq/plot")}/_esm.js`),
      "utf8"
    );
    expect(plot).toContain(`"../../d3@${locked("d3")}/_esm.js"`);
  });

  it("removes other versions of a library it manages", () => {
    expect(existsSync(npm("d3@7.0.0"))).toBe(false);
  });

  it("stubs recommended libraries that are not installed with an error that says what to do", async () => {
    const stub = entries.find((e) => e.name === "lodash");
    expect(stub).toEqual({name: "lodash", version: "0.0.0-not-installed", kind: "stub"});
    const code = await readFile(npm("lodash@0.0.0-not-installed/_esm.js"), "utf8");
    expect(code).toContain(
      "npm:lodash is not installed, and builds are offline: run `npm install lodash` and rebuild."
    );
  });

  it("reuses its bundles on the next run", async () => {
    const again = await fillNpmCache({root, projectDir: PROJECT_DIR});
    expect(again.find((e) => e.name === "d3")?.kind).toBe("cached");
  });

  it("fails clearly when a page imports a library that is not installed", async () => {
    await expect(
      fillNpmCache({root, projectDir: PROJECT_DIR, extra: [{name: "left-pad-not-here"}]})
    ).rejects.toThrow(
      "npm:left-pad-not-here is used by the site but not installed: run `npm install left-pad-not-here`"
    );
  });
});

describe("scanNpmImports(root)", () => {
  it("finds npm: imports in pages, with files they name", async () => {
    const pages = await mkdtemp(join(tmpdir(), "portrait-pages-"));
    try {
      await writeFile(
        join(pages, "a.md"),
        '```js\nimport * as topojson from "npm:topojson-client";\nconst w = FileAttachment(import.meta.resolve("npm:world-atlas@2/countries-110m.json"));\nimport {x} from "npm:@observablehq/inputs";\n```\n'
      );
      expect(await scanNpmImports(pages)).toEqual([
        {name: "topojson-client"},
        {name: "world-atlas", files: ["countries-110m.json"]}
      ]);
    } finally {
      await rm(pages, {recursive: true, force: true});
    }
  });
});
