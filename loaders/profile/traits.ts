/**
 * Traits: for each profile and feature, the profile against the whole base.
 *
 * Numbers: the profile's mean and quartiles against the base's, the lift (profile mean over base
 * mean), and Hedges' g of the profile against the rest of the base with a 95 % confidence
 * interval (on the clustering transform's scale: log1p for skewed counts and amounts, so a few
 * big spenders do not make the effect). Categories: one trait per level, the profile's share of
 * the level against the base's, the lift, and Cohen's h (the difference of arcsine-root shares)
 * with its interval. Coverage is the share of the profile's customers with a value.
 *
 * A trait distinguishes its profile when its effect is at least `minEffect` in size, its
 * interval excludes zero, and at least `minCoverage` of the profile has a value. Cells covering
 * fewer than `minGroupSize` customers are suppressed: kept with their count hidden and no value;
 * so are a category's complementary cells, so that no suppressed level follows from the profile's
 * other levels and its coverage, or from the other profiles and the level's share of the base.
 * A 0/1 feature's mean counts customers too (with the flag, and without it): one that counts
 * fewer than `minGroupSize` is suppressed the same way, with its complements.
 */
import type {CatalogEntry} from "./features.ts";
import {transformed} from "./matrix.ts";
import {type Store} from "../core/store.ts";
import {byProfileId, ident, join, raw, sql, valueList} from "../core/sql.ts";
import {complement, protectCrosstab} from "../core/margins.ts";

export interface TraitOptions {
  minEffect: number;
  minCoverage: number;
  minGroupSize: number;
}

export interface Trait {
  profile_id: string;
  feature: string;
  /** The category level; null for numbers. */
  level: string | null;
  dimension: string;
  label: string;
  unit: string;
  kind: "number" | "category";
  /** Profile mean (numbers) or share in the level (categories); null when suppressed. */
  profile_value: number | null;
  base_value: number;
  lift: number | null;
  /** Hedges' g (numbers) or Cohen's h (categories), with its 95 % interval. */
  effect: number | null;
  effect_low: number | null;
  effect_high: number | null;
  /** Share of the profile's customers with a value; null when it would count fewer than minGroupSize (or give such a count back). */
  coverage: number | null;
  /** Customers behind profile_value; null when suppressed. */
  customers: number | null;
  suppressed: boolean;
  /** Profile quartiles and 10th/90th percentiles (numbers only). */
  p10: number | null;
  p25: number | null;
  p50: number | null;
  p75: number | null;
  p90: number | null;
  base_p25: number | null;
  base_p50: number | null;
  base_p75: number | null;
  distinguishing: boolean;
  /** 1 for the profile's strongest distinguishing trait, 2 for the next …; null otherwise. */
  rank: number | null;
}

const Z95 = 1.959963984540054;

/** Hedges' g of group 1 against group 2 from counts, means and population variances. */
export function hedgesG(
  n1: number,
  m1: number,
  v1: number,
  n2: number,
  m2: number,
  v2: number
): {g: number; low: number; high: number} | null {
  if (n1 < 2 || n2 < 2) return null;
  const pooled = Math.sqrt((n1 * v1 + n2 * v2) / (n1 + n2 - 2));
  if (!(pooled > 0)) return null;
  const correction = 1 - 3 / (4 * (n1 + n2) - 9);
  const g = (correction * (m1 - m2)) / pooled;
  const se = Math.sqrt((n1 + n2) / (n1 * n2) + (g * g) / (2 * (n1 + n2)));
  return {g, low: g - Z95 * se, high: g + Z95 * se};
}

/** Cohen's h of share p1 (of n1) against share p2 (of n2), with its 95 % interval. */
export function cohensH(
  p1: number,
  n1: number,
  p2: number,
  n2: number
): {g: number; low: number; high: number} | null {
  if (n1 < 1 || n2 < 1) return null;
  const h = 2 * Math.asin(Math.sqrt(p1)) - 2 * Math.asin(Math.sqrt(p2));
  const se = Math.sqrt(1 / n1 + 1 / n2);
  return {g: h, low: h - Z95 * se, high: h + Z95 * se};
}

interface NumberStats {
  n: number;
  mean: number;
  /** Mean and population variance of the transformed value. */
  tmean: number;
  tvar: number;
  q: number[];
}

