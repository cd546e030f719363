/**
 * Clustering: from the `features` table to profiles (DESIGN.md, Scale).
 *
 * k-means (k-means++ seeding, the best of several restarts) is fitted in process on a seeded
 * sample for every k of the configured range. Each fit is scored by its silhouette on a
 * sub-sample, the size of its smallest profile and the bootstrap stability of every profile.
 * Automatic k is the largest k whose profiles are all big enough and all stable, and whose
 * silhouette is within `silhouetteTolerance` (15 %) of the best among those: the finest split
 * the data reproduces without blurring its groups. Silhouette widths on customer data with
 * dozens of features are small and nearly flat in k (0.10-0.13 on the demo for k = 3…10), so
 * the highest alone picks the coarsest split; stability alone accepts splitting a compact
 * group, which k-means does the same way on every resample. When no k is stable the highest
 * silhouette among the k with big enough profiles decides. A fixed k skips the search. Every
 * customer is then assigned to
 * the nearest centroid in one SQL query.
 *
 * Tables: cluster_columns (the transform recipe), clustering_runs (one row per k tried),
 * profile_centroids, customer_profiles, cluster_quality.
 */
import type {PortraitConfig} from "../config/project.ts";
import type {CatalogEntry} from "./features.ts";
import {kmeans, type KMeansResult} from "./kmeans/kmeans.ts";
import {
  designColumns,
  matrixSelect,
  readMatrix,
  storeColumns,
  type ClusterColumn,
  type Matrix
} from "./matrix.ts";
import {distanceMatrix, meanSilhouettes, silhouettes} from "./silhouette.ts";
import {bootstrapStability} from "./stability.ts";
import {type Store} from "../core/store.ts";
import {ident, join, raw, sql, valueList} from "../core/sql.ts";
import {formatShare} from "../../src/contracts/share.ts";

export type ClusteringSettings = PortraitConfig["clustering"];

export interface KRun {
  k: number;
  silhouette: number;
  inertia: number;
  /** The smallest profile's share of the fit sample. */
  minShare: number;
  /** Bootstrap Jaccard per profile of this fit. */
  stability: number[];
  accepted: boolean;
  /** Why a k was not accepted; null when it was. */
  reason: string | null;
}

export interface ProfileQuality {
  id: string;
  customers: number;
  share: number;
  silhouette: number;
  stability: number;
}

export interface Clustering {
  k: number;
  /** How k was chosen. */
  rule: "fixed" | "largest stable k" | "best silhouette (no k was stable)";
  runs: KRun[];
  columns: ClusterColumn[];
  silhouette: number;
  profiles: ProfileQuality[];
  /** Customers assigned. */
  customers: number;
}

/** The features clustered on: the config's list, else measured features of weighted dimensions. */
export function clusteredFeatures(
  catalog: CatalogEntry[],
  settings: Pick<ClusteringSettings, "features" | "dimensions">
): CatalogEntry[] {
  if (settings.features) {
    const byId = new Map(catalog.map((f) => [f.id, f]));
    return settings.features.map((id) => {
      const f = byId.get(id);
      if (!f) {
        throw new Error(
          `clustering.features: no feature "${id}"; the feature catalog has ${catalog.map((c) => c.id).join(", ")}`
        );
      }
      if (!f.measured) throw new Error(`clustering.features: "${id}" is not measured (${f.note})`);
      return f;
    });
  }
  return catalog.filter(
    (f) => f.measured && !f.describeOnly && (settings.dimensions[f.dimension] ?? 0) > 0
  );
}

/** Picks k among the runs: see the module comment. */
export function chooseK(
  runs: KRun[],
  fixed: boolean,
  silhouetteTolerance = 0.15
): {k: number; rule: Clustering["rule"]} {
  if (fixed) return {k: runs[0].k, rule: "fixed"};
  const accepted = runs.filter((r) => r.accepted);
  if (accepted.length > 0) {
    // k-means splits a compact group the same way on every resample, so stability alone
    // would accept splitting one: a split must also keep the silhouette near the best.
    const best = Math.max(...accepted.map((r) => r.silhouette));
    const separated = accepted.filter((r) => r.silhouette >= (1 - silhouetteTolerance) * best);
    return {k: Math.max(...separated.map((r) => r.k)), rule: "largest stable k"};
  }
  const sized = runs.filter((r) => r.reason === null || !r.reason.startsWith("smallest"));
  if (sized.length === 0) {
    throw new Error(
      `no k in ${runs[0].k}–${runs[runs.length - 1].k} gives profiles big enough: lower clustering.minProfileShare or clustering.k`
    );
  }
  const best = sized.reduce((a, b) => (b.silhouette > a.silhouette ? b : a));
  return {k: best.k, rule: "best silhouette (no k was stable)"};
}

