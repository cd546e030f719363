/**
 * Benchmark: every value model on 1,000,000 customers simulated from known parameters; prints
 * each fit's time, iterations, customers, unique triples and fitted against true parameters, and
 * the time of every customer's predictions. Nothing here asserts a time.
 *
 * Purchase-count populations (BG/NBD, MBG/NBD, Pareto/NBD): each customer makes a first purchase
 * on a day uniform over the first 13 weeks of a 52-week (364-day) calibration period, then buys
 * as a Poisson process with rate λ ~ Gamma(r, α) until they drop out: after each purchase with
 * probability p ~ Beta(a, b) (BG/NBD), also right after the first (MBG/NBD), or at the end of an
 * exponential lifetime with rate μ ~ Gamma(s, β) (Pareto/NBD). Purchase times are recorded to the
 * day (t_x and T multiples of 1/7 week) and purchases on one day count as one, as the build
 * counts them; that rounding, not the fits, moves the estimates a few per cent from the truth
 * (with exact times, MBG/NBD and Pareto/NBD on 1,000,000 customers come within 0.3 % and 2 %).
 * The mean value of the x repeat purchases is drawn from the Gamma-Gamma model: ν ~ Gamma(q, γ),
 * x·m_x ~ Gamma(p·x, ν). sBG: a cohort of subscribers with churn probability θ ~ Beta(α, β) per
 * period, followed for 24 periods. Logistic regression: 1,000,000 rows of 6 normal columns (5 %
 * of one missing) and y ~ Bernoulli(σ(b0 + w · x)), fitted, then cross-validated in 5 folds.
 *
 * Run: npx tsx bench/clv.ts [--n 1000000] [--seed 7] [--skip-stage]
 *
 * Then the whole customer-value stage (buildCustomerValue) on an in-memory store holding the
 * BG/NBD process as order rows: every purchase event is an order at a random time of its day (so
 * same-day orders occur and are merged by the stage's SQL), amounts ~ Gamma(p, ν) per order,
 * and the histories run half a year past the as-of date, so the as-of filter has work to do.
 */
import {pathToFileURL} from "node:url";
import {parseArgs} from "node:util";
import {cpus, loadavg} from "node:os";
import {
  expectedPurchases,
  fitBgNbd,
  fitMbgNbd,
  pAlive,
  type BgNbdParams
} from "../loaders/value/clv/bg-nbd.ts";
import {fitParetoNbd, type ParetoNbdParams} from "../loaders/value/clv/pareto-nbd.ts";
import {fitSbg, fitSbgGroups, sbgGroups, type SbgParams} from "../loaders/value/clv/sbg.ts";
import {crossValidate, fitLogistic} from "../loaders/value/logistic.ts";
import {auc} from "../loaders/value/scoring.ts";
import {
  expectedSpend,
  fitGammaGamma,
  type GammaGammaParams
} from "../loaders/value/clv/gamma-gamma.ts";
import type {Fit} from "../loaders/value/clv/fit.ts";
import {predictPurchases, type PurchaseModelName} from "../loaders/value/clv/purchase-models.ts";
import {compress} from "../loaders/value/clv/triples.ts";
import {random} from "../loaders/profile/kmeans/kmeans.ts";
import {ident, sql, val, type SQL} from "../loaders/core/sql.ts";
import {Store} from "../loaders/core/store.ts";
import {buildCustomerValue} from "../loaders/value/customer-value.ts";

const TRUE_BG: BgNbdParams = {r: 0.243, alpha: 4.414, a: 0.793, b: 2.426};
const TRUE_GG: GammaGammaParams = {p: 6.25, q: 3.74, gamma: 15.44};
/** The published CDNOW estimates of MBG/NBD and Pareto/NBD, and sBG's "regular" cohort. */
const TRUE_MBG: BgNbdParams = {r: 0.5248, alpha: 6.1831, a: 0.8914, b: 1.614};
const TRUE_PNBD: ParetoNbdParams = {r: 0.5533, alpha: 10.5777, s: 0.6062, beta: 11.6687};
const TRUE_SBG: SbgParams = {alpha: 0.704, beta: 1.182};
const SBG_PERIODS = 24;
/** The logistic model's intercept and weights per unit of its columns (x_j ~ N(0, (j + 1)²)). */
const LOGISTIC_INTERCEPT = -0.8;
const LOGISTIC_WEIGHTS = [0.9, -0.35, 0.2, -0.1, 0.05, 0.03];
const CALIBRATION_DAYS = 364;
const ACQUISITION_DAYS = 91;

