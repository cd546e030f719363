/**
 * The backtest: how well each candidate would have predicted what then happened, measured on
 * the data's own history, and the choice that follows from it (DESIGN.md, "Value and risk").
 *
 * The horizon h is `churn.horizonDays`. The calibration date is the as-of date minus h: every
 * candidate sees only orders up to it, scores each customer who had bought by then, and is
 * compared with what each did in the h days after (the holdout, up to the as-of date):
 * - "lapsed" = no purchase in the holdout; scored by AUC, Brier score, log loss and calibration
 *   by decile; the recency of the last purchase is the baseline a model must beat on AUC;
 * - repeat purchases in the holdout, predicted against actual in total and by the number of
 *   calibration repeat purchases (0 … 7+), the classic calibration-and-holdout chart.
 * Candidates: BG/NBD, MBG/NBD and Pareto/NBD fitted on the calibration period, and `learned`, a
 * regularised logistic regression of "lapsed" on the purchase history, trained one horizon
 * earlier (features as of calibration − h, lapse in the h days to the calibration date), so
 * it is tested on a period it never saw.
 *
 * The choice: risk comes from the candidate with the lowest log loss among those whose AUC
 * beats recency alone; none beating it, or too little history, leaves risk "not assessed" with
 * the reason. The purchase model (P(alive), expected purchases and value) is the probabilistic
 * model with the lowest mean squared error of holdout purchases. The at-risk threshold is the
 * one the configured rule picks on the chosen model's backtest scores of eligible customers.
 */
import {
  fitPurchaseModel,
  predictPurchases,
  purchaseModelLabel,
  PURCHASE_MODEL_NAMES,
  type FittedPurchaseModel,
  type PurchaseModelName
} from "./clv/purchase-models.ts";
import {compress} from "./clv/triples.ts";
import {crossValidate, fitLogistic, predictLogistic, type LogisticModel} from "./logistic.ts";
import {
  auc,
  brier,
  calibration,
  chooseThreshold,
  logLoss,
  type CalibrationGroup,
  type Flag,
  type FlagRule
} from "./scoring.ts";
import {spendModel} from "./spend.ts";
import type {SubscriptionAssessment} from "./subscription.ts";
import {type Store} from "../core/store.ts";
import {ident, join, sql, val, type SQL} from "../core/sql.ts";

/** The risk candidates: purchase models and `learned` for orders, `sbg` and `learned_churn` for subscriptions. */
export type RiskModelName = PurchaseModelName | "learned" | "sbg" | "learned_churn";

/** Fewer customers than this at the calibration date, or lapsed or not, and nothing is assessed. */
export const MIN_BACKTEST_CUSTOMERS = 200;
export const MIN_CLASS = 20;
/** The largest calibration frequency shown on its own; more are grouped as "7+". */
export const TOP_FREQUENCY = 7;
const DAYS_PER_WEEK = 7;

// ---------------------------------------------------------------------------------------------
// SQL

/**
 * Purchase days (orders of one day summed into one purchase) up to the end of `until`: the
 * definition every value summary shares.
 */
export function purchaseDaysSql(until: string): SQL {
  return sql`SELECT customer_id::VARCHAR AS customer_id, ordered_at::DATE AS day,
      sum(amount::DECIMAL(38, 10)) AS amount
    FROM orders
    WHERE customer_id IS NOT NULL AND ordered_at < ${val(until)}::DATE + INTERVAL 1 DAY
    GROUP BY ALL`;
}

/** YYYY-MM-DD plus `days` (negative: minus), in UTC. */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * One row per customer who had bought by `date`, ordered by customer_id: the summary as of
 * `date` (x, t_x, T in weeks, mean repeat value, as customer-value.ts defines them), purchase
 * days in the `horizonDays` before it (`recent`), in the horizon before that (`previous`) and
 * in the `horizonDays` after the same date a year earlier (`season`), and what happened in the `horizonDays` after it: purchase days (`next_days`) and spend
 * (`next_amount`). Customers who first bought after `date` are not in it.
 */
