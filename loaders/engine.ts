/**
 * The engine: runs once per build, reads the business's data as the config says and writes the
 * profile store. It runs the steps of profiling in order, and is the one module that calls them
 * all: ingest (read the sources), clean (validate, standardise, resolve identities, the quality
 * report), enrich, then profile (features, clusters, stable ids, traits, segments, documents),
 * value and history (snapshots, the previous build). It never imports Framework; the site's
 * loaders only read what it wrote.
 */
import {existsSync, statSync} from "node:fs";
import {mkdir, rename, rm} from "node:fs/promises";
import {dirname, isAbsolute, join, resolve} from "node:path";
import {buildOverview} from "./clean/inventory.ts";
import {
  crowdedIds,
  followIdentities,
  resolveIdentities,
  type IdentitySummary
} from "./clean/identity.ts";
import {separateCancelled} from "./clean/order-status.ts";
import {buildQuality, storeQuality, type QualityReport} from "./clean/quality.ts";
import {standardise, type StandardiseSummary} from "./clean/standardise.ts";
import {validate, type Validation} from "./clean/validate.ts";
import {CANONICAL_TABLES} from "./config/canonical.ts";
import {readNotes} from "./config/notes.ts";
import {pageSettings} from "./config/settings.ts";
import {DEFAULT_SEGMENTS, loadConfig, type PortraitConfig} from "./config/project.ts";
import {checksumOf, removeChecksum, verifyChecksum, writeChecksum} from "./core/checksum.ts";
import {codeFingerprint, fingerprint} from "./core/fingerprint.ts";
import {today} from "./core/clock.ts";
import {PROJECT_DIR} from "./core/paths.ts";
import {clearDeadScratch, scratchDir} from "./core/scratch.ts";
import {ident, sql, val} from "./core/sql.ts";
import {formatShare} from "../src/contracts/share.ts";
import {Stages, type StageTiming} from "./core/stages.ts";
import {Store} from "./core/store.ts";
import {enrich, type EnrichSummary} from "./enrich/references.ts";
import {
  copyPreviousCustomers,
  previousStore,
  readPreviousSummary,
  sameFile,
  writePreviousSummary
} from "./history/previous.ts";
import {buildSnapshots, type SnapshotSummary} from "./history/snapshots.ts";
import {resolveRelated} from "./ingest/related.ts";
import {readReference, readSources} from "./ingest/sources.ts";
import {buildClusters, clusteredFeatures, type Clustering} from "./profile/cluster.ts";
import {buildProfiles, type Profile} from "./profile/documents.ts";
import {buildOutcomes, type OutcomeSummary} from "./profile/outcomes.ts";
import {
  buildFeatures,
  featureOptions,
  writeCatalog,
  type CatalogEntry
} from "./profile/features.ts";
import {buildSegments, type SegmentSummary} from "./profile/segments.ts";
import {MIN_CUSTOMERS, preflight, type Preflight} from "./profile/preflight.ts";
import {
  describeMatch,
  keepIdentities,
  readState,
  stateOf,
  writeState,
  type Identities,
  type IdentityState
} from "./profile/stable-ids.ts";
import {buildTraits} from "./profile/traits.ts";
import {buildCustomerValue, type ValueSummary} from "./value/customer-value.ts";
import {assessSubscription} from "./value/subscription.ts";

/** Inputs up to this size build in memory; larger ones on disk. */
export const IN_MEMORY_BYTES = 1 << 30;

/** Bumped when the store's layout changes in a way old stores cannot serve. */
export const STORE_VERSION = 4;

