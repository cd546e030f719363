/**
 * Customer value (DESIGN.md step 4, churn risk and CLV): the per-customer purchase summary the
 * BG/NBD and Gamma-Gamma models need, computed in DuckDB as of a date; both models fitted in
 * process (clv/); P(alive), expected purchases, expected 12-month value and an at-risk flag
 * written back as the table `customer_value`, the fitted parameters as `value_models`.
 *
 * The summary follows the definitions behind the published CDNOW tables (Fader, Hardie & Lee
 * 2005): time in weeks (days / 7); orders of one day are one purchase, their amounts summed;
 * x = purchase days − 1 (repeat purchases); t_x = weeks from the first to the last purchase day;
 * T = weeks from the first purchase day to the as-of date; the mean repeat value averages the
 * repeat purchase days only (the first is left out, as the Gamma-Gamma paper does).
 */
import {z} from "zod";
import {expectedPurchases, fitBgNbd, pAlive, type BgNbdParams} from "./clv/bg-nbd.ts";
import type {Fit} from "./clv/fit.ts";
import {expectedSpend, fitGammaGamma, type GammaGammaParams} from "./clv/gamma-gamma.ts";
import {compress, type Compressed} from "./clv/triples.ts";
import {type Store} from "../core/store.ts";
import {ident, join, sql, val, type SQL} from "../core/sql.ts";

export interface ValueOptions {
  /** YYYY-MM-DD, inclusive: orders up to the end of this day count. */
  asOf: string;
  /** Horizon of `expected_purchases`, in days (default 90). */
  horizonDays: number;
  /** At risk when P(alive) is below this… */
  pAliveBelow: number;
  /** …or when engagement fell by more than this share… */
  engagementDropAbove: number;
  /** …among customers with at least this many purchase days. */
  minOrders: number;
  /**
   * A past snapshot: read its features table and write its value table instead of `features`
   * and `customer_value`; the fitted parameters (`value_models`) stay the current build's.
   */
  snapshot?: {features: string; table: string};
}

/** A fitted model as reported: parameters, fit statistics and the number of customers fitted. */
export interface FitSummary<P> {
  params: P;
  logLikelihood: number;
  converged: boolean;
  iterations: number;
  customers: number;
}

export interface ValueSummary {
  /** Customers in the population (rows of `customer_value`). */
  customers: number;
  /** Customers given model outputs (P(alive) and expected purchases). */
  modelled: number;
  /** The BG/NBD fit (null when it failed); its outputs are used only when it converged. */
  bgnbd: FitSummary<BgNbdParams> | null;
  /** The Gamma-Gamma fit (null when it failed); used only when it converged. */
  gammaGamma: FitSummary<GammaGammaParams> | null;
  atRisk: number;
  /** What was left out or could not be fitted, in words for the build log. */
  notes: string[];
  /** Milliseconds: SQL summary and read-back, model fits, predictions and writing the tables. */
  ms: {summary: number; fit: number; predict: number};
}

/** Weeks in a 12-month horizon, the horizon of `expected_value_12m`. */
const YEAR_WEEKS = 52;
const DAYS_PER_WEEK = 7;

const optionsSchema = z.object({
  asOf: z.iso.date({error: "asOf must be a date written YYYY-MM-DD"}),
  horizonDays: z.number().positive().finite(),
  pAliveBelow: z.number().min(0).max(1),
  engagementDropAbove: z.number().min(0),
  minOrders: z.number().int().min(1),
  snapshot: z.object({features: z.string(), table: z.string()}).optional()
});

function parseOptions(options: ValueOptions): ValueOptions {
  const result = optionsSchema.safeParse(options);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`invalid value options: ${issue.path.join(".")}: ${issue.message}`);
  }
  return result.data;
}

// ---------------------------------------------------------------------------------------------
// SQL

/** What the store holds that the stage reads. */
export interface ValueSources {
  /** The population: `features` (customers who had joined by the as-of date) or `customers`. */
  population: "features" | "customers";
  orders: boolean;
  /** Whether `features.engagement_trend` exists. */
  engagement: boolean;
  /** The features table when it is not `features` (a past snapshot's). */
  featuresTable?: string;
}

/**
 * The per-customer summary as of `asOf` (YYYY-MM-DD), one row per customer of the population,
 * `idx` its rank by customer_id. Customers are numbered first, so the two aggregations group by
 * integer. Amounts are summed as DECIMAL(38, 10) (exactly, to 1e-10): a DOUBLE sum adds in
 * whatever order DuckDB's threads meet the rows, so its last bits could differ between two builds.
 */