/** Per profile (and the base, under profile ""), count, means and quantiles of each feature. */
async function numberStats(
  store: Store,
  features: CatalogEntry[]
): Promise<Map<string, Map<string, NumberStats>>> {
  const out = new Map<string, Map<string, NumberStats>>();
  if (features.length === 0) return out;
  const select = features.flatMap((f, i) => {
    const x = transformed(f.id, f.transform);
    const column = ident(f.id);
    return [
      sql`count(${column})::DOUBLE AS ${ident(`n${i}`)}`,
      sql`avg(${column}) AS ${ident(`m${i}`)}`,
      sql`avg(${x}) AS ${ident(`tm${i}`)}`,
      sql`var_pop(${x}) AS ${ident(`tv${i}`)}`,
      sql`quantile_cont(${column}, [0.1, 0.25, 0.5, 0.75, 0.9]) AS ${ident(`q${i}`)}`
    ];
  });
  const rows = await store.all(
    sql`SELECT coalesce(p.profile_id, '') AS profile_id, ${join(select)}
        FROM features f JOIN customer_profiles p USING (customer_id)
        GROUP BY GROUPING SETS ((p.profile_id), ()) ORDER BY 1`
  );
  for (const row of rows) {
    const byFeature = new Map<string, NumberStats>();
    features.forEach((f, i) =>
      byFeature.set(f.id, {
        n: Number(row[`n${i}`] ?? 0),
        mean: Number(row[`m${i}`]),
        tmean: Number(row[`tm${i}`]),
        tvar: Number(row[`tv${i}`]),
        q: ((row[`q${i}`] as number[] | null) ?? [NaN, NaN, NaN, NaN, NaN]).map(Number)
      })
    );
    out.set(String(row.profile_id), byFeature);
  }
  return out;
}

const finite = (x: number) => (Number.isFinite(x) ? x : null);

/**
 * The effect of a profile (p) against the rest of the base (b minus p). Sums are centred on the
 * base mean before the rest is taken out, so no digits cancel. Both sides need minGroupSize
 * values: a feature that only one profile has (firmographics of business accounts) has no
 * comparison, not an enormous one. 0/1 flags are compared as shares (Cohen's h).
 */
function numberEffect(p: NumberStats, b: NumberStats, unit: string, minGroupSize: number) {
  const rest = b.n - p.n;
  if (p.n < minGroupSize || rest < minGroupSize) return null;
  if (unit === "flag") return cohensH(p.mean, p.n, (b.n * b.mean - p.n * p.mean) / rest, rest);
  const shift = p.tmean - b.tmean;
  const restMean = b.tmean - (p.n * shift) / rest;
  const restSquares = b.n * b.tvar - p.n * (p.tvar + shift * shift);
  const restVar = Math.max(restSquares / rest - (restMean - b.tmean) ** 2, 0);
  return hedgesG(p.n, p.tmean, p.tvar, rest, restMean, restVar);
}