export interface EngineOptions {
  configPath: string;
  /** The config at configPath when the caller has loaded it already. */
  config?: PortraitConfig;
  storePath: string;
  /** Inputs up to this many bytes build in memory (default IN_MEMORY_BYTES). */
  inMemoryBytes?: number;
  /**
   * Whether the engine writes the profiles' state file (config.profiles.state) once the new store
   * is in place (default true: the engine on its own, as the tests run it). `npm run build`
   * passes false and writes it only once the site built from the store is published, from the
   * state the store keeps (build_meta.state; publish/published-store.ts), so a build that fails
   * leaves the state as the last published build left it; `npm run dev` and `npm run engine`,
   * which publish nothing, pass false too.
   */
  writeState?: boolean;
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
  /** The profiles' state this build keeps (also in build_meta.state); undefined when reused. */
  state?: IdentityState;
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
    ...Object.values(config.references).map((r) => r.file),
    ...Object.values(config.related).map((r) => r.file)
  ].map((p) => (isAbsolute(p) ? p : resolve(config.dir, p)));
  const store = await Store.open(":memory:");
  try {
    const files = new Set<string>();
    for (const pattern of patterns) {
      for (const {file} of await store.all<{file: string}>(
        sql`SELECT file FROM glob(${val(pattern)})`
      ))
        files.add(file);
    }
    return [...files].sort();
  } finally {
    store.close();
  }
}

/**
 * The engine's code under loaders/: what the store depends on. The page builders (site/),
 * publishing, the privacy check and the demo generator are not in it, so editing a page never
 * rebuilds a store.
 */
export const ENGINE_CODE = [
  "core",
  "config",
  "ingest",
  "clean",
  "enrich",
  "profile",
  "value",
  "history",
  "engine.ts"
] as const;

/**
 * The fingerprint of a build's inputs: the data the config reads, the config, the analysts'
 * notes (the profiles' names and notes are written into the store), engine code.
 */
export async function inputFingerprint(config: PortraitConfig): Promise<string> {
  // Without asOf, "future" is measured against today: a store of yesterday is not today's.
  const day = config.asOf === undefined ? `, today ${today()}` : "";
  return fingerprint({
    dirs: [],
    files: [
      join(PROJECT_DIR, "package-lock.json"),
      config.path,
      config.profiles.notes,
      ...(await inputFiles(config))
    ],
    salt: `store ${STORE_VERSION}, code ${await codeFingerprint(ENGINE_CODE)}${day}`
  });
}

/** Tables only the stages need: pre-identity accepted rows (and any raw or staging left). */
async function dropIntermediates(store: Store): Promise<void> {
  const tables = await store.all<{name: string}>(
    sql`SELECT table_name AS name FROM duckdb_tables() WHERE NOT temporary
       AND (starts_with(table_name, 'src_') OR starts_with(table_name, 'stage_') OR starts_with(table_name, 'accepted_'))
     ORDER BY name`
  );
  for (const {name} of tables) await store.run(sql`DROP TABLE ${ident(name)}`);
}

/** The fingerprint recorded in an existing store, or undefined. */
export async function storedFingerprint(storePath: string): Promise<string | undefined> {
  const condition = await inspectStore(storePath);
  return condition.state === "intact" ? condition.fingerprint : undefined;
}

/**
 * What stands where the store goes: nothing; a store whose file is as the engine wrote it (its
 * fingerprint, undefined when it cannot be reused: no build_meta, or no checksum to prove it
 * whole); or a damaged one, and why. A damaged store is neither reused nor read as the previous
 * build.
 */
export type StoreCondition =
  | {state: "none"}
  | {state: "intact"; fingerprint: string | undefined}
  | {state: "damaged"; reason: string};