export function summarySql(
  {population, orders, engagement, featuresTable = "features"}: ValueSources,
  asOf: string
): SQL {
  const people =
    population === "features"
      ? sql`SELECT customer_id::VARCHAR AS customer_id,
           ${engagement ? sql`exp(engagement_trend) - 1` : sql`NULL::DOUBLE`} AS engagement_change
         FROM ${ident(featuresTable)}`
      : sql`SELECT DISTINCT customer_id::VARCHAR AS customer_id, NULL::DOUBLE AS engagement_change
         FROM customers WHERE customer_id IS NOT NULL`;
  const numbered = sql`SELECT (row_number() OVER (ORDER BY customer_id) - 1)::INTEGER AS idx, *
       FROM (${people})`;
  if (!orders) {
    return sql`CREATE OR REPLACE TEMP TABLE value_summary AS
     SELECT idx, customer_id, NULL::INTEGER AS purchases, NULL::INTEGER AS repeat_purchases,
       NULL::DOUBLE AS t_x_weeks, NULL::DOUBLE AS t_weeks, NULL::DOUBLE AS mean_repeat_value,
       engagement_change
     FROM (${numbered})`;
  }
  return sql`CREATE OR REPLACE TEMP TABLE value_summary AS
     WITH population AS (${numbered}),
     purchase_days AS (
       SELECT p.idx, o.ordered_at::DATE AS day, sum(o.amount::DECIMAL(38, 10)) AS amount
       FROM orders o JOIN population p ON o.customer_id::VARCHAR = p.customer_id
       WHERE o.ordered_at < ${val(asOf)}::DATE + INTERVAL 1 DAY
       GROUP BY p.idx, day
     ),
     rfm AS (
       SELECT idx, count(*) AS days, min(day) AS first_day, max(day) AS last_day,
         sum(amount) AS amount, arg_min_null(amount, day) AS first_amount,
         count(amount) AS valued_days
       FROM purchase_days GROUP BY idx
     )
     SELECT p.idx, p.customer_id,
       coalesce(r.days, 0)::INTEGER AS purchases,
       (r.days - 1)::INTEGER AS repeat_purchases,
       date_diff('day', r.first_day, r.last_day)::DOUBLE / ${DAYS_PER_WEEK} AS t_x_weeks,
       date_diff('day', r.first_day, ${val(asOf)}::DATE)::DOUBLE / ${DAYS_PER_WEEK} AS t_weeks,
       CASE WHEN r.valued_days > (r.first_amount IS NOT NULL)::INTEGER
         THEN (r.amount - coalesce(r.first_amount, 0))::DOUBLE
           / (r.valued_days - (r.first_amount IS NOT NULL)::INTEGER)
       END AS mean_repeat_value,
       p.engagement_change
     FROM population p LEFT JOIN rfm r USING (idx)`;
}

/** The model inputs of every customer with at least one purchase, in `idx` order. */
export const INPUTS_SQL = sql`SELECT idx, repeat_purchases, t_x_weeks, t_weeks, mean_repeat_value
  FROM value_summary WHERE purchases >= 1 ORDER BY idx`;

/** The thresholds of the default at-risk rule (see ValueOptions). */
export type RiskRule = Pick<ValueOptions, "minOrders" | "pAliveBelow" | "engagementDropAbove">;

/**
 * `table` (`customer_value`, or a past snapshot's): the summary, the predictions, and the
 * default at-risk rule: at risk when purchases ≥ minOrders AND (p_alive < pAliveBelow OR
 * engagement_change < −engagementDropAbove). A NULL on either side of the OR (no model, no
 * engagement data) counts as not met, so customers without orders, or without model outputs,
 * are never at risk by the model.
 */
