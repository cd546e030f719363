/**
 * One profile's report page, `/profiles/<id>`: its document, its traits against the whole base
 * as distributions, its geography, how it spreads across the segments, its quality scores and
 * the analysts' notes. Every count in it covers at least `minGroupSize` customers: a smaller
 * cell is published as null (suppressed), never as its number.
 */
import {reportHints} from "./hints.ts";
import {profilesDocument} from "./profiles.ts";
import {round, roundRow, suppress} from "./published.ts";
import {requireProfile} from "./navigation.ts";
import {listValue} from "@duckdb/node-api";
import {type Row, type Store} from "../core/store.ts";
import {ident, join, sql, val, type SQL} from "../core/sql.ts";
import {complement, protectCrosstab, type Sum} from "../core/margins.ts";
import type {
  CountryShare,
  Distribution,
  Geography,
  ProfileReport,
  RegionShare,
  ReportTrait,
  SegmentShare
} from "../../src/contracts/report.ts";

export interface ReportOptions {
  /** The smallest number of customers any published figure may cover. */
  minGroupSize: number;
  /** The preview (`npm run dev`): the report carries developer hints (loaders/site/hints.ts). */
  preview?: boolean;
}

/** A numeric column the report draws as a distribution, and where it lives. */
interface Column {
  table: "features" | "customer_value";
  feature: string;
  label: string;
  unit: string;
  dimension: string;
  transform: string;
}

/** Columns of customer_value drawn in the value section. */
const VALUE_COLUMNS: Column[] = [
  {
    table: "customer_value",
    feature: "p_alive",
    label: "Still active (P(alive))",
    unit: "share",
    dimension: "value",
    transform: "none"
  },
  {
    table: "customer_value",
    feature: "expected_value_12m",
    label: "Expected value over the next 12 months",
    unit: "currency",
    dimension: "value",
    transform: "log"
  }
];

const BINS = 16;
/** No histogram has more bins than this, whatever the range of its values (pages stay small). */
export const MAX_BINS = 40;

/** A category's levels on the page: the most common ones in the base. */
const TOP_LEVELS = 12;

/** The report of profile id (a profile of this build, or an error naming the ones there are). */
export async function profileReport(
  store: Store,
  id: string | undefined,
  options: ReportOptions
): Promise<Omit<ProfileReport, "changes">> {
  const profileId = await requireProfile(store, id);
  const doc = await profilesDocument(store);
  const profiles = doc.profiles;
  // Its distinguishing traits are in `traits` below, with the rest of what the page draws.
  const {traits: _, ...profile} = profiles.find((p) => p.id === profileId)!;
  const min = options.minGroupSize;
  return {
    as_of: doc.as_of,
    k: doc.k,
    silhouette: doc.silhouette,
    min_group_size: min,
    customers_total: await total(store),
    profile,
    others: profiles.map((p) => ({id: p.id, name: p.name})),
    traits: await traitRows(store, profileId),
    distributions: await distributions(store, profileId, min),
    geography: await geography(store, profileId, min),
    segments: await segmentSpread(store, profileId, min),
    hints: reportHints(profileId, {preview: options.preview ?? false})
  };
}

async function total(store: Store): Promise<number> {
  const row = await store.one<{n: number}>(
    sql`SELECT count(*)::INTEGER AS n FROM customer_profiles`
  );
  return row?.n ?? 0;
}

/**
 * The traits the page draws: the distinguishing ones, a category's most common levels and every
 * flag; never more than MAX_BINS levels of one category (a number read as a category has a
 * level per value).
 */
export async function traitRows(store: Store, profileId: string): Promise<ReportTrait[]> {
  const rows = await store.all<ReportTrait & Row>(
    sql`SELECT feature, level, dimension, label, unit, kind, profile_value, base_value, lift, effect,
       effect_low, effect_high, coverage, customers, suppressed, distinguishing, rank, levels
     FROM (
       SELECT *,
         row_number() OVER (PARTITION BY feature ORDER BY base_value DESC NULLS LAST, level) AS place,
         count(*) OVER (PARTITION BY feature) AS levels
       FROM profile_traits WHERE profile_id = ${val(profileId)}
     )
     WHERE (distinguishing OR unit = 'flag' OR (kind = 'category' AND place <= ${TOP_LEVELS}))
       AND (kind <> 'category' OR place <= ${MAX_BINS})
     ORDER BY dimension, rank NULLS LAST, abs(effect) DESC NULLS LAST, feature, level`
  );
  return rows.map((r) => roundRow(r));
}