/** Inspects the store at storePath: see StoreCondition. */
export async function inspectStore(storePath: string): Promise<StoreCondition> {
  if (!existsSync(storePath)) return {state: "none"};
  if (!statSync(storePath).isFile())
    return {state: "damaged", reason: "it is a directory, not a file: remove or rename it"};
  const checked = await verifyChecksum(storePath);
  if (checked !== undefined && checked !== "unrecorded") return {state: "damaged", reason: checked};
  let store: Store | undefined;
  try {
    store = await Store.open(storePath, {readOnly: true});
    if (!(await store.has("build_meta"))) return {state: "intact", fingerprint: undefined};
    const row = await store.one<{fingerprint: string}>(sql`SELECT fingerprint FROM build_meta`);
    return {state: "intact", fingerprint: checked === undefined ? row?.fingerprint : undefined};
  } catch (error) {
    const message = String((error as Error)?.message ?? error).split("\n")[0];
    return {state: "damaged", reason: `DuckDB cannot read it (${message})`};
  } finally {
    store?.close();
  }
}

/** Builds the store from the config's sources, unless the store already matches its inputs. */
export async function runEngine({
  configPath,
  config: given,
  storePath,
  inMemoryBytes = IN_MEMORY_BYTES,
  writeState: keepState = true,
  log = () => {}
}: EngineOptions): Promise<EngineResult> {
  const start = performance.now();
  // Raw rows a build that died left in the private folder go before anything else runs.
  const scratch = scratchDir(storePath);
  const leftovers = clearDeadScratch(scratch);
  if (leftovers.length > 0)
    log(
      `removed ${leftovers.length} temporary folder${leftovers.length === 1 ? "" : "s"} of raw data left in ${scratch} by a build that did not finish`
    );
  const config = given ?? (await loadConfig(configPath));
  const digest = await inputFingerprint(config);
  // A database can change without any file changing: PostgreSQL sources always rebuild.
  const live = Object.values(config.sources).some((s) => "postgres" in s);
  const condition = await inspectStore(storePath);
  if (condition.state === "damaged")
    log(
      `the profile store ${storePath} is damaged: ${condition.reason}. Rebuilding it from the data; what only it held is lost: the previous build's figures and profiles, so the Overview will not say what changed since then and exports/changes.csv will list no customers (the history's snapshots are recomputed from the data).`
    );
  if (!live && condition.state === "intact" && condition.fingerprint === digest) {
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
  // What the overview compares with: the last published build (the store `npm run build` kept
  // when it published), else the store this one replaces; never a damaged one.
  const previousPath = previousStore(storePath);
  // Once published, the store and <store>.published are one file: checked once.
  const before = sameFile(previousPath, storePath) ? condition : await inspectStore(previousPath);
  if (previousPath !== storePath && before.state === "damaged")
    log(
      `the store of the last published build ${previousPath} is damaged: ${before.reason}. This build has no previous build to compare with, so the Overview will not say what changed and exports/changes.csv will list no customers.`
    );
  const previous = before.state === "intact" ? await readPreviousSummary(previousPath) : undefined;
  const store = await Store.open(inMemory ? ":memory:" : buildingPath, {scratch});
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
      const copied = await copyPreviousCustomers(store, previousPath);
      log(
        "customers" in copied
          ? `previous build: ${copied.customers.toLocaleString("en-US")} customers' profiles and risk kept for changes.csv`
          : `previous build: ${copied.missing}, so changes.csv will list no customers`
      );
    } else if (before.state !== "damaged")
      log("no previous build: changes.csv will have its header only");
    // The ids and names to keep for the next build; written once this build has succeeded (by
    // `npm run build`, once it has published), and kept in build_meta.state until then.
    state = profiling.identities
      ? await stateOf(store, {asOf: profiling.asOf, nextId: profiling.identities.nextId})
      : undefined;
    // What the site's shape and pages depend on travels with the store, so
    // observablehq.config.ts and the page loaders read the store alone and never load the config.
    await store.run(
      sql`CREATE OR REPLACE TABLE build_meta (fingerprint VARCHAR, store_version INTEGER,
            customer_level BOOLEAN, settings VARCHAR, state VARCHAR)`
    );
    await store.run(
      sql`INSERT INTO build_meta VALUES (${val(digest)}, ${STORE_VERSION},
            ${config.privacy.customerLevel}, ${val(JSON.stringify(pageSettings(config)))},
            ${val(state ? JSON.stringify(state) : null)})`
    );
    await stages.time("save", async () => {
      await dropIntermediates(store);
      if (inMemory) await store.saveTo(buildingPath);
      else await store.run(sql`CHECKPOINT`);
    });
  } catch (error) {
    store.close();
    await rm(buildingPath, {force: true});
    await rm(`${buildingPath}.wal`, {force: true});
    throw error;
  }
  store.close();
  const checksum = await checksumOf(buildingPath);
  await removeChecksum(storePath);
  await rm(`${storePath}.wal`, {force: true});
  await rename(buildingPath, storePath);
  await writeChecksum(storePath, checksum);
  if (state && keepState) await writeState(config.profiles.state, state);
  return {
    fingerprint: digest,
    rebuilt: true,
    pipeline,
    profiling,
    stages: stages.timings,
    state,
    elapsedMs: performance.now() - start
  };
}