function bestFit(
  points: Float64Array,
  n: number,
  d: number,
  k: number,
  seed: number,
  restarts: number
) {
  let best: KMeansResult | undefined;
  for (let r = 0; r < restarts; r++) {
    const fit = kmeans(points, {n, d, k, seed: seed + 7919 * r});
    if (!best || fit.inertia < best.inertia) best = fit;
  }
  return best!;
}

/**
 * Restarts per bootstrap refit, at most: fewer than the main fit's, which keeps the search
 * affordable and errs on the side of calling a profile unstable.
 */
const BOOTSTRAP_RESTARTS = 4;

/** Lloyd rounds that re-fill missing values from their customer's centroid, at most. */
const FILL_ROUNDS = 20;

/**
 * The best of several k-means fits, with missing values left out of the distances by k-POD
 * (Chi, Chi & Baraniuk 2016): a missing value takes its customer's centroid's value and k-means
 * is refitted from the last centroids, until no label changes. Each round lowers the k-means
 * objective over the observed values only. Returns the fit and the filled points.
 */
function fitMatrix(
  {points, missing}: Pick<Matrix, "points" | "missing">,
  n: number,
  d: number,
  k: number,
  seed: number,
  restarts: number
): {fit: KMeansResult; points: Float64Array} {
  let fit = bestFit(points, n, d, k, seed, restarts);
  if (missing === null) return {fit, points};
  const filled = Float64Array.from(points);
  for (let round = 0; round < FILL_ROUNDS; round++) {
    for (let i = 0, o = 0; i < n; i++, o += d) {
      const c = fit.labels[i] * d;
      for (let t = 0; t < d; t++) if (missing[o + t]) filled[o + t] = fit.centroids[c + t];
    }
    const next = kmeans(filled, {n, d, k, seed, init: fit.centroids});
    let changed = 0;
    for (let i = 0; i < n; i++) if (next.labels[i] !== fit.labels[i]) changed++;
    fit = next;
    if (changed === 0) break;
  }
  return {fit, points: filled};
}

function counts(labels: Int32Array, k: number, n = labels.length): Int32Array {
  const out = new Int32Array(k);
  for (let i = 0; i < n; i++) out[labels[i]]++;
  return out;
}

/** Profiles in order of size, largest first (ties by centroid), so ids are deterministic. */
function relabel(
  fit: KMeansResult,
  d: number,
  k: number
): {labels: Int32Array; centroids: Float64Array} {
  const sizes = counts(fit.labels, k);
  const compare = (a: number, b: number) => {
    for (let t = 0; t < d; t++) {
      const diff = fit.centroids[a * d + t] - fit.centroids[b * d + t];
      if (diff !== 0) return diff;
    }
    return 0;
  };
  const order = Array.from({length: k}, (_, c) => c).sort(
    (a, b) => sizes[b] - sizes[a] || compare(a, b)
  );
  const rank = new Int32Array(k);
  order.forEach((c, r) => (rank[c] = r));
  const centroids = new Float64Array(k * d);
  order.forEach((c, r) => centroids.set(fit.centroids.subarray(c * d, c * d + d), r * d));
  return {labels: fit.labels.map((c) => rank[c]), centroids};
}

export const profileId = (index: number) => `p${index + 1}`;

