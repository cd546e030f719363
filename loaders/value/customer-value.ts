/**
 * Customer value and risk (DESIGN.md, "Value and risk"): the per-customer purchase summary as
 * of a date, computed in DuckDB; the backtest (backtest.ts), which measures every candidate
 * model on the data's own history and chooses; the chosen purchase model (BG/NBD, MBG/NBD or
 * Pareto/NBD) refitted on everything up to the as-of date for P(alive) and expected purchases;
 * spend from Gamma-Gamma, or, with too few repeat buyers, shrunk empirical spend; and the chosen
 * risk model's probability of no purchase in the next horizon, flagged at the backtest's
 * threshold. Written as `customer_value`, with the fits in `value_models` and the backtest in
 * the `value_backtest*` and `risk_assessment` tables.
 *
 * The summary follows the definitions behind the published CDNOW tables (Fader, Hardie & Lee
 * 2005): time in weeks (days / 7); orders of one day are one purchase, their amounts summed;
 * x = purchase days − 1 (repeat purchases); t_x = weeks from the first to the last purchase day;
 * T = weeks from the first purchase day to the as-of date; the mean repeat value averages the
 * repeat purchase days only (the first is left out, as the Gamma-Gamma paper does).
 */
import {z} from "zod";
import {
  addDays,
  backtestTablesSql,
  subscriptionBacktest,
  learnRisk,
  readHistory,
  runBacktest,
  type Backtest,
  type History,
  type RiskModelName
} from "./backtest.ts";
import {summarise, type FitSummary} from "./clv/fit.ts";
import type {GammaGammaParams} from "./clv/gamma-gamma.ts";
import {
  dropoutFound,
  purchaseModelLabel,
  fitPurchaseModel,
  predictPurchases,
  type FittedPurchaseModel,
  type PurchaseModelName
} from "./clv/purchase-models.ts";
import {compress} from "./clv/triples.ts";
import type {FlagRule} from "./scoring.ts";
import {spendModel} from "./spend.ts";
import type {SubscriptionAssessment} from "./subscription.ts";
import {storeActivity} from "../profile/features.ts";
import {type Store} from "../core/store.ts";
import {ident, join, sql, val, type SQL} from "../core/sql.ts";

/** What the backtest decided, applied to the current build and to every past snapshot. */
export interface RiskDecision {
  /** The model P(alive), expected purchases and value come from; null: none could be fitted. */
  purchaseModel: PurchaseModelName | null;
  /** The model the probability of lapsing comes from; null: risk not assessed. */
  riskModel: RiskModelName | null;
  /** Flag at or above this probability of lapsing; null: the flag is not assessed. */
  threshold: number | null;
}

export interface ValueOptions {
  /** YYYY-MM-DD, inclusive: orders up to the end of this day count. */
  asOf: string;
  /** The risk horizon, in days: "lapsed" = no purchase in this many days (default 90). */
  horizonDays: number;
  /** Only customers with at least this many purchase days are flagged at risk. */
  minOrders: number;
  /** How the at-risk threshold is chosen on the backtest. */
  flag: FlagRule;
  /**
   * A past snapshot: read its features table and write its value table instead of `features`
   * and `customer_value`, applying the current build's decision (no backtest of its own); the
   * fitted parameters (`value_models`) stay the current build's.
   */
  snapshot?: {features: string; table: string; decision: RiskDecision};
}

export interface ValueSummary {
  /** Customers in the population (rows of `customer_value`). */
  customers: number;
  /** Customers given model outputs (P(alive) and expected purchases). */
  modelled: number;
  /** The chosen purchase model, refitted as of the as-of date (null when none was). */
  purchase: (FitSummary<Record<string, number>> & {model: PurchaseModelName}) | null;
  /** The Gamma-Gamma fit (null when it failed or was not tried). */
  gammaGamma: FitSummary<GammaGammaParams> | null;
  /** Where spend per purchase comes from. */
  spend: "gamma_gamma" | "shrunk" | null;
  /** Customers flagged at risk; null when the flag was not assessed. */
  atRisk: number | null;
  /** The backtest (current build only; null for a snapshot or without orders). */
  backtest: Backtest | null;
  decision: RiskDecision;
  /** What was left out or could not be fitted, in words for the build log. */
  notes: string[];
  /** Milliseconds: SQL summary and read-back, backtest and fits, predictions and writing. */
  ms: {summary: number; fit: number; predict: number};
}