/** Marsaglia-Tsang Gamma(shape, rate) sampler (with the u^(1/shape) boost below shape 1). */
function gammaSampler(rand: () => number) {
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const sample = (shape: number, rate: number): number => {
    if (shape < 1) return sample(shape + 1, rate) * Math.pow(1 - rand(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let z: number;
      let v: number;
      do {
        z = normal();
        v = 1 + c * z;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - rand();
      if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return (d * v) / rate;
    }
  };
  return sample;
}

/** The purchase-count model a population is simulated from. */
export type Population =
  {model: "bg" | "mbg"; params: BgNbdParams} | {model: "pareto"; params: ParetoNbdParams};

/**
 * n customers' (x, t_x, T) and mean repeat value. BG/NBD ("bg"): a customer may drop out after
 * each purchase event with probability p ~ Beta(a, b); MBG/NBD ("mbg"): also right after the
 * first purchase; Pareto/NBD ("pareto"): the lifetime is exponential with rate μ ~ Gamma(s, β).
 */
export function simulate(
  n: number,
  seed: number,
  population: Population = {model: "bg", params: TRUE_BG}
) {
  const rand = random(seed);
  const gamma = gammaSampler(rand);
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  const mean = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const firstDay = Math.floor(rand() * ACQUISITION_DAYS);
    const horizonDays = CALIBRATION_DAYS - firstDay;
    const lambda = gamma(population.params.r, population.params.alpha);
    // Dropout: a probability per purchase (BG, MBG) or an exponential lifetime (Pareto).
    let p = 0;
    let lifetime = Infinity;
    if (population.model === "pareto") {
      lifetime = -Math.log(1 - rand()) / gamma(population.params.s, population.params.beta);
    } else {
      const g1 = gamma(population.params.a, 1);
      p = g1 / (g1 + gamma(population.params.b, 1));
    }
    let time = 0;
    let lastDay = 0;
    let count = 0;
    if (!(population.model === "mbg" && rand() < p)) {
      for (;;) {
        time += -Math.log(1 - rand()) / lambda;
        if (time > lifetime) break;
        const day = Math.floor(time * 7);
        if (!(day <= horizonDays)) break;
        if (day > lastDay) {
          count++;
          lastDay = day;
        }
        if (population.model !== "pareto" && rand() < p) break;
      }
    }
    x[i] = count;
    tx[i] = lastDay / 7;
    T[i] = horizonDays / 7;
    if (count > 0) {
      const nu = gamma(TRUE_GG.q, TRUE_GG.gamma);
      mean[i] = gamma(TRUE_GG.p * count, nu) / count;
    }
  }
  return {x, tx, T, mean};
}

/**
 * A cohort of n subscribers, each with a churn probability per period θ ~ Beta(α, β): how many
 * churned in each of the first `periods` periods, and how many are still there after them.
 */
export function simulateCohort(n: number, seed: number, params: SbgParams, periods: number) {
  const rand = random(seed);
  const gamma = gammaSampler(rand);
  const lost: number[] = Array.from({length: periods}, () => 0);
  let survivors = 0;
  for (let i = 0; i < n; i++) {
    const g1 = gamma(params.alpha, 1);
    const theta = g1 / (g1 + gamma(params.beta, 1));
    // The period of churn is geometric: the first t with a success of probability θ.
    const t = theta >= 1 ? 1 : Math.ceil(Math.log(1 - rand()) / Math.log1p(-theta));
    if (t >= 1 && t <= periods) lost[t - 1]++;
    else if (t > periods) survivors++;
    else lost[0]++; // log(1 − u) = 0 exactly: churn in the first period
  }
  return {lost, survivors};
}

/**
 * n subscribers who started 1 to `periods` periods ago (uniformly), each with a churn
 * probability per period θ ~ Beta(α, β): the periods completed, or the period they churned in,
 * and whether they churned.
 */
export function simulateSubscribers(n: number, seed: number, params: SbgParams, periods: number) {
  const rand = random(seed);
  const gamma = gammaSampler(rand);
  const tenure = new Float64Array(n);
  const churned = new Float64Array(n);
  let churnedCount = 0;
  for (let i = 0; i < n; i++) {
    const watched = 1 + Math.floor(rand() * periods);
    const g1 = gamma(params.alpha, 1);
    const theta = g1 / (g1 + gamma(params.beta, 1));
    const t = theta >= 1 ? 1 : Math.max(1, Math.ceil(Math.log(1 - rand()) / Math.log1p(-theta)));
    if (t <= watched) {
      tenure[i] = t;
      churned[i] = 1;
      churnedCount++;
    } else tenure[i] = watched;
  }
  return {tenure, churned, churnedCount};
}

/**
 * n rows of LOGISTIC_WEIGHTS.length normal columns (column j with standard deviation j + 1; 5 %
 * of the first missing, at random) and y ~ Bernoulli(σ(intercept + w · x)).
 */
export function simulateLogistic(n: number, seed: number) {
  const rand = random(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const sd = LOGISTIC_WEIGHTS.map((_, j) => j + 1);
  const columns = sd.map(() => new Float64Array(n));
  const y = new Float64Array(n);
  let missing = 0;
  for (let i = 0; i < n; i++) {
    let z = LOGISTIC_INTERCEPT;
    for (let j = 0; j < sd.length; j++) {
      const v = sd[j] * normal();
      z += LOGISTIC_WEIGHTS[j] * v;
      columns[j][i] = v;
    }
    if (rand() < 0.05) {
      columns[0][i] = NaN;
      missing++;
    }
    y[i] = rand() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return {columns, y, missing};
}

/** Days after the as-of date that the simulated order histories continue. */
const HOLDOUT_DAYS = 182;
const START = "2024-01-01";
/** START + CALIBRATION_DAYS: orders on this day still count. */
const AS_OF = "2024-12-30";

/** Order rows (customer index, day from START, hour, amount) of n customers simulated as above. */
export function simulateOrders(n: number, seed: number) {
  const rand = random(seed);
  const gamma = gammaSampler(rand);
  const customer: number[] = [];
  const day: number[] = [];
  const hour: number[] = [];
  const amount: number[] = [];
  const order = (i: number, d: number, nu: number) => {
    customer.push(i);
    day.push(d);
    hour.push(Math.floor(rand() * 24));
    amount.push(Math.round(100 * gamma(TRUE_GG.p, nu)) / 100);
  };
  for (let i = 0; i < n; i++) {
    const firstDay = Math.floor(rand() * ACQUISITION_DAYS);
    const lambda = gamma(TRUE_BG.r, TRUE_BG.alpha);
    const g1 = gamma(TRUE_BG.a, 1);
    const p = g1 / (g1 + gamma(TRUE_BG.b, 1));
    const nu = gamma(TRUE_GG.q, TRUE_GG.gamma);
    order(i, firstDay, nu);
    let time = 0;
    let lastDay = 0;
    for (;;) {
      time += -Math.log(1 - rand()) / lambda;
      const d = Math.floor(time * 7);
      if (!(firstDay + d <= CALIBRATION_DAYS + HOLDOUT_DAYS)) break;
      order(i, firstDay + d, nu);
      if (d > lastDay) {
        lastDay = d;
        if (rand() < p) break; // dropout follows a purchase day, as in simulate()
      }
    }
  }
  const f64 = (v: number[]) => Float64Array.from(v);
  return {customer: f64(customer), day: f64(day), hour: f64(hour), amount: f64(amount)};
}

/** An in-memory store with `customers` and `orders` tables of n simulated customers. */
export async function simulatedStore(n: number, seed: number): Promise<Store> {
  const rows = simulateOrders(n, seed);
  const store = await Store.open(":memory:");
  await store.run(
    sql`CREATE TEMP TABLE sim (customer INTEGER, day INTEGER, hour INTEGER, amount DOUBLE)`
  );
  await store.appendColumns("sim", [rows.customer, rows.day, rows.hour, rows.amount]);
  const id = (column: string): SQL => sql`'c' || lpad(${ident(column)}::VARCHAR, 7, '0')`;
  await store.run(
    sql`CREATE TABLE customers AS SELECT ${id("range")} AS customer_id FROM range(${n}) ORDER BY 1`
  );
  // In time order, as an order log is: one customer's orders spread over the whole table.
  await store.run(
    sql`CREATE TABLE orders AS
     SELECT 'o' || (row_number() OVER ())::VARCHAR AS order_id, *
     FROM (SELECT ${id("customer")} AS customer_id,
             ${val(START)}::TIMESTAMP + to_days(day) + to_hours(hour) AS ordered_at, amount
           FROM sim ORDER BY ordered_at, customer_id, amount)`
  );
  await store.run(sql`DROP TABLE sim`);
  return store;
}

const ms = (from: number) => performance.now() - from;
const fmt = (v: number) => v.toFixed(1);

function table<P extends object>(fitted: P, truth: P): string[] {
  return Object.keys(truth).map((key) => {
    const f = fitted[key as keyof P] as number;
    const t = truth[key as keyof P] as number;
    const error = (100 * (f - t)) / t;
    return `  ${key.padEnd(6)} true ${t.toFixed(3).padStart(8)}  fitted ${f.toFixed(4).padStart(9)}  (${error >= 0 ? "+" : ""}${error.toFixed(2)} %)`;
  });
}

/** One row of the summary: a model's fit on its simulated population. */
interface Timed {
  model: string;
  ms: number;
  iterations: number;
  customers: number;
  unique: number | null;
  converged: boolean;
  lines: string[];
}

function summary(rows: Timed[]): string[] {
  const out = [
    "  model                  fit ms   iterations  customers   unique triples  converged"
  ];
  for (const row of rows) {
    out.push(
      `  ${row.model.padEnd(20)} ${fmt(row.ms).padStart(8)}   ${String(row.iterations).padStart(10)}  ${row.customers.toLocaleString("en").padStart(9)}   ${(row.unique === null ? "-" : row.unique.toLocaleString("en")).padStart(14)}  ${row.converged}`
    );
  }
  return out;
}

/** The horizons of the predictions: expected purchases in a year, no purchase in 13 weeks. */
const YEAR = 52;
const QUIET = 13;

/**
 * Every customer's P(alive), P(no purchase in 13 weeks) and E[Y(52)] from a fitted model, as the
 * build computes them (predictPurchases: once per unique (x, t_x, T), spread to the customers);
 * the time includes the compression. Returns the time and the three means.
 */
function predictEveryone(
  name: PurchaseModelName,
  fit: Fit<BgNbdParams> | Fit<ParetoNbdParams>,
  {x, tx, T}: {x: Float64Array; tx: Float64Array; T: Float64Array}
): {ms: number; means: [number, number, number]} {
  const start = performance.now();
  const model = {name, fit: {...fit, params: {...fit.params}}};
  const p = predictPurchases(model, compress(x, tx, T), QUIET, [YEAR]);
  const elapsed = ms(start);
  const mean = (v: Float64Array) => v.reduce((sum, e) => sum + e, 0) / x.length;
  return {ms: elapsed, means: [mean(p.alive), mean(p.expected[0]), mean(p.none)]};
}

/** Times one call. */
function time<T>(run: () => T): [T, number] {
  const start = performance.now();
  const result = run();
  return [result, ms(start)];
}

export async function benchClv(): Promise<void> {
  const {values} = parseArgs({
    args: process.argv.slice(2),
    options: {
      n: {type: "string", default: "1000000"},
      seed: {type: "string", default: "7"},
      "skip-stage": {type: "boolean", default: false}
    },
    strict: false
  });
  const n = Number(values.n);
  const seed = Number(values.seed);
  let peak = process.memoryUsage().rss;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
  const rows: Timed[] = [];
  console.log(
    `Value models: ${n.toLocaleString("en")} simulated customers each, seed ${seed}; load average ${loadavg()
      .map((v) => v.toFixed(2))
      .join(" ")} on ${cpus().length} cores`
  );

  // BG/NBD and Gamma-Gamma on a BG/NBD population.
  const [{x, tx, T, mean}, simulateTime] = time(() => simulate(n, seed));
  sample();
  const [unique, compressTime] = time(() => compress(x, tx, T));
  sample();
  const [bg, bgTime] = time(() => fitBgNbd(x, tx, T));
  sample();
  const [bgWeighted, bgWeightedTime] = time(() =>
    fitBgNbd(unique.x, unique.tx, unique.T, unique.weights)
  );
  const predictions: {model: string; ms: number; means: [number, number, number]}[] = [];
  predictions.push({model: "BG/NBD", ...predictEveryone("bgnbd", bg, {x, tx, T})});
  rows.push({
    model: "BG/NBD",
    ms: bgTime,
    iterations: bg.iterations,
    customers: n,
    unique: unique.x.length,
    converged: bg.converged,
    lines: [
      `BG/NBD log-likelihood ${bg.logLikelihood.toFixed(3)} (on the precompressed triples ${bgWeighted.logLikelihood.toFixed(3)} in ${fmt(bgWeightedTime)} ms)`,
      ...table(bg.params, TRUE_BG)
    ]
  });

  let repeaters = 0;
  for (let i = 0; i < n; i++) if (x[i] > 0) repeaters++;
  const gx = new Float64Array(repeaters);
  const gm = new Float64Array(repeaters);
  for (let i = 0, j = 0; i < n; i++) {
    if (x[i] > 0) {
      gx[j] = x[i];
      gm[j++] = mean[i];
    }
  }
  const [gg, ggTime] = time(() => fitGammaGamma(gx, gm));
  sample();
  rows.push({
    model: "Gamma-Gamma",
    ms: ggTime,
    iterations: gg.iterations,
    customers: repeaters,
    unique: null,
    converged: gg.converged,
    lines: [
      `Gamma-Gamma log-likelihood ${gg.logLikelihood.toFixed(3)} (the repeat buyers of the BG/NBD population)`,
      ...table(gg.params, TRUE_GG)
    ]
  });

  const start = performance.now();
  const alive = new Float64Array(n);
  const purchases = new Float64Array(n);
  const value = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    alive[i] = pAlive(bg.params, x[i], tx[i], T[i]);
    purchases[i] = expectedPurchases(bg.params, 52, x[i], tx[i], T[i]);
    value[i] = purchases[i] * expectedSpend(gg.params, x[i], mean[i]);
  }
  const predictTime = ms(start);
  sample();
  let sumAlive = 0;
  let sumPurchases = 0;
  let sumValue = 0;
  for (let i = 0; i < n; i++) {
    sumAlive += alive[i];
    sumPurchases += purchases[i];
    sumValue += value[i];
  }

  // MBG/NBD on an MBG/NBD population.
  const mbgData = simulate(n, seed + 1, {model: "mbg", params: TRUE_MBG});
  const mbgUnique = compress(mbgData.x, mbgData.tx, mbgData.T).x.length;
  const [mbg, mbgTime] = time(() => fitMbgNbd(mbgData.x, mbgData.tx, mbgData.T));
  sample();
  predictions.push({
    model: "MBG/NBD",
    ...predictEveryone("mbgnbd", mbg, mbgData)
  });
  rows.push({
    model: "MBG/NBD",
    ms: mbgTime,
    iterations: mbg.iterations,
    customers: n,
    unique: mbgUnique,
    converged: mbg.converged,
    lines: [
      `MBG/NBD log-likelihood ${mbg.logLikelihood.toFixed(3)} (an MBG/NBD population)`,
      ...table(mbg.params, TRUE_MBG)
    ]
  });

  // Pareto/NBD on a Pareto/NBD population.
  const pData = simulate(n, seed + 2, {model: "pareto", params: TRUE_PNBD});
  const pUnique = compress(pData.x, pData.tx, pData.T).x.length;
  const [pnbd, pTime] = time(() => fitParetoNbd(pData.x, pData.tx, pData.T));
  sample();
  predictions.push({model: "Pareto/NBD", ...predictEveryone("pareto_nbd", pnbd, pData)});
  rows.push({
    model: "Pareto/NBD",
    ms: pTime,
    iterations: pnbd.iterations,
    customers: n,
    unique: pUnique,
    converged: pnbd.converged,
    lines: [
      `Pareto/NBD log-likelihood ${pnbd.logLikelihood.toFixed(3)} (a Pareto/NBD population)`,
      ...table(pnbd.params, TRUE_PNBD)
    ]
  });

  // sBG on a cohort of n subscribers followed for SBG_PERIODS periods.
  const cohort = simulateCohort(n, seed + 3, TRUE_SBG, SBG_PERIODS);
  const [sbg, sbgTime] = time(() => fitSbg(cohort.lost, cohort.survivors));
  rows.push({
    model: "sBG",
    ms: sbgTime,
    iterations: sbg.iterations,
    customers: n,
    unique: null,
    converged: sbg.converged,
    lines: [
      `sBG log-likelihood ${sbg.logLikelihood.toFixed(3)} (a cohort over ${SBG_PERIODS} periods, ${cohort.survivors.toLocaleString("en")} still subscribed)`,
      ...table(sbg.params, TRUE_SBG)
    ]
  });

  // sBG on n subscribers one by one, each censored at their own tenure, counted by tenure.
  const subscribers = simulateSubscribers(n, seed + 5, TRUE_SBG, SBG_PERIODS);
  const [sbgOne, sbgOneTime] = time(() =>
    fitSbgGroups(sbgGroups(subscribers.tenure, subscribers.churned))
  );
  rows.push({
    model: "sBG, one by one",
    ms: sbgOneTime,
    iterations: sbgOne.iterations,
    customers: n,
    unique: null,
    converged: sbgOne.converged,
    lines: [
      `sBG one by one log-likelihood ${sbgOne.logLikelihood.toFixed(3)} (subscribers who started up to ${SBG_PERIODS} periods ago, ${subscribers.churnedCount.toLocaleString("en")} churned; the time includes counting them by tenure)`,
      ...table(sbgOne.params, TRUE_SBG)
    ]
  });

  // Ridge logistic regression on n rows × LOGISTIC_WEIGHTS.length columns.
  const design = simulateLogistic(n, seed + 4);
  const names = LOGISTIC_WEIGHTS.map((_, j) => `x${j + 1}`);
  const [logit, logitTime] = time(() => fitLogistic(names, design.columns, design.y));
  sample();
  // Back from the standardised columns to units of the raw ones.
  const raw = (j: number) => logit.weights[logit.names.indexOf(names[j])] / logit.inputs[j].scale;
  const rawIntercept = names.reduce(
    (sum, _, j) => sum - raw(j) * logit.inputs[j].mean,
    logit.intercept
  );
  rows.push({
    model: "logistic",
    ms: logitTime,
    iterations: logit.iterations,
    customers: n,
    unique: null,
    converged: logit.converged,
    lines: [
      `logistic regression (${names.length} columns, ${design.missing.toLocaleString("en")} values of x1 missing, so ${logit.names.length} weights)`,
      ...table(
        Object.fromEntries([
          ["intercept", rawIntercept],
          ...names.map((name, j) => [name, raw(j)])
        ]) as Record<string, number>,
        Object.fromEntries([
          ["intercept", LOGISTIC_INTERCEPT],
          ...names.map((name, j) => [name, LOGISTIC_WEIGHTS[j]])
        ]) as Record<string, number>
      ).map((line) => `${line} (per unit of the raw column)`)
    ]
  });
  const [oof, cvTime] = time(() => crossValidate(names, design.columns, design.y, {folds: 5}));
  sample();
  rows.push({
    model: "logistic, 5-fold CV",
    ms: cvTime,
    iterations: 5,
    customers: n,
    unique: null,
    converged: true,
    lines: [
      `out-of-fold AUC ${auc(oof, design.y).toFixed(4)} (5 fits of ${Math.round(0.8 * n).toLocaleString("en")} rows)`
    ]
  });

  const maxRss = process.resourceUsage().maxRSS / 1024;
  console.log(`  simulate BG/NBD     ${fmt(simulateTime)} ms`);
  console.log(
    `  compress            ${fmt(compressTime)} ms (${unique.x.length} unique (x, t_x, T)); every fit below includes its compression`
  );
  for (const line of summary(rows)) console.log(line);
  for (const row of rows) for (const line of row.lines) console.log(line);
  console.log(
    `Predictions for every customer, once per unique (x, t_x, T): P(alive), E[Y(${YEAR})], P(no purchase in ${QUIET}), as the build computes them (predictPurchases)`
  );
  for (const {model, ms: time, means} of predictions)
    console.log(
      `  ${model.padEnd(11)} ${fmt(time).padStart(8)} ms  (means ${means.map((v) => v.toFixed(4)).join(", ")})`
    );
  console.log(
    `  BG/NBD + Gamma-Gamma customer by customer ${fmt(predictTime)} ms (P(alive), E[Y(52)], E[M], value)`
  );
  console.log(
    `mean P(alive) ${(sumAlive / n).toFixed(4)}, mean E[Y(52)] ${(sumPurchases / n).toFixed(4)}, mean 52-week value ${(sumValue / n).toFixed(2)}`
  );
  console.log(
    `peak memory: maxRSS ${fmt(maxRss)} MiB (sampled rss max ${fmt(peak / 2 ** 20)} MiB)`
  );
  if (!values["skip-stage"]) await benchStage(n, seed);
}

/** Times buildCustomerValue on a simulated store of n customers. */
async function benchStage(n: number, seed: number): Promise<void> {
  let start = performance.now();
  const store = await simulatedStore(n, seed);
  const loadTime = ms(start);
  try {
    const {orders} = (await store.one<{orders: number}>(
      sql`SELECT count(*) AS orders FROM orders`
    ))!;
    start = performance.now();
    const summary = await buildCustomerValue(store, {
      asOf: AS_OF,
      horizonDays: 90,
      minOrders: 2,
      flag: {precision: 0.8}
    });
    const stageTime = ms(start);
    console.log(
      `\nbuildCustomerValue: ${n.toLocaleString("en")} customers, ${orders.toLocaleString("en")} orders (as of ${AS_OF}; simulated store built in ${fmt(loadTime)} ms)`
    );
    console.log(`  SQL summary + read  ${fmt(summary.ms.summary)} ms`);
    console.log(`  fits                ${fmt(summary.ms.fit)} ms`);
    console.log(`  predict + write     ${fmt(summary.ms.predict)} ms`);
    console.log(
      `  whole stage         ${fmt(stageTime)} ms (${summary.modelled.toLocaleString("en")} modelled, ${summary.atRisk === null ? "risk not assessed" : `${summary.atRisk.toLocaleString("en")} at risk`})`
    );
    if (summary.purchase?.model === "bgnbd")
      for (const line of table(summary.purchase.params as unknown as BgNbdParams, TRUE_BG))
        console.log(line);
    if (summary.gammaGamma)
      for (const line of table(summary.gammaGamma.params, TRUE_GG)) console.log(line);
    for (const note of summary.notes) console.log(`  note: ${note}`);
    console.log(`peak memory: maxRSS ${fmt(process.resourceUsage().maxRSS / 1024)} MiB`);
  } finally {
    store.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await benchClv();
