/**
 * `npm run build` and `npm run dev`: the demo data when missing, the engine once, then
 * Observable Framework, all without network.
 *
 *   tsx scripts/build.ts            build the site into reports/ (or PORTRAIT_OUTPUT)
 *   tsx scripts/build.ts --preview  serve it with live reload (Framework's preview server)
 *
 * The site is built into a staging folder beside the output and swapped in only once the privacy
 * check has passed (loaders/publish/staging.ts); lock files stop a second build from writing the
 * same store, output or Framework cache at the same time (loaders/core/lock.ts). Only once the
 * site is published does the build keep its store as the next build's previous build and write
 * the profiles' state file (loaders/publish/published-store.ts); the preview publishes nothing,
 * so it leaves both as the last published build left them.
 */
import {spawn} from "node:child_process";
import {existsSync} from "node:fs";
import {mkdir, readFile, readdir, rm, writeFile} from "node:fs/promises";
import {dirname, join} from "node:path";
import {loadConfig, type PortraitConfig} from "../loaders/config/project.ts";
import {codeFingerprint} from "../loaders/core/fingerprint.ts";
import {acquireLock, type Lock} from "../loaders/core/lock.ts";
import {configPath, dataDir, outputDir, PROJECT_DIR, storePath} from "../loaders/core/paths.ts";
import {redact} from "../loaders/core/redact.ts";
import {withStore} from "../loaders/core/store.ts";
import {runEngine} from "../loaders/engine.ts";
import {checkPrivacyReusing} from "../loaders/privacy/check.ts";
import {privacyFailure, privacySummary} from "../loaders/privacy/findings.ts";
import {finishSite} from "../loaders/publish/finish.ts";
import {keepPublishedStore} from "../loaders/publish/published-store.ts";
import {publishSite, recoverOutput, stagingDir} from "../loaders/publish/staging.ts";
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
): Promise<{config: PortraitConfig; fingerprint: string}> {
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
  // The state file is written once the site is published (main), never by the preview.
  const engine = await runEngine({
    configPath: configPath(),
    config,
    storePath: storePath(),
    writeState: false,
    log
  });
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
  return {config, fingerprint: engine.fingerprint};
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

/** A command that failed, with the end of what it wrote to stderr (which was also shown). */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly stderr: string
  ) {
    super(message);
    this.name = "CommandError";
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: PROJECT_DIR,
      stdio: ["inherit", "inherit", "pipe"],
      env
    });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      process.stderr.write(chunk);
      stderr = (stderr + chunk.toString()).slice(-8192);
    });
    child.on("error", reject);
    child.on("close", (code, signal) =>
      code === 0
        ? resolve()
        : reject(
            new CommandError(
              `${[command, ...args].join(" ")} failed (${signal ?? `exit ${code}`})`,
              stderr
            )
          )
    );
  });
}

/** Whether a build failed because a disk was full: an ENOSPC error, or a command that said so. */
export function diskFull(error: unknown): boolean {
  const said = [
    (error as NodeJS.ErrnoException)?.code,
    (error as Error)?.message,
    error instanceof CommandError ? error.stderr : undefined
  ];
  return said.some(
    (text) => typeof text === "string" && /ENOSPC|no space left on device/i.test(text)
  );
}

/**
 * What a build that ran out of disk while writing the new site says: the published site is as it
 * was, and the new one needs room of its own until it replaces it.
 */
export function noRoomFailure(output: string): Error {
  return new Error(
    `a disk ran out of space while the new site was being written (no space left on device): the new site is written whole in ${stagingDir(output)}, beside the published one, before it replaces it, so that disk needs room for both (Framework's cache in src/.observablehq and the files kept beside the store need room too). Nothing was published: ${output} is as the last build left it. Free space on that disk, or publish to one with room (PORTRAIT_OUTPUT=/path/with/room npm run build).`
  );
}

/**
 * The lock files a build holds while it runs: Framework's cache of this project, the store and,
 * unless it only previews, the output. Returns them held; a held one throws LockedError.
 */