/** The numeric features worth a histogram: measured, not a 0/1 flag, not a count of events. */
async function distributionColumns(store: Store): Promise<Column[]> {
  const features = await store.all<Column & {position: number} & Record<string, unknown>>(
    sql`SELECT 'features' AS "table", feature, label, unit, dimension, transform, position
     FROM feature_catalog
     WHERE measured AND kind = 'number' AND unit <> 'flag'
     ORDER BY position`
  );
  const present = await store.tableColumns("features");
  return [
    ...features.filter((f) => present.has(f.feature)).map(({position: _, ...f}) => f),
    ...((await store.has("customer_value")) ? VALUE_COLUMNS : [])
  ];
}

/** How a column's values are cut: bin i holds edges[i] ≤ v < edges[i + 1] (the ends hold the rest). */
interface Binning {
  edges: number[];
  clipped: boolean;
}

type ColumnStats = {p01: number; p99: number; min: number; max: number; whole: boolean};

/**
 * Bins from the whole base: shares on [0, 1] in tenths; scores on half points (1, 1.5, … 5)
 * while that makes at most MAX_BINS; small whole numbers one by one; larger counts on a log
 * scale cut at whole numbers; skewed amounts on a log scale; anything else evenly between the
 * 1st and 99th percentiles (values beyond fall into the end bins). Never more than MAX_BINS.
 */
export function binning(column: {unit: string; transform: string}, s: ColumnStats): Binning | null {
  if (s.p01 === null || s.p99 === null || s.min === null || s.max === null) return null;
  if (column.unit === "share") return {edges: steps(0, 1, 0.1), clipped: false};
  const [halfLo, halfHi] = [Math.floor(s.min * 2) / 2, Math.ceil(s.max * 2) / 2];
  if (column.unit === "score" && (halfHi - halfLo) * 2 + 1 <= MAX_BINS)
    return {edges: steps(halfLo - 0.25, halfHi + 0.25, 0.5), clipped: false};
  if (s.whole && s.max - s.min <= 24)
    return {edges: steps(s.min - 0.5, s.max + 0.5, 1), clipped: false};
  const lo = s.p01;
  const hi = s.p99 > s.p01 ? s.p99 : s.p01 + 1;
  const clipped = s.min < lo || s.max > hi;
  const log = column.transform === "log" && lo >= 0;
  let edges = Array.from({length: BINS + 1}, (_, i) =>
    log
      ? Math.expm1(Math.log1p(lo) + ((Math.log1p(hi) - Math.log1p(lo)) * i) / BINS)
      : lo + ((hi - lo) * i) / BINS
  );
  // whole numbers are cut between them, so no bin is empty by construction
  if (s.whole) edges = [...new Set(edges.map((e) => Math.round(e) - 0.5))];
  return {edges: edges.map((e) => round(e)!), clipped};
}

/** lo, lo + step, … hi, without floating-point drift. */
function steps(lo: number, hi: number, step: number): number[] {
  const n = Math.round((hi - lo) / step);
  return Array.from({length: n + 1}, (_, i) => round(lo + i * step)!);
}

