/**
 * The analyst workbench (the Explore page): a seeded sample of customers, customer-level, for
 * the projection, the brush and SQL in the browser, and beside it what the page needs to label
 * and compare them (the feature catalog, the profiles and their traits).
 *
 * Customer-level means pseudonymous ids and derived features only: customer_id, profile_id,
 * segment values, P(alive), 12-month value, at risk, and the measured numeric features. No
 * e-mail, phone, name or street ever reaches this output, whatever the config says: the
 * features table holds none, and only catalogued numeric features are selected from it.
 */
import {DIGITS, round, roundRow} from "./published.ts";
import {rowsToArrow} from "./arrow.ts";
import {readCatalog} from "../profile/features.ts";
import {type Row, type Store} from "../core/store.ts";
import {byProfileId, ident, join, sql, val} from "../core/sql.ts";
import type {
  ExploreDocument,
  ExploreFeature,
  ExploreProfile,
  ExploreRow,
  ExploreSegment,
  ExploreTrait,
  ExploreTraitValue
} from "../../src/contracts/explore.ts";

export interface ExploreOptions {
  /** Customers in the sample; 0 leaves customer-level data out. */
  sample: number;
  /** Salts the sample's hash, so a project can draw another one. */
  seed: number;
}

/** The sample's value and risk columns, from customer_value. */
const VALUE_COLUMNS = ["p_alive", "expected_value_12m", "at_risk"] as const;

/** The numeric features the sample can carry: measured, catalogued, and a column of `features`. */
async function sampleFeatures(store: Store): Promise<(ExploreFeature & {type: string})[]> {
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
 * The sample's rows, sorted by customer id: a seeded random draw of options.sample profiled
 * customers (md5 of id and seed, a hash that does not change between DuckDB versions), each with
 * their profile, segments, value, risk and numeric features; DOUBLE values rounded to six
 * significant digits so the same store always gives the same bytes.
 */
export async function exploreRows(
  store: Store,
  options: ExploreOptions
): Promise<{rows: ExploreRow[]; float32: string[]}> {
  if (!(await canSample(store, options))) return {rows: [], float32: []};
  const features = await sampleFeatures(store);
  const segments = await sampleSegments(store);
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

/**
 * The sample as Arrow IPC (explore.arrow), which DuckDB-Wasm reads without an extension: ids and
 * segments dictionary-encoded, measures as Float32 (their seventh digit never matters here),
 * counts as the smallest integer type that holds them.
 */
export async function exploreArrow(store: Store, options: ExploreOptions): Promise<Uint8Array> {
  const {rows, float32} = await exploreRows(store, options);
  return rowsToArrow(rows, {float32, utf8: ["customer_id"]});
}

/** Everything the Explore page shows beside the sample: catalog, profiles, traits, sample size. */
export async function exploreDocument(
  store: Store,
  options: ExploreOptions
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
      sql`SELECT profile_id AS id, name, customers, share, value_12m, p_alive, at_risk_share
       FROM profiles ORDER BY ${byProfileId()}`
    )
  ).map((p) => roundRow(p, DIGITS.export));
  const traits = (await store.has("profile_traits")) ? await traitTable(store) : [];
  const sampled = await canSample(store, options);
  const total = sampled
    ? ((await store.one<{n: number}>(sql`SELECT count(*)::INTEGER AS n FROM customer_profiles`))
        ?.n ?? 0)
    : 0;
  return {
    as_of: asOf,
    sample: sampled ? {customers: Math.min(options.sample, total), total_customers: total} : null,
    features: sampled ? (await sampleFeatures(store)).map(({type: _, ...f}) => f) : [],
    segments: sampled ? await sampleSegments(store) : [],
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

/** The Explore options a config gives: its sample size, salted by the clustering seed. */
export function exploreOptions(config: {
  explore: {sample: number};
  clustering: {seed: number};
  privacy: {customerLevel: boolean};
}): ExploreOptions {
  const sample = config.privacy.customerLevel ? config.explore.sample : 0;
  return {sample, seed: config.clustering.seed};
}