/** Weeks in a 12-month horizon, the horizon of `expected_value_12m`. */
const YEAR_WEEKS = 52;
const DAYS_PER_WEEK = 7;

const flagSchema = z.union([
  z.object({precision: z.number().gt(0).max(1)}).strict(),
  z.object({share: z.number().gt(0).max(1)}).strict()
]);
const modelName = z.enum(["bgnbd", "mbgnbd", "pareto_nbd", "learned"]);
const optionsSchema = z.object({
  asOf: z.iso.date({error: "asOf must be a date written YYYY-MM-DD"}),
  horizonDays: z.number().int().positive(),
  minOrders: z.number().int().min(1),
  flag: flagSchema,
  snapshot: z
    .object({
      features: z.string(),
      table: z.string(),
      decision: z.object({
        purchaseModel: modelName.exclude(["learned"]).nullable(),
        riskModel: modelName.nullable(),
        threshold: z.number().min(0).max(1).nullable()
      })
    })
    .optional()
});

function parseOptions(options: ValueOptions): ValueOptions {
  const result = optionsSchema.safeParse(options);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`invalid value options: ${issue.path.join(".")}: ${issue.message}`);
  }
  return result.data as ValueOptions;
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
export const INPUTS_SQL = sql`SELECT idx, repeat_purchases, t_x_weeks, t_weeks, mean_repeat_value,
    customer_id
  FROM value_summary WHERE purchases >= 1 ORDER BY idx`;

/**
 * `table` (`customer_value`, or a past snapshot's): the summary, the predictions and the flag.
 * At risk: at least `minOrders` purchase days and a probability of lapsing at or above the
 * threshold. NULL, not false, where it was not assessed: no threshold (the backtest found no
 * signal, or no threshold met the rule) or no probability (no purchase, or no model).
 */
export function customerValueSql(
  table: string,
  rule: {minOrders: number; threshold: number | null; subscription?: "sbg" | "learned"}
): SQL {
  // A subscriber's probability is their churn in the next period (subscription_scores); no
  // purchase count applies to them.
  const lapse = rule.subscription ? sql`c.p_churn` : sql`p.p_lapse`;
  const eligible = rule.subscription ? sql`true` : sql`s.purchases >= ${rule.minOrders}`;
  const flag =
    rule.threshold === null
      ? sql`NULL::BOOLEAN`
      : sql`CASE WHEN ${lapse} IS NULL THEN NULL
          ELSE ${eligible} AND ${lapse} >= ${rule.threshold}::DOUBLE END`;
  return sql`CREATE OR REPLACE TABLE ${ident(table)} AS
  SELECT s.customer_id, s.purchases, s.repeat_purchases, s.t_x_weeks, s.t_weeks,
    s.mean_repeat_value, p.p_alive, p.expected_purchases, p.expected_value_12m,
    ${lapse} AS p_lapse, s.engagement_change, ${flag} AS at_risk
  FROM value_summary s LEFT JOIN value_predictions p USING (idx)
  ${
    rule.subscription
      ? sql`LEFT JOIN (SELECT customer_id::VARCHAR AS customer_id, p_churn FROM subscription_scores
            WHERE model = ${val(rule.subscription)}) c USING (customer_id)`
      : sql``
  }
  ORDER BY s.customer_id`;
}

const PREDICTIONS_SQL = sql`CREATE OR REPLACE TEMP TABLE value_predictions
  (idx INTEGER, p_alive DOUBLE, expected_purchases DOUBLE, expected_value_12m DOUBLE,
   p_lapse DOUBLE)`;

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
  ids: string[];
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  mean: Float64Array;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export interface ValuePredictions {
  pAlive: Float64Array;
  expectedPurchases: Float64Array;
  expectedValue12m: Float64Array;
  pLapse: Float64Array;
}

/** Predictions that are all missing (NaN, written as NULL). */
export function noPredictions(n: number): ValuePredictions {
  const missing = () => new Float64Array(n).fill(NaN);
  return {
    pAlive: missing(),
    expectedPurchases: missing(),
    expectedValue12m: missing(),
    pLapse: missing()
  };
}

