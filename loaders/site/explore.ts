/**
 * The analyst workbench (the Explore page): a seeded sample of customers, customer-level, for
 * the projection, the brush and SQL in the browser, and beside it what the page needs to label
 * and compare them (the feature catalog, the profiles and their traits).
 *
 * Customer-level means pseudonymous ids and derived features only: customer_id, profile_id,
 * segment values, P(alive), 12-month value, at risk, and the measured numeric features. No
 * e-mail, phone, name or street ever reaches this output, whatever the config says: the
 * features table holds none, and only catalogued numeric features are selected from it. Its
 * quasi-identifiers (age, income, region, tenure, segments: quasi-identifiers.ts) are coarsened
 * until every combination of them covers at least privacy.minGroupSize customers of the sample,
 * and the few customers still in a smaller one are withheld (generalise.ts).
 */
import {existsSync} from "node:fs";
import {readFile} from "node:fs/promises";
import {readSuppression} from "../profile/risk-suppression.ts";
import {DIGITS, round, roundRow} from "./published.ts";
import {rowsToArrow} from "./arrow.ts";
import {generalise, type Generalised} from "./generalise.ts";
import {quasiIdentifiers} from "./quasi-identifiers.ts";
import {readCatalog} from "../profile/features.ts";
import {checksumPath} from "../core/checksum.ts";
import {codeFingerprint} from "../core/fingerprint.ts";
import {memo} from "../core/memo.ts";
import {type Row, type Store} from "../core/store.ts";
import {byProfileId, ident, join, sql, val} from "../core/sql.ts";
import type {
  ExploreDocument,
  ExploreFeature,
  ExploreProfile,
  ExploreQuasiIdentifier,
  ExploreRow,
  ExploreSample,
  ExploreSegment,
  ExploreTrait,
  ExploreTraitValue
} from "../../src/contracts/explore.ts";

export interface ExploreOptions {
  /** Customers in the sample; 0 leaves customer-level data out. */
  sample: number;
  /** Salts the sample's hash, so a project can draw another one. */
  seed: number;
  /** privacy.minGroupSize: every combination of the sample's quasi-identifiers covers as many. */
  minGroupSize: number;
}

/**
 * Share of the drawn sample that may be withheld instead of coarsening every customer's
 * quasi-identifiers further: the rare combinations (the oldest, the richest, the largest firms).
 */
const MAX_WITHHELD_SHARE = 0.05;

/** The sample's value and risk columns, from customer_value. */
const VALUE_COLUMNS = ["p_alive", "expected_value_12m", "at_risk"] as const;

/** The numeric features the sample can carry: measured, catalogued, and a column of `features`. */
async function sampleFeatures(
  store: Store
): Promise<(Omit<ExploreFeature, "band"> & {type: string})[]> {
  if (!(await store.has("features")) || !(await store.has("feature_catalog"))) return [];
  const types = await store.tableColumns("features");
  return (await readCatalog(store))
    .filter((f) => f.measured && f.kind === "number" && types.has(f.id))
    .map((f) => ({
      id: f.id,
      dimension: f.dimension,
      label: f.label,
      unit: f.unit,
      transform: f.transform,
      clustered: f.clustered,
      coverage: round(f.coverage, DIGITS.export) ?? 0,
      type: types.get(f.id)!
    }));
}

/** The segmentations built, in the config's order (their first position), as sample columns. */
async function sampleSegments(store: Store): Promise<ExploreSegment[]> {
  if (!(await store.has("customer_segments"))) return [];
  const rows = await store.all<{segment: string}>(
    sql`SELECT segment FROM customer_segments GROUP BY segment ORDER BY min(rowid), segment`
  );
  return rows.map(({segment}) => ({
    id: segment,
    column: `segment_${segment}`,
    label: segment.replaceAll("_", " ").replace(/^./, (c) => c.toUpperCase())
  }));
}

/** Whether a sample can be drawn: profiles exist and the config asks for one. */
async function canSample(store: Store, {sample}: ExploreOptions): Promise<boolean> {
  return sample > 0 && (await store.has("customer_profiles"));
}

