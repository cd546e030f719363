/**
 * Churn risk of subscribers (contractual data, README "Subscriptions"): each customer's tenure
 * in periods and whether they churned, read as the config's `subscription` says, and two
 * candidate models, each measured out of fold against the actual churn:
 * - `sbg`: the shifted-beta-geometric model (clv/sbg.ts) on tenure alone; a customer's risk is
 *   the churn hazard of their last observed period, from an sBG fitted on the other folds;
 * - `learned`: a ridge logistic regression (logistic.ts) on the customer's features (numbers and
 *   flags as they are, categories one-hot), never an outcome nor the subscription's end date.
 * The backtest asks of each customer seen through at least one period: did they churn in it?
 * Every customer gets a current score from each model fitted on everyone: a subscriber's
 * probability of churning in the next period; a churned customer none (gone, not at risk).
 *
 * Tables (ordered by model, then customer_id):
 * - `subscription_scores(customer_id, model, p_churn, tenure, churned, reason)`: every customer
 *   × model; p_churn NULL with the reason (churned, no tenure, churn unknown, not scored);
 * - `subscription_backtest(customer_id, model, fold, p_churn, churned)`: the out-of-fold
 *   predictions of the customers in the backtest.
 */
import type {PortraitConfig, SubscriptionSettings} from "../config/project.ts";
import {normalise} from "../core/closest.ts";
import {ident, join, sql, val, type SQL} from "../core/sql.ts";
import type {Store} from "../core/store.ts";
import {outcomeValueSql} from "../profile/outcomes.ts";
import {fitSbgGroups, sbgGroups, sbgHazard} from "./clv/sbg.ts";
import {assignFolds, fitLogistic, predictLogistic, type LogisticModel} from "./logistic.ts";
import {
  auc,
  brier,
  calibration,
  chooseThreshold,
  logLoss,
  type CalibrationGroup,
  type Choice,
  type FlagRule
} from "./scoring.ts";

export interface SubscriptionOptions {
  /** YYYY-MM-DD: churn dated on or before it happened; tenures from dates run to it. */
  asOf: string;
  /** How the at-risk threshold is chosen on the out-of-fold predictions. */
  rule: FlagRule;
  /** Cross-validation folds (default 5) and the seed that deals them (default 1). */
  folds?: number;
  seed?: number;
  /** The learned model's ridge penalty (default 1). */
  lambda?: number;
  /** The learned model is fitted on a seeded sample of at most this many rows (default 200,000). */
  maxFitRows?: number;
  /** A category keeps its most frequent levels, each a 0/1 column (default 20). */
  maxLevels?: number;
}

export const SUBSCRIPTION_MODELS = ["sbg", "learned"] as const;
export type SubscriptionModel = (typeof SUBSCRIPTION_MODELS)[number];

/** One candidate, measured out of fold against the actual churn. */
export interface SubscriptionCandidate {
  model: SubscriptionModel;
  label: string;
  /** sbg: alpha and beta; learned: the intercept and each standardised column's weight. */
  params: Record<string, number>;
  /** Null where they cannot be computed (nobody churned, or nobody stayed). */
  auc: number | null;
  brier: number | null;
  logLoss: number | null;
  /** Predicted against actual churn by decile of the out-of-fold prediction. */
  calibration: CalibrationGroup[];
  /** The at-risk flag the rule picks on the out-of-fold predictions, with its precision and recall. */
  flag: Choice;
  /** The columns the model reads. */
  columns: string[];
  notes: string[];
}

export interface SubscriptionAssessment {
  period: SubscriptionSettings["period"];
  /** Customers with a known tenure and churn, and those of them who churned. */
  customers: number;
  churned: number;
  /** Customers in the backtest: those seen through at least one period. */
  backtested: number;
  candidates: SubscriptionCandidate[];
  notes: string[];
}

/** Completed periods from date a to date b. */
function periodsBetween(period: SubscriptionSettings["period"], a: SQL, b: SQL): SQL {
  return typeof period === "string"
    ? sql`date_sub(${val(period)}, ${a}, ${b})`
    : sql`floor(date_diff('day', ${a}, ${b}) / ${val(period.days)})`;
}