/** Clusters the customers in `features` and writes the clustering tables. */
export async function buildClusters(
  store: Store,
  catalog: CatalogEntry[],
  settings: ClusteringSettings,
  log: (line: string) => void = () => {}
): Promise<Clustering> {
  const features = clusteredFeatures(catalog, settings);
  if (features.length === 0) {
    throw new Error(
      "no feature to cluster on: the weighted dimensions (clustering.dimensions) have no measured feature; weight another dimension or list clustering.features"
    );
  }
  const weightOf = (f: CatalogEntry) =>
    settings.features ? 1 : (settings.dimensions[f.dimension] ?? 0);
  const columns = await designColumns(store, features, weightOf);
  await storeColumns(store, columns);
  const d = columns.length;
  await store.run(
    sql`CREATE OR REPLACE TEMP TABLE cluster_matrix AS SELECT customer_id, ${matrixSelect(columns)} FROM features`
  );

  // A seeded sample in a seeded order: hashing the id with the seed does not depend on the
  // thread count, and the first rows of the sample double as the silhouette and bootstrap samples.
  const matrix = await readMatrix(
    store,
    sql`SELECT customer_id, ${join(columns.map((c) => ident(c.column)))} FROM cluster_matrix
        ORDER BY hash(customer_id || '/' || ${settings.seed}), customer_id LIMIT ${settings.sample}`,
    columns
  );
  const n = matrix.ids.length;
  const kMax = Math.min(settings.k.max, Math.floor(n / 2));
  const kMin = Math.min(settings.k.min, kMax);
  if (kMax < 2) throw new Error(`too few customers to cluster: ${n}`);
  const fixed = kMin === kMax;
  const m = Math.min(settings.silhouetteSample, n);
  const distances = distanceMatrix(matrix.points, m, d, matrix.missing);
  const boot = Math.min(settings.stabilitySample, n);

  /** Bootstrap stability of a fit, on the first `boot` customers of the sample. */
  const stabilityOf = (points: Float64Array, labels: Int32Array, k: number) =>
    bootstrapStability(points.subarray(0, boot * d), labels.subarray(0, boot), {
      n: boot,
      d,
      k,
      rounds: settings.bootstrap,
      restarts: Math.min(settings.restarts, BOOTSTRAP_RESTARTS),
      seed: settings.seed
    });

  const runs: KRun[] = [];
  const fits = new Map<
    number,
    {labels: Int32Array; centroids: Float64Array; inertia: number; points: Float64Array}
  >();
  for (let k = kMin; k <= kMax; k++) {
    const started = performance.now();
    const {fit, points} = fitMatrix(matrix, n, d, k, settings.seed, settings.restarts);
    const ordered = relabel(fit, d, k);
    fits.set(k, {...ordered, inertia: fit.inertia, points});
    const minShare = Math.min(...counts(ordered.labels, k)) / n;
    const silhouette = meanSilhouettes(
      silhouettes(distances, m, ordered.labels, k),
      ordered.labels.subarray(0, m),
      k
    ).overall;
    const stability =
      fixed || minShare < settings.minProfileShare ? [] : stabilityOf(points, ordered.labels, k);
    const reason =
      minShare < settings.minProfileShare
        ? `smallest profile ${formatShare(minShare)} < ${formatShare(settings.minProfileShare)}`
        : settings.bootstrap > 0 && Math.min(...stability) < settings.minStability
          ? `least stable profile ${Math.min(...stability).toFixed(2)} < ${settings.minStability}`
          : null;
    runs.push({
      k,
      silhouette,
      inertia: fit.inertia,
      minShare,
      stability,
      accepted: reason === null,
      reason
    });
    log(
      `k = ${k}: silhouette ${silhouette.toFixed(3)}, smallest profile ${formatShare(minShare)}` +
        (stability.length
          ? `, stability ${Math.min(...stability).toFixed(2)}–${Math.max(...stability).toFixed(2)}`
          : "") +
        ` (${Math.round(performance.now() - started)} ms)`
    );
  }
  const {k, rule} = chooseK(runs, fixed, settings.silhouetteTolerance);
  const fit = fits.get(k)!;
  log(`chose k = ${k} (${rule})`);

  const widths = silhouettes(distances, m, fit.labels, k);
  const silhouette = meanSilhouettes(widths, fit.labels.subarray(0, m), k);
  const searched = runs.find((r) => r.k === k)!.stability;
  const stability = searched.length > 0 ? searched : stabilityOf(fit.points, fit.labels, k);

  await storeRuns(store, runs, k);
  await storeCentroids(store, columns, fit.centroids, k);
  const customers = await assignNearest(store, d);
  await store.run(sql`DROP TABLE cluster_matrix`);

  const sizes = await store.all<{profile_id: string; n: number}>(
    sql`SELECT profile_id, count(*)::INTEGER AS n FROM customer_profiles GROUP BY 1 ORDER BY 1`
  );
  const sizeOf = new Map(sizes.map((s) => [s.profile_id, s.n]));
  const profiles = Array.from({length: k}, (_, c) => ({
    id: profileId(c),
    customers: sizeOf.get(profileId(c)) ?? 0,
    share: (sizeOf.get(profileId(c)) ?? 0) / customers,
    silhouette: silhouette.perCluster[c],
    stability: stability[c] ?? NaN
  }));
  await storeQuality(store, profiles);
  log(
    `profiles: k = ${k} for ${customers.toLocaleString("en-US")} customers, silhouette ${silhouette.overall.toFixed(3)}, ` +
      `stability ${profiles.map((p) => p.stability.toFixed(2)).join(" ")}`
  );
  return {k, rule, runs, columns, silhouette: silhouette.overall, profiles, customers};
}