/** Computes every trait and writes `profile_traits`; returns the traits in table order. */
export async function buildTraits(
  store: Store,
  catalog: CatalogEntry[],
  options: TraitOptions
): Promise<Trait[]> {
  const measured = catalog.filter((f) => f.measured);
  const sizes = new Map(
    (
      await store.all<{profile_id: string; n: number}>(
        sql`SELECT profile_id, count(*)::INTEGER AS n FROM customer_profiles GROUP BY 1 ORDER BY 1`
      )
    ).map((r) => [r.profile_id, r.n])
  );
  const profiles = [...sizes.keys()].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  const traits: Trait[] = [];
  const small = (n: number) => n < options.minGroupSize;

  const numbers = measured.filter((f) => f.kind === "number");
  const stats = await numberStats(store, numbers);
  const base = stats.get("");
  const flags = new Map(
    numbers
      .filter((f) => f.unit === "flag")
      .map((f) => [f.id, protectFlag(f.id, profiles, stats, options.minGroupSize)])
  );
  for (const [k, profile] of profiles.entries()) {
    const own = stats.get(profile);
    for (const f of numbers) {
      const b = base?.get(f.id);
      const p = own?.get(f.id);
      if (!b || !p) continue;
      const effect = numberEffect(p, b, f.unit, options.minGroupSize);
      const flag = flags.get(f.id);
      const suppressed = small(p.n) || (flag?.profiles[k] ?? false);
      const baseHidden = flag?.base ?? false;
      traits.push(
        trait(profile, f, null, {
          profile_value: suppressed ? null : finite(p.mean),
          base_value: baseHidden ? NaN : b.mean,
          lift: !suppressed && !baseHidden && b.mean > 0 && p.mean >= 0 ? p.mean / b.mean : null,
          effect: suppressed || baseHidden ? null : effect,
          coverage: p.n / (sizes.get(profile) ?? 1),
          customers: suppressed ? null : p.n,
          suppressed,
          q: suppressed ? null : p.q,
          baseQ: baseHidden ? null : b.q
        })
      );
    }
  }

  for (const f of measured.filter((c) => c.kind === "category")) {
    const rows = await store.all<{profile_id: string | null; level: string | null; n: number}>(
      sql`SELECT p.profile_id, f.${ident(f.id)} AS level, count(*)::INTEGER AS n
          FROM features f JOIN customer_profiles p USING (customer_id)
          WHERE f.${ident(f.id)} IS NOT NULL
          GROUP BY GROUPING SETS ((p.profile_id, level), (p.profile_id), (level), ())
          ORDER BY 1, 2`
    );
    const count = (profile: string | null, level: string | null) =>
      rows.find((r) => r.profile_id === profile && r.level === level)?.n ?? 0;
    const total = count(null, null);
    const levels = [...new Set(rows.filter((r) => r.level !== null).map((r) => r.level!))].sort(
      (a, b) => count(null, b) - count(null, a) || a.localeCompare(b)
    );
    // levels × profiles, whose totals readers know (each level's share of the base, each
    // profile's coverage, all customers with a value): a small count is hidden with its
    // complements (core/margins.ts), a rare level's base share with another level's
    const shown = protectCrosstab(
      levels.map((level) => profiles.map((profile) => count(profile, level))),
      options.minGroupSize
    );
    for (const [k, profile] of profiles.entries()) {
      const n1 = count(profile, null);
      for (const [l, level] of levels.entries()) {
        const x1 = count(profile, level);
        const xBase = count(null, level);
        const p1 = n1 ? x1 / n1 : 0;
        const pBase = total ? xBase / total : 0;
        const n2 = total - n1;
        const p2 = n2 ? (xBase - x1) / n2 : 0;
        // no customers in a level is published as such (a share of 0 counts no one), as the
        // crosstab above assumes; a hidden 0 would be given back by the profile's other levels
        // (a level rare in the base hides each profile's count in it, all small, but not a 0)
        const suppressed = (x1 > 0 && small(x1)) || shown.cells[l][k];
        // a hidden base share stays hidden: the lift and the effect (against the rest) give it
        const baseHidden = small(xBase) || shown.rows[l];
        traits.push(
          trait(profile, f, level, {
            profile_value: suppressed ? null : p1,
            base_value: baseHidden ? NaN : pBase,
            lift: suppressed || baseHidden || pBase === 0 ? null : p1 / pBase,
            // Like numbers, both sides need minGroupSize values to compare.
            effect: suppressed || baseHidden || small(n2) ? null : cohensH(p1, n1, p2, n2),
            // the profile's customers with a value, the column's total: hidden with it
            coverage: shown.columns[k] ? null : n1 / (sizes.get(profile) ?? 1),
            customers: suppressed ? null : x1,
            suppressed,
            q: null,
            baseQ: null
          })
        );
      }
    }
  }

  rankTraits(traits, options);
  await storeTraits(store, traits);
  return traits;
}

/**
 * Which of a 0/1 feature's means to hide. A profile's mean of a flag is a share: times its
 * customers with a value (its coverage times its size, published) it counts those with the flag,
 * and the rest those without. The profiles' counts add up to the base's, which its mean gives
 * the same way. A mean that counts 1 to min − 1 with or without the flag is hidden with its
 * complements (core/margins.ts), as a category's levels are; a base that counts a small group
 * is hidden with every profile's mean, as a rare level is.
 */
function protectFlag(
  feature: string,
  profiles: readonly string[],
  stats: Map<string, Map<string, NumberStats>>,
  min: number
): {profiles: boolean[]; base: boolean} {
  const count = (s: NumberStats | undefined) => {
    const n = s?.n ?? 0;
    const ones = n > 0 ? Math.round(s!.mean * n) : 0;
    return {ones, rest: n - ones, n};
  };
  const small = (x: number) => x > 0 && x < min;
  const base = count(stats.get("")?.get(feature));
  if (small(base.ones) || small(base.rest)) return {profiles: profiles.map(() => true), base: true};
  const cells = profiles.map((p) => count(stats.get(p)?.get(feature)));
  const total = cells.length;
  // a profile with no values has none with the flag: readers know it from its coverage
  const fixed = new Set([total, ...cells.flatMap((c, k) => (c.n === 0 ? [k] : []))]);
  const hidden = complement(
    [...cells.map((c) => c.ones), base.ones],
    [...cells.map((c) => small(c.ones) || small(c.rest)), false],
    [{parts: cells.map((_, k) => k), total}],
    {fixed}
  );
  return {profiles: hidden.slice(0, total), base: false};
}

