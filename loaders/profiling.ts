/**
 * The profiling stages, after the data is clean: features as of the as-of date, clustering,
 * customer value and risk, traits, segments and the profile documents. The engine runs them
 * into the profile store after the ingest pipeline; `npm run check` does not.
 */
import {DEFAULT_SEGMENTS, type PortraitConfig} from "./config.ts";
import {buildFeatures, featureOptions, writeCatalog, type CatalogEntry} from "./features.ts";
import {buildClusters, clusteredFeatures, type Clustering} from "./cluster.ts";
import {describeMatch, keepIdentities, readState, type Identities} from "./identities.ts";
import {readNotes} from "./notes.ts";
import {buildProfiles, type Profile} from "./profiles.ts";
import {buildSegments, type SegmentSummary} from "./segments.ts";
import {buildSnapshots, type SnapshotSummary} from "./snapshots.ts";
import {Stages} from "./stages.ts";
import type {Store} from "./store.ts";
import {buildTraits} from "./traits.ts";
import {buildCustomerValue, type ValueSummary} from "./value.ts";

/** Fewer customers than this make no profiles worth the name: the build says so and goes on. */
export const MIN_CUSTOMERS = 100;

export interface ProfilingResult {
  asOf: string;
  catalog: CatalogEntry[];
  /** Why no profiles were built; null when they were. */
  skipped: string | null;
  clustering: Clustering | null;
  value: ValueSummary | null;
  segments: SegmentSummary[];
  profiles: Profile[];
  /** How this build's profiles matched the previous build's; null without profiles. */
  identities?: Identities | null;
  /** The snapshots recorded for the History page; undefined without profiles. */
  history?: SnapshotSummary;
}

/** Runs every profiling stage on a store the ingest pipeline has filled. */
export async function runProfiling(
  store: Store,
  config: PortraitConfig,
  asOf: string | null,
  log: (line: string) => void = () => {},
  stages: Stages = new Stages(log)
): Promise<ProfilingResult> {
  if (asOf === null) {
    throw new Error(
      "no dated rows in any source, so there is no as-of date to profile at: add orders or other activity, or set asOf in the config"
    );
  }
  const notes = readNotes(config.profiles.notes);
  const catalog = await stages.time("features", () =>
    buildFeatures(store, featureOptions(config, asOf))
  );
  const measured = catalog.filter((f) => f.measured).length;
  log(`features: ${measured} measured, ${catalog.length - measured} not measured`);
  const population =
    (await store.one<{n: number}>("SELECT count(*)::INTEGER AS n FROM features"))?.n ?? 0;
  if (population < MIN_CUSTOMERS) {
    const skipped = `${population} customers: profiles need at least ${MIN_CUSTOMERS}`;
    log(`no profiles: ${skipped}`);
    return {asOf, catalog, skipped, clustering: null, value: null, segments: [], profiles: []};
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

  const value = await stages.time("value", () =>
    buildCustomerValue(store, {
      asOf,
      horizonDays: config.churn.horizonDays,
      pAliveBelow: config.churn.pAliveBelow,
      engagementDropAbove: config.churn.engagementDropAbove,
      minOrders: config.churn.minOrders
    })
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

  const profiles = await stages.time("profiles", () =>
    buildProfiles(store, catalog, traits, notes, log, identities.names)
  );
  for (const p of profiles) log(`${p.id} ${p.name}: ${p.summary}`);

  const history = await stages.time("history", () =>
    buildSnapshots(store, config, catalog, asOf, log)
  );
  return {asOf, catalog, skipped: null, clustering, value, segments, profiles, identities, history};
}