export function historySql(date: string, horizonDays: number, activity: readonly SQL[] = []): SQL {
  const d = sql`${val(date)}::DATE`;
  const h = sql`${horizonDays}::INTEGER`;
  // Any dated activity (orders, web sessions, e-mail opens and clicks) in the last horizon, the
  // horizon before, and the same days a year earlier: engagement, which often falls first.
  const engaged = activity.length
    ? sql`SELECT customer_id::VARCHAR AS customer_id,
          count(*) FILTER (WHERE day > ${d} - ${h})::DOUBLE AS active_recent,
          count(*) FILTER (WHERE day > ${d} - 2 * ${h} AND day <= ${d} - ${h})::DOUBLE
            AS active_previous,
          count(*) FILTER (WHERE day > ${d} - 365 - ${h} AND day <= ${d} - 365)::DOUBLE
            AS active_year_ago
        FROM (SELECT customer_id, active_at::DATE AS day FROM (${join(activity, " UNION ALL ")}))
        WHERE day <= ${d} AND day > ${d} - 365 - ${h}
        GROUP BY 1`
    : sql`SELECT NULL::VARCHAR AS customer_id, NULL::DOUBLE AS active_recent,
          NULL::DOUBLE AS active_previous, NULL::DOUBLE AS active_year_ago WHERE false`;
  return sql`WITH days AS (${purchaseDaysSql(addDays(date, horizonDays))}),
  engaged AS (${engaged}),
  summary AS (
    SELECT customer_id,
      count(*) FILTER (WHERE day <= ${d}) AS purchases,
      min(day) AS first_day,
      max(day) FILTER (WHERE day <= ${d}) AS last_day,
      sum(amount) FILTER (WHERE day <= ${d}) AS amount,
      arg_min_null(amount, day) AS first_amount,
      count(amount) FILTER (WHERE day <= ${d}) AS valued_days,
      count(*) FILTER (WHERE day > ${d} - ${h} AND day <= ${d}) AS recent,
      count(*) FILTER (WHERE day > ${d} - 2 * ${h} AND day <= ${d} - ${h}) AS previous,
      count(*) FILTER (WHERE day > ${d} - 365 AND day <= ${d} - 365 + ${h}) AS season,
      count(*) FILTER (WHERE day > ${d}) AS next_days,
      coalesce(sum(amount) FILTER (WHERE day > ${d}), 0) AS next_amount
    FROM days GROUP BY customer_id
  )
  SELECT customer_id,
    (purchases - 1)::DOUBLE AS x,
    date_diff('day', first_day, last_day)::DOUBLE / ${DAYS_PER_WEEK} AS tx,
    date_diff('day', first_day, ${d})::DOUBLE / ${DAYS_PER_WEEK} AS t,
    CASE WHEN valued_days > (first_amount IS NOT NULL)::INTEGER
      THEN (amount - coalesce(first_amount, 0))::DOUBLE
        / (valued_days - (first_amount IS NOT NULL)::INTEGER)
    END AS mean_repeat_value,
    recent::DOUBLE AS recent, previous::DOUBLE AS previous, season::DOUBLE AS season,
    next_days::DOUBLE AS next_days, next_amount::DOUBLE AS next_amount,
    ${activity.length ? sql`coalesce(e.active_recent, 0)` : sql`NULL::DOUBLE`} AS active_recent,
    ${activity.length ? sql`coalesce(e.active_previous, 0)` : sql`NULL::DOUBLE`} AS active_previous,
    ${activity.length ? sql`coalesce(e.active_year_ago, 0)` : sql`NULL::DOUBLE`} AS active_year_ago
  FROM summary LEFT JOIN engaged e USING (customer_id)
  WHERE purchases >= 1
  ORDER BY customer_id`;
}

/** A history as read back: one entry per customer, aligned arrays. */
export interface History {
  ids: string[];
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  mean: Float64Array;
  recent: Float64Array;
  previous: Float64Array;
  /** Purchase days in the horizon's days a year earlier (seasonal buyers return when they did). */
  season: Float64Array;
  nextDays: Float64Array;
  nextAmount: Float64Array;
  /** Dated activity of any kind in the last horizon, the one before, a year earlier (NaN: none kept). */
  activeRecent: Float64Array;
  activePrevious: Float64Array;
  activeYearAgo: Float64Array;
}