/**
 * Each customer's tenure (DOUBLE: periods completed, or for one who churned the period they
 * churned in, at least 1) and churn (1, 0, or NULL when unknown), from `customers`, by id.
 * A tenure that is negative, fractional, or starts after the as-of date is NULL.
 */
export function subscriptionInputQuery(config: PortraitConfig, asOf: string): SQL {
  const s = config.subscription;
  if (!s) throw new Error("the config declares no subscription");
  const day = sql`${val(asOf)}::DATE`;
  let inner: SQL;
  let tenure: SQL;
  if (typeof s.tenure === "string") {
    const churned = churnedSql(config, s, sql`NULL`, asOf);
    inner = sql`SELECT customer_id, TRY_CAST(${ident(s.tenure)} AS DOUBLE) AS t, ${churned} AS churned FROM customers`;
    tenure = sql`CASE WHEN t >= 0 AND t = floor(t) THEN CASE WHEN churned = 1 THEN greatest(t, 1) ELSE t END END`;
  } else {
    const end = sql`TRY_CAST(${ident(s.tenure.end)} AS DATE)`;
    const churned = churnedSql(config, s, end, asOf);
    inner = sql`SELECT customer_id, TRY_CAST(${ident(s.tenure.start)} AS DATE) AS started,
                  least(coalesce(${end}, ${day}), ${day}) AS ended, ${churned} AS churned
                FROM customers`;
    const lastDay = sql`CAST(ended - INTERVAL 1 DAY AS DATE)`;
    tenure = sql`CASE WHEN started IS NULL OR started > ${day} THEN NULL
      WHEN churned = 1 THEN greatest(1, ${periodsBetween(s.period, sql`started`, lastDay)} + 1)
      ELSE ${periodsBetween(s.period, sql`started`, day)} END`;
  }
  return sql`SELECT customer_id, (${tenure})::DOUBLE AS tenure, churned::DOUBLE AS churned
    FROM (${inner}) ORDER BY customer_id`;
}

/** Churn as 1/0/NULL: the declared outcome, or an end date on or before the as-of date. */
function churnedSql(config: PortraitConfig, s: SubscriptionSettings, end: SQL, asOf: string): SQL {
  // parseConfig checked that the outcome exists, and that without one the tenure has an end.
  if (s.churned !== null) return outcomeValueSql(s.churned, config.outcomes[s.churned].type, asOf);
  return sql`CASE WHEN ${end} <= ${val(asOf)}::DATE THEN 1.0 ELSE 0.0 END`;
}

/** The learned model's inputs: each column as numbers, by customer index. */
interface Design {
  names: string[];
  columns: Float64Array[];
  notes: string[];
}

/** The column names an expression reads (lower case), by DuckDB's own parser. */
async function columnsRead(store: Store, expression: string): Promise<string[]> {
  const row = await store.one<{tree: string}>(
    sql`SELECT json_serialize_sql(${val(`SELECT ${expression} FROM customers`)}::VARCHAR) AS tree`
  );
  const names: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === "object") {
      const o = node as Record<string, unknown>;
      if (o.class === "COLUMN_REF" && Array.isArray(o.column_names))
        names.push(String(o.column_names.at(-1)).toLowerCase());
      Object.values(o).forEach(walk);
    }
  };
  walk(JSON.parse(row?.tree ?? "null"));
  return names;
}

/**
 * The features the learned model must not read: the outcomes and the subscription's end date,
 * the attributes read from the same source columns, and the custom features computed from any
 * of them.
 */
async function forbiddenFeatures(store: Store, config: PortraitConfig): Promise<Set<string>> {
  const s = config.subscription!;
  const fields = [...Object.keys(config.outcomes)];
  if (typeof s.tenure !== "string") fields.push(s.tenure.end);
  const forbidden = new Set(["customer_id", ...fields]);
  // A source column feeding an outcome or the end date: its name, or those its SQL reads.
  const sourcesOf = async (name: string, spec: {column?: string; sql?: string}) =>
    spec.sql !== undefined ? await columnsRead(store, spec.sql) : [spec.column ?? name];
  const specs = {...config.attributes, ...config.outcomes};
  const leaking = new Set<string>();
  for (const field of fields)
    if (field in specs)
      for (const c of await sourcesOf(field, specs[field])) leaking.add(normalise(c));
  for (const [name, spec] of Object.entries(config.attributes))
    if ((await sourcesOf(name, spec)).some((c) => leaking.has(normalise(c)))) forbidden.add(name);
  for (const [name, spec] of Object.entries(config.features.custom))
    if ((await columnsRead(store, spec.sql)).some((c) => forbidden.has(c))) forbidden.add(name);
  return forbidden;
}

