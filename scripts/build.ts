/**
 * `npm run build` and `npm run dev`: the demo data when missing, the engine once, then
 * Observable Framework, all without network.
 *
 *   tsx scripts/build.ts            build the site into reports/ (or PORTRAIT_OUTPUT)
 *   tsx scripts/build.ts --preview  serve it with live reload (Framework's preview server)
 */
import {spawn} from "node:child_process";
import {existsSync} from "node:fs";
import {cp, mkdir, readFile, readdir, rm, writeFile} from "node:fs/promises";
import {dirname, join, relative} from "node:path";
import {loadConfig} from "../loaders/config.ts";
import {writeCardShards} from "../loaders/cards.ts";
import {writeExports} from "../loaders/exports.ts";
import {runEngine, storedFingerprint} from "../loaders/engine.ts";
import {readOverview} from "../loaders/overview.ts";
import {checkPrivacyReusing, privacyFailure, privacySummary} from "../loaders/privacy.ts";
import {removeCustomerLevel} from "../loaders/site.ts";
import {withStore} from "../loaders/store.ts";
import {configPath, dataDir, outputDir, PROJECT_DIR, storePath} from "../loaders/paths.ts";
import {fillNpmCache, scanNpmImports} from "./npm-cache.ts";

const SRC = join(PROJECT_DIR, "src");
const CACHE = join(SRC, ".observablehq", "cache");

/** Everything Framework needs before it runs: data, store, fresh loader cache, npm cache. */
export async function prepare(log: (line: string) => void = console.log): Promise<void> {
  const data = dataDir();
  // The demo config reads data/demo/ (or PORTRAIT_DATA): generate the demo data when missing.
  if (!process.env.PORTRAIT_CONFIG && !existsSync(join(data, "customers.csv"))) {
    log(`no demo data in ${data}: generating it (npm run demo-data)`);
    await run(process.execPath, [
      "--import",
      "tsx",
      join(PROJECT_DIR, "scripts", "demo-data.ts"),
      "--out",
      data
    ]);
  }
  const engine = await runEngine({configPath: configPath(), storePath: storePath(), log});
  log(`engine ${engine.rebuilt ? "built" : "reused"} the store in ${seconds(engine.elapsedMs)}`);
  await invalidateLoaderCache(CACHE, engine.fingerprint, log);
  const npm = await fillNpmCache({
    root: SRC,
    projectDir: PROJECT_DIR,
    extra: await scanNpmImports(SRC),
    log
  });
  log(`npm cache: ${npm.filter((e) => e.kind !== "stub").length} libraries from node_modules`);
}

/**
 * Framework re-runs a page loader only when the loader file itself changes; it cannot see the
 * store, the data or the engine code behind it. So when the store's fingerprint changes, every
 * cached loader output goes (Framework's own `_npm`, `_observablehq` … folders stay).
 */
export async function invalidateLoaderCache(
  cache: string,
  digest: string,
  log: (line: string) => void = () => {}
): Promise<boolean> {
  const stamp = join(cache, ".portrait-fingerprint");
  const previous = existsSync(stamp) ? await readFile(stamp, "utf8") : undefined;
  if (previous === digest) return false;
  await mkdir(cache, {recursive: true});
  for (const entry of await readdir(cache)) {
    if (!entry.startsWith("_") && !entry.startsWith(".portrait"))
      await rm(join(cache, entry), {recursive: true, force: true});
  }
  await writeFile(stamp, digest);
  if (previous !== undefined) log("inputs changed: cleared cached page-loader output");
  return true;
}

/**
 * Framework writes each attached file's modification time into the pages. Loader output is
 * written during the build and source files get their time from the checkout, so two builds
 * of the same inputs would differ: pin every such time to the end of the data's as-of day.
 */
export async function pinLastModified(dir: string, asOf: string | null): Promise<number> {
  const time = asOf ? Date.parse(`${asOf}T23:59:59Z`) : 0;
  let pages = 0;
  for (const entry of (await readdir(dir, {recursive: true})).sort()) {
    if (!entry.endsWith(".html")) continue;
    const path = join(dir, entry);
    const html = await readFile(path, "utf8");
    const pinned = html.replace(/"lastModified":\d+(?:\.\d+)?/g, `"lastModified":${time}`);
    if (pinned !== html) {
      await writeFile(path, pinned);
      pages++;
    }
  }
  return pages;
}