/**
 * The drawn sample's rows, sorted by customer id: a seeded random draw of options.sample profiled
 * customers (md5 of id and seed, a hash that does not change between DuckDB versions), each with
 * their profile, segments, value, risk and numeric features, as measured; DOUBLE values rounded
 * to six significant digits so the same store always gives the same bytes.
 */
async function drawSample(
  store: Store,
  options: ExploreOptions,
  features: Awaited<ReturnType<typeof sampleFeatures>>,
  segments: ExploreSegment[]
): Promise<{rows: ExploreRow[]; float32: string[]}> {
  const hasValue = await store.has("customer_value");
  const segmentSelect = segments.map(
    (s) => sql`max(value) FILTER (WHERE segment = ${val(s.id)}) AS ${ident(s.column)}`
  );
  const select = [
    sql`s.customer_id`,
    sql`s.profile_id`,
    ...segments.map((s) => sql`g.${ident(s.column)}`),
    ...(hasValue ? VALUE_COLUMNS.map((c) => sql`v.${ident(c)}`) : []),
    ...features.map((f) => sql`f.${ident(f.id)}`)
  ];
  const rows = await store.all<ExploreRow>(
    sql`WITH sampled AS (
       SELECT customer_id, profile_id FROM customer_profiles
       ORDER BY md5(customer_id || '/' || ${val(String(options.seed))}), customer_id
       LIMIT ${options.sample}
     )${
       segments.length
         ? sql`, segments AS (
       SELECT customer_id, ${join(segmentSelect)}
       FROM customer_segments WHERE customer_id IN (SELECT customer_id FROM sampled)
       GROUP BY customer_id
     )`
         : sql``
     }
     SELECT ${join(select)}
     FROM sampled s
     ${segments.length ? sql`LEFT JOIN segments g USING (customer_id)` : sql``}
     ${hasValue ? sql`LEFT JOIN customer_value v USING (customer_id)` : sql``}
     LEFT JOIN features f USING (customer_id)
     ORDER BY s.customer_id`
  );
  const float32 = [
    ...(hasValue ? ["p_alive", "expected_value_12m"] : []),
    ...features.filter((f) => f.type === "DOUBLE" || f.type === "FLOAT").map((f) => f.id)
  ];
  for (const row of rows) {
    for (const name of float32) {
      const value = row[name];
      if (typeof value === "number") row[name] = round(value, DIGITS.export);
    }
  }
  return {rows, float32};
}

/** The sample as published, and how its quasi-identifiers were coarsened to get there. */
export interface PublishedSample {
  rows: ExploreRow[];
  float32: string[];
  /** The sample's quasi-identifiers, how each is published, and the customers withheld. */
  anonymity: Omit<ExploreSample, "total_customers">;
  features: ExploreFeature[];
  segments: ExploreSegment[];
}

/**
 * The sample as published: drawn (drawSample), then its quasi-identifiers generalised and the
 * customers still in a combination under options.minGroupSize withheld (generalise.ts).
 */