/** The features of the customers of `subscription_input`, in its order, as model columns. */
async function readDesign(
  store: Store,
  config: PortraitConfig,
  maxLevels: number
): Promise<Design> {
  const types = await store.tableColumns("features");
  const forbidden = await forbiddenFeatures(store, config);
  const usable = [...types].filter(([name]) => !forbidden.has(name));
  const excluded = [...types.keys()].filter(
    (name) => name !== "customer_id" && forbidden.has(name)
  );
  const left = excluded.length
    ? [`left out as outcomes, the end date, or read from them: ${excluded.join(", ")}`]
    : [];
  if (usable.length === 0)
    return {names: [], columns: [], notes: [...left, "no features to learn from"]};
  const values = await store.columns(
    sql`SELECT ${join(usable.map(([name]) => sql`f.${ident(name)}`))}
        FROM subscription_input i LEFT JOIN features f USING (customer_id) ORDER BY i.idx`
  );
  const names: string[] = [];
  const columns: Float64Array[] = [];
  const constant: string[] = [];
  usable.forEach(([name, type], c) => {
    const raw = values[c];
    if (type === "VARCHAR") {
      const counts = new Map<string, number>();
      for (const v of raw) if (v !== null) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
      const levels = [...counts.keys()]
        .sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : 1))
        .slice(0, maxLevels);
      if (levels.length < 2) constant.push(name);
      else
        for (const level of levels) {
          names.push(`${name} = ${level}`);
          columns.push(
            Float64Array.from(raw, (v) => (v === null ? 0 : String(v) === level ? 1 : 0))
          );
        }
      return;
    }
    const column = Float64Array.from(raw, (v) => (v === null ? NaN : Number(v)));
    const seen = new Set(column.filter((v) => !Number.isNaN(v)));
    if (seen.size < 2) constant.push(name);
    else {
      names.push(name);
      columns.push(column);
    }
  });
  if (constant.length) left.push(`left out for holding one value or none: ${constant.join(", ")}`);
  return {names, columns, notes: left};
}

/** A number fit to publish: NaN becomes null. */
const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** How the pages name a period. */
function periodWord(period: SubscriptionSettings["period"]): string {
  return typeof period === "string" ? period : `period of ${period.days} days`;
}

/** The out-of-fold measures of one candidate's predictions over the backtest rows. */
function measure(
  predictions: Float64Array,
  y: Float64Array,
  rule: FlagRule
): Pick<SubscriptionCandidate, "auc" | "brier" | "logLoss" | "calibration" | "flag"> {
  return {
    auc: finite(auc(predictions, y)),
    brier: finite(brier(predictions, y)),
    logLoss: finite(logLoss(predictions, y)),
    calibration: calibration(predictions, y, 10),
    flag: chooseThreshold(predictions, y, rule)
  };
}

/** What every candidate is given: customers by index, the backtest rows and their folds. */
interface Population {
  tenure: Float64Array;
  churned: Float64Array;
  /** Customers with a known tenure and churn. */
  known: number[];
  /** Known customers seen through at least one period, and each one's fold. */
  backtest: number[];
  fold: Int32Array;
  folds: number;
}

/** A candidate's predictions by customer index: out of fold, and current (next period). */
interface Scored {
  candidate: SubscriptionCandidate;
  outOfFold: Float64Array;
  current: Float64Array;
}

function emptyCandidate(model: SubscriptionModel, label: string): SubscriptionCandidate {
  return {
    model,
    label,
    params: {},
    auc: null,
    brier: null,
    logLoss: null,
    calibration: [],
    flag: {flag: null, reason: "not scored", best: null},
    columns: [],
    notes: []
  };
}

/** The backtest rows outside fold f: what a fold's model is fitted on. */
const training = (p: Population, f: number) => p.backtest.filter((_, k) => p.fold[k] !== f);