/**
 * Files written from the store after Framework (the customer cards), kept beside the store and
 * copied into the site while the store and options are the same: a rebuild with unchanged
 * inputs then copies a million customers' cards instead of recomputing them. `write` writes
 * into the folder it is given as if it were the site; the result is what it returned.
 */
export async function reuseOrWrite<T>(
  cache: string,
  key: string,
  site: string,
  write: (dir: string) => Promise<T>
): Promise<{result: T; reused: boolean}> {
  const stamp = join(cache, ".portrait-key.json");
  let result: T;
  let reused = false;
  const saved = existsSync(stamp) ? JSON.parse(await readFile(stamp, "utf8")) : undefined;
  if (saved?.key === key) {
    result = saved.result as T;
    reused = true;
  } else {
    await rm(cache, {recursive: true, force: true});
    await mkdir(cache, {recursive: true});
    result = await write(cache);
    await writeFile(stamp, JSON.stringify({key, result}));
  }
  await cp(cache, site, {recursive: true, filter: (path) => path !== stamp});
  return {result, reused};
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {cwd: PROJECT_DIR, stdio: "inherit", env});
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${[command, ...args].join(" ")} failed (${signal ?? `exit ${code}`})`))
    );
  });
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function main(): Promise<void> {
  const preview = process.argv.includes("--preview");
  const start = performance.now();
  await prepare();
  const observable = join(
    PROJECT_DIR,
    "node_modules",
    "@observablehq",
    "framework",
    "dist",
    "bin",
    "observable.js"
  );
  const env = {...process.env, OBSERVABLE_TELEMETRY_DISABLE: "true"};
  if (preview) {
    await run(process.execPath, [observable, "preview", "--no-open"], env);
  } else {
    // Framework clears only an output folder inside the project: clear it here, wherever it is.
    await rm(outputDir(), {recursive: true, force: true});
    await run(process.execPath, [observable, "build"], env);
    const {asOf} = await withStore(storePath(), readOverview);
    await pinLastModified(outputDir(), asOf);
    const config = await loadConfig(configPath());
    // What the files written after Framework are reused by: the store they came from.
    const storeFingerprint = await storedFingerprint(storePath());
    if (!config.privacy.customerLevel) {
      const removed = await removeCustomerLevel(outputDir());
      console.log(`privacy.customerLevel is false: left out ${removed.join(", ") || "nothing"}`);
    }
    if (config.privacy.customerLevel) {
      const started = performance.now();
      const options = {identifiers: config.privacy.identifiers, churn: config.churn};
      const key = JSON.stringify({store: storeFingerprint, options});
      const cards = await reuseOrWrite(
        join(dirname(storePath()), "cards"),
        key,
        outputDir(),
        (dir) => withStore(storePath(), (store) => writeCardShards(store, dir, options))
      );
      console.log(
        `customer cards: ${cards.result} shards ${cards.reused ? "reused" : "written"} in ${seconds(performance.now() - started)}`
      );
    }
    const exports = await withStore(storePath(), (store) =>
      writeExports(store, outputDir(), {
        segments: Object.keys(config.segments),
        customerLevel: config.privacy.customerLevel,
        log: (line) => console.log(line)
      })
    );
    if (exports.length > 0)
      console.log(
        `exports: ${exports.map((path) => relative(outputDir(), path)).join(", ")}, with their JSON Schemas in exports/schemas/`
      );
    // Last, over everything published: a leak fails the build instead of reaching a reader.
    const privacy = await withStore(storePath(), (store) =>
      checkPrivacyReusing(store, outputDir(), config, {
        cache: join(dirname(storePath()), "privacy-check.json"),
        storeFingerprint
      })
    );
    console.log(privacySummary(privacy));
    if (privacy.violations.length > 0) throw new Error(privacyFailure(privacy, outputDir()));
    console.log(`built the site in ${seconds(performance.now() - start)}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(`\nbuild failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
}