export async function exploreSample(
  store: Store,
  options: ExploreOptions
): Promise<PublishedSample> {
  const sampled = await canSample(store, options);
  const features = sampled ? await sampleFeatures(store) : [];
  const segments = sampled ? await sampleSegments(store) : [];
  const drawn = sampled
    ? await drawSample(store, options, features, segments)
    : {rows: [] as ExploreRow[], float32: [] as string[]};
  const catalogue = new Map(features.map((f) => [f.id, f]));
  const columns = drawn.rows.length ? Object.keys(drawn.rows[0]) : [];
  const quasi = quasiIdentifiers(columns, catalogue);
  const k = options.minGroupSize;
  const generalised = generalise(
    quasi.map((column) => ({
      column,
      kind: catalogue.has(column) ? "number" : "category",
      unit: catalogue.get(column)?.unit ?? "category",
      values: drawn.rows.map((r) => r[column] ?? null),
      // The projection's default features lose detail last.
      weight: catalogue.has(column) ? (catalogue.get(column)!.clustered ? 4 : 1) : 2
    })),
    drawn.rows.length,
    {k, maxSuppressed: Math.floor(drawn.rows.length * MAX_WITHHELD_SHARE)}
  );
  const rows = publishedRows(drawn.rows, columns, generalised);
  const byColumn = new Map(generalised.columns.map((g) => [g.column, g]));
  const label = (column: string) =>
    catalogue.get(column)?.label ?? segments.find((s) => s.column === column)?.label ?? column;
  const fractional = generalised.columns
    .filter((g) => catalogue.has(g.column) && !g.withheld)
    .filter((g) => g.values.some((v) => typeof v === "number" && !Number.isInteger(v)))
    .map((g) => g.column);
  const quasiIdentifierList: ExploreQuasiIdentifier[] = generalised.columns.map((g) => ({
    column: g.column,
    label: label(g.column),
    published: g.description,
    withheld: g.withheld
  }));
  return {
    rows,
    float32: [
      ...drawn.float32.filter((c) => !byColumn.get(c)?.withheld),
      ...fractional.filter((c) => !drawn.float32.includes(c))
    ],
    anonymity: {
      customers: rows.length,
      withheld: generalised.suppressed,
      min_group_size: k,
      smallest_group: generalised.smallest,
      quasi_identifiers: quasiIdentifierList
    },
    features: features
      .filter((f) => !byColumn.get(f.id)?.withheld)
      .map(({type: _, ...f}) => ({...f, band: byColumn.get(f.id)?.description ?? null})),
    segments: segments.filter((s) => !byColumn.get(s.column)?.withheld)
  };
}

/** Where the published sample of the store at storePath is kept (reusedSample). */
export function sampleFile(storePath: string): string {
  return `${storePath}.explore-sample`;
}

/**
 * exploreSample, drawn and generalised once per store: the page's two loaders (explore.arrow and
 * explore.json) run in processes of their own, and each took 10–20 s on a large store. It is kept
 * beside the store (sampleFile) under the store's checksum (the file as the engine wrote it), the
 * page builders' code and the options; a store without a checksum is sampled afresh.
 */
export async function reusedSample(
  store: Store,
  options: ExploreOptions
): Promise<PublishedSample> {
  const checksum = checksumPath(store.path);
  if (store.path === ":memory:" || !existsSync(checksum)) return exploreSample(store, options);
  const {sample, seed, minGroupSize} = options;
  const key = JSON.stringify({
    store: (await readFile(checksum, "utf8")).trim(),
    code: await codeFingerprint(["site"]),
    options: {sample, seed, minGroupSize}
  });
  return (await memo(sampleFile(store.path), key, () => exploreSample(store, options))).value;
}

/** How a page builder gets the published sample: exploreSample, or reusedSample in a build. */
export type Sampler = typeof exploreSample;

/** The drawn rows kept, each quasi-identifier as generalised and the withheld ones left out. */
function publishedRows(
  drawn: ExploreRow[],
  columns: string[],
  {columns: generalised, keep}: Generalised
): ExploreRow[] {
  const byColumn = new Map(generalised.map((g) => [g.column, g]));
  const rows: ExploreRow[] = [];
  drawn.forEach((row, i) => {
    if (!keep[i]) return;
    const out: ExploreRow = {customer_id: row.customer_id, profile_id: row.profile_id};
    for (const column of columns) {
      const g = byColumn.get(column);
      if (g?.withheld) continue;
      out[column] = g ? (g.values[i] as ExploreRow[string]) : row[column];
    }
    rows.push(out);
  });
  return rows;
}

/** The published sample's rows and the columns to encode as Float32 (exploreSample). */
export async function exploreRows(
  store: Store,
  options: ExploreOptions,
  sample: Sampler = exploreSample
): Promise<{rows: ExploreRow[]; float32: string[]}> {
  const {rows, float32} = await sample(store, options);
  return {rows, float32};
}

/**
 * The sample as Arrow IPC (explore.arrow), which DuckDB-Wasm reads without an extension: ids and
 * segments dictionary-encoded, measures as Float32 (their seventh digit never matters here),
 * counts as the smallest integer type that holds them.
 */