const toFloat = (column: unknown[] | undefined) =>
  Float64Array.from(column ?? [], (v) => (v === null || v === undefined ? NaN : Number(v)));

export async function readHistory(
  store: Store,
  date: string,
  horizonDays: number,
  activity: readonly SQL[] = []
): Promise<History> {
  const c = await store.columns(historySql(date, horizonDays, activity));
  return {
    ids: (c[0] ?? []).map(String),
    x: toFloat(c[1]),
    tx: toFloat(c[2]),
    T: toFloat(c[3]),
    mean: toFloat(c[4]),
    recent: toFloat(c[5]),
    previous: toFloat(c[6]),
    season: toFloat(c[7]),
    nextDays: toFloat(c[8]),
    nextAmount: toFloat(c[9]),
    activeRecent: toFloat(c[10]),
    activePrevious: toFloat(c[11]),
    activeYearAgo: toFloat(c[12])
  };
}

// ---------------------------------------------------------------------------------------------
// The learned model

/** The columns the learned model reads from a history: names and values. */
export function learnedColumns(history: History): {names: string[]; columns: Float64Array[]} {
  const n = history.x.length;
  const recency = new Float64Array(n);
  const rate = new Float64Array(n);
  const logMean = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    recency[i] = history.T[i] - history.tx[i];
    rate[i] = history.T[i] > 0 ? history.x[i] / history.T[i] : 0;
    logMean[i] = history.mean[i] > 0 ? Math.log(history.mean[i]) : NaN;
  }
  const engaged = n > 0 && !Number.isNaN(history.activeRecent[0]);
  const activity = engaged
    ? {
        names: [
          "log activity in the last horizon",
          "log activity in the horizon before",
          "activity against a year earlier"
        ],
        columns: [
          history.activeRecent.map((a) => Math.log1p(a)),
          history.activePrevious.map((a) => Math.log1p(a)),
          history.activeRecent.map((a, i) => Math.log((a + 1) / (history.activeYearAgo[i] + 1)))
        ]
      }
    : {names: [], columns: []};
  return {
    names: [
      ...activity.names,
      "weeks since last purchase",
      "log weeks since last purchase",
      "log repeat purchases",
      "weeks since first purchase",
      "repeat purchases per week",
      "purchases in the last horizon",
      "purchases in the horizon before",
      "purchases in the same season a year earlier",
      "log mean repeat spend"
    ],
    columns: [
      ...activity.columns,
      recency,
      recency.map((r) => Math.log1p(r)),
      history.x.map((x) => Math.log1p(x)),
      history.T,
      rate,
      history.recent,
      history.previous,
      history.season,
      logMean
    ]
  };
}

/** 1 where the customer bought nothing in the horizon after the history's date. */
export const lapsed = (history: History) => history.nextDays.map((d) => (d === 0 ? 1 : 0));

/**
 * The learned model: trained on `train` (a history one horizon earlier, whose next horizon has
 * happened), applied to `apply`. Throws as fitLogistic does (one class only).
 */
export function learnRisk(
  train: History,
  apply: History
): {model: LogisticModel; probability: Float64Array} {
  const t = learnedColumns(train);
  const model = fitLogistic(t.names, t.columns, lapsed(train));
  return {model, probability: predictLogistic(model, learnedColumns(apply).columns)};
}

// ---------------------------------------------------------------------------------------------
// The backtest

/** Predicted against actual holdout repeat purchases among customers with one calibration x. */
export interface FrequencyRow {
  /** "0" … "6", "7+". */
  frequency: string;
  customers: number;
  /** Mean predicted and actual purchase days in the holdout. */
  predicted: number;
  actual: number;
}

/** One candidate's backtest. */
export interface Candidate {
  model: RiskModelName;
  label: string;
  /** Null when the model could not be fitted (see `error`). */
  auc: number | null;
  brier: number | null;
  logLoss: number | null;
  deciles: CalibrationGroup[];
  /** Probabilistic models: holdout purchases predicted against actual. */
  purchases: {
    predicted: number;
    actual: number;
    /** Mean squared error per customer, the purchase model's criterion. */
    mse: number;
    /** Predicted and actual holdout spend (the value model), when spend can be predicted. */
    byFrequency: FrequencyRow[];
  } | null;
  /** Fitted parameters (probabilistic models) or weights (learned), for the Method page. */
  params: Record<string, number>;
  converged: boolean;
  error: string | null;
  /** How it was tested, when not simply fitted on the calibration period. */
  how?: string;
}