function trait(
  profile: string,
  f: CatalogEntry,
  level: string | null,
  v: {
    profile_value: number | null;
    base_value: number;
    lift: number | null;
    effect: {g: number; low: number; high: number} | null;
    coverage: number | null;
    customers: number | null;
    suppressed: boolean;
    q: number[] | null;
    baseQ: number[] | null;
  }
): Trait {
  const q = (i: number) => (v.q ? finite(v.q[i]) : null);
  const bq = (i: number) => (v.baseQ ? finite(v.baseQ[i]) : null);
  return {
    profile_id: profile,
    feature: f.id,
    level,
    dimension: f.dimension,
    label: level === null ? f.label : `${f.label}: ${level}`,
    unit: level === null ? f.unit : "share",
    kind: f.kind,
    profile_value: v.profile_value,
    base_value: v.base_value,
    lift: v.lift === null ? null : finite(v.lift),
    effect: v.effect ? finite(v.effect.g) : null,
    effect_low: v.effect ? finite(v.effect.low) : null,
    effect_high: v.effect ? finite(v.effect.high) : null,
    coverage: v.coverage,
    customers: v.customers,
    suppressed: v.suppressed,
    p10: q(0),
    p25: q(1),
    p50: q(2),
    p75: q(3),
    p90: q(4),
    base_p25: bq(1),
    base_p50: bq(2),
    base_p75: bq(3),
    distinguishing: false,
    rank: null
  };
}

/** Marks the distinguishing traits of each profile and ranks them by effect size. */
export function rankTraits(traits: Trait[], {minEffect, minCoverage}: TraitOptions): void {
  const byProfile = new Map<string, Trait[]>();
  for (const t of traits) {
    t.rank = null;
    t.distinguishing =
      !t.suppressed &&
      t.effect !== null &&
      t.effect_low !== null &&
      t.effect_high !== null &&
      Math.abs(t.effect) >= minEffect &&
      (t.effect_low > 0 || t.effect_high < 0) &&
      t.coverage !== null &&
      t.coverage >= minCoverage;
    if (t.distinguishing) byProfile.set(t.profile_id, [...(byProfile.get(t.profile_id) ?? []), t]);
  }
  for (const list of byProfile.values()) {
    list
      .sort(
        (a, b) =>
          Math.abs(b.effect!) - Math.abs(a.effect!) ||
          a.feature.localeCompare(b.feature) ||
          String(a.level).localeCompare(String(b.level))
      )
      .forEach((t, i) => (t.rank = i + 1));
  }
}

const TRAIT_COLUMNS: [keyof Trait, string][] = [
  ["profile_id", "VARCHAR"],
  ["feature", "VARCHAR"],
  ["level", "VARCHAR"],
  ["dimension", "VARCHAR"],
  ["label", "VARCHAR"],
  ["unit", "VARCHAR"],
  ["kind", "VARCHAR"],
  ["profile_value", "DOUBLE"],
  ["base_value", "DOUBLE"],
  ["lift", "DOUBLE"],
  ["effect", "DOUBLE"],
  ["effect_low", "DOUBLE"],
  ["effect_high", "DOUBLE"],
  ["coverage", "DOUBLE"],
  ["customers", "INTEGER"],
  ["suppressed", "BOOLEAN"],
  ["p10", "DOUBLE"],
  ["p25", "DOUBLE"],
  ["p50", "DOUBLE"],
  ["p75", "DOUBLE"],
  ["p90", "DOUBLE"],
  ["base_p25", "DOUBLE"],
  ["base_p50", "DOUBLE"],
  ["base_p75", "DOUBLE"],
  ["distinguishing", "BOOLEAN"],
  ["rank", "INTEGER"]
];

async function storeTraits(store: Store, traits: Trait[]): Promise<void> {
  await store.run(
    sql`CREATE OR REPLACE TABLE profile_traits (${join(TRAIT_COLUMNS.map(([c, t]) => sql`${ident(c)} ${raw(t)}`))})`
  );
  for (const t of traits) {
    const values = TRAIT_COLUMNS.map(([c]) => {
      const v = t[c] as string | number | boolean | null;
      return typeof v === "number" && !Number.isFinite(v) ? null : v;
    });
    await store.run(sql`INSERT INTO profile_traits VALUES (${valueList(values)})`);
  }
}

/** Reads `profile_traits` back, in a stable order. */
export async function readTraits(store: Store): Promise<Trait[]> {
  return store.all<Trait & Record<string, unknown>>(
    sql`SELECT * FROM profile_traits ORDER BY ${byProfileId()}, feature, level NULLS FIRST`
  );
}
