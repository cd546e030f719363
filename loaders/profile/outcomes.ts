/**
 * Outcomes: the known results a config declares on its customers (churned, responded,
 * converted), never clustered on, reported per profile and per segment against the whole base.
 *
 * A flag outcome is the customer's 1 or 0; a customer without a value is left out of its rate
 * (not counted as a no). A date outcome happened when its date is on or before the as-of date;
 * a customer without a date has not had it. Each rate comes with its 95 % Wilson interval, which
 * stays inside 0–1 and honest for small groups and rare events, and its lift over the base's
 * rate.
 *
 * Table `outcome_rates`: one row per outcome and group (scope 'all' for the base, 'profile',
 * 'segment'), with the customers whose outcome is known, those who had it, the rate, interval
 * and lift. A group with fewer than min_group_size known outcomes, or fewer than min_group_size
 * who had the outcome or who did not, is published as suppressed: its counts, rate, interval and
 * lift are NULL; so are the groups chosen as its complements (protectOutcome).
 */
import type {Declared, OutcomeConfig} from "../config/project.ts";
import {byProfileId, ident, join, sql, val, type SQL} from "../core/sql.ts";
import type {Store} from "../core/store.ts";
import {humanise} from "./catalogue.ts";
import {complement, type Sum} from "../core/margins.ts";

/** z for a two-sided 95 % interval. */
const Z95 = 1.959963984540054;

/** The 95 % Wilson score interval of `events` in `n` trials; null without trials. */
export function wilson(events: number, n: number, z = Z95): {low: number; high: number} | null {
  if (n <= 0) return null;
  const p = events / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At 0 and at n the interval ends exactly at 0 and 1, where rounding would land beside them.
  return {
    low: events === 0 ? 0 : Math.max(0, centre - half),
    high: events === n ? 1 : Math.min(1, centre + half)
  };
}

/** An outcome as the pages name it. */
export interface OutcomeSummary {
  outcome: string;
  label: string;
  kind: "flag" | "date";
  /** The base's rate, null when no customer's outcome is known. */
  rate: number | null;
  /** Customers whose outcome is known. */
  customers: number;
}

/** A customer's outcome as SQL over `customers`: 1, 0, or NULL when unknown. */
export function outcomeValueSql(name: string, kind: "flag" | "date", asOf: string): SQL {
  const column = ident(name);
  return kind === "flag"
    ? sql`${column}`
    : sql`CASE WHEN ${column} <= ${val(asOf)}::DATE THEN 1.0 ELSE 0.0 END`;
}

/** The counts of one outcome for the base, each profile and each segment. */
export function outcomeCountsQuery(name: string, kind: "flag" | "date", asOf: string): SQL {
  const y = outcomeValueSql(name, kind, asOf);
  const counts = sql`count(o.y)::INTEGER AS customers, sum(o.y)::INTEGER AS events`;
  const o = sql`(SELECT customer_id, ${y} AS y FROM customers) o`;
  return sql`SELECT 'all' AS scope, NULL AS segment, NULL AS grp, 0 AS position, ${counts}
       FROM customer_profiles p JOIN ${o} USING (customer_id)
     UNION ALL
     SELECT 'profile', NULL, p.profile_id, 0, ${counts}
       FROM customer_profiles p JOIN ${o} USING (customer_id) GROUP BY p.profile_id
     UNION ALL
     SELECT 'segment', s.segment, s.value, min(s.position), ${counts}
       FROM customer_segments s JOIN ${o} USING (customer_id) GROUP BY s.segment, s.value`;
}