export interface BacktestOptions {
  asOf: string;
  /** The dated activity the learned model reads (features.ts `activity`); none: purchases only. */
  activity?: readonly SQL[];
  horizonDays: number;
  /** Customers need this many purchase days by the scoring date to be flagged. */
  minOrders: number;
  flag: FlagRule;
}

/** The backtest and what it decided. */
export interface Backtest {
  /**
   * "purchases": scored one horizon back, compared with the horizon that followed;
   * "subscription": cross-validated against the churn the data records (no dates needed).
   */
  kind: "purchases" | "subscription";
  /** Subscriptions: the period a churn probability is for ("month"). */
  period: string | null;
  /** Purchases: the scoring date and the end of the holdout; null for a subscription. */
  calibrationDate: string | null;
  holdoutEnd: string | null;
  horizonDays: number;
  /** Customers scored (bought by the calibration date) and those who then bought nothing. */
  customers: number;
  lapsed: number;
  /** The baseline: recency alone. */
  baselineAuc: number | null;
  candidates: Candidate[];
  /** The risk model, or null with the reason risk is not assessed. */
  risk: {
    model: RiskModelName;
    flag: Flag | null;
    flagReason: string | null;
    eligible: number;
  } | null;
  riskReason: string | null;
  /** The purchase model the value figures come from (null when none could be fitted). */
  purchaseModel: PurchaseModelName | null;
  /**
   * The value model in the holdout: the purchase model's expected purchases × spend per
   * purchase (spend.ts), both as of the calibration date, against what was spent.
   */
  value: {predicted: number; actual: number; spend: "gamma_gamma" | "shrunk"} | null;
}

const finite = (x: number) => (Number.isFinite(x) ? x : null);

function frequencyTable(x: Float64Array, predicted: Float64Array, actual: Float64Array) {
  const groups = Array.from({length: TOP_FREQUENCY + 1}, (_, k) => ({
    frequency: k === TOP_FREQUENCY ? `${TOP_FREQUENCY}+` : String(k),
    customers: 0,
    predicted: 0,
    actual: 0
  }));
  for (let i = 0; i < x.length; i++) {
    const g = groups[Math.min(x[i], TOP_FREQUENCY)];
    g.customers++;
    g.predicted += predicted[i];
    g.actual += actual[i];
  }
  return groups
    .filter((g) => g.customers > 0)
    .map((g) => ({...g, predicted: g.predicted / g.customers, actual: g.actual / g.customers}));
}

