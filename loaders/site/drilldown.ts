/**
 * Segments beside profiles, for the drill-down page: every segmentation with its segments, the
 * segment-by-profile crosstab, and inside each segment how its profiles differ on the features
 * that set the profiles apart. Every cell covers at least `minGroupSize` customers or is
 * published as null (suppressed).
 */
import {roundRow, suppress} from "./published.ts";
import {type Row, type Store} from "../core/store.ts";
import {byProfileId, ident, join, sql} from "../core/sql.ts";
import {segmentOutcomesQuery} from "../profile/outcomes.ts";
import type {
  KeyFeature,
  SegmentMeans,
  SegmentOutcome,
  SegmentsDocument
} from "../../src/contracts/segments.ts";

/** The features compared inside a segment: each profile's strongest few, numeric ones. */
const PER_PROFILE = 2;

/** The drill-down page's data. */
export async function segmentsVersusProfiles(
  store: Store,
  {minGroupSize: min}: {minGroupSize: number}
): Promise<SegmentsDocument> {
  if (!(await store.has("segment_profiles")) || !(await store.has("profiles")))
    return {
      min_group_size: min,
      customers_total: 0,
      profiles: [],
      features: [],
      segmentations: [],
      means: [],
      outcomes: []
    };
  const profiles = await store.all<{id: string; name: string; customers: number}>(
    sql`SELECT profile_id AS id, name, customers FROM profiles
     ORDER BY ${byProfileId()}`
  );
  const sizes = await store.all<{
    segment: string;
    value: string;
    position: number;
    customers: number | null;
  }>(
    sql`SELECT segment, value, position, customers FROM segment_sizes ORDER BY segment, position, value`
  );
  const crosstab = await store.all<{
    segment: string;
    value: string;
    profile_id: string;
    customers: number | null;
  }>(
    sql`SELECT segment, value, profile_id, customers FROM segment_profiles
     ORDER BY segment, position, value, profile_id`
  );
  const features = await keyFeatures(store);
  const means = await segmentMeans(store, features, min);
  const segmentations = [...new Set(sizes.map((s) => s.segment))].map((segment) => ({
    segment,
    segments: sizes
      .filter((s) => s.segment === segment)
      .map((s) => ({
        value: s.value,
        position: s.position,
        customers: s.customers === null ? null : suppress(s.customers, min),
        profiles: crosstab
          .filter((c) => c.segment === segment && c.value === s.value)
          .map((c) => ({
            profile_id: c.profile_id,
            customers: c.customers === null ? null : suppress(c.customers, min)
          }))
      }))
  }));
  return {
    min_group_size: min,
    customers_total: profiles.reduce((n, p) => n + p.customers, 0),
    profiles,
    features,
    segmentations,
    means,
    outcomes: (await store.has("outcome_rates"))
      ? await store.all<SegmentOutcome & Row>(segmentOutcomesQuery())
      : []
  };
}

/** Each profile's strongest distinguishing numeric features, once each, by rank. */
async function keyFeatures(store: Store): Promise<KeyFeature[]> {
  const present = await store.tableColumns("features");
  const rows = await store.all<KeyFeature & {best: number} & Row>(
    sql`SELECT feature, any_value(label) AS label, any_value(unit) AS unit, min(rank) AS best
     FROM profile_traits
     WHERE distinguishing AND level IS NULL AND kind = 'number' AND rank <= ${PER_PROFILE}
     GROUP BY feature ORDER BY best, feature`
  );
  return rows
    .filter((r) => present.has(r.feature))
    .map(({feature, label, unit}) => ({feature, label, unit}));
}

/**
 * Means of the key features per segment and profile, and per segment over all its profiles
 * (profile_id null); cells under min customers, and cells and segments the crosstab suppresses
 * as complements, are left out.
 */
async function segmentMeans(
  store: Store,
  features: KeyFeature[],
  min: number
): Promise<SegmentMeans[]> {
  if (features.length === 0) return [];
  const means = join(
    // a mean over fewer than min values (survey scales cover only respondents) is left out
    features.map((f) => {
      const x = sql`f.${ident(f.feature)}`;
      return sql`CASE WHEN count(${x}) >= ${min} THEN avg(${x})::DOUBLE END AS ${ident(f.feature)}`;
    })
  );
  // a cell or segment the crosstab suppresses (a complement may be large) is left out too: its
  // row would publish the count the crosstab hides
  const rows = await store.all<SegmentMeans>(
    sql`SELECT m.* FROM (
       SELECT s.segment, s.value, c.profile_id, count(*)::INTEGER AS customers, ${means}
       FROM customer_segments s
       JOIN customer_profiles c USING (customer_id)
       JOIN features f USING (customer_id)
       GROUP BY GROUPING SETS ((s.segment, s.value, c.profile_id), (s.segment, s.value))
       HAVING count(*) >= ${min}
     ) m
     WHERE NOT EXISTS (SELECT 1 FROM segment_profiles p WHERE p.suppressed
         AND p.segment = m.segment AND p.value = m.value AND p.profile_id = m.profile_id)
       AND NOT EXISTS (SELECT 1 FROM segment_sizes z WHERE z.suppressed AND m.profile_id IS NULL
         AND z.segment = m.segment AND z.value = m.value)
     ORDER BY m.segment, m.value, m.profile_id NULLS FIRST`
  );
  return rows.map((r) => roundRow(r));
}
