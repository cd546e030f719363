/**
 * The clustering space: how each clustered feature becomes columns of the matrix k-means sees.
 *
 * Numbers: log1p for skewed counts and amounts, winsorised at the 1st and 99th percentiles,
 * then standardised (mean and standard deviation of the winsorised values), so a handful of
 * extreme customers neither stretch nor dominate a feature. A missing value stays missing
 * (NULL) in the matrix: the clustering leaves it out of distances (see cluster.ts), so a
 * customer who skipped the survey is placed by what is known of them. Categories: one
 * column per frequent level, 1 for the customer's level, each weighted 1/√2 so two customers in
 * different levels are as far apart as one standard deviation of a number. Every column is
 * multiplied by its feature's weight. The recipe is kept in the store (`cluster_columns`), so
 * the same transform assigns every customer in SQL.
 */
import type {CatalogEntry} from "./features.ts";
import {type Store} from "../core/store.ts";
import {ident, join, sql, val, valueList, type SQL} from "../core/sql.ts";

export interface ClusterColumn {
  /** Column name in the matrix: c0, c1, … */
  column: string;
  feature: string;
  /** The category level of a one-hot column; null for numbers. */
  level: string | null;
  transform: "log" | "none";
  /** For a share: the count it is taken over, and the base's share it is smoothed towards. */
  base: string | null;
  prior: number;
  weight: number;
  /** Winsorising bounds, centre and scale of the transformed value; fill for missing values. */
  lo: number;
  hi: number;
  center: number;
  scale: number;
  fill: number;
}

/** Category levels kept as columns, most frequent first. */
const MAX_LEVELS = 12;

/** The feature's value after its transform, as SQL over `features`. */
export function transformed(feature: string, transform: "log" | "none"): SQL {
  const x = ident(feature);
  // greatest() skips NULLs, so without the CASE a missing value would become ln(1) = 0.
  return transform === "log"
    ? sql`CASE WHEN ${x} IS NOT NULL THEN ln(1 + greatest(${x}, 0)) END`
    : x;
}

/** Events a share is smoothed by: as if each customer had PSEUDO_EVENTS more at the base's mix. */
export const PSEUDO_EVENTS = 2;

/**
 * The value the clustering sees, as SQL: the transformed feature, and for a share of a count
 * (base) the share smoothed towards the base's (Bayes with a Beta prior worth PSEUDO_EVENTS
 * events), so that one ticket does not make a customer "100 % self-service". The prior (the
 * base's share) is bound; it is left out when the feature is no share.
 */
export function valueSql(
  c: {feature: string; transform: "log" | "none"; base: string | null},
  prior: number
): SQL {
  const x = transformed(c.feature, c.transform);
  if (c.base === null) return x;
  const n = sql`coalesce(${ident(c.base)}, 0)`;
  return sql`CASE WHEN ${x} IS NOT NULL THEN (${x} * ${n} + ${PSEUDO_EVENTS} * ${prior}) / (${n} + ${PSEUDO_EVENTS}) END`;
}

/** The columns for the clustered features, with centres and scales measured on `features`. */
export async function designColumns(
  store: Store,
  features: CatalogEntry[],
  weightOf: (feature: CatalogEntry) => number
): Promise<ClusterColumn[]> {
  const numbers = features.filter((f) => f.kind === "number");
  const baseOf = (f: CatalogEntry) => f.base ?? null;
  const priorsRow = numbers.length
    ? await store.one<Record<string, number>>(
        sql`SELECT ${join(numbers.map((f, i) => sql`avg(${ident(f.id)}) AS ${ident(`p${i}`)}`))} FROM features`
      )
    : undefined;
  const priors = numbers.map((_, i) => Number(priorsRow?.[`p${i}`] ?? 0));
  const spec = (f: CatalogEntry) => ({feature: f.id, transform: f.transform, base: baseOf(f)});
  const quantiles = numbers.length
    ? await store.one<Record<string, number[]>>(
        sql`SELECT ${join(
          numbers.map(
            (f, i) =>
              sql`quantile_cont(${valueSql(spec(f), priors[i])}, [0.01, 0.5, 0.99]) AS ${ident(`q${i}`)}`
          )
        )} FROM features`
      )
    : undefined;
  const bounds = numbers.map((_, i) => quantiles?.[`q${i}`] ?? [0, 0, 0]);
  const moments = numbers.length
    ? await store.one<Record<string, number>>(
        sql`SELECT ${join(
          numbers.map((f, i) => {
            const x = sql`least(greatest(${valueSql(spec(f), priors[i])}, ${bounds[i][0]}), ${bounds[i][2]})`;
            return sql`avg(${x}) AS ${ident(`m${i}`)}, stddev_pop(${x}) AS ${ident(`s${i}`)}`;
          })
        )} FROM features`
      )
    : undefined;

  const columns: ClusterColumn[] = [];
  const add = (c: Omit<ClusterColumn, "column">) =>
    columns.push({column: `c${columns.length}`, ...c});
  for (const f of features) {
    const weight = weightOf(f);
    if (f.kind === "number") {
      const i = numbers.indexOf(f);
      const [lo, median, hi] = bounds[i];
      const center = Number(moments?.[`m${i}`] ?? 0);
      const sd = Number(moments?.[`s${i}`] ?? 0);
      // A feature that is one value after winsorising still separates its rare other values.
      const scale = sd > 0 ? sd : 1;
      add({
        feature: f.id,
        level: null,
        transform: f.transform,
        base: baseOf(f),
        prior: priors[i],
        weight,
        lo,
        hi,
        center,
        scale,
        fill: median
      });
    } else {
      const levels = await store.all<{level: string}>(
        sql`SELECT ${ident(f.id)} AS level FROM features WHERE ${ident(f.id)} IS NOT NULL
            GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT ${MAX_LEVELS}`
      );
      for (const {level} of levels) {
        add({
          feature: f.id,
          level,
          transform: "none",
          base: null,
          prior: 0,
          weight: weight / Math.SQRT2,
          lo: 0,
          hi: 1,
          center: 0,
          scale: 1,
          fill: 0
        });
      }
    }
  }
  return columns;
}