/**
 * The purchase model's outputs for every input customer: P(alive), expected purchases over the
 * horizon, expected 12-month value (52 weeks of expected purchases × spend) and the probability
 * of no purchase in the horizon.
 */
export function predictValue(
  inputs: ValueInputs,
  model: FittedPurchaseModel,
  spend: Float64Array,
  horizonWeeks: number
): ValuePredictions {
  const data = compress(inputs.x, inputs.tx, inputs.T);
  const p = predictPurchases(model, data, horizonWeeks, [horizonWeeks, YEAR_WEEKS]);
  return {
    pAlive: p.alive,
    expectedPurchases: p.expected[0],
    expectedValue12m: p.expected[1].map((e, i) => e * spend[i]),
    pLapse: p.none
  };
}

/** The rows of `value_models`: parameters, log-likelihood, customers fitted, converged (1/0). */
export function modelRows(
  fits: [string, FitSummary<object> | null][],
  horizonDays: number
): [string, string, number][] {
  const rows: [string, string, number][] = [];
  for (const [model, fit] of fits) {
    if (!fit) continue;
    for (const [key, value] of Object.entries(fit.params)) rows.push([model, key, value]);
    rows.push([model, "log_likelihood", fit.logLikelihood]);
    rows.push([model, "customers", fit.customers]);
    rows.push([model, "converged", fit.converged ? 1 : 0]);
    rows.push([model, "horizon_days", horizonDays]);
  }
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
  return {idx, ids: (columns[5] ?? []).map(String), x, tx, T, mean};
}

/**
 * The decision the current build's backtest reached, from `risk_assessment` (written by the
 * current build's buildCustomerValue): what every past snapshot applies.
 */
export async function readDecision(store: Store): Promise<RiskDecision> {
  if (!(await store.has("risk_assessment"))) return NOTHING;
  const row = await store.one<{
    purchase_model: PurchaseModelName | null;
    risk_model: RiskModelName | null;
    threshold: number | null;
  }>(sql`SELECT purchase_model, risk_model, threshold FROM risk_assessment`);
  return {
    purchaseModel: row?.purchase_model ?? null,
    riskModel: row?.risk_model ?? null,
    threshold: row?.threshold ?? null
  };
}

/** The decision when nothing can be assessed. */
const NOTHING: RiskDecision = {purchaseModel: null, riskModel: null, threshold: null};

/**
 * Without enough history for a backtest, value still comes from a purchase model, untested (the
 * pages say so): MBG/NBD, which, unlike BG/NBD, lets a one-time buyer be gone.
 */
export const UNTESTED_PURCHASE_MODEL: PurchaseModelName = "mbgnbd";

/** The decision the backtest reached. */
export function decide(backtest: Backtest): RiskDecision {
  const tooLittle = backtest.candidates.length === 0;
  return {
    purchaseModel: backtest.purchaseModel ?? (tooLittle ? UNTESTED_PURCHASE_MODEL : null),
    riskModel: backtest.risk?.model ?? null,
    threshold: backtest.risk?.flag?.threshold ?? null
  };
}

/**
 * The probability of lapsing from the risk model, aligned with the inputs. A purchase model's
 * comes with its predictions (refitted here when it is not the purchase model); the learned
 * model is trained on the horizon that ended at the as-of date and applied to the customers as
 * of it.
 */