/**
 * The ingest and cleaning steps in order, on an open store: read the sources, validate,
 * standardise, resolve identities, enrich, then the inventory and the data-quality report. The
 * engine runs them into the profile store; `npm run check` runs them into memory.
 */
export interface PipelineResult {
  validation: Validation;
  standardise: StandardiseSummary;
  identity: IdentitySummary;
  enrichment: EnrichSummary[];
  quality: QualityReport;
  /** What the data allows but a person should look at; the build log and `npm run check` list them. */
  warnings: string[];
  stages: StageTiming[];
}

/** How the build log explains the as-of date (README, Validation and the quarantine). */
const AS_OF_RULES = {
  config: "asOf in the config",
  data: "the day of the last dated row (dates after today are future typos)",
  today: "none: no source has a dated row, and asOf is not set"
} as const;

/** Runs every stage; stops after validation when the data breaks the config's limits. */
export async function runPipeline(
  store: Store,
  config: PortraitConfig,
  log: (line: string) => void = () => {},
  stages: Stages = new Stages()
): Promise<PipelineResult> {
  const raws = await stages.time("read", () => readSources(store, config));
  for (const raw of raws)
    log(
      `read ${raw.name}: ${raw.rows.toLocaleString("en-US")} rows from ${raw.locations.join(", ")}`
    );
  // What reading the files found for a person to look at (related files' included).
  const read = raws.flatMap((raw) => raw.warnings ?? []);
  const related = await stages.time("related", () => resolveRelated(store, config, raws, read));
  for (const r of related)
    log(
      `related ${r.name}: ${r.read.toLocaleString("en-US")} rows, ${r.matched.toLocaleString("en-US")} matched, ${r.unmatched.toLocaleString("en-US")} unmatched`
    );
  const validation = await stages.time("validate", () => validate(store, config, raws));
  log(`as of ${validation.asOf}: ${AS_OF_RULES[validation.asOfRule]}`);
  for (const v of validation.sources) {
    log(
      `validated ${v.source} → ${v.table}: ${v.accepted.toLocaleString("en-US")} accepted, ${v.quarantined.toLocaleString("en-US")} quarantined`
    );
  }
  await stages.time("references", async () => {
    for (const [name, reference] of Object.entries(config.references)) {
      const {rows} = await readReference(store, config, name, reference);
      log(`reference ${name}: ${rows.toLocaleString("en-US")} rows`);
    }
  });
  const standardised = await stages.time("standardise", () =>
    standardise(store, {
      asOf: validation.asOf,
      ranges: config.ranges,
      categories: Object.keys(config.attributes).filter(
        (a) => config.attributes[a].type === "category"
      )
    })
  );
  const identity = await stages.time("identity", async () => {
    const summary = await resolveIdentities(store, {
      rules: config.identity.rules,
      survivorship: config.identity.survivorship,
      id: config.identity.id
    });
    for (const table of CANONICAL_TABLES) {
      if (table.name !== "customers")
        await followIdentities(store, `accepted_${table.name}`, table.name);
    }
    return summary;
  });
  // Cancelled orders leave `orders` here, once, so that nothing after counts them as purchases.
  await stages.time("statuses", () => separateCancelled(store, config));
  log(
    `identities: ${identity.ids.toLocaleString("en-US")} customer ids → ${identity.persons.toLocaleString("en-US")} persons`
  );
  const enrichment: EnrichSummary[] = await stages.time("enrich", async () => {
    const summaries: EnrichSummary[] = [];
    for (const e of config.enrich) {
      summaries.push(
        await enrich(store, {
          table: `ref_${e.reference}`,
          on: e.on,
          fields: e.fields,
          combine: e.combine
        })
      );
    }
    return summaries;
  });
  const warnings = [
    ...read,
    ...validation.warnings,
    ...(await crowdedIds(
      store,
      CANONICAL_TABLES.filter((t) => t.name !== "customers").map((t) => t.name)
    )),
    ...enrichmentWarnings(config, enrichment)
  ];
  for (const warning of warnings) log(`warning: ${warning}`);
  for (const [i, e] of enrichment.entries())
    log(
      `enrich ${config.enrich[i].reference}: ${e.matched.toLocaleString("en-US")} of ${e.rows.toLocaleString("en-US")} customers matched`
    );
  const quality = await stages.time("quality", async () => {
    await buildOverview(store, validation.asOf, {minGroupSize: config.privacy.minGroupSize});
    const report = await buildQuality(store, config, validation);
    await storeQuality(store, report);
    return report;
  });
  return {
    validation,
    standardise: standardised,
    identity,
    enrichment,
    quality,
    warnings,
    stages: stages.timings
  };
}