/** Every column of the matrix over `features`, as a select list: `expression AS c0, …`. */
export function matrixSelect(columns: ClusterColumn[]): SQL {
  const select = columns.map((c) => {
    if (c.level !== null) {
      return sql`coalesce(${ident(c.feature)} = ${val(c.level)}, false)::DOUBLE * ${c.weight} AS ${ident(c.column)}`;
    }
    // least and greatest skip NULLs, so a missing value is kept missing explicitly.
    const x = valueSql(c, c.prior);
    return sql`CASE WHEN ${x} IS NOT NULL THEN (least(greatest(${x}, ${c.lo}), ${c.hi}) - ${c.center}) / ${c.scale} * ${c.weight} END AS ${ident(c.column)}`;
  });
  return join(select, ",\n  ");
}

/** Writes the recipe to `cluster_columns`. */
export async function storeColumns(store: Store, columns: ClusterColumn[]): Promise<void> {
  await store.run(sql`CREATE OR REPLACE TABLE cluster_columns (
    position INTEGER, "column" VARCHAR, feature VARCHAR, level VARCHAR, transform VARCHAR,
    base VARCHAR, prior DOUBLE, weight DOUBLE, lo DOUBLE, hi DOUBLE, center DOUBLE, scale DOUBLE,
    fill DOUBLE)`);
  for (const [position, c] of columns.entries()) {
    await store.run(
      sql`INSERT INTO cluster_columns VALUES (${valueList([
        position,
        c.column,
        c.feature,
        c.level,
        c.transform,
        c.base,
        c.prior,
        c.weight,
        c.lo,
        c.hi,
        c.center,
        c.scale,
        c.fill
      ])})`
    );
  }
}

/** The recipe `storeColumns` wrote: how the current build's clustering sees a customer. */
export async function readColumns(store: Store): Promise<ClusterColumn[]> {
  const rows = await store.all(
    sql`SELECT "column", feature, level, transform, base, prior, weight, lo, hi, center, scale, fill
        FROM cluster_columns ORDER BY position`
  );
  return rows as unknown as ClusterColumn[];
}

/** A column's value for the median customer: where a missing value starts out. */
export function filledValue(c: ClusterColumn): number {
  if (c.level !== null) return 0;
  return ((Math.min(Math.max(c.fill, c.lo), c.hi) - c.center) / c.scale) * c.weight;
}

export interface Matrix {
  ids: string[];
  /** Row-major n × d; missing values hold their column's filled value. */
  points: Float64Array;
  /** 1 where the value is missing; null when nothing is. */
  missing: Uint8Array | null;
}

/** Reads a query's columns (after a leading id column) into a matrix, marking missing values. */
export async function readMatrix(
  store: Store,
  query: SQL,
  columns: ClusterColumn[]
): Promise<Matrix> {
  const d = columns.length;
  const data = await store.columns(query);
  const ids = data[0] as string[];
  const n = ids.length;
  const points = new Float64Array(n * d);
  let missing: Uint8Array | null = null;
  for (let j = 0; j < d; j++) {
    const column = data[j + 1] as (number | null)[];
    const fill = filledValue(columns[j]);
    for (let i = 0; i < n; i++) {
      const v = column[i];
      if (v === null) {
        missing ??= new Uint8Array(n * d);
        missing[i * d + j] = 1;
        points[i * d + j] = fill;
      } else points[i * d + j] = v;
    }
  }
  return {ids, points, missing};
}