async function lapseProbability(
  store: Store,
  o: ValueOptions,
  activitySources: readonly SQL[],
  inputs: ValueInputs,
  decision: RiskDecision,
  purchase: {model: FittedPurchaseModel; predictions: ValuePredictions} | null,
  notes: string[],
  calibration?: History
): Promise<Float64Array> {
  const n = inputs.x.length;
  const none = new Float64Array(n).fill(NaN);
  const risk = decision.riskModel;
  if (risk === null) return none;
  // Subscriptions: customerValueSql reads subscription_scores itself.
  if (risk === "sbg" || risk === "learned_churn") return none;
  try {
    if (risk === "learned") {
      const train =
        calibration ??
        (await readHistory(store, addDays(o.asOf, -o.horizonDays), o.horizonDays, activitySources));
      const now = await readHistory(store, o.asOf, o.horizonDays, activitySources);
      const {probability} = learnRisk(train, now);
      const byId = new Map(now.ids.map((id, i) => [id, probability[i]]));
      return Float64Array.from(inputs.ids, (id) => byId.get(id) ?? NaN);
    }
    if (purchase && purchase.model.name === risk) return purchase.predictions.pLapse;
    const data = compress(inputs.x, inputs.tx, inputs.T);
    const model = fitPurchaseModel(risk, data);
    return predictPurchases(model, data, o.horizonDays / DAYS_PER_WEEK, []).none;
  } catch (error) {
    notes.push(`risk model not fitted as of ${o.asOf} (${message(error)}): risk left NULL`);
    return none;
  }
}

/**
 * Builds, for the population (every customer of `features` when it exists, else of
 * `customers`), the tables
 * - `customer_value(customer_id VARCHAR, purchases INTEGER, repeat_purchases INTEGER,
 *   t_x_weeks DOUBLE, t_weeks DOUBLE, mean_repeat_value DOUBLE, p_alive DOUBLE,
 *   expected_purchases DOUBLE, expected_value_12m DOUBLE, p_lapse DOUBLE,
 *   engagement_change DOUBLE, at_risk BOOLEAN)`, ordered by customer_id: expected purchases
 *   over `horizonDays`, expected value = expected purchases over 52 weeks × expected spend,
 *   p_lapse = the probability of no purchase in the next `horizonDays`;
 * - `value_models(model VARCHAR, parameter VARCHAR, value DOUBLE)`: the fits used (the
 *   purchase model and Gamma-Gamma), with log_likelihood, customers, converged (1/0) and
 *   horizon_days;
 * - for the current build, the backtest's tables (publishBacktest in backtest-tables.ts).
 *
 * Customers with no purchase by the as-of date get purchases = 0 and NULL model outputs (not
 * zeros): the models say nothing about someone who never bought. A risk that was not assessed
 * is NULL, never false. Nothing here fails the build: a model that cannot be fitted leaves its
 * columns NULL with a note.
 */