export function customerValueSql(table: string, rule: RiskRule): SQL {
  return sql`CREATE OR REPLACE TABLE ${ident(table)} AS
  WITH v AS (
    SELECT s.*, p.p_alive, p.expected_purchases, p.expected_value_12m,
      coalesce(s.purchases >= ${rule.minOrders}, false) AS eligible,
      coalesce(p.p_alive < ${rule.pAliveBelow}, false) AS low_alive,
      coalesce(s.engagement_change < -${rule.engagementDropAbove}::DOUBLE, false) AS dropped
    FROM value_summary s LEFT JOIN value_predictions p USING (idx)
  )
  SELECT customer_id, purchases, repeat_purchases, t_x_weeks, t_weeks, mean_repeat_value,
    p_alive, expected_purchases, expected_value_12m, engagement_change,
    eligible AND (low_alive OR dropped) AS at_risk,
    CASE
      WHEN NOT eligible THEN NULL
      WHEN low_alive AND dropped THEN 'both'
      WHEN low_alive THEN 'p_alive'
      WHEN dropped THEN 'engagement_drop'
    END AS risk_reason
  FROM v
  ORDER BY customer_id`;
}

const PREDICTIONS_SQL = sql`CREATE OR REPLACE TEMP TABLE value_predictions
  (idx INTEGER, p_alive DOUBLE, expected_purchases DOUBLE, expected_value_12m DOUBLE)`;

/** `value_models` from (model, parameter, value) rows, sorted; an empty table for no rows. */
export function valueModelsSql(rows: readonly [string, string, number][]): SQL {
  if (rows.length === 0)
    return sql`CREATE OR REPLACE TABLE value_models (model VARCHAR, parameter VARCHAR, value DOUBLE)`;
  const values = rows.map(
    ([model, parameter, value]) =>
      sql`(${val(model)}::VARCHAR, ${val(parameter)}::VARCHAR, ${value}::DOUBLE)`
  );
  return sql`CREATE OR REPLACE TABLE value_models AS
    SELECT * FROM (VALUES ${join(values)}) AS t(model, parameter, value)
    ORDER BY model, parameter`;
}

async function inspect(store: Store, featuresTable = "features"): Promise<ValueSources> {
  const features = await store.has(featuresTable);
  if (!features && !(await store.has("customers")))
    throw new Error("customer value needs a customers table (or features) in the store");
  const trend = features && (await store.tableColumns(featuresTable)).has("engagement_trend");
  return {
    population: features ? "features" : "customers",
    orders: await store.has("orders"),
    engagement: trend,
    featuresTable
  };
}

// ---------------------------------------------------------------------------------------------
// Models (pure)

/** Model inputs, one entry per customer with at least one purchase; NaN for a missing mean. */
export interface ValueInputs {
  idx: Float64Array;
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  mean: Float64Array;
}