function scores(
  model: RiskModelName,
  probability: Float64Array,
  outcome: Float64Array
): Pick<Candidate, "auc" | "brier" | "logLoss" | "deciles"> {
  return {
    auc: finite(auc(probability, outcome)),
    brier: finite(brier(probability, outcome)),
    logLoss: finite(logLoss(probability, outcome)),
    deciles: calibration(probability, outcome, 10)
  };
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A candidate that could not be fitted. */
const failed = (model: RiskModelName, label: string, error: string): Candidate => ({
  model,
  label,
  auc: null,
  brier: null,
  logLoss: null,
  deciles: [],
  purchases: null,
  params: {},
  converged: false,
  error
});

/**
 * Runs the backtest (see the module comment) over the store's `orders`. Needs no other table;
 * writes none (publishBacktest does). The probability each candidate gives is the probability
 * of no purchase in the next horizon.
 */
export async function runBacktest(
  store: Store,
  options: BacktestOptions
): Promise<{
  backtest: Backtest;
  /** Backtest scores of the chosen risk model, aligned with `test.ids` (for the threshold). */
  test: History;
}> {
  const h = options.horizonDays;
  const calibrationDate = addDays(options.asOf, -h);
  const test = await readHistory(store, calibrationDate, h, options.activity);
  const outcome = lapsed(test);
  const n = test.x.length;
  let lapsedCount = 0;
  for (const v of outcome) lapsedCount += v;
  const base: Omit<Backtest, "candidates" | "risk" | "riskReason" | "purchaseModel" | "value"> = {
    kind: "purchases",
    period: null,
    calibrationDate,
    holdoutEnd: options.asOf,
    horizonDays: h,
    customers: n,
    lapsed: lapsedCount,
    baselineAuc: null
  };
  const tooLittle =
    n < MIN_BACKTEST_CUSTOMERS
      ? `only ${n} customers had bought by ${calibrationDate} (one horizon of ${h} days before the as-of date); the backtest needs ${MIN_BACKTEST_CUSTOMERS}`
      : lapsedCount < MIN_CLASS || n - lapsedCount < MIN_CLASS
        ? `of the ${n} customers who had bought by ${calibrationDate}, ${lapsedCount} bought nothing in the next ${h} days and ${n - lapsedCount} bought again; the backtest needs at least ${MIN_CLASS} of each`
        : null;
  if (tooLittle)
    return {
      backtest: {
        ...base,
        candidates: [],
        risk: null,
        riskReason: tooLittle,
        purchaseModel: null,
        value: null
      },
      test
    };

  const recency = test.T.map((T, i) => T - test.tx[i]);
  const baselineAuc = finite(auc(recency, outcome));
  const weeks = h / DAYS_PER_WEEK;
  const triples = compress(test.x, test.tx, test.T);
  const candidates: Candidate[] = [];
  const probabilities = new Map<RiskModelName, Float64Array>();
  const expectations = new Map<PurchaseModelName, Float64Array>();

  for (const name of PURCHASE_MODEL_NAMES) {
    const label = purchaseModelLabel(name);
    let model: FittedPurchaseModel;
    try {
      model = fitPurchaseModel(name, triples);
    } catch (error) {
      candidates.push(failed(name, label, `could not be fitted: ${message(error)}`));
      continue;
    }
    const p = predictPurchases(model, triples, weeks, [weeks]);
    const expected = p.expected[0];
    let predicted = 0;
    let actual = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      predicted += expected[i];
      actual += test.nextDays[i];
      squares += (expected[i] - test.nextDays[i]) ** 2;
    }
    probabilities.set(name, p.none);
    expectations.set(name, expected);
    candidates.push({
      model: name,
      label,
      ...scores(name, p.none, outcome),
      purchases: {
        predicted,
        actual,
        mse: squares / n,
        byFrequency: frequencyTable(test.x, expected, test.nextDays)
      },
      params: {...model.fit.params, log_likelihood: model.fit.logLikelihood},
      converged: model.fit.converged,
      error: model.fit.converged
        ? null
        : "the fit did not converge (the data pull its parameters to a limit of the model)"
    });
  }

  const learnedLabel = "Learned from history";
  const trainDate = addDays(calibrationDate, -h);
  const train = await readHistory(store, trainDate, h, options.activity);
  try {
    let probability: Float64Array;
    let model: LogisticModel;
    let how: string;
    if (train.x.length >= MIN_BACKTEST_CUSTOMERS) {
      // Trained one horizon earlier, tested on a period it never saw.
      ({model, probability} = learnRisk(train, test));
      how = `trained on ${train.x.length} customers as of ${trainDate}`;
    } else {
      // Too little earlier history: five-fold cross-validation on the backtest's own customers.
      const t = learnedColumns(test);
      probability = crossValidate(t.names, t.columns, outcome, {folds: 5, seed: 1});
      model = fitLogistic(t.names, t.columns, outcome);
      how = `cross-validated in 5 folds (fewer than ${MIN_BACKTEST_CUSTOMERS} customers had bought by ${trainDate} to learn from)`;
    }
    probabilities.set("learned", probability);
    candidates.push({
      model: "learned",
      label: learnedLabel,
      ...scores("learned", probability, outcome),
      purchases: null,
      params: Object.fromEntries(model.names.map((name, j) => [name, model.weights[j]])),
      converged: model.converged,
      error: model.converged ? null : "the fit did not converge",
      how
    });
  } catch (error) {
    candidates.push(failed("learned", learnedLabel, message(error)));
  }

  // The purchase model: lowest holdout MSE among converged probabilistic models.
  const usable = candidates.filter((c) => c.error === null);
  const purchaseModel =
    (usable.filter((c) => c.purchases).sort((a, b) => a.purchases!.mse - b.purchases!.mse)[0]
      ?.model as PurchaseModelName) ?? null;

  let value: Backtest["value"] = null;
  if (purchaseModel) {
    const spend = spendModel(test);
    const expected = expectations.get(purchaseModel)!;
    if (spend.kind) {
      let predicted = 0;
      let actual = 0;
      for (let i = 0; i < n; i++) {
        predicted += expected[i] * spend.spend[i];
        actual += test.nextAmount[i];
      }
      value = {predicted, actual, spend: spend.kind};
    }
  }

  // The risk model: lowest log loss among those beating recency on AUC.
  const beating = usable
    .filter((c) => c.auc !== null && baselineAuc !== null && c.auc > baselineAuc)
    .sort((a, b) => a.logLoss! - b.logLoss!);
  const best = beating[0];
  if (!best) {
    const top = usable.filter((c) => c.auc !== null).sort((a, b) => b.auc! - a.auc!)[0];
    const fmt = (x: number | null) => (x === null ? "none" : x.toFixed(3));
    return {
      backtest: {
        ...base,
        baselineAuc,
        candidates,
        risk: null,
        riskReason: top
          ? `no model ranked the customers who lapsed better than recency alone did (best AUC ${fmt(top.auc)}, ${top.label}, against ${fmt(baselineAuc)} for the time since the last purchase)`
          : "no model could be fitted on the history",
        purchaseModel,
        value
      },
      test
    };
  }

  // The threshold, among customers eligible for the flag.
  const probability = probabilities.get(best.model)!;
  const eligibleScores: number[] = [];
  const eligibleOutcomes: number[] = [];
  for (let i = 0; i < n; i++) {
    if (test.x[i] + 1 >= options.minOrders) {
      eligibleScores.push(probability[i]);
      eligibleOutcomes.push(outcome[i]);
    }
  }
  const choice = chooseThreshold(eligibleScores, eligibleOutcomes, options.flag);
  return {
    backtest: {
      ...base,
      baselineAuc,
      candidates,
      risk: {
        model: best.model,
        flag: choice.flag,
        flagReason: choice.flag ? null : choice.reason,
        eligible: eligibleScores.length
      },
      riskReason: null,
      purchaseModel,
      value
    },
    test
  };
}