export async function buildCustomerValue(
  store: Store,
  options: ValueOptions,
  subscription: SubscriptionAssessment | null = null
): Promise<ValueSummary> {
  const o = parseOptions(options);
  let start = performance.now();
  const sources = await inspect(store, o.snapshot?.features);
  const output = o.snapshot?.table ?? "customer_value";
  await store.run(summarySql(sources, o.asOf));
  const inputs = await readInputs(store);
  const summaryMs = performance.now() - start;

  start = performance.now();
  const notes: string[] = [];
  const activitySources = await storeActivity(store);
  let backtest: Backtest | null = null;
  let decision = o.snapshot?.decision ?? NOTHING;
  // The backtest's customers as of the as-of date minus the horizon, with what they did next:
  // the learned model's training rows for the current scores too, so they are read once.
  let calibration: History | undefined;
  if (!sources.orders) {
    if (!subscription) notes.push("no orders table: purchases and every model output left NULL");
  } else if (inputs.x.length === 0)
    notes.push("no customer has a purchase by the as-of date: no value model fitted");
  else if (!o.snapshot) {
    const run = await runBacktest(store, {...o, activity: activitySources});
    backtest = run.backtest;
    calibration = run.test;
    decision = decide(backtest);
  }
  if (subscription && !o.snapshot) {
    // Contractual data: churn is the risk; purchases, where there are any, still give value.
    backtest = {...subscriptionBacktest(subscription), purchaseModel: decision.purchaseModel};
    decision = {
      ...decision,
      riskModel: backtest.risk?.model ?? null,
      threshold: backtest.risk?.flag?.threshold ?? null
    };
    notes.push(...subscription.notes.map((n) => `subscription: ${n}`));
  }
  if (backtest?.riskReason) notes.push(`risk not assessed: ${backtest.riskReason}`);
  else if (backtest?.risk?.flagReason)
    notes.push(`at-risk flag not assessed: ${backtest.risk.flagReason}`);

  let predictions = noPredictions(inputs.x.length);
  let purchase: ValueSummary["purchase"] = null;
  let fitted: FittedPurchaseModel | null = null;
  const spend = sources.orders && inputs.x.length ? spendModel(inputs) : null;
  if (spend) notes.push(...spend.notes);
  if (decision.purchaseModel && spend) {
    try {
      const data = compress(inputs.x, inputs.tx, inputs.T);
      fitted = fitPurchaseModel(decision.purchaseModel, data);
      purchase = {...summarise(fitted.fit, inputs.x.length), model: decision.purchaseModel};
      if (!fitted.fit.converged) {
        notes.push(
          `${purchaseModelLabel(decision.purchaseModel)} did not converge as of ${o.asOf}: P(alive) and expected purchases left NULL`
        );
        fitted = null;
      } else {
        predictions = predictValue(inputs, fitted, spend.spend, o.horizonDays / DAYS_PER_WEEK);
        if (!dropoutFound(fitted)) {
          // P(alive) would be 100 % for everyone: not an estimate, so not published.
          predictions.pAlive.fill(NaN);
          notes.push(
            `${purchaseModelLabel(decision.purchaseModel)} found no sign of customers leaving in this history (dropout at its limit of zero): P(alive) not assessed; expected purchases and value assume everyone stays`
          );
        }
      }
    } catch (error) {
      notes.push(
        `${purchaseModelLabel(decision.purchaseModel)} not fitted as of ${o.asOf} (${message(error)}): P(alive) and expected purchases left NULL`
      );
    }
  } else if (sources.orders && inputs.x.length && !o.snapshot && backtest?.purchaseModel === null)
    notes.push(
      "no purchase model could be fitted in the backtest: P(alive), expected purchases and value left NULL"
    );
  predictions.pLapse = await lapseProbability(
    store,
    o,
    activitySources,
    inputs,
    decision,
    fitted ? {model: fitted, predictions} : null,
    notes,
    calibration
  );
  const fitMs = performance.now() - start;

  start = performance.now();
  await store.run(PREDICTIONS_SQL);
  await store.appendColumns("value_predictions", [
    inputs.idx,
    predictions.pAlive,
    predictions.expectedPurchases,
    predictions.expectedValue12m,
    predictions.pLapse
  ]);
  const contractual =
    decision.riskModel === "sbg"
      ? "sbg"
      : decision.riskModel === "learned_churn"
        ? "learned"
        : undefined;
  if (contractual && o.snapshot) {
    notes.push("subscription risk is scored for the current build only: left NULL in snapshots");
    decision = {...decision, threshold: null};
  }
  await store.run(
    customerValueSql(output, {
      minOrders: o.minOrders,
      threshold: decision.threshold,
      subscription: o.snapshot ? undefined : contractual
    })
  );
  if (!o.snapshot) {
    const reason = !sources.orders
      ? "there are no orders to learn from, and no subscription is declared (README, Subscriptions)"
      : inputs.x.length === 0
        ? `no customer had bought by ${o.asOf}`
        : null;
    for (const statement of backtestTablesSql(backtest, decision, o, reason))
      await store.run(statement);
  }
  if (!o.snapshot)
    await store.run(
      valueModelsSql(
        modelRows(
          [
            [purchase?.model ?? "", purchase],
            ["gamma_gamma", spend?.gammaGamma ?? null]
          ],
          o.horizonDays
        )
      )
    );
  const counts = await store.one<{customers: number; modelled: number; at_risk: number}>(
    sql`SELECT count(*)::INTEGER AS customers, count(expected_purchases)::INTEGER AS modelled,
          count(*) FILTER (WHERE at_risk)::INTEGER AS at_risk FROM ${ident(output)}`
  );
  for (const table of ["value_predictions", "value_summary"])
    await store.run(sql`DROP TABLE IF EXISTS ${ident(table)}`);
  const predictMs = performance.now() - start;

  return {
    customers: counts?.customers ?? 0,
    modelled: counts?.modelled ?? 0,
    purchase,
    gammaGamma: spend?.gammaGamma ?? null,
    spend: spend?.kind ?? null,
    atRisk: decision.threshold === null ? null : (counts?.at_risk ?? 0),
    backtest,
    decision,
    notes,
    ms: {summary: summaryMs, fit: fitMs, predict: predictMs}
  };
}