/** The sBG candidate: tenure alone. */
function scoreSbg(p: Population, window: number | null, period: string): Scored {
  const n = p.tenure.length;
  const candidate = emptyCandidate("sbg", `sBG: churn by ${period}s subscribed`);
  candidate.columns = ["tenure"];
  const outOfFold = new Float64Array(n).fill(NaN);
  const current = new Float64Array(n).fill(NaN);
  const fit = (rows: number[]) => fitSbgGroups(sbgGroups(p.tenure, p.churned, window, rows));
  for (let f = 0; f < p.folds; f++) {
    let params;
    try {
      params = fit(training(p, f)).params;
    } catch (error) {
      candidate.notes.push(`fold ${f + 1} not scored: ${(error as Error).message}`);
      continue;
    }
    p.backtest.forEach((i, k) => {
      if (p.fold[k] === f) outOfFold[i] = sbgHazard(params, p.tenure[i] - 1);
    });
  }
  try {
    const all = fit(p.known);
    candidate.params = {...all.params};
    if (!all.converged) candidate.notes.push("the sBG fit on everyone did not converge");
    for (const i of p.known) if (!p.churned[i]) current[i] = sbgHazard(all.params, p.tenure[i]);
  } catch (error) {
    candidate.notes.push(`not fitted: ${(error as Error).message}`);
  }
  return {candidate, outOfFold, current};
}

/** The learned candidate: a ridge logistic regression on the customer's features. */
function scoreLearned(
  p: Population,
  design: Design,
  {lambda, maxFitRows, seed}: {lambda: number; maxFitRows: number; seed: number}
): Scored {
  const n = p.tenure.length;
  const candidate = emptyCandidate("learned", "Logistic regression on the customer's features");
  candidate.columns = design.names;
  candidate.notes.push(...design.notes);
  const outOfFold = new Float64Array(n).fill(NaN);
  const current = new Float64Array(n).fill(NaN);
  if (design.names.length === 0) return {candidate, outOfFold, current};
  // Past a few hundred thousand rows a larger sample barely moves the weights, and costs seconds.
  const sample = (rows: number[]) => {
    if (rows.length <= maxFitRows) return rows;
    const part = assignFolds(rows.length, Math.ceil(rows.length / maxFitRows), seed);
    return rows.filter((_, k) => part[k] === 0);
  };
  const fit = (rows: number[]) =>
    fitLogistic(design.names, design.columns, p.churned, {lambda}, sample(rows));
  if (p.backtest.length > maxFitRows)
    candidate.notes.push(
      `fitted on a seeded sample of ${maxFitRows} customers where more are given`
    );
  for (let f = 0; f < p.folds; f++) {
    const test = p.backtest.filter((_, k) => p.fold[k] === f);
    let model: LogisticModel;
    try {
      model = fit(training(p, f));
    } catch (error) {
      candidate.notes.push(`fold ${f + 1} not scored: ${(error as Error).message}`);
      continue;
    }
    predictLogistic(model, design.columns, test).forEach((q, k) => (outOfFold[test[k]] = q));
  }
  try {
    const model = fit(p.backtest);
    candidate.params = {
      intercept: model.intercept,
      ...Object.fromEntries(model.names.map((name, j) => [name, model.weights[j]]))
    };
    if (!model.converged) candidate.notes.push("the fit on everyone did not converge");
    const subscribed = p.known.filter((i) => !p.churned[i]);
    predictLogistic(model, design.columns, subscribed).forEach((q, k) => {
      current[subscribed[k]] = q;
    });
  } catch (error) {
    candidate.notes.push(`not fitted: ${(error as Error).message}`);
  }
  return {candidate, outOfFold, current};
}

/** The predictions appended by customer index, one block per model. */
const PREDICTIONS_SQL = sql`CREATE OR REPLACE TEMP TABLE subscription_predictions (
  idx INTEGER, model INTEGER, fold INTEGER, out_of_fold DOUBLE, score DOUBLE)`;

/** The model names by position, for joining onto the predictions. */
const modelNames = () =>
  sql`(VALUES ${join(SUBSCRIPTION_MODELS.map((m, k) => sql`(${val(k)}, ${val(m)})`))}) AS m(position, model)`;