// ---------------------------------------------------------------------------------------------
// Tables

/** The order candidates are listed in, everywhere. */
const ORDER: RiskModelName[] = [...PURCHASE_MODEL_NAMES, "learned", "sbg", "learned_churn"];

const rows = (values: SQL[]) => join(values.map((v) => sql`(${v})`));
/** A string bound as a value, or NULL. */
const text = (s: string | null | undefined) => (s === null || s === undefined ? null : val(s));

/**
 * The backtest as tables (replacing earlier ones), for the Method page and every figure that
 * cites it:
 * - `risk_assessment`: one row: dates, customers, the baseline, the chosen models (the purchase
 *   model untested when there was too little history), the flag rule and threshold with its
 *   precision and recall, the value predicted and spent in the holdout, and why anything was
 *   not assessed;
 * - `value_backtest(model, label, auc, brier, log_loss, predicted_purchases, actual_purchases,
 *   mse, converged, error, how, risk_model, purchase_model)`: one row per candidate;
 * - `value_backtest_frequency(model, position, frequency, customers, predicted, actual)`;
 * - `value_backtest_deciles(model, decile, customers, predicted, actual)`;
 * - `value_backtest_params(model, parameter, value)`.
 * `backtest` null (no orders, or nobody had bought) writes the assessment with `reason`.
 */