/** Reference keys with several rows: combined as the config says, or a field left empty. */
export function enrichmentWarnings(config: PortraitConfig, summaries: EnrichSummary[]): string[] {
  const n = (x: number) => x.toLocaleString("en-US");
  return summaries.flatMap((e, i) => {
    const entry = config.enrich[i];
    if (e.ambiguousKeys === 0) return [];
    return [
      `enrich[${i}] (references.${entry.reference}): ${n(e.ambiguousKeys)} of its keys have several rows that disagree, so a field without combine stays empty for their customers (${n(e.matched)} of ${n(e.rows)} customers matched). Set combine: "mean", "mode" or "first", for every field or per field (README, Enrichment).`
    ];
  });
}

/**
 * The profiling steps, after the data is clean: features as of the as-of date, clustering,
 * stable ids, customer value and risk, traits, segments, the profile documents and the history
 * snapshots.
 */
export {MIN_CUSTOMERS};

export interface ProfilingResult {
  asOf: string;
  catalog: CatalogEntry[];
  /** Why no profiles were built; null when they were. */
  skipped: string | null;
  clustering: Clustering | null;
  value: ValueSummary | null;
  segments: SegmentSummary[];
  /** The declared outcomes' base rates; empty without outcomes or profiles. */
  outcomes: OutcomeSummary[];
  profiles: Profile[];
  /** How this build's profiles matched the previous build's; null without profiles. */
  identities?: Identities | null;
  /** The snapshots recorded for the History page; undefined without profiles. */
  history?: SnapshotSummary;
}

/**
 * The features as of the as-of date and what profiling checks on them before clustering: the
 * build runs it first, and `npm run check` runs it too, so both stop on the same problems.
 */
export async function featuresChecked(
  store: Store,
  config: PortraitConfig,
  asOf: string
): Promise<{catalog: CatalogEntry[]; checked: Preflight}> {
  const catalog = await buildFeatures(store, featureOptions(config, asOf));
  const population =
    (await store.one<{n: number}>(sql`SELECT count(*)::INTEGER AS n FROM features`))?.n ?? 0;
  const checked = preflight(catalog, config, {
    population,
    defaultSegments: config.segments === DEFAULT_SEGMENTS
  });
  return {catalog, checked};
}

