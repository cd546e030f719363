/**
 * Segments: broad groups on one or two variables (bins for numbers, groups for categories),
 * beside the multi-dimensional profiles. Every customer gets one value per segmentation, and
 * the segment × profile crosstab is computed here, with every cell below the privacy minimum
 * suppressed, and then as many more cells as it takes (complementary suppression,
 * core/margins.ts) so that no suppressed cell follows from the segments' sizes, the profiles'
 * sizes and the published cells by subtraction.
 *
 * Tables: customer_segments (customer_id, segment, value), segment_sizes, segment_profiles.
 */
import type {SegmentVariable} from "../config/project.ts";
import type {CatalogEntry} from "./features.ts";
import {type Store} from "../core/store.ts";
import {byProfileId, ident, join, sql, val, valueList, type SQL} from "../core/sql.ts";
import {complement, crosstab} from "../core/margins.ts";

export interface SegmentSummary {
  segment: string;
  variables: string[];
  values: number;
}

const INTEGER_UNITS = new Set([
  "years",
  "people",
  "orders",
  "tickets",
  "sessions",
  "days",
  "items"
]);

const number = (x: number) => x.toLocaleString("en-US", {maximumFractionDigits: 2});

/** Bin labels: "under 25", "25–34", …, "65 and over" (whole units), or "25–35" otherwise. */
export function binLabels(bins: number[], unit: string): string[] {
  const whole = INTEGER_UNITS.has(unit) && bins.every(Number.isInteger);
  const labels = [`under ${number(bins[0])}`];
  for (let i = 0; i + 1 < bins.length; i++) {
    const last = whole ? bins[i + 1] - 1 : bins[i + 1];
    labels.push(last === bins[i] ? number(last) : `${number(bins[i])}–${number(last)}`);
  }
  labels.push(`${number(bins[bins.length - 1])} and over`);
  return labels;
}

/** Where "unknown" sorts among a variable's values: last. */
const UNKNOWN_POSITION = 999;

/**
 * The SQL label of one variable for the customer in `features` (alias f), and the SQL of its
 * sort position (bins in order, categories alphabetically after, unknown last).
 */
export function variableSql(
  variable: SegmentVariable,
  feature: CatalogEntry
): {label: SQL; position: SQL} {
  const column = sql`f.${ident(variable.feature)}`;
  if ("bins" in variable) {
    if (feature.kind !== "number") {
      throw new Error(`segments: "${variable.feature}" is a category: give it groups, not bins`);
    }
    const bins = [...variable.bins];
    for (let i = 1; i < bins.length; i++) {
      if (!(bins[i] > bins[i - 1])) {
        throw new Error(
          `segments: the bins of "${variable.feature}" must increase: ${bins.join(", ")}`
        );
      }
    }
    const labels = binLabels(bins, feature.unit);
    const cases = bins.map((b, i) => sql`WHEN ${column} < ${b} THEN ${val(labels[i])}`);
    const positions = bins.map((b, i) => sql`WHEN ${column} < ${b} THEN ${i}`);
    return {
      label: sql`CASE WHEN ${column} IS NULL THEN 'unknown' ${join(cases, " ")} ELSE ${val(labels[bins.length])} END`,
      position: sql`CASE WHEN ${column} IS NULL THEN ${UNKNOWN_POSITION} ${join(positions, " ")} ELSE ${bins.length} END`
    };
  }
  if (feature.kind !== "category") {
    throw new Error(`segments: "${variable.feature}" is a number: give it bins`);
  }
  const groups = Object.entries(variable.groups ?? {});
  const cases = groups.map(
    ([label, values]) => sql`WHEN ${column} IN (${valueList(values)}) THEN ${val(label)}`
  );
  return {
    label: sql`CASE WHEN ${column} IS NULL THEN 'unknown' ${join(cases, " ")} ELSE ${column}::VARCHAR END`,
    position: sql`CASE WHEN ${column} IS NULL THEN ${UNKNOWN_POSITION} ELSE 0 END`
  };
}

