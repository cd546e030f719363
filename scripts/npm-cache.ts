/**
 * Offline npm cache for Observable Framework.
 *
 * Framework 1.13 fetches every `npm:` import (and the implicit ones behind Plot, Inputs, d3,
 * FileAttachment and `sql`) from a CDN, and asks the registry for the versions of the libraries
 * its client names. Both look in `<root>/.observablehq/cache/_npm/<name>@<version>/` first, so
 * filling that folder from node_modules makes the build need no network, and pins every library
 * to the version in package-lock.json.
 */
import {existsSync} from "node:fs";
import {copyFile, mkdir, readFile, readdir, rm, writeFile} from "node:fs/promises";
import {dirname, join, relative, resolve} from "node:path";
import {build, type Plugin} from "esbuild";

/** A library the pages may import, bundled from node_modules. */
export interface NpmLibrary {
  name: string;
  /** Files copied verbatim beside the bundle (paths inside the package). */
  files?: string[];
  /** Libraries that must stay one instance: imported from their own cache folder. */
  external?: string[];
  /** The package entry to bundle when it is not the package's own browser entry. */
  entry?: string;
}

/** Libraries Framework imports implicitly (Plot, d3, html, Inputs, FileAttachment, sql). */
export const IMPLICIT_LIBRARIES: NpmLibrary[] = [
  {name: "@observablehq/plot", external: ["d3", "isoformat"]},
  {name: "d3"},
  {name: "d3-dsv"},
  {name: "htl"},
  {name: "isoformat"},
  {name: "apache-arrow"},
  {name: "arquero"},
  {
    name: "@duckdb/duckdb-wasm",
    entry: "dist/duckdb-browser.mjs",
    external: ["apache-arrow"],
    files: [
      "dist/duckdb-mvp.wasm",
      "dist/duckdb-eh.wasm",
      "dist/duckdb-browser-mvp.worker.js",
      "dist/duckdb-browser-eh.worker.js"
    ]
  }
];

/**
 * Libraries Framework's client names without the pages using them: only their version is
 * looked up while bundling. When one is not installed it gets a stub that fails loudly.
 */
export const RECOMMENDED_LIBRARIES = [
  "@observablehq/sample-datasets",
  "@uwdata/vgplot",
  "@viz-js/viz",
  "echarts",
  "exceljs",
  "jszip",
  "katex",
  "leaflet",
  "lodash",
  "mapbox-gl",
  "mermaid",
  "parquet-wasm",
  "react",
  "react-dom",
  "sql.js",
  "topojson-client",
  "vega",
  "vega-lite",
  "vega-lite-api"
];

/** Bumped when the bundling below changes, so that cached bundles are rebuilt. */
const FORMAT = "portrait-npm-cache-2";
const STUB_VERSION = "0.0.0-not-installed";

export interface NpmCacheOptions {
  /** The Framework root (src/). */
  root: string;
  /** The folder holding node_modules. */
  projectDir: string;
  /** Extra libraries, e.g. found by scanning pages for `npm:` imports. */
  extra?: NpmLibrary[];
  log?: (line: string) => void;
}

export interface NpmCacheEntry {
  name: string;
  version: string;
  kind: "bundle" | "stub" | "cached";
}