/** Runs every profiling stage on a store the ingest pipeline has filled. */
export async function runProfiling(
  store: Store,
  config: PortraitConfig,
  asOf: string,
  log: (line: string) => void = () => {},
  stages: Stages = new Stages(log)
): Promise<ProfilingResult> {
  const notes = readNotes(config.profiles.notes);
  const {catalog, checked} = await stages.time("features", () =>
    featuresChecked(store, config, asOf)
  );
  const measured = catalog.filter((f) => f.measured).length;
  log(`features: ${measured} measured, ${catalog.length - measured} not measured`);
  if (checked.problems.length > 0) throw new DataError(checked.problems);
  for (const warning of checked.warnings) log(`warning: ${warning}`);
  if (checked.skipped !== null) {
    const skipped = checked.skipped;
    return {
      asOf,
      catalog,
      skipped,
      clustering: null,
      value: null,
      segments: [],
      outcomes: [],
      profiles: []
    };
  }

  const clustering = await stages.time("cluster", async () => {
    const clustered = new Set(clusteredFeatures(catalog, config.clustering).map((f) => f.id));
    for (const f of catalog) f.clustered = clustered.has(f.id);
    await writeCatalog(store, catalog);
    return buildClusters(store, catalog, config.clustering, log);
  });

  const identities = await stages.time("profile ids", async () => {
    const state = await readState(config.profiles.state);
    const kept = await keepIdentities(store, state, {threshold: config.profiles.matchThreshold});
    const rename = new Map(kept.matches.map((m) => [m.fitted_id, m.id]));
    for (const p of clustering.profiles) p.id = rename.get(p.id) ?? p.id;
    if (state) {
      const same = kept.matches.filter((m) => m.status === "matched").length;
      log(`profile ids: ${same} of ${clustering.profiles.length} profiles kept their id and name`);
      for (const m of kept.matches)
        if (m.status !== "matched") log(`profile ids: ${describeMatch(m)}`);
    }
    return kept;
  });

  const value = await stages.time("value", async () =>
    buildCustomerValue(
      store,
      {asOf, ...config.churn},
      await assessSubscription(store, config, {asOf, rule: config.churn.flag})
    )
  );
  for (const note of value.notes) log(`value: ${note}`);

  const traits = await stages.time("traits", () =>
    buildTraits(store, catalog, {
      minEffect: config.profiles.minEffect,
      minCoverage: config.profiles.minCoverage,
      minGroupSize: config.privacy.minGroupSize
    })
  );

  const segments = await stages.time("segments", () =>
    buildSegments(
      store,
      config.segments,
      catalog,
      {
        minGroupSize: config.privacy.minGroupSize,
        // The default segments fit most data, not all: leave out what the data cannot fill.
        skipUnmeasured: config.segments === DEFAULT_SEGMENTS
      },
      log
    )
  );

  const outcomes = await stages.time("outcomes", () =>
    buildOutcomes(store, config.outcomes, {asOf, minGroupSize: config.privacy.minGroupSize})
  );
  for (const o of outcomes)
    log(
      `outcome ${o.outcome}: ${o.rate === null ? "not assessed (no customer's outcome is known)" : `${formatShare(o.rate)} of ${o.customers.toLocaleString("en-US")} customers`}`
    );

  const profiles = await stages.time("profiles", () =>
    buildProfiles(
      store,
      catalog,
      traits,
      notes,
      log,
      identities.names,
      config.currency,
      config.privacy.minGroupSize
    )
  );
  for (const p of profiles) log(`${p.id} ${p.name}: ${p.summary}`);

  const history = await stages.time("history", () =>
    buildSnapshots(store, config, catalog, asOf, log)
  );
  return {
    asOf,
    catalog,
    skipped: null,
    clustering,
    value,
    segments,
    outcomes,
    profiles,
    identities,
    history
  };
}