export interface ValueModels {
  bgnbd: FitSummary<BgNbdParams> | null;
  gammaGamma: FitSummary<GammaGammaParams> | null;
  notes: string[];
  /** The distinct (x, t_x, T) of the inputs, shared by the BG/NBD fit and its predictions. */
  triples: Compressed | null;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function summarise<P>(fit: Fit<P>, customers: number): FitSummary<P> {
  const {params, logLikelihood, converged, iterations} = fit;
  return {params, logLikelihood, converged, iterations, customers};
}

/**
 * Fits BG/NBD on every customer with a purchase and Gamma-Gamma on the repeaters with a
 * positive mean repeat value. A fit that throws is reported as null, one that does not converge
 * as it is; either way a note says why its outputs are left NULL.
 */
export function fitValueModels(inputs: ValueInputs): ValueModels {
  const notes: string[] = [];
  const n = inputs.x.length;
  if (n === 0) {
    notes.push("no customer has a purchase by the as-of date: no value model fitted");
    return {bgnbd: null, gammaGamma: null, notes, triples: null};
  }
  let bgnbd: FitSummary<BgNbdParams> | null = null;
  let triples: Compressed | null = null;
  try {
    triples = compress(inputs.x, inputs.tx, inputs.T);
    const fit = fitBgNbd(triples.x, triples.tx, triples.T, triples.weights);
    bgnbd = summarise(fit, n);
    if (fit.note) notes.push(`BG/NBD: ${fit.note}`);
    if (!bgnbd.converged)
      notes.push(
        `BG/NBD did not converge on ${n} customers (too few, or too alike, repeat purchases to estimate it): P(alive) and expected purchases left NULL`
      );
  } catch (error) {
    notes.push(
      `BG/NBD not fitted on ${n} customers (${message(error)}): P(alive) and expected purchases left NULL`
    );
  }

  let repeaters = 0;
  let left = 0;
  for (let i = 0; i < n; i++) {
    if (inputs.x[i] < 1) continue;
    if (inputs.mean[i] > 0) repeaters++;
    else left++;
  }
  if (left > 0)
    notes.push(
      `Gamma-Gamma: ${left} repeat customer${left === 1 ? "" : "s"} with a zero, negative or missing mean repeat value left out of the fit`
    );
  const x = new Float64Array(repeaters);
  const mean = new Float64Array(repeaters);
  for (let i = 0, j = 0; i < n; i++) {
    if (inputs.x[i] >= 1 && inputs.mean[i] > 0) {
      x[j] = inputs.x[i];
      mean[j++] = inputs.mean[i];
    }
  }
  let gammaGamma: FitSummary<GammaGammaParams> | null = null;
  try {
    gammaGamma = summarise(fitGammaGamma(x, mean), repeaters);
    if (!gammaGamma.converged)
      notes.push(
        `Gamma-Gamma did not converge on ${repeaters} repeat customers (too few, or too alike, repeat amounts to estimate it): expected value left NULL`
      );
  } catch (error) {
    notes.push(
      `Gamma-Gamma not fitted on ${repeaters} repeat customers (${message(error)}): expected value left NULL`
    );
  }
  return {bgnbd, gammaGamma, notes, triples};
}

export interface ValuePredictions {
  pAlive: Float64Array;
  expectedPurchases: Float64Array;
  expectedValue12m: Float64Array;
}

/** Predictions that are all missing (NaN, written as NULL). */
export function noPredictions(n: number): ValuePredictions {
  return {
    pAlive: new Float64Array(n).fill(NaN),
    expectedPurchases: new Float64Array(n).fill(NaN),
    expectedValue12m: new Float64Array(n).fill(NaN)
  };
}

/**
 * P(alive), expected purchases over `horizonWeeks` and expected 12-month value per customer,
 * from the converged models only (NaN where a model is missing). Spend is the Gamma-Gamma
 * conditional mean; the population mean for x = 0 or a missing mean; a negative mean repeat
 * value counts as 0. The BG/NBD outputs depend on (x, t_x, T) only, so they are computed once
 * per distinct triple.
 */
export function predictValue(
  inputs: ValueInputs,
  models: ValueModels,
  horizonWeeks: number
): ValuePredictions {
  const out = noPredictions(inputs.x.length);
  const bgnbd = models.bgnbd?.converged ? models.bgnbd.params : null;
  const gammaGamma = models.gammaGamma?.converged ? models.gammaGamma.params : null;
  const unique = models.triples;
  if (!bgnbd || !unique) return out;
  const n = inputs.x.length;
  const u = unique.x.length;
  const alive = new Float64Array(u);
  const horizon = new Float64Array(u);
  const year = new Float64Array(u);
  for (let k = 0; k < u; k++) {
    const [x, tx, T] = [unique.x[k], unique.tx[k], unique.T[k]];
    alive[k] = pAlive(bgnbd, x, tx, T);
    horizon[k] = expectedPurchases(bgnbd, horizonWeeks, x, tx, T);
    year[k] =
      horizonWeeks === YEAR_WEEKS ? horizon[k] : expectedPurchases(bgnbd, YEAR_WEEKS, x, tx, T);
  }
  for (let i = 0; i < n; i++) {
    const k = unique.index[i];
    out.pAlive[i] = alive[k];
    out.expectedPurchases[i] = horizon[k];
    if (gammaGamma) {
      const x = inputs.x[i];
      const m = inputs.mean[i];
      const spend = Number.isNaN(m)
        ? expectedSpend(gammaGamma, 0, 0)
        : expectedSpend(gammaGamma, x, Math.max(0, m));
      out.expectedValue12m[i] = year[k] * spend;
    }
  }
  return out;
}

/** The rows of `value_models`: parameters, log-likelihood, customers fitted, converged (1/0). */
export function modelRows(models: ValueModels, horizonDays: number): [string, string, number][] {
  const rows: [string, string, number][] = [];
  const add = (model: string, fit: FitSummary<object> | null) => {
    if (!fit) return;
    for (const [key, value] of Object.entries(fit.params)) rows.push([model, key, value]);
    rows.push([model, "log_likelihood", fit.logLikelihood]);
    rows.push([model, "customers", fit.customers]);
    rows.push([model, "converged", fit.converged ? 1 : 0]);
  };
  add("bgnbd", models.bgnbd);
  if (models.bgnbd) rows.push(["bgnbd", "horizon_days", horizonDays]);
  add("gamma_gamma", models.gammaGamma);
  return rows;
}

// ---------------------------------------------------------------------------------------------
// The stage

function toFloat(column: unknown[]): Float64Array {
  const out = new Float64Array(column.length);
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    out[i] = v === null || v === undefined ? NaN : (v as number);
  }
  return out;
}

