/**
 * `npm run build` and `npm run dev`: the demo data when missing, the engine once, then
 * Observable Framework, all without network.
 *
 *   tsx scripts/build.ts            build the site into reports/ (or PORTRAIT_OUTPUT)
 *   tsx scripts/build.ts --preview  serve it with live reload (Framework's preview server)
 */
import {spawn} from "node:child_process";
import {existsSync} from "node:fs";
import {mkdir, readFile, readdir, rm, writeFile} from "node:fs/promises";
import {dirname, join} from "node:path";
import {loadConfig, type PortraitConfig} from "../loaders/config/project.ts";
import {codeFingerprint} from "../loaders/core/fingerprint.ts";
import {configPath, dataDir, outputDir, PROJECT_DIR, storePath} from "../loaders/core/paths.ts";
import {withStore} from "../loaders/core/store.ts";
import {runEngine, storedFingerprint} from "../loaders/engine.ts";
import {checkPrivacyReusing} from "../loaders/privacy/check.ts";
import {privacyFailure, privacySummary} from "../loaders/privacy/findings.ts";
import {finishSite} from "../loaders/publish/finish.ts";
import {PREVIEW_ENV} from "../loaders/site/hints.ts";
import {fillNpmCache, scanNpmImports} from "./npm-cache.ts";

const SRC = join(PROJECT_DIR, "src");
const CACHE = join(SRC, ".observablehq", "cache");

/**
 * Everything Framework needs before it runs: data, store, fresh loader cache, npm cache. The
 * preview's loader output differs (developer hints, loaders/site/hints.ts), so switching between
 * preview and build clears the cache too.
 */
export async function prepare(
  log: (line: string) => void = console.log,
  {preview = false}: {preview?: boolean} = {}
): Promise<PortraitConfig> {
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
  const config = await loadConfig(configPath());
  const engine = await runEngine({configPath: configPath(), config, storePath: storePath(), log});
  log(`engine ${engine.rebuilt ? "built" : "reused"} the store in ${seconds(engine.elapsedMs)}`);
  // Page loaders read the store through the page builders: new output when either changes.
  const mode = preview ? " preview" : "";
  await invalidateLoaderCache(
    CACHE,
    `${engine.fingerprint} ${await siteCodeFingerprint()}${mode}`,
    log
  );
  const npm = await fillNpmCache({
    root: SRC,
    projectDir: PROJECT_DIR,
    extra: await scanNpmImports(SRC),
    log
  });
  log(`npm cache: ${npm.filter((e) => e.kind !== "stub").length} libraries from node_modules`);
  return config;
}

/** The page builders' code, which the store's fingerprint leaves out (loaders/site/). */
function siteCodeFingerprint(): Promise<string> {
  return codeFingerprint(["site"]);
}

/**
 * Framework re-runs a page loader only when the loader file itself changes; it cannot see the
 * store, the data or the code behind it. So when the digest of the store and the page builders
 * changes, every cached loader output goes (Framework's own `_npm`, `_observablehq` … stay).
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
  const config = await prepare(console.log, {preview});
  const observable = join(
    PROJECT_DIR,
    "node_modules",
    "@observablehq",
    "framework",
    "dist",
    "bin",
    "observable.js"
  );
  // The data loaders Framework runs write developer hints only for the preview.
  const env = {
    ...process.env,
    OBSERVABLE_TELEMETRY_DISABLE: "true",
    [PREVIEW_ENV]: preview ? "1" : "0"
  };
  if (preview) {
    await run(process.execPath, [observable, "preview", "--no-open"], env);
  } else {
    // Framework clears only an output folder inside the project: clear it here, wherever it is.
    await rm(outputDir(), {recursive: true, force: true});
    await run(process.execPath, [observable, "build"], env);
    // What the files written after Framework are reused by: the store and the code behind them.
    const storeFingerprint = await storedFingerprint(storePath());
    await finishSite({
      site: outputDir(),
      store: storePath(),
      config,
      cardsKey: storeFingerprint && `${storeFingerprint} ${await siteCodeFingerprint()}`,
      log: (line) => console.log(line)
    });
    // Last, over everything published: a leak fails the build instead of reaching a reader.
    const privacy = await withStore(storePath(), async (store) =>
      checkPrivacyReusing(store, outputDir(), config, {
        cache: join(dirname(storePath()), "privacy-check.json"),
        storeFingerprint,
        code: await codeFingerprint(["privacy", "site/published.ts", "site/quasi-identifiers.ts"])
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
