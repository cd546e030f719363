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
import {complement, crosstab} from "../core/margins.ts";
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
  const flags = features.filter((f) => f.unit === "flag");
  if (flags.length === 0) return rows.map((r) => roundRow(r));
  const columns = join(flags.map((f) => sql`${ident(f.feature)}::DOUBLE AS ${ident(f.feature)}`));
  const counts = await store.all<FlagCount & Row>(
    sql`SELECT s.segment, s.value, c.profile_id, u.feature, sum(u.v)::INTEGER AS ones,
       count(*)::INTEGER AS n
     FROM customer_segments s JOIN customer_profiles c USING (customer_id)
     JOIN (UNPIVOT (SELECT customer_id, ${columns} FROM features)
       ON ${join(flags.map((f) => ident(f.feature)))} INTO NAME feature VALUE v) u USING (customer_id)
     GROUP BY ALL ORDER BY ALL`
  );
  return protectFlagMeans(rows, counts, flags, min).map((r) => roundRow(r));
}

/** Customers of a segment in a profile with a flag's value, and those with the flag. */
export interface FlagCount {
  segment: string;
  value: string;
  profile_id: string;
  feature: string;
  ones: number;
  n: number;
}

/**
 * The segments' means with each flag's made safe: a flag's mean is a share, and times the row's
 * customers it counts those with the flag and those without. A mean that counts 1 to min − 1 of
 * either is published as null, and so are complements across each segmentation's segments ×
 * profiles (core/margins.ts), whose totals readers know: the segment's mean over all its
 * profiles (its own row, which may be hidden too) and each profile's (its trait).
 */
export function protectFlagMeans(
  rows: SegmentMeans[],
  counts: readonly FlagCount[],
  flags: readonly KeyFeature[],
  min: number
): SegmentMeans[] {
  const out = rows.map((r) => ({...r}));
  const row = (segment: string, value: string, profile: string | null) =>
    out.find((r) => r.segment === segment && r.value === value && r.profile_id === profile);
  const small = (x: number) => x > 0 && x < min;
  const profiles = [...new Set(counts.map((c) => c.profile_id))].sort();
  for (const {feature} of flags)
    for (const segment of [...new Set(counts.map((c) => c.segment))].sort()) {
      const mine = counts.filter((c) => c.feature === feature && c.segment === segment);
      const values = [...new Set(mine.map((c) => c.value))].sort();
      const {sums, size} = crosstab(values.length, profiles.length);
      const ones = new Array<number>(size).fill(0);
      const all = new Array<number>(size).fill(0);
      const cells = values.length * profiles.length;
      for (const c of mine) {
        const r = values.indexOf(c.value);
        const k = profiles.indexOf(c.profile_id);
        for (const i of [r * profiles.length + k, cells + r, cells + values.length + k, size - 1]) {
          ones[i] += c.ones;
          all[i] += c.n;
        }
      }
      // what no row publishes is unknown already; a mean that counts a small group is hidden
      const published = (i: number) => {
        if (i >= cells + values.length) return true;
        const m =
          i < cells
            ? row(segment, values[Math.floor(i / profiles.length)], profiles[i % profiles.length])
            : row(segment, values[i - cells], null);
        return m !== undefined && m[feature] !== null;
      };
      // a profile with no customers in a segment has none with the flag: readers know it
      const none = (i: number) => i < cells && all[i] === 0;
      const hidden = ones.map(
        (x, i) =>
          i < cells + values.length && !none(i) && (!published(i) || small(x) || small(all[i] - x))
      );
      const fixed = new Set(
        ones.map((_, i) => i).filter((i) => i >= cells + values.length || none(i))
      );
      const shown = complement(ones, hidden, sums, {fixed});
      shown.forEach((x, i) => {
        if (!x || i >= cells + values.length) return;
        const m =
          i < cells
            ? row(segment, values[Math.floor(i / profiles.length)], profiles[i % profiles.length])
            : row(segment, values[i - cells], null);
        if (m) m[feature] = null;
      });
    }
  return out;
}