/** Fills `<root>/.observablehq/cache/_npm` from node_modules; returns what it wrote. */
export async function fillNpmCache(options: NpmCacheOptions): Promise<NpmCacheEntry[]> {
  const {extra = [], log = () => {}} = options;
  const root = resolve(options.root);
  const projectDir = resolve(options.projectDir);
  const cacheDir = join(root, ".observablehq", "cache", "_npm");
  const libraries = mergeLibraries([...IMPLICIT_LIBRARIES, ...extra]);
  const versions = new Map<string, string>();
  for (const library of libraries) {
    const version = await installedVersion(projectDir, library.name);
    if (version === undefined) {
      throw new Error(
        `npm:${library.name} is used by the site but not installed: run \`npm install ${library.name}\` (builds are offline, every library comes from node_modules)`
      );
    }
    versions.set(library.name, version);
  }
  for (const name of RECOMMENDED_LIBRARIES) {
    if (!versions.has(name))
      versions.set(name, (await installedVersion(projectDir, name)) ?? STUB_VERSION);
  }

  const entries: NpmCacheEntry[] = [];
  for (const [name, version] of [...versions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const dir = join(cacheDir, `${name}@${version}`);
    await removeOtherVersions(cacheDir, name, version);
    const stamp = join(dir, ".portrait");
    const library = libraries.find((l) => l.name === name) ?? {name};
    const signature = `${FORMAT} ${JSON.stringify(library)}`;
    if (existsSync(stamp) && (await readFile(stamp, "utf8")) === signature) {
      entries.push({name, version, kind: "cached"});
      continue;
    }
    await rm(dir, {recursive: true, force: true});
    await mkdir(dir, {recursive: true});
    if (version === STUB_VERSION) {
      await writeStub(dir, name);
      entries.push({name, version, kind: "stub"});
    } else {
      await bundleLibrary(cacheDir, dir, projectDir, library, versions);
      entries.push({name, version, kind: "bundle"});
      log(`bundled npm:${name}@${version}`);
    }
    await writeFile(stamp, signature);
  }
  return entries;
}

/** Finds `npm:` imports in the pages and components under root. */
export async function scanNpmImports(root: string): Promise<NpmLibrary[]> {
  const found = new Map<string, NpmLibrary>();
  const pattern = /["'`]npm:((?:@[\w.-]+\/)?[\w.-]+)(?:@[^/"'`]*)?(?:\/([^"'`]*))?["'`]/g;
  const files = (await readdir(root, {recursive: true})).sort();
  for (const file of files) {
    if (file.startsWith(".observablehq") || !/\.(md|js|ts|jsx|tsx)$/.test(file)) continue;
    const text = await readFile(join(root, file), "utf8");
    for (const [, name, path] of text.matchAll(pattern)) {
      if (name.startsWith("@observablehq/") && name !== "@observablehq/plot") continue; // builtins
      const library = found.get(name) ?? {name};
      if (path && /\.\w+$/.test(path))
        library.files = [...new Set([...(library.files ?? []), path])];
      found.set(name, library);
    }
  }
  return [...found.values()];
}

function mergeLibraries(libraries: NpmLibrary[]): NpmLibrary[] {
  const merged = new Map<string, NpmLibrary>();
  for (const library of libraries) {
    const prior = merged.get(library.name);
    if (!prior) merged.set(library.name, {...library});
    else prior.files = [...new Set([...(prior.files ?? []), ...(library.files ?? [])])];
  }
  return [...merged.values()];
}

async function installedVersion(projectDir: string, name: string): Promise<string | undefined> {
  const path = join(projectDir, "node_modules", name, "package.json");
  if (!existsSync(path)) return undefined;
  return JSON.parse(await readFile(path, "utf8")).version;
}

async function removeOtherVersions(cacheDir: string, name: string, version: string): Promise<void> {
  const scopeDir = name.startsWith("@") ? join(cacheDir, name.split("/")[0]) : cacheDir;
  const base = name.startsWith("@") ? name.split("/")[1] : name;
  if (!existsSync(scopeDir)) return;
  for (const entry of await readdir(scopeDir)) {
    if (entry.startsWith(`${base}@`) && entry !== `${base}@${version}`) {
      await rm(join(scopeDir, entry), {recursive: true, force: true});
    }
  }
}

async function bundleLibrary(
  cacheDir: string,
  dir: string,
  projectDir: string,
  library: NpmLibrary,
  versions: Map<string, string>
): Promise<void> {
  const packageDir = join(projectDir, "node_modules", library.name);
  const outfile = join(dir, "_esm.js");
  const externals = library.external ?? [];
  const externalPlugin: Plugin = {
    name: "portrait-external",
    setup(build) {
      for (const name of externals) {
        const filter = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`);
        build.onResolve({filter}, () => {
          const target = join(cacheDir, `${name}@${versions.get(name)}`, "_esm.js");
          const fromDir = dirname(outfile);
          return {path: relative(fromDir, target).split("\\").join("/"), external: true};
        });
      }
    }
  };
  await build({
    entryPoints: [library.entry ? join(packageDir, library.entry) : library.name],
    absWorkingDir: projectDir,
    outfile,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["es2022"],
    mainFields: ["browser", "module", "main"],
    conditions: ["browser", "import"],
    minify: true,
    legalComments: "eof",
    logLevel: "error",
    plugins: [externalPlugin]
  });
  await copyFile(join(packageDir, "package.json"), join(dir, "package.json"));
  for (const file of library.files ?? []) {
    await mkdir(dirname(join(dir, file)), {recursive: true});
    await copyFile(join(packageDir, file), join(dir, file));
  }
}

async function writeStub(dir: string, name: string): Promise<void> {
  const message = `npm:${name} is not installed, and builds are offline: run \`npm install ${name}\` and rebuild.`;
  await writeFile(join(dir, "_esm.js"), `throw new Error(${JSON.stringify(message)});\n`);
  await writeFile(join(dir, "package.json"), JSON.stringify({name, version: STUB_VERSION}) + "\n");
}