/** The profile's distribution against the base's, feature by feature, on the base's bins. */
async function distributions(
  store: Store,
  profileId: string,
  min: number
): Promise<Distribution[]> {
  const columns = await distributionColumns(store);
  const traits = new Map(
    (
      await store.all<{
        feature: string;
        effect: number | null;
        distinguishing: boolean;
        rank: number | null;
      }>(
        sql`SELECT feature, effect, distinguishing, rank FROM profile_traits
         WHERE profile_id = ${val(profileId)} AND level IS NULL ORDER BY feature`
      )
    ).map((t) => [t.feature, t])
  );
  if (columns.length === 0) return [];
  // Every column in one long table (customer, feature, value), so the whole report is two
  // passes over the data, not two queries per feature.
  const long = longValues(columns, profileId);
  const stats = new Map(
    (
      await store.all<ColumnStats & {feature: string; profile_median: number; base_median: number}>(
        sql`WITH long AS (${long})
         SELECT feature, quantile_cont(v, 0.01) AS p01, quantile_cont(v, 0.99) AS p99,
           min(v) AS min, max(v) AS max, coalesce(bool_and(v = round(v)), false) AS whole,
           median(v) FILTER (WHERE mine) AS profile_median, median(v) AS base_median
         FROM long GROUP BY feature ORDER BY feature`
      )
    ).map((r) => [r.feature, r])
  );
  const cuts = columns
    .map((column) => ({column, stats: stats.get(column.feature)}))
    .map(({column, stats}) => ({column, stats, b: stats ? binning(column, stats) : null}))
    .filter(
      (c): c is {column: Column; stats: NonNullable<typeof c.stats>; b: Binning} => c.b !== null
    );
  if (cuts.length === 0) return [];
  const features = listValue(cuts.map((c) => c.column.feature));
  const inner = val(JSON.stringify(cuts.map((c) => c.b.edges.slice(1, -1))));
  // Every profile's counts, not only this one's: a bin is the row of a crosstab (bins ×
  // profiles) whose totals the reports publish, suppressed as a whole (core/margins.ts).
  const counts = await store.all<{feature: string; bin: number; profile_id: string; n: number}>(
    sql`WITH long AS (${long}),
     cuts AS (SELECT unnest(${features}) AS feature, unnest(${inner}::VARCHAR::DOUBLE[][]) AS bounds)
     SELECT feature, len(list_filter(bounds, lambda e: e <= v))::INTEGER AS bin, profile_id,
       count(*)::INTEGER AS n
     FROM long JOIN cuts USING (feature)
     GROUP BY ALL ORDER BY feature, bin, profile_id`
  );
  const profiles = [...new Set(counts.map((c) => c.profile_id))].sort();
  const me = profiles.indexOf(profileId);
  const out: Distribution[] = [];
  for (const {column, stats, b} of cuts) {
    const bins = b.edges.length - 1;
    const table = Array.from({length: bins}, () => new Array<number>(profiles.length).fill(0));
    for (const c of counts)
      if (c.feature === column.feature) table[c.bin][profiles.indexOf(c.profile_id)] = c.n;
    const totals = profiles.map((_, k) => table.reduce((n, row) => n + row[k], 0));
    const profileTotal = me < 0 ? 0 : totals[me];
    const baseTotal = totals.reduce((n, t) => n + t, 0);
    if (profileTotal < min) continue;
    // a profile with fewer than min values has no histogram: its column is not published
    const hidden = new Set(totals.flatMap((t, k) => (t < min ? [k] : [])));
    const shown = protectCrosstab(table, min, {fixedColumns: true, hidden});
    const trait = traits.get(column.feature);
    out.push({
      feature: column.feature,
      label: column.label,
      unit: column.unit,
      dimension: column.dimension,
      effect: round(trait?.effect),
      distinguishing: trait?.distinguishing ?? false,
      rank: trait?.rank ?? null,
      clipped: b.clipped,
      profile_median: round(stats.profile_median),
      base_median: round(stats.base_median),
      bins: {
        edges: b.edges,
        customers: table.map((row, i) => (shown.cells[i][me] ? null : row[me])),
        base_customers: table.map((row, i) =>
          shown.rows[i] ? null : row.reduce((n, x) => n + x, 0)
        ),
        profile_customers: profileTotal,
        all_customers: baseTotal
      }
    });
  }
  return out;
}

/**
 * The columns' finite values as one long table: mine (the customer is in profile profileId),
 * feature, v. UNPIVOT leaves missing values out.
 */
export function longValues(
  columns: readonly Pick<Column, "table" | "feature">[],
  profileId: string
): SQL {
  const tables = [...new Set(columns.map((c) => c.table))].sort();
  const parts = tables.map((table) => {
    const names = columns.filter((c) => c.table === table).map((c) => ident(c.feature));
    const select = join(names.map((n) => sql`${n}::DOUBLE AS ${n}`));
    return sql`SELECT customer_id, feature, v FROM (
      UNPIVOT (SELECT customer_id, ${select} FROM ${ident(table)}) ON ${join(names)}
      INTO NAME feature VALUE v)`;
  });
  return sql`SELECT c.profile_id = ${val(profileId)} AS mine, u.feature, u.v, c.profile_id
    FROM (${join(parts, " UNION ALL ")}) u JOIN customer_profiles c USING (customer_id)
    WHERE isfinite(u.v)`;
}