/** Assigns every customer to a value of each segmentation and writes the crosstabs. */
export async function buildSegments(
  store: Store,
  segments: Record<string, SegmentVariable[]>,
  catalog: CatalogEntry[],
  {minGroupSize, skipUnmeasured}: {minGroupSize: number; skipUnmeasured: boolean},
  log: (line: string) => void = () => {}
): Promise<SegmentSummary[]> {
  const byId = new Map(catalog.map((f) => [f.id, f]));
  const parts: SQL[] = [];
  const summaries: SegmentSummary[] = [];
  for (const [name, variables] of Object.entries(segments).sort(([a], [b]) => a.localeCompare(b))) {
    const missing = variables.filter((v) => !byId.get(v.feature)?.measured);
    if (missing.length > 0) {
      const why = missing
        .map(
          (v) =>
            `"${v.feature}" ${byId.has(v.feature) ? `is not measured (${byId.get(v.feature)!.note})` : "is not a feature"}`
        )
        .join("; ");
      if (skipUnmeasured) {
        log(`segment ${name} left out: ${why}`);
        continue;
      }
      throw new Error(
        `segments.${name}: ${why}; see the feature catalog for the features there are`
      );
    }
    const labels = variables.map((v) => variableSql(v, byId.get(v.feature)!));
    const value =
      labels.length === 1
        ? labels[0].label
        : sql`${labels[0].label} || ' · ' || ${labels[1].label}`;
    const position =
      labels.length === 1
        ? labels[0].position
        : sql`(${labels[0].position}) * 1000 + (${labels[1].position})`;
    parts.push(
      sql`SELECT f.customer_id, ${val(name)} AS segment, ${value} AS value, ${position} AS position FROM features f`
    );
    summaries.push({segment: name, variables: variables.map((v) => v.feature), values: 0});
  }
  await store.run(
    sql`CREATE OR REPLACE TABLE customer_segments (customer_id VARCHAR, segment VARCHAR, value VARCHAR, position INTEGER)`
  );
  if (parts.length > 0) {
    await store.run(
      sql`INSERT INTO customer_segments ${join(parts, " UNION ALL ")} ORDER BY segment, customer_id`
    );
  }
  await store.run(
    sql`CREATE OR REPLACE TABLE segment_sizes AS
        SELECT segment, value, min(position) AS position,
          CASE WHEN count(*) >= ${minGroupSize} THEN count(*) END::INTEGER AS customers,
          count(*) < ${minGroupSize} AS suppressed
        FROM customer_segments GROUP BY segment, value ORDER BY segment, position, value`
  );
  await store.run(
    sql`CREATE OR REPLACE TABLE segment_profiles AS
        SELECT s.segment, s.value, min(s.position) AS position, p.profile_id,
          CASE WHEN count(*) >= ${minGroupSize} THEN count(*) END::INTEGER AS customers,
          count(*) < ${minGroupSize} AS suppressed
        FROM customer_segments s JOIN customer_profiles p USING (customer_id)
        GROUP BY s.segment, s.value, p.profile_id
        ORDER BY s.segment, position, s.value, ${byProfileId(sql`p.profile_id`)}`
  );
  await protectCrosstabs(store, minGroupSize);
  for (const s of summaries) {
    const row = await store.one<{n: number}>(
      sql`SELECT count(*)::INTEGER AS n FROM segment_sizes WHERE segment = ${val(s.segment)}`
    );
    s.values = row?.n ?? 0;
  }
  return summaries;
}

/**
 * Complementary suppression of each segmentation's crosstab: segments (rows, their sizes the
 * row totals) by profiles (columns, their sizes published on every page), so that no suppressed
 * cell or segment size can be recovered by subtraction. The cells it chooses are marked as
 * suppressed like the small ones.
 */
async function protectCrosstabs(store: Store, minGroupSize: number): Promise<void> {
  const cells = await store.all<{segment: string; value: string; profile_id: string; n: number}>(
    sql`SELECT segment, value, profile_id, count(*)::INTEGER AS n
        FROM customer_segments JOIN customer_profiles USING (customer_id)
        GROUP BY segment, value, profile_id ORDER BY segment, value, ${byProfileId()}`
  );
  const profiles = [...new Set(cells.map((c) => c.profile_id))];
  const hidden: {segment: string; value: string; profile_id: string | null}[] = [];
  for (const segment of [...new Set(cells.map((c) => c.segment))]) {
    const mine = cells.filter((c) => c.segment === segment);
    const values = [...new Set(mine.map((c) => c.value))];
    const {sums, size} = crosstab(values.length, profiles.length);
    const counts = new Array<number>(size).fill(0);
    const present = new Set<number>();
    for (const c of mine) {
      const r = values.indexOf(c.value);
      const k = profiles.indexOf(c.profile_id);
      const i = r * profiles.length + k;
      counts[i] = c.n;
      present.add(i);
      counts[values.length * profiles.length + r] += c.n;
      counts[values.length * profiles.length + values.length + k] += c.n;
      counts[size - 1] += c.n;
    }
    const cellCount = values.length * profiles.length;
    const small = counts.map((n, i) => i < cellCount + values.length && n > 0 && n < minGroupSize);
    // a cell with no customers has no row to mark; the profiles' sizes are published elsewhere
    const fixed = new Set(
      counts
        .map((_, i) => i)
        .filter((i) => (i < cellCount && !present.has(i)) || i >= cellCount + values.length)
    );
    const out = complement(counts, small, sums, {fixed});
    out.forEach((x, i) => {
      if (!x || small[i] || i >= cellCount + values.length) return;
      const value = values[i < cellCount ? Math.floor(i / profiles.length) : i - cellCount];
      hidden.push({
        segment,
        value,
        profile_id: i < cellCount ? profiles[i % profiles.length] : null
      });
    });
  }
  if (hidden.length === 0) return;
  await store.run(
    sql`CREATE OR REPLACE TEMP TABLE complementary (segment VARCHAR, value VARCHAR, profile_id VARCHAR)`
  );
  await store.run(
    sql`INSERT INTO complementary VALUES ${join(
      hidden.map(
        (h) =>
          sql`(${val(h.segment)}, ${val(h.value)}, ${h.profile_id === null ? null : val(h.profile_id)})`
      )
    )}`
  );
  await store.run(
    sql`UPDATE segment_profiles t SET customers = NULL, suppressed = true FROM complementary c
        WHERE c.profile_id IS NOT NULL AND t.segment = c.segment AND t.value = c.value
          AND t.profile_id = c.profile_id`
  );
  await store.run(
    sql`UPDATE segment_sizes t SET customers = NULL, suppressed = true FROM complementary c
        WHERE c.profile_id IS NULL AND t.segment = c.segment AND t.value = c.value`
  );
  await store.run(sql`DROP TABLE complementary`);
}