async function storeRuns(store: Store, runs: KRun[], chosen: number): Promise<void> {
  await store.run(sql`CREATE OR REPLACE TABLE clustering_runs (
    k INTEGER, silhouette DOUBLE, inertia DOUBLE, min_share DOUBLE, min_stability DOUBLE,
    mean_stability DOUBLE, accepted BOOLEAN, reason VARCHAR, chosen BOOLEAN)`);
  for (const r of runs) {
    const has = r.stability.length > 0;
    const minStability = has ? Math.min(...r.stability) : null;
    const meanStability = has ? r.stability.reduce((a, b) => a + b, 0) / r.stability.length : null;
    await store.run(
      sql`INSERT INTO clustering_runs VALUES (${valueList([
        r.k,
        r.silhouette,
        r.inertia,
        r.minShare,
        minStability,
        meanStability,
        r.accepted,
        r.reason,
        r.k === chosen
      ])})`
    );
  }
}

async function storeCentroids(
  store: Store,
  columns: ClusterColumn[],
  centroids: Float64Array,
  k: number
) {
  const d = columns.length;
  await store.run(sql`CREATE OR REPLACE TABLE profile_centroids (
    profile_id VARCHAR, position INTEGER, "column" VARCHAR, feature VARCHAR, level VARCHAR, value DOUBLE)`);
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) {
      const {column, feature, level} = columns[j];
      await store.run(
        sql`INSERT INTO profile_centroids VALUES (${valueList([
          profileId(c),
          j,
          column,
          feature,
          level,
          centroids[c * d + j]
        ])})`
      );
    }
  }
}

/**
 * Every customer to the nearest centroid, in SQL, over the values the customer has: the squared
 * distance sums the observed columns and is scaled to all d of them (a partial distance), as
 * the fit treats missing values. Reads the matrix table (customer_id, c0 … c{d-1}) and the
 * centroids in `profile_centroids`; writes `into` (customer_id, profile_id, distance). Past
 * snapshots are assigned by the same function. Returns how many customers were assigned.
 */
export async function assignNearest(
  store: Store,
  d: number,
  {matrix = "cluster_matrix", into = "customer_profiles", temporary = false} = {}
): Promise<number> {
  const columns = Array.from({length: d}, (_, j) => sql`x.${ident(`c${j}`)}`);
  const squares = join(
    columns.map((x, j) => sql`coalesce((${x} - c.v[${j + 1}]) ** 2, 0)`),
    " + "
  );
  const observed = join(
    columns.map((x) => sql`(${x} IS NOT NULL)::INTEGER`),
    " + "
  );
  await store.run(
    sql`CREATE OR REPLACE TEMP TABLE centroid_vectors AS
        SELECT profile_id, list(value ORDER BY position) AS v
        FROM profile_centroids GROUP BY profile_id`
  );
  await store.run(
    sql`CREATE OR REPLACE ${raw(temporary ? "TEMP " : "")}TABLE ${ident(into)} AS
        WITH d AS (
          SELECT x.customer_id, c.profile_id,
            sqrt((${squares}) * ${d} / greatest(${observed}, 1)) AS distance
          FROM ${ident(matrix)} x CROSS JOIN centroid_vectors c)
        SELECT customer_id,
          arg_min(profile_id, [distance, TRY_CAST(substr(profile_id, 2) AS DOUBLE)]) AS profile_id,
          min(distance) AS distance
        FROM d GROUP BY customer_id ORDER BY customer_id`
  );
  await store.run(sql`DROP TABLE centroid_vectors`);
  return (
    (await store.one<{n: number}>(sql`SELECT count(*)::INTEGER AS n FROM ${ident(into)}`))?.n ?? 0
  );
}

async function storeQuality(store: Store, profiles: ProfileQuality[]): Promise<void> {
  await store.run(sql`CREATE OR REPLACE TABLE cluster_quality (
    profile_id VARCHAR, customers INTEGER, share DOUBLE, silhouette DOUBLE, stability DOUBLE)`);
  const orNull = (x: number) => (Number.isNaN(x) ? null : x);
  for (const p of profiles) {
    await store.run(
      sql`INSERT INTO cluster_quality VALUES (${valueList([
        p.id,
        p.customers,
        p.share,
        orNull(p.silhouette),
        orNull(p.stability)
      ])})`
    );
  }
}