/**
 * Where the profile's customers live: per country and per region (with the region's mean
 * position from the enriched coordinates), against the base. Places with fewer than min
 * customers in the base are left out; profile counts under min are suppressed, with their
 * complements (protectPlaces).
 */
async function geography(store: Store, profileId: string, min: number): Promise<Geography> {
  const columns = await store.tableColumns("customers");
  if (!columns.has("country")) return {countries: [], regions: []};
  const place = async <T extends CountryShare>(keys: string[], where: SQL) => {
    const position =
      columns.has("latitude") && columns.has("longitude")
        ? sql`avg(k.latitude) AS latitude, avg(k.longitude) AS longitude,`
        : sql`NULL::DOUBLE AS latitude, NULL::DOUBLE AS longitude,`;
    const keyColumns = join(keys.map((k) => sql`k.${ident(k)}`));
    const rows = await store.all<T & {customers: number} & Row>(
      sql`SELECT ${keyColumns}, ${position}
         count(*) FILTER (WHERE c.profile_id = ${val(profileId)})::INTEGER AS customers,
         count(*)::INTEGER AS base_customers
       FROM customers k JOIN customer_profiles c USING (customer_id)
       WHERE ${where}
       GROUP BY ALL HAVING count(*) >= ${min}
       ORDER BY ${keyColumns}`
    );
    // Every profile's customers in each place: the places × profiles crosstab whose totals the
    // reports publish (the base's customers there, each profile's share), suppressed as a whole.
    const cells = await store.all<{place: string; profile_id: string; n: number}>(
      sql`SELECT concat_ws(chr(31), ${keyColumns}) AS place, c.profile_id, count(*)::INTEGER AS n
       FROM customers k JOIN customer_profiles c USING (customer_id)
       WHERE ${where}
       GROUP BY ALL ORDER BY place, c.profile_id`
    );
    const placeOf = (r: Row) => keys.map((k) => String(r[k])).join("\x1f");
    const index = new Map(rows.map((r, i) => [placeOf(r), i]));
    return {rows, cells, index};
  };
  const countries = await place<CountryShare>(["country"], sql`k.country IS NOT NULL`);
  const regions = columns.has("region")
    ? await place<RegionShare>(
        ["country", "region"],
        sql`k.country IS NOT NULL AND k.region IS NOT NULL`
      )
    : null;
  const profiles = [...new Set(countries.cells.map((c) => c.profile_id))].sort();
  const me = profiles.indexOf(profileId);
  const table = (p: typeof countries) => {
    const out = p.rows.map(() => new Array<number>(profiles.length).fill(0));
    for (const c of p.cells) {
      const i = p.index.get(c.place);
      if (i !== undefined) out[i][profiles.indexOf(c.profile_id)] = c.n;
    }
    return out;
  };
  const shown = protectPlaces(
    {counts: table(countries), names: countries.rows.map((r) => String(r.country))},
    regions
      ? {counts: table(regions), names: regions.rows.map((r) => String(r.country))}
      : {counts: [], names: []},
    min
  );
  const publish = <T extends CountryShare>(
    rows: (T & {customers: number})[],
    hidden: boolean[][]
  ) => {
    const profileTotal = rows.reduce((n, r) => n + r.customers, 0);
    const baseTotal = rows.reduce((n, r) => n + r.base_customers, 0);
    return rows.map((r, i) => {
      const n = me >= 0 && hidden[i][me] ? null : r.customers;
      return roundRow({
        ...r,
        customers: n,
        share: n === null || profileTotal === 0 ? null : n / profileTotal,
        base_share: r.base_customers / baseTotal
      });
    });
  };
  return {
    countries: publish(countries.rows, shown.countries),
    regions: regions
      ? publish(regions.rows as (RegionShare & {customers: number})[], shown.regions)
      : []
  };
}

/** A map's places × profiles: each place's customers in each profile, and the place's country. */
interface PlaceTable {
  counts: readonly (readonly number[])[];
  /** The country of each place (a country's own name for the countries). */
  names: readonly string[];
}