export function backtestTablesSql(
  backtest: Backtest | null,
  decision: {purchaseModel: PurchaseModelName | null},
  settings: {flag: FlagRule; minOrders: number; horizonDays: number},
  reason: string | null
): SQL[] {
  const b = backtest;
  const flag = b?.risk?.flag ?? null;
  const [ruleName, ruleValue] =
    "precision" in settings.flag
      ? ["precision", settings.flag.precision]
      : ["share", settings.flag.share];
  const notAssessed = b?.riskReason ?? (b ? null : reason);
  const assessment = sql`CREATE OR REPLACE TABLE risk_assessment AS SELECT
    ${text(b?.kind ?? "purchases")}::VARCHAR AS kind,
    ${text(b?.period)}::VARCHAR AS period,
    ${text(b?.calibrationDate)}::DATE AS calibration_date,
    ${text(b?.holdoutEnd)}::DATE AS holdout_end,
    ${settings.horizonDays}::INTEGER AS horizon_days,
    ${b?.customers ?? null}::INTEGER AS customers,
    ${b?.lapsed ?? null}::INTEGER AS lapsed,
    ${b?.baselineAuc ?? null}::DOUBLE AS baseline_auc,
    ${text(b?.risk?.model ?? null)}::VARCHAR AS risk_model,
    ${text(notAssessed)}::VARCHAR AS risk_reason,
    ${text(decision.purchaseModel)}::VARCHAR AS purchase_model,
    ${decision.purchaseModel !== null && decision.purchaseModel === b?.purchaseModel}::BOOLEAN
      AS purchase_tested,
    ${val(ruleName)}::VARCHAR AS rule, ${ruleValue}::DOUBLE AS rule_value,
    ${settings.minOrders}::INTEGER AS min_orders,
    ${b?.risk?.eligible ?? null}::INTEGER AS eligible,
    ${flag?.threshold ?? null}::DOUBLE AS threshold,
    ${flag?.flagged ?? null}::INTEGER AS flagged,
    ${flag ? finite(flag.precision) : null}::DOUBLE AS precision,
    ${flag ? finite(flag.recall) : null}::DOUBLE AS recall,
    ${flag ? finite(flag.baseRate) : null}::DOUBLE AS base_rate,
    ${text(b?.risk?.flagReason ?? null)}::VARCHAR AS flag_reason,
    ${b?.value?.predicted ?? null}::DOUBLE AS value_predicted,
    ${b?.value?.actual ?? null}::DOUBLE AS value_actual,
    ${text(b?.value?.spend ?? null)}::VARCHAR AS value_spend`;
  const candidates = [...(b?.candidates ?? [])].sort(
    (x, y) => ORDER.indexOf(x.model) - ORDER.indexOf(y.model)
  );
  const position = (c: Candidate) => ORDER.indexOf(c.model);
  const empty = {
    value_backtest: sql`CREATE OR REPLACE TABLE value_backtest (position INTEGER, model VARCHAR,
      label VARCHAR, auc DOUBLE, brier DOUBLE, log_loss DOUBLE, predicted_purchases DOUBLE,
      actual_purchases DOUBLE, mse DOUBLE, converged BOOLEAN, error VARCHAR, how VARCHAR,
      risk_model BOOLEAN, purchase_model BOOLEAN)`,
    value_backtest_frequency: sql`CREATE OR REPLACE TABLE value_backtest_frequency
      (position INTEGER, model VARCHAR, bucket INTEGER, frequency VARCHAR, customers INTEGER,
       predicted DOUBLE, actual DOUBLE)`,
    value_backtest_deciles: sql`CREATE OR REPLACE TABLE value_backtest_deciles
      (position INTEGER, model VARCHAR, decile INTEGER, customers INTEGER, predicted DOUBLE,
       actual DOUBLE)`,
    value_backtest_params: sql`CREATE OR REPLACE TABLE value_backtest_params
      (position INTEGER, model VARCHAR, parameter VARCHAR, value DOUBLE)`
  };
  const out: SQL[] = [assessment, ...Object.values(empty)];
  const insert = (name: string, values: SQL[]) => {
    if (values.length) out.push(sql`INSERT INTO ${ident(name)} VALUES ${rows(values)}`);
  };
  insert(
    "value_backtest",
    candidates.map(
      (c) => sql`${position(c)}::INTEGER, ${val(c.model)}::VARCHAR, ${val(c.label)}::VARCHAR,
        ${c.auc}::DOUBLE, ${c.brier}::DOUBLE, ${c.logLoss}::DOUBLE,
        ${c.purchases?.predicted ?? null}::DOUBLE, ${c.purchases?.actual ?? null}::DOUBLE,
        ${c.purchases?.mse ?? null}::DOUBLE, ${c.converged}::BOOLEAN, ${text(c.error)}::VARCHAR,
        ${text(c.how ?? null)}::VARCHAR, ${b?.risk?.model === c.model}::BOOLEAN,
        ${b?.purchaseModel === c.model}::BOOLEAN`
    )
  );
  insert(
    "value_backtest_frequency",
    candidates.flatMap((c) =>
      (c.purchases?.byFrequency ?? []).map(
        (f, k) => sql`${position(c)}::INTEGER, ${val(c.model)}::VARCHAR, ${k}::INTEGER,
          ${val(f.frequency)}::VARCHAR, ${f.customers}::INTEGER, ${f.predicted}::DOUBLE,
          ${f.actual}::DOUBLE`
      )
    )
  );
  insert(
    "value_backtest_deciles",
    candidates.flatMap((c) =>
      c.deciles.map(
        (d) => sql`${position(c)}::INTEGER, ${val(c.model)}::VARCHAR, ${d.group}::INTEGER,
          ${d.customers}::INTEGER, ${d.predicted}::DOUBLE, ${d.actual}::DOUBLE`
      )
    )
  );
  insert(
    "value_backtest_params",
    candidates.flatMap((c) =>
      Object.entries(c.params).map(
        ([parameter, value]) => sql`${position(c)}::INTEGER, ${val(c.model)}::VARCHAR,
          ${val(parameter)}::VARCHAR, ${finite(value)}::DOUBLE`
      )
    )
  );
  return out;
}

