/**
 * The engine: runs once per build, reads the business's data as the config says and writes the
 * profile store. It never imports Framework; the site's loaders only read what it wrote.
 */
import {existsSync, statSync} from "node:fs";
import {mkdir, rename, rm} from "node:fs/promises";
import {dirname, isAbsolute, join, resolve} from "node:path";
import {copyPreviousCustomers, readPreviousSummary, writePreviousSummary} from "./changes.ts";
import {stateOf, writeState, type IdentityState} from "./identities.ts";
import {loadConfig, type PortraitConfig} from "./config.ts";
import {fingerprint} from "./fingerprint.ts";
import {PROJECT_DIR} from "./paths.ts";
import {runPipeline, type PipelineResult} from "./pipeline.ts";
import {runProfiling, type ProfilingResult} from "./profiling.ts";
import {Stages, type StageTiming} from "./stages.ts";
import {ident, Store} from "./store.ts";

/** Inputs up to this size build in memory; larger ones on disk. */
export const IN_MEMORY_BYTES = 1 << 30;

/** Bumped when the store's layout changes in a way old stores cannot serve. */
export const STORE_VERSION = 3;

export interface EngineOptions {
  configPath: string;
  storePath: string;
  /** Inputs up to this many bytes build in memory (default IN_MEMORY_BYTES). */
  inMemoryBytes?: number;
  log?: (line: string) => void;
}

export interface EngineResult {
  fingerprint: string;
  /** False when the store already matched its inputs and was reused. */
  rebuilt: boolean;
  /** The pipeline's summary; undefined when the store was reused. */
  pipeline?: PipelineResult;
  /** The profiles' summary; undefined when the store was reused. */
  profiling?: ProfilingResult;
  /** Wall time and memory per stage; empty when the store was reused. */
  stages: StageTiming[];
  elapsedMs: number;
}

/** A build that must not go on: the data breaks a limit the config sets. */
export class DataError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "DataError";
  }
}

/** Every file the config reads (sources and references), globs expanded, sorted. */
export async function inputFiles(config: PortraitConfig): Promise<string[]> {
  const patterns = [
    ...Object.values(config.sources).flatMap((s) => ("file" in s ? [s.file] : [])),
    ...Object.values(config.references).map((r) => r.file)
  ].map((p) => (isAbsolute(p) ? p : resolve(config.dir, p)));
  const store = await Store.open(":memory:");
  try {
    const files = new Set<string>();
    for (const pattern of patterns) {
      for (const {file} of await store.all<{file: string}>("SELECT file FROM glob($pattern)", {
        pattern
      }))
        files.add(file);
    }
    return [...files].sort();
  } finally {
    store.close();
  }
}

/** The fingerprint of a build's inputs: the data the config reads, the config, engine code. */
export async function inputFingerprint(config: PortraitConfig): Promise<string> {
  return fingerprint({
    dirs: [join(PROJECT_DIR, "loaders")],
    files: [join(PROJECT_DIR, "package-lock.json"), config.path, ...(await inputFiles(config))],
    exclude: (path) => path.startsWith("demo/"),
    salt: `store ${STORE_VERSION}`
  });
}

/** Tables only the stages need: pre-identity accepted rows (and any raw or staging left). */
async function dropIntermediates(store: Store): Promise<void> {
  const tables = await store.all<{name: string}>(
    `SELECT table_name AS name FROM duckdb_tables() WHERE NOT temporary
       AND (starts_with(table_name, 'src_') OR starts_with(table_name, 'stage_') OR starts_with(table_name, 'accepted_'))
     ORDER BY name`
  );
  for (const {name} of tables) await store.run(`DROP TABLE ${ident(name)}`);
}

/** The fingerprint recorded in an existing store, or undefined. */
export async function storedFingerprint(storePath: string): Promise<string | undefined> {
  if (!existsSync(storePath)) return undefined;
  let store: Store | undefined;
  try {
    store = await Store.open(storePath, {readOnly: true});
    if (!(await store.has("build_meta"))) return undefined;
    const row = await store.one<{fingerprint: string}>("SELECT fingerprint FROM build_meta");
    return row?.fingerprint;
  } catch {
    return undefined; // an unreadable store is rebuilt
  } finally {
    store?.close();
  }
}

