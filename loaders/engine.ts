/**
 * The engine: runs once per build, reads the business's data and writes the profile store.
 * It never imports Framework; the site's loaders only read what it wrote.
 */
import {existsSync} from "node:fs";
import {mkdir, rename, rm} from "node:fs/promises";
import {dirname, join} from "node:path";
import {fingerprint} from "./fingerprint.ts";
import {ingest, type IngestedTable} from "./ingest.ts";
import {buildOverview} from "./overview.ts";
import {PROJECT_DIR} from "./paths.ts";
import {Store} from "./store.ts";

/** Bumped when the store's layout changes in a way old stores cannot serve. */
export const STORE_VERSION = 1;

export interface EngineOptions {
  dataDir: string;
  storePath: string;
  log?: (line: string) => void;
}

export interface EngineResult {
  fingerprint: string;
  /** False when the store already matched its inputs and was reused. */
  rebuilt: boolean;
  tables: IngestedTable[];
  elapsedMs: number;
}

/** The fingerprint of a build's inputs: data (never the demo's truth/), engine code, config. */
export function inputFingerprint(dataDir: string): Promise<string> {
  return fingerprint({
    dirs: [dataDir, join(PROJECT_DIR, "loaders")],
    files: [join(PROJECT_DIR, "package-lock.json"), join(PROJECT_DIR, "portrait.config.ts")],
    exclude: (path) => path === "truth" || path.startsWith(`truth/`),
    salt: `store ${STORE_VERSION}`
  });
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

/** Builds the store from the data folder, unless the store already matches its inputs. */
export async function runEngine({
  dataDir,
  storePath,
  log = () => {}
}: EngineOptions): Promise<EngineResult> {
  const start = performance.now();
  const digest = await inputFingerprint(dataDir);
  if ((await storedFingerprint(storePath)) === digest) {
    log(`store is up to date (${digest.slice(0, 12)})`);
    return {fingerprint: digest, rebuilt: false, tables: [], elapsedMs: performance.now() - start};
  }
  await mkdir(dirname(storePath), {recursive: true});
  // Build beside the store and swap it in whole, so no reader ever sees half a store.
  const buildingPath = `${storePath}.building`;
  await rm(buildingPath, {force: true});
  await rm(`${buildingPath}.wal`, {force: true});
  const store = await Store.open(buildingPath);
  let tables: IngestedTable[];
  try {
    tables = await ingest(store, dataDir);
    for (const t of tables) log(`ingested ${t.table}: ${t.rows.toLocaleString("en-US")} rows`);
    await buildOverview(store);
    await store.run(
      "CREATE OR REPLACE TABLE build_meta (fingerprint VARCHAR, store_version INTEGER)"
    );
    await store.run("INSERT INTO build_meta VALUES ($fingerprint, $version)", {
      fingerprint: digest,
      version: STORE_VERSION
    });
    await store.run("CHECKPOINT");
  } finally {
    store.close();
  }
  await rm(`${storePath}.wal`, {force: true});
  await rename(buildingPath, storePath);
  return {fingerprint: digest, rebuilt: true, tables, elapsedMs: performance.now() - start};
}