// ---------------------------------------------------------------------------------------------
// Subscriptions

/** The risk model names of the subscription candidates (subscription.ts names them by kind). */
export const SUBSCRIPTION_RISK_MODELS = {sbg: "sbg", learned: "learned_churn"} as const;

/**
 * A subscription assessment (subscription.ts: cross-validated against the recorded churn) as a
 * backtest: the risk model is the candidate with the lowest out-of-fold log loss among those
 * that rank better than a coin (AUC above 0.5), its threshold the one the rule picked.
 */
export function subscriptionBacktest(assessment: SubscriptionAssessment): Backtest {
  const period =
    typeof assessment.period === "string"
      ? assessment.period
      : `${assessment.period.days}-day period`;
  const candidates: Candidate[] = assessment.candidates.map((c) => ({
    model: SUBSCRIPTION_RISK_MODELS[c.model],
    label: c.model === "sbg" ? "sBG on tenure" : "Learned from the churn recorded",
    auc: c.auc,
    brier: c.brier,
    logLoss: c.logLoss,
    deciles: c.calibration,
    purchases: null,
    params: c.params,
    converged: c.auc !== null,
    error: c.auc === null ? (c.notes[0] ?? "not fitted") : null,
    how: `cross-validated in 5 folds against the churn recorded; reads ${c.columns.length === 1 ? c.columns[0] : `${c.columns.length} columns`}`
  }));
  const base = {
    kind: "subscription" as const,
    period,
    calibrationDate: null,
    holdoutEnd: null,
    horizonDays: 0,
    customers: assessment.backtested,
    lapsed: assessment.churned,
    baselineAuc: 0.5,
    candidates,
    purchaseModel: null,
    value: null
  };
  const usable = assessment.candidates
    .filter((c) => c.auc !== null && c.auc > 0.5 && c.logLoss !== null)
    .sort((a, b) => a.logLoss! - b.logLoss!);
  const best = usable[0];
  if (!best)
    return {
      ...base,
      risk: null,
      riskReason:
        assessment.backtested < MIN_CLASS
          ? `only ${assessment.backtested} subscribers could be checked against their churn`
          : "no model ranked the subscribers who churned above those who stayed"
    };
  return {
    ...base,
    risk: {
      model: SUBSCRIPTION_RISK_MODELS[best.model],
      flag: best.flag.flag,
      flagReason: best.flag.flag ? null : best.flag.reason,
      eligible: assessment.backtested
    },
    riskReason: null
  };
}