export function lockBuild({preview = false}: {preview?: boolean} = {}): Lock[] {
  const command = `${preview ? "npm run dev" : "npm run build"} in ${PROJECT_DIR}`;
  const paths = [join(CACHE, ".portrait-build.lock"), `${storePath()}.lock`];
  if (!preview) paths.push(`${outputDir()}.lock`);
  const locks: Lock[] = [];
  try {
    for (const path of paths) locks.push(acquireLock(path, command));
  } catch (error) {
    for (const lock of locks) lock.release();
    throw error;
  }
  for (const {path, tookOver} of locks)
    if (tookOver)
      say(
        `took over the lock ${path}: the build holding it (pid ${tookOver.pid}, started ${tookOver.started}) is no longer running`
      );
  return locks;
}

/**
 * The privacy check over a site about to be published (a staging folder), against the store it
 * was built from: prints its summary, and throws, saying the output was left as it was, when it
 * found anything.
 */
export async function checkSite(
  site: string,
  {
    store,
    config,
    fingerprint,
    output
  }: {store: string; config: PortraitConfig; fingerprint: string | undefined; output: string},
  log: (line: string) => void = say
): Promise<void> {
  const privacy = await withStore(store, async (s) =>
    checkPrivacyReusing(s, site, config, {
      cache: join(dirname(store), "privacy-check.json"),
      storeFingerprint: fingerprint,
      code: await codeFingerprint(["privacy", "site/published.ts", "site/quasi-identifiers.ts"])
    })
  );
  log(privacySummary(privacy));
  if (privacy.violations.length > 0)
    throw new Error(
      `${privacyFailure(privacy, "the new site")}\nNothing was published: ${output} is as the last build left it.`
    );
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * A line of the build log, e-mail addresses and phone numbers masked: a message may quote a
 * value of the data (a customer id that is an e-mail address), and logs are kept and shared.
 */
function say(line: string): void {
  console.log(redact(line));
}

async function main(): Promise<void> {
  const preview = process.argv.includes("--preview");
  const start = performance.now();
  // Ctrl-C or a kill ends the build through process.exit, which releases its locks.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(1));
  const locks = lockBuild({preview});
  if (!preview) for (const line of await recoverOutput(outputDir())) say(line);
  const {config, fingerprint: storeFingerprint} = await prepare(say, {preview});
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
    // The preview serves from the cache: once it is filled, another build may run.
    for (const lock of locks) lock.release();
    await run(process.execPath, [observable, "preview", "--no-open"], env);
    return;
  }
  // Everything is written and checked in a staging folder; the output changes only at the end.
  try {
    await publishSite(outputDir(), async (site) => {
      await run(process.execPath, [observable, "build"], {...env, PORTRAIT_OUTPUT: site});
      // What the files written after Framework are reused by: the store and the code behind them.
      await finishSite({
        site,
        store: storePath(),
        config,
        cardsKey: `${storeFingerprint} ${await siteCodeFingerprint()}`,
        log: say
      });
      // Last, over everything to publish: a leak fails the build instead of reaching a reader.
      await checkSite(
        site,
        {
          store: storePath(),
          config,
          fingerprint: storeFingerprint,
          output: outputDir()
        },
        say
      );
    });
  } catch (error) {
    for (const lock of locks) lock.release();
    throw diskFull(error) ? noRoomFailure(outputDir()) : error;
  }
  // Published: this store is now the next build's previous build, and its ids are kept.
  try {
    if (await keepPublishedStore(storePath(), config.profiles.state, say))
      say(`kept the published build's store as the next build's previous build`);
  } catch (error) {
    throw new Error(
      `the site was published, but its store could not be kept as the next build's previous build, nor its profile ids written to ${config.profiles.state} (${error instanceof Error ? error.message : error}). Build again once that is fixed: the store is reused and both are kept then.`
    );
  } finally {
    for (const lock of locks) lock.release();
  }
  say(`built the site in ${seconds(performance.now() - start)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(redact(`\nbuild failed: ${error instanceof Error ? error.message : error}`));
    process.exit(1);
  });
}