const SCORES_SQL = sql`CREATE OR REPLACE TABLE subscription_scores AS
  SELECT i.customer_id::VARCHAR AS customer_id, m.model::VARCHAR AS model, p.score AS p_churn,
    i.tenure, (i.churned = 1) AS churned,
    CASE WHEN i.churned IS NULL THEN 'churn unknown' WHEN i.tenure IS NULL THEN 'no tenure'
      WHEN i.churned = 1 THEN 'churned' WHEN p.score IS NULL THEN 'not scored' END AS reason
  FROM subscription_predictions p JOIN subscription_input i USING (idx)
    JOIN ${modelNames()} ON m.position = p.model
  ORDER BY p.model, i.customer_id`;

const BACKTEST_SQL = sql`CREATE OR REPLACE TABLE subscription_backtest AS
  SELECT i.customer_id::VARCHAR AS customer_id, m.model::VARCHAR AS model, p.fold,
    p.out_of_fold AS p_churn, (i.churned = 1) AS churned
  FROM subscription_predictions p JOIN subscription_input i USING (idx)
    JOIN ${modelNames()} ON m.position = p.model
  WHERE p.fold IS NOT NULL
  ORDER BY p.model, i.customer_id`;

/**
 * Scores the subscribers with both candidates and writes `subscription_scores` and
 * `subscription_backtest`; null when the config declares no subscription. Reads `customers`
 * and `features`.
 */
export async function assessSubscription(
  store: Store,
  config: PortraitConfig,
  options: SubscriptionOptions
): Promise<SubscriptionAssessment | null> {
  const s = config.subscription;
  if (!s) return null;
  const {asOf, rule, folds = 5, seed = 1, lambda = 1, maxLevels = 20} = options;
  const maxFitRows = options.maxFitRows ?? 200_000;
  await store.run(sql`CREATE OR REPLACE TEMP TABLE subscription_input AS
    SELECT (row_number() OVER (ORDER BY customer_id) - 1)::INTEGER AS idx, *
    FROM (${subscriptionInputQuery(config, asOf)})`);
  const [tenureValues, churnValues] = await store.columns(
    sql`SELECT tenure, churned FROM subscription_input ORDER BY idx`
  );
  const toArray = (values: unknown[]) =>
    Float64Array.from(values, (v) => (v === null ? NaN : Number(v)));
  const tenure = toArray(tenureValues);
  const churned = toArray(churnValues);
  const n = tenure.length;
  const known: number[] = [];
  const backtest: number[] = [];
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(tenure[i]) || Number.isNaN(churned[i])) continue;
    known.push(i);
    if (churned[i] || tenure[i] >= 1) backtest.push(i);
  }
  const population: Population = {
    tenure,
    churned,
    known,
    backtest,
    fold: assignFolds(backtest.length, folds, seed),
    folds
  };
  const period = periodWord(s.period);
  const design = await readDesign(store, config, maxLevels);
  const scored = [
    scoreSbg(population, s.window, period),
    scoreLearned(population, design, {lambda, maxFitRows, seed})
  ];
  const y = Float64Array.from(backtest, (i) => churned[i]);
  for (const {candidate, outOfFold} of scored)
    Object.assign(
      candidate,
      measure(
        Float64Array.from(backtest, (i) => outOfFold[i]),
        y,
        rule
      )
    );

  await store.run(PREDICTIONS_SQL);
  const foldOf = new Float64Array(n).fill(NaN);
  backtest.forEach((i, k) => (foldOf[i] = population.fold[k]));
  for (const [k, {outOfFold, current}] of scored.entries())
    await store.appendColumns("subscription_predictions", [
      Int32Array.from({length: n}, (_, i) => i),
      new Int32Array(n).fill(k),
      foldOf,
      outOfFold,
      current
    ]);
  await store.run(SCORES_SQL);
  await store.run(BACKTEST_SQL);
  await store.run(sql`DROP TABLE subscription_predictions`);
  await store.run(sql`DROP TABLE subscription_input`);

  const churnedCount = known.filter((i) => churned[i]).length;
  const notes: string[] = [];
  if (known.length < n)
    notes.push(
      `${n - known.length} of ${n} customers have no known tenure or churn, and are not scored`
    );
  if (backtest.length < known.length)
    notes.push(
      `${known.length - backtest.length} subscribers have not completed a ${period} yet: scored, but not in the backtest`
    );
  return {
    period: s.period,
    customers: known.length,
    churned: churnedCount,
    backtested: backtest.length,
    candidates: scored.map((c) => c.candidate),
    notes
  };
}
