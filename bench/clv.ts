/**
 * Benchmark: BG/NBD + Gamma-Gamma on 1,000,000 customers simulated from known parameters.
 *
 * Each customer makes a first purchase on a day uniform over the first 13 weeks of a 52-week
 * (364-day) calibration period, then buys as a Poisson process with rate λ ~ Gamma(r, α) and
 * drops out after each repeat purchase with probability p ~ Beta(a, b). Purchase times are
 * recorded to the day (t_x and T multiples of 1/7 week) and purchases on one day count as one.
 * The mean value of the x repeat purchases is drawn from the Gamma-Gamma model: ν ~ Gamma(q, γ),
 * x·m_x ~ Gamma(p·x, ν). Run: npx tsx bench/clv.ts [--n 1000000] [--seed 7] [--skip-stage]
 *
 * Then the whole customer-value stage (buildCustomerValue) on an in-memory store holding the
 * same process as order rows: every purchase event is an order at a random time of its day (so
 * same-day orders occur and are merged by the stage's SQL), amounts ~ Gamma(p, ν) per order,
 * and the histories run half a year past the as-of date, so the as-of filter has work to do.
 */
import {pathToFileURL} from "node:url";
import {parseArgs} from "node:util";
import {
  expectedPurchases,
  fitBgNbd,
  pAlive,
  type BgNbdParams
} from "../loaders/value/clv/bg-nbd.ts";
import {
  expectedSpend,
  fitGammaGamma,
  type GammaGammaParams
} from "../loaders/value/clv/gamma-gamma.ts";
import {compress} from "../loaders/value/clv/triples.ts";
import {random} from "../loaders/profile/kmeans/kmeans.ts";
import {ident, sql, val, type SQL} from "../loaders/core/sql.ts";
import {Store} from "../loaders/core/store.ts";
import {buildCustomerValue} from "../loaders/value/customer-value.ts";

const TRUE_BG: BgNbdParams = {r: 0.243, alpha: 4.414, a: 0.793, b: 2.426};
const TRUE_GG: GammaGammaParams = {p: 6.25, q: 3.74, gamma: 15.44};
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

export function simulate(n: number, seed: number) {
  const rand = random(seed);
  const gamma = gammaSampler(rand);
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  const mean = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const firstDay = Math.floor(rand() * ACQUISITION_DAYS);
    const horizonDays = CALIBRATION_DAYS - firstDay;
    const lambda = gamma(TRUE_BG.r, TRUE_BG.alpha);
    const g1 = gamma(TRUE_BG.a, 1);
    const p = g1 / (g1 + gamma(TRUE_BG.b, 1));
    let time = 0;
    let lastDay = 0;
    let count = 0;
    for (;;) {
      time += -Math.log(1 - rand()) / lambda;
      const day = Math.floor(time * 7);
      if (!(day <= horizonDays)) break;
      if (day > lastDay) {
        count++;
        lastDay = day;
      }
      if (rand() < p) break;
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

  let start = performance.now();
  const {x, tx, T, mean} = simulate(n, seed);
  const simulateTime = ms(start);
  sample();

  start = performance.now();
  const unique = compress(x, tx, T);
  const compressTime = ms(start);
  sample();

  start = performance.now();
  const bg = fitBgNbd(x, tx, T);
  const bgTime = ms(start);
  sample();

  start = performance.now();
  const bgWeighted = fitBgNbd(unique.x, unique.tx, unique.T, unique.weights);
  const bgWeightedTime = ms(start);

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
  start = performance.now();
  const gg = fitGammaGamma(gx, gm);
  const ggTime = ms(start);
  sample();

  start = performance.now();
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
  const maxRss = process.resourceUsage().maxRSS / 1024;

  console.log(`BG/NBD + Gamma-Gamma benchmark: ${n.toLocaleString("en")} customers, seed ${seed}`);
  console.log(`  simulate            ${fmt(simulateTime)} ms`);
  console.log(
    `  compress            ${fmt(compressTime)} ms (${unique.x.length} unique (x, t_x, T))`
  );
  console.log(
    `  BG/NBD fit          ${fmt(bgTime)} ms (${bg.iterations} iterations, converged ${bg.converged}, includes compression)`
  );
  console.log(`  BG/NBD fit, weights ${fmt(bgWeightedTime)} ms (on the precompressed triples)`);
  console.log(
    `  Gamma-Gamma fit     ${fmt(ggTime)} ms (${repeaters} repeaters, ${gg.iterations} iterations, converged ${gg.converged})`
  );
  console.log(
    `  predictions         ${fmt(predictTime)} ms (P(alive), E[Y(52)], E[M], value for all)`
  );
  console.log(
    `BG/NBD log-likelihood ${bg.logLikelihood.toFixed(3)} (weighted fit ${bgWeighted.logLikelihood.toFixed(3)})`
  );
  for (const line of table(bg.params, TRUE_BG)) console.log(line);
  console.log(`Gamma-Gamma log-likelihood ${gg.logLikelihood.toFixed(3)}`);
  for (const line of table(gg.params, TRUE_GG)) console.log(line);
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