/** Builds the store from the config's sources, unless the store already matches its inputs. */
export async function runEngine({
  configPath,
  storePath,
  inMemoryBytes = IN_MEMORY_BYTES,
  log = () => {}
}: EngineOptions): Promise<EngineResult> {
  const start = performance.now();
  const config = await loadConfig(configPath);
  const digest = await inputFingerprint(config);
  // A database can change without any file changing: PostgreSQL sources always rebuild.
  const live = Object.values(config.sources).some((s) => "postgres" in s);
  if (!live && (await storedFingerprint(storePath)) === digest) {
    log(`store is up to date (${digest.slice(0, 12)})`);
    return {fingerprint: digest, rebuilt: false, stages: [], elapsedMs: performance.now() - start};
  }
  await mkdir(dirname(storePath), {recursive: true});
  // Build beside the store and swap it in whole, so no reader ever sees half a store.
  const buildingPath = `${storePath}.building`;
  await rm(buildingPath, {force: true});
  await rm(`${buildingPath}.wal`, {force: true});
  // Small inputs run in memory (intermediate tables never touch the disk) and only what the
  // pages read is written out; large ones build on disk, where DuckDB can spill.
  const bytes = (await inputFiles(config)).reduce((sum, file) => sum + statSync(file).size, 0);
  const inMemory = bytes <= inMemoryBytes;
  // What the overview compares with: the build this one replaces.
  const previous = await readPreviousSummary(storePath);
  const store = await Store.open(inMemory ? ":memory:" : buildingPath);
  let pipeline: PipelineResult;
  let profiling: ProfilingResult;
  let state: IdentityState | undefined;
  const stages = new Stages(log);
  try {
    pipeline = await runPipeline(store, config, log, stages);
    if (pipeline.validation.problems.length > 0) throw new DataError(pipeline.validation.problems);
    profiling = await runProfiling(store, config, pipeline.validation.asOf, log, stages);
    if (previous) {
      await writePreviousSummary(store, previous);
      // Who moved, for exports/changes.csv: the old store is still in place, and no one writes to it.
      const copied = await copyPreviousCustomers(store, storePath);
      log(
        "customers" in copied
          ? `previous build: ${copied.customers.toLocaleString("en-US")} customers' profiles and risk kept for changes.csv`
          : `previous build: ${copied.missing}, so changes.csv will list no customers`
      );
    } else log("no previous build: changes.csv will have its header only");
    // The ids and names to keep for the next build; written once this build has succeeded.
    state = profiling.identities
      ? await stateOf(store, {asOf: profiling.asOf, nextId: profiling.identities.nextId})
      : undefined;
    // What the site's shape depends on travels with the store, so observablehq.config.ts reads
    // the store alone and never has to load the user's config.
    await store.run(
      `CREATE OR REPLACE TABLE build_meta (fingerprint VARCHAR, store_version INTEGER,
         customer_level BOOLEAN)`
    );
    await store.run("INSERT INTO build_meta VALUES ($fingerprint, $version, $customer_level)", {
      fingerprint: digest,
      version: STORE_VERSION,
      customer_level: config.privacy.customerLevel
    });
    await stages.time("save", async () => {
      await dropIntermediates(store);
      if (inMemory) await store.saveTo(buildingPath);
      else await store.run("CHECKPOINT");
    });
  } catch (error) {
    store.close();
    await rm(buildingPath, {force: true});
    await rm(`${buildingPath}.wal`, {force: true});
    throw error;
  }
  store.close();
  await rm(`${storePath}.wal`, {force: true});
  await rename(buildingPath, storePath);
  if (state) await writeState(config.profiles.state, state);
  return {
    fingerprint: digest,
    rebuilt: true,
    pipeline,
    profiling,
    stages: stages.timings,
    elapsedMs: performance.now() - start
  };
}