export async function exploreArrow(
  store: Store,
  options: ExploreOptions,
  sample: Sampler = exploreSample
): Promise<Uint8Array> {
  const {rows, float32} = await exploreRows(store, options, sample);
  return rowsToArrow(rows, {float32, utf8: ["customer_id"]});
}

/** Everything the Explore page shows beside the sample: catalog, profiles, traits, sample size. */
export async function exploreDocument(
  store: Store,
  options: ExploreOptions,
  sample: Sampler = exploreSample
): Promise<ExploreDocument> {
  const empty: ExploreDocument = {
    as_of: null,
    sample: null,
    features: [],
    segments: [],
    profiles: [],
    traits: []
  };
  if (!(await store.has("profiles"))) return empty;
  const asOf = (await store.has("overview_as_of"))
    ? ((
        await store.one<{as_of: string}>(
          sql`SELECT strftime(as_of, '%Y-%m-%d') AS as_of FROM overview_as_of`
        )
      )?.as_of ?? null)
    : null;
  const profiles = (
    await store.all<ExploreProfile & Row>(
      sql`SELECT profile_id AS id, name, customers, share, value_12m, p_alive, at_risk_share,
         at_risk_suppressed FROM profiles ORDER BY ${byProfileId()}`
    )
  ).map((p) => ({
    ...roundRow(p, DIGITS.export),
    at_risk_suppressed: readSuppression(p.at_risk_suppressed as string | null)
  }));
  const traits = (await store.has("profile_traits")) ? await traitTable(store) : [];
  const sampled = await canSample(store, options);
  const total = sampled
    ? ((await store.one<{n: number}>(sql`SELECT count(*)::INTEGER AS n FROM customer_profiles`))
        ?.n ?? 0)
    : 0;
  const published = sampled ? await sample(store, options) : null;
  return {
    as_of: asOf,
    sample: published ? {...published.anonymity, total_customers: total} : null,
    features: published?.features ?? [],
    segments: published?.segments ?? [],
    profiles,
    traits
  };
}

/** A row of profile_traits: a trait and one profile's value on it. */
type TraitRow = Omit<ExploreTrait, "profiles"> & ExploreTraitValue & Row;

/** profile_traits, one entry per trait with every profile's value beside the base's. */
async function traitTable(store: Store): Promise<ExploreTrait[]> {
  const rows = (
    await store.all<TraitRow>(
      sql`SELECT feature, level, dimension, label, unit, kind, base_value, profile_id, profile_value,
         effect, effect_low, effect_high, coalesce(distinguishing, false) AS distinguishing,
         coalesce(suppressed, false) AS suppressed
       FROM profile_traits
       ORDER BY feature, level NULLS FIRST, ${byProfileId()}`
    )
  ).map((r) => roundRow(r, DIGITS.export));
  const traits = new Map<string, ExploreTrait>();
  for (const r of rows) {
    const key = `${r.feature}\u0000${r.level ?? ""}`;
    let trait = traits.get(key);
    if (!trait) {
      trait = {
        feature: r.feature,
        level: r.level,
        dimension: r.dimension,
        label: r.label,
        unit: r.unit,
        kind: r.kind,
        base_value: r.base_value,
        profiles: []
      };
      traits.set(key, trait);
    }
    trait.profiles.push({
      profile_id: r.profile_id,
      profile_value: r.profile_value,
      effect: r.effect,
      effect_low: r.effect_low,
      effect_high: r.effect_high,
      distinguishing: r.distinguishing,
      suppressed: r.suppressed
    });
  }
  return [...traits.values()];
}

/**
 * The Explore options a config gives: its sample size, salted by the clustering seed, and the
 * group size every combination of the sample's quasi-identifiers must cover.
 */
export function exploreOptions(config: {
  explore: {sample: number};
  clustering: {seed: number};
  privacy: {customerLevel: boolean; minGroupSize: number};
}): ExploreOptions {
  const sample = config.privacy.customerLevel ? config.explore.sample : 0;
  return {sample, seed: config.clustering.seed, minGroupSize: config.privacy.minGroupSize};
}