/** Writes outcome_rates for every declared outcome; returns each outcome's base rate. */
export async function buildOutcomes(
  store: Store,
  outcomes: Readonly<Record<string, Declared<OutcomeConfig>>>,
  {asOf, minGroupSize}: {asOf: string; minGroupSize: number}
): Promise<OutcomeSummary[]> {
  await store.run(
    sql`CREATE OR REPLACE TABLE outcome_rates (outcome VARCHAR, label VARCHAR, kind VARCHAR,
      scope VARCHAR, segment VARCHAR, grp VARCHAR, position INTEGER, customers INTEGER,
      events INTEGER, rate DOUBLE, low DOUBLE, high DOUBLE, lift DOUBLE, suppressed BOOLEAN)`
  );
  const summaries: OutcomeSummary[] = [];
  // segments whose size the crosstab suppresses: their known outcomes would give it
  const sizes = new Set(
    (await store.has("segment_sizes"))
      ? (
          await store.all<{key: string}>(
            sql`SELECT segment || chr(31) || value AS key FROM segment_sizes WHERE suppressed ORDER BY 1`
          )
        ).map((r) => r.key)
      : []
  );
  for (const [name, spec] of Object.entries(outcomes)) {
    const label = spec.label ?? humanise(name);
    const rows = await store.all<{
      scope: string;
      segment: string | null;
      grp: string | null;
      position: number;
      customers: number;
      events: number | null;
    }>(sql`SELECT * FROM (${outcomeCountsQuery(name, spec.type, asOf)}) ORDER BY ALL`);
    const hidden = protectOutcome(rows, minGroupSize, sizes);
    const base = rows.find((r) => r.scope === "all");
    const baseRate = base && base.customers > 0 ? (base.events ?? 0) / base.customers : null;
    // the base's rate as published: suppressed when few had the outcome (or few did not)
    const publishedRate = base && hidden[rows.indexOf(base)] ? null : baseRate;
    const values = rows.map((r, i) => {
      const suppressed = hidden[i];
      const events = suppressed ? null : (r.events ?? 0);
      const rate = events !== null && r.customers > 0 ? events / r.customers : null;
      const interval = events === null ? null : wilson(events, r.customers);
      const lift = rate !== null && publishedRate ? rate / publishedRate : null;
      return sql`(${val(name)}, ${val(label)}, ${val(spec.type)}, ${val(r.scope)}, ${val(r.segment)},
        ${val(r.grp)}, ${r.position}, ${suppressed ? null : r.customers}::INTEGER, ${events}::INTEGER,
        ${rate}::DOUBLE, ${interval?.low ?? null}::DOUBLE, ${interval?.high ?? null}::DOUBLE,
        ${lift}::DOUBLE, ${suppressed})`;
    });
    if (values.length > 0) await store.run(sql`INSERT INTO outcome_rates VALUES ${join(values)}`);
    summaries.push({
      outcome: name,
      label,
      kind: spec.type,
      rate: baseRate,
      customers: base?.customers ?? 0
    });
  }
  return summaries;
}

/** One outcome's counts in a group: the base ('all'), a profile or a segment. */
interface OutcomeCounts {
  scope: string;
  segment: string | null;
  grp: string | null;
  customers: number;
  events: number | null;
}

/**
 * Which groups of one outcome to publish as suppressed: those with fewer than min customers
 * whose outcome is known, or fewer than min who had it or who did not (a rate times its count
 * gives both), or a segment whose size is suppressed (its known outcomes would give it); then
 * complements (core/margins.ts), since the profiles add up to the base, and so do the segments
 * of each segmentation, in customers and in those who had the outcome. The base is never
 * chosen. Both counts of a group are published or neither, so one choice protects both.
 */
export function protectOutcome(
  rows: readonly OutcomeCounts[],
  min: number,
  suppressedSizes: ReadonlySet<string> = new Set()
): boolean[] {
  const small = (n: number) => n > 0 && n < min;
  const hidden = rows.map((r) => {
    const events = r.events ?? 0;
    return (
      r.customers < min ||
      small(events) ||
      small(r.customers - events) ||
      (r.scope === "segment" && suppressedSizes.has(`${r.segment}\x1f${r.grp}`))
    );
  });
  const base = rows.findIndex((r) => r.scope === "all");
  if (base < 0) return hidden;
  const families = new Map<string, number[]>();
  rows.forEach((r, i) => {
    if (r.scope === "all") return;
    const family = r.scope === "profile" ? "" : `segment ${r.segment}`;
    families.set(family, [...(families.get(family) ?? []), i]);
  });
  const sums: Sum[] = [...families.values()].map((parts) => ({parts, total: base}));
  return complement(
    rows.map((r) => r.customers),
    hidden,
    sums,
    {fixed: new Set([base])}
  );
}

/** The rates of every outcome for each profile, in profile order, with the base's beside them. */
export function profileOutcomesQuery(): SQL {
  return sql`SELECT r.grp AS profile_id, r.outcome, r.label, r.kind, r.customers, r.events,
       r.rate, r.low, r.high, b.rate AS base_rate, r.lift, r.suppressed
     FROM outcome_rates r JOIN outcome_rates b ON b.outcome = r.outcome AND b.scope = 'all'
     WHERE r.scope = 'profile'
     ORDER BY ${byProfileId(sql`r.grp`)}, r.outcome`;
}

/** The rates of every outcome in each segment, in the segmentations' order. */
export function segmentOutcomesQuery(): SQL {
  return sql`SELECT r.segment, r.grp AS value, r.position, r.outcome, r.label, r.customers,
       r.rate, r.low, r.high, b.rate AS base_rate, r.lift
     FROM outcome_rates r JOIN outcome_rates b ON b.outcome = r.outcome AND b.scope = 'all'
     WHERE r.scope = 'segment'
     ORDER BY r.outcome, r.segment, r.position, r.grp`;
}