async function readInputs(store: Store): Promise<ValueInputs> {
  const columns = await store.columns(INPUTS_SQL);
  // No rows come back as no columns at all.
  const [idx, x, tx, T, mean] = [0, 1, 2, 3, 4].map((i) => toFloat(columns[i] ?? []));
  return {idx, x, tx, T, mean};
}

/**
 * Builds, for the population (every customer of `features` when it exists, else of
 * `customers`), the tables
 * - `customer_value(customer_id VARCHAR, purchases INTEGER, repeat_purchases INTEGER,
 *   t_x_weeks DOUBLE, t_weeks DOUBLE, mean_repeat_value DOUBLE, p_alive DOUBLE,
 *   expected_purchases DOUBLE, expected_value_12m DOUBLE, engagement_change DOUBLE,
 *   at_risk BOOLEAN, risk_reason VARCHAR)`, ordered by customer_id: expected purchases over
 *   `horizonDays`, expected value = expected purchases over 52 weeks × expected spend;
 * - `value_models(model VARCHAR, parameter VARCHAR, value DOUBLE)`, ordered by model and
 *   parameter: each fit's parameters, log_likelihood, customers and converged (1/0), and the
 *   BG/NBD horizon_days.
 *
 * Customers with no purchase by the as-of date get purchases = 0 and NULL model outputs (not
 * zeros): the models say nothing about someone who never bought, so they are never at risk by
 * the model. At risk (the default rule): purchase days ≥ minOrders AND (p_alive < pAliveBelow
 * OR engagement_change < −engagementDropAbove), where engagement_change = exp(engagement_trend)
 * − 1 from `features` (a share: −0.6 means activity fell by 60 %); `risk_reason` says which
 * ('p_alive', 'engagement_drop', 'both'). No orders table, or a fit that fails or does not
 * converge, leaves the model columns NULL with a note, and never fails the build.
 */
export async function buildCustomerValue(
  store: Store,
  options: ValueOptions
): Promise<ValueSummary> {
  const o = parseOptions(options);
  let start = performance.now();
  const sources = await inspect(store, o.snapshot?.features);
  const output = o.snapshot?.table ?? "customer_value";
  await store.run(summarySql(sources, o.asOf));
  const inputs = await readInputs(store);
  const summaryMs = performance.now() - start;

  start = performance.now();
  const models = fitValueModels(inputs);
  const notes = sources.orders
    ? models.notes
    : ["no orders table: purchases and every model output left NULL"];
  const fitMs = performance.now() - start;

  start = performance.now();
  let predictions: ValuePredictions;
  try {
    predictions = predictValue(inputs, models, o.horizonDays / DAYS_PER_WEEK);
  } catch (error) {
    notes.push(`value predictions failed (${message(error)}): model outputs left NULL`);
    predictions = noPredictions(inputs.x.length);
  }
  await store.run(PREDICTIONS_SQL);
  await store.appendColumns("value_predictions", [
    inputs.idx,
    predictions.pAlive,
    predictions.expectedPurchases,
    predictions.expectedValue12m
  ]);
  await store.run(customerValueSql(output, o));
  if (!o.snapshot) await store.run(valueModelsSql(modelRows(models, o.horizonDays)));
  const counts = await store.one<{customers: number; modelled: number; at_risk: number}>(
    sql`SELECT count(*)::INTEGER AS customers, count(p_alive)::INTEGER AS modelled,
          count(*) FILTER (WHERE at_risk)::INTEGER AS at_risk FROM ${ident(output)}`
  );
  for (const table of ["value_predictions", "value_summary"])
    await store.run(sql`DROP TABLE IF EXISTS ${ident(table)}`);
  const predictMs = performance.now() - start;

  return {
    customers: counts?.customers ?? 0,
    modelled: counts?.modelled ?? 0,
    bgnbd: models.bgnbd,
    gammaGamma: models.gammaGamma,
    atRisk: counts?.at_risk ?? 0,
    notes,
    ms: {summary: summaryMs, fit: fitMs, predict: predictMs}
  };
}