/**
 * Which cells of the countries × profiles and regions × profiles crosstabs to publish as
 * suppressed: the small ones and their complements, so that none follows by subtraction from
 * the places' and profiles' totals (each published), nor from the nesting of regions in their
 * country: a country's regions and what they leave out (customers of no published region, whose
 * total in the base is the country's less its regions') add up to the country in each profile.
 * The remainder is published nowhere: never chosen, and its own recovery does not matter.
 */
export function protectPlaces(
  countries: PlaceTable,
  regions: PlaceTable,
  min: number
): {countries: boolean[][]; regions: boolean[][]} {
  const P = countries.counts[0]?.length ?? regions.counts[0]?.length ?? 0;
  const counts: number[] = [];
  const suppressed: boolean[] = [];
  const fixed = new Set<number>();
  const ignore = new Set<number>();
  const sums: Sum[] = [];
  const add = (n: number, {hidden = false, chosen = true} = {}) => {
    counts.push(n);
    suppressed.push(hidden);
    if (!chosen) fixed.add(counts.length - 1);
    return counts.length - 1;
  };
  const small = (n: number) => n > 0 && n < min;
  const crosstab = (t: PlaceTable) => {
    const cells = t.counts.map((row) => row.map((n) => add(n, {hidden: small(n)})));
    const sum = (xs: number[]) => xs.reduce((a, i) => a + counts[i], 0);
    const rows = cells.map((row) => add(sum(row), {chosen: false}));
    const columns = Array.from({length: P}, (_, k) =>
      add(sum(cells.map((row) => row[k])), {chosen: false})
    );
    const grand = add(sum(rows), {chosen: false});
    cells.forEach((row, r) => sums.push({parts: row, total: rows[r]}));
    columns.forEach((c, k) => sums.push({parts: cells.map((row) => row[k]), total: c}));
    sums.push({parts: rows, total: grand}, {parts: columns, total: grand});
    return cells;
  };
  const c = crosstab(countries);
  const r = crosstab(regions);
  countries.names.forEach((country, i) => {
    const mine = regions.names.flatMap((name, j) => (name === country ? [j] : []));
    if (mine.length === 0) return;
    const rest = Array.from({length: P}, (_, k) => {
      const n = counts[c[i][k]] - mine.reduce((a, j) => a + counts[r[j][k]], 0);
      const cell = add(n, {chosen: false});
      sums.push({parts: [...mine.map((j) => r[j][k]), cell], total: c[i][k]});
      return cell;
    });
    const total = add(
      rest.reduce((a, j) => a + counts[j], 0),
      {chosen: false}
    );
    sums.push({parts: rest, total});
    // a remainder of customers is unknown to readers, unless the base has none
    if (counts[total] > 0)
      for (const j of rest) {
        suppressed[j] = true;
        ignore.add(j);
      }
  });
  const out = complement(counts, suppressed, sums, {fixed, ignore});
  return {
    countries: c.map((row) => row.map((i) => out[i])),
    regions: r.map((row) => row.map((i) => out[i]))
  };
}

/** The profile across each segmentation: its customers in every segment, and their share. */
async function segmentSpread(
  store: Store,
  profileId: string,
  min: number
): Promise<SegmentShare[]> {
  if (!(await store.has("segment_profiles"))) return [];
  const size = await store.one<{n: number}>(
    sql`SELECT count(*)::INTEGER AS n FROM customer_profiles WHERE profile_id = ${val(profileId)}`
  );
  const rows = await store.all<Omit<SegmentShare, "share" | "share_of_segment"> & Row>(
    sql`SELECT z.segment, z.value, z.position,
       CASE WHEN p.profile_id IS NULL THEN 0 ELSE p.customers END AS customers,
       coalesce(p.suppressed, false) AS suppressed, z.customers AS segment_customers
     FROM segment_sizes z
     LEFT JOIN segment_profiles p
       ON p.segment = z.segment AND p.value = z.value AND p.profile_id = ${val(profileId)}
     ORDER BY z.segment, z.position, z.value`
  );
  const profileSize = size?.n || 1;
  return rows.map((r) => {
    const n = r.customers === null ? null : suppress(r.customers, min);
    return roundRow({
      ...r,
      customers: n,
      suppressed: n === null,
      // of the profile's customers, the share in this segment; of the segment's, the profile's
      share: n === null ? null : n / profileSize,
      share_of_segment: n === null || !r.segment_customers ? null : n / r.segment_customers
    });
  });
}
