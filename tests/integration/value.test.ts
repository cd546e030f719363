/**
 * The customer-value stage (loaders/value/customer-value.ts) against a real in-memory DuckDB store: a handful
 * of hand-made customers, each pinning one behaviour, on top of 150 seeded background customers
 * that give the models something to fit.
 */
import type {DuckDBValue} from "@duckdb/node-api";
import {afterAll, afterEach, describe, expect, it} from "vitest";
import {random} from "../../loaders/profile/kmeans/kmeans.ts";
import {ident, join, sql, valueList} from "../../loaders/core/sql.ts";
import {Store} from "../../loaders/core/store.ts";
import {
  buildCustomerValue,
  customerValueSql,
  summarySql,
  valueModelsSql,
  type ValueOptions
} from "../../loaders/value/customer-value.ts";

const AS_OF = "2024-12-31";
const OPTIONS: ValueOptions = {
  asOf: AS_OF,
  horizonDays: 90,
  minOrders: 2,
  flag: {precision: 0.8}
};

type Order = [customer: string, at: string, amount: number];

/** Orders every `every` days from `from` (YYYY-MM-DD) for `count` purchases, at noon. */
function series(customer: string, from: string, every: number, count: number, amount = 25) {
  const start = Date.parse(`${from}T12:00:00Z`);
  return Array.from({length: count}, (_, k): Order => [
    customer,
    new Date(start + k * every * 86_400_000).toISOString(),
    amount
  ]);
}

/** Customers buying as a Poisson process until they drop out, amounts varying by customer. */
function background(n = 400, seed = 1): Order[] {
  const rand = random(seed);
  const orders: Order[] = [];
  for (let i = 0; i < n; i++) {
    const id = `bg${String(i).padStart(3, "0")}`;
    const perWeek = 0.02 + 0.6 * rand() ** 3;
    const dropout = 0.7 * rand() ** 2;
    const scale = 10 + 60 * rand() ** 2;
    const amount = () => Math.round(scale * (50 + 100 * rand())) / 100;
    let day = Math.floor(rand() * 90);
    const at = (d: number) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString();
    orders.push([id, at(day), amount()]);
    for (;;) {
      day += Math.ceil((-Math.log(1 - rand()) / perWeek) * 7);
      if (day > 365) break;
      orders.push([id, at(day), amount()]);
      if (rand() < dropout) break;
    }
  }
  return orders;
}

/** The hand-made customers, by the behaviour they pin. */
const HAND_MADE: Record<string, Order[]> = {
  // Two orders on 3 June and two on 17 June: two purchases, the first day's 30 left out of
  // the mean repeat value, which is 40 + 2.
  same_day: [
    ["same_day", "2024-06-03T09:00:00Z", 10],
    ["same_day", "2024-06-03T18:00:00Z", 20],
    ["same_day", "2024-06-17T10:00:00Z", 40],
    ["same_day", "2024-06-17T11:00:00Z", 2]
  ],
  // The last minute of the as-of day counts; the first minute after it does not.
  edge: [
    ["edge", "2024-12-01T12:00:00Z", 30],
    ["edge", "2024-12-31T23:59:00Z", 30],
    ["edge", "2025-01-01T00:00:00Z", 500]
  ],
  // Weekly for nine weeks, then silence for ten months: P(alive) near 0.
  lapsed: series("lapsed", "2024-01-08", 7, 9),
  lapsed_cooling: series("lapsed_cooling", "2024-01-08", 7, 9),
  // Fortnightly all year, up to a week before the as-of date: P(alive) high.
  active: series("active", "2024-01-02", 14, 26),
  cooling: series("cooling", "2024-01-02", 14, 26),
  warming: series("warming", "2024-01-02", 14, 26),
  // One purchase only: below minOrders, never at risk whatever its engagement.
  single_cooling: [["single_cooling", "2024-03-01T12:00:00Z", 60]],
  // A refund as the only repeat purchase: a negative mean, left out of Gamma-Gamma.
  refund: [
    ["refund", "2024-02-01T12:00:00Z", 50],
    ["refund", "2024-03-01T12:00:00Z", -20]
  ]
};

/** engagement_trend = ln((recent + 1) / (previous + 1)); change = exp(trend) − 1. */
const TRENDS: Record<string, number> = {
  cooling: Math.log(0.3),
  lapsed_cooling: Math.log(0.2),
  single_cooling: Math.log(0.1),
  never: Math.log(0.1),
  warming: Math.log(2),
  active: 0,
  lapsed: 0
};

async function insert(store: Store, table: string, rows: DuckDBValue[][]): Promise<void> {
  const values = rows.map((row) => sql`(${valueList(row)})`);
  await store.run(sql`INSERT INTO ${ident(table)} VALUES ${join(values)}`);
}

interface Fixture {
  orders?: Order[];
  /** engagement_trend per customer; a features table without the column when false. */
  features?: Record<string, number | null> | false;
  /** Customers beyond those with orders. */
  extra?: string[];
}

/** An in-memory store with typed canonical tables holding the given rows. */
async function fixtureStore({orders = [], features, extra = ["never"]}: Fixture = {}) {
  const store = await Store.open(":memory:");
  const ids = [...new Set([...orders.map((o) => o[0]), ...extra])];
  await store.run(sql`CREATE TABLE customers (customer_id VARCHAR, signup_date DATE)`);
  await insert(
    store,
    "customers",
    ids.map((id) => [id, "2024-01-01"])
  );
  await store.run(
    sql`CREATE TABLE orders (order_id VARCHAR, customer_id VARCHAR, ordered_at TIMESTAMP,
       amount DOUBLE, channel VARCHAR, category VARCHAR, quantity INTEGER, discount DOUBLE,
       status VARCHAR, _source VARCHAR, _row BIGINT)`
  );
  if (orders.length > 0) {
    await insert(
      store,
      "orders",
      orders.map(([customer, at, amount], i) => [
        `o${i}`,
        customer,
        at.replace("T", " ").replace("Z", ""),
        amount,
        "web",
        null,
        1,
        null,
        "completed",
        "fixture",
        i + 1
      ])
    );
  }
  if (features === false) {
    await store.run(sql`CREATE TABLE features (customer_id VARCHAR, recency_days DOUBLE)`);
    await insert(
      store,
      "features",
      ids.map((id) => [id, 1])
    );
  } else if (features) {
    await store.run(sql`CREATE TABLE features (customer_id VARCHAR, engagement_trend DOUBLE)`);
    await insert(
      store,
      "features",
      ids.map((id) => [id, features[id] ?? null])
    );
  }
  return store;
}

const everyone = () => [...background(), ...Object.values(HAND_MADE).flat()];

interface ValueRow {
  customer_id: string;
  purchases: number | null;
  repeat_purchases: number | null;
  t_x_weeks: number | null;
  t_weeks: number | null;
  mean_repeat_value: number | null;
  p_alive: number | null;
  expected_purchases: number | null;
  expected_value_12m: number | null;
  p_lapse: number | null;
  engagement_change: number | null;
  at_risk: boolean | null;
}

async function rows(store: Store): Promise<Record<string, ValueRow>> {
  const all = await store.all<ValueRow & Record<string, unknown>>(
    sql`SELECT * FROM customer_value ORDER BY customer_id`
  );
  return Object.fromEntries(all.map((r) => [r.customer_id, r]));
}

/** The stage run on a fixture store. */
async function build(fixture: Fixture, options: Partial<ValueOptions> = {}) {
  const store = await fixtureStore(fixture);
  const summary = await buildCustomerValue(store, {...OPTIONS, ...options});
  return {store, summary, rows: await rows(store)};
}

let open: Store[] = [];
/** The stage on a store of the test's own, closed after it. */
async function stage(fixture: Fixture, options: Partial<ValueOptions> = {}) {
  const staged = await build(fixture, options);
  open.push(staged.store);
  return staged;
}
afterEach(() => {
  for (const store of open) store.close();
  open = [];
});

let shared: ReturnType<typeof build> | undefined;
/** The stage on every fixture customer with their trends, run once for the tests that only read it. */
function everyoneStaged(): ReturnType<typeof build> {
  shared ??= build({orders: everyone(), features: TRENDS});
  return shared;
}
afterAll(async () => (await shared)?.store.close());

describe("buildCustomerValue(store, options): the purchase summary", () => {
  it("counts the orders of one day as one purchase and sums their amounts", async () => {
    const {rows: r} = await everyoneStaged();
    expect(r.same_day).toMatchObject({purchases: 2, repeat_purchases: 1});
    expect(r.same_day.mean_repeat_value).toBeCloseTo(42, 12);
  });

  it("measures t_x and T in weeks from the first purchase day, up to the end of the as-of day", async () => {
    const {rows: r} = await everyoneStaged();
    // 3 June to 17 June, and 3 June to 31 December: 14 and 211 days.
    expect(r.same_day.t_x_weeks).toBe(14 / 7);
    expect(r.same_day.t_weeks).toBe(211 / 7);
    // The order at 23:59 on the as-of day counts, the one at midnight after it does not.
    expect(r.edge).toMatchObject({purchases: 2, repeat_purchases: 1, mean_repeat_value: 30});
    expect(r.edge.t_x_weeks).toBe(30 / 7);
    expect(r.edge.t_weeks).toBe(30 / 7);
    expect(r.single_cooling).toMatchObject({purchases: 1, repeat_purchases: 0, t_x_weeks: 0});
    expect(r.single_cooling.mean_repeat_value).toBeNull();
  });

  it("gives customers without orders zero purchases and NULL model outputs and risk", async () => {
    const {rows: r, summary} = await everyoneStaged();
    expect(r.never).toEqual({
      customer_id: "never",
      purchases: 0,
      repeat_purchases: null,
      t_x_weeks: null,
      t_weeks: null,
      mean_repeat_value: null,
      p_alive: null,
      expected_purchases: null,
      expected_value_12m: null,
      p_lapse: null,
      engagement_change: expect.closeTo(-0.9, 12),
      at_risk: null
    });
    expect(summary.customers).toBe(Object.keys(r).length);
    expect(summary.modelled).toBe(summary.customers - 1);
  });
});

describe("buildCustomerValue(store, options): the backtest and the models", () => {
  it("backtests every candidate one horizon back and keeps the best", async () => {
    const {summary} = await everyoneStaged();
    const b = summary.backtest!;
    expect(b).toMatchObject({calibrationDate: "2024-10-02", holdoutEnd: AS_OF, horizonDays: 90});
    expect(b.candidates.map((c) => [c.model, c.error])).toEqual([
      ["bgnbd", null],
      ["mbgnbd", null],
      ["pareto_nbd", null],
      ["learned", null]
    ]);
    // The background buys as BG/NBD assumes: BG/NBD predicts the holdout best and ranks best.
    expect(b.purchaseModel).toBe("bgnbd");
    expect(b.risk?.model).toBe("bgnbd");
    for (const c of b.candidates) expect(c.auc!).toBeGreaterThan(b.baselineAuc! - 0.05);
    expect(b.candidates.find((c) => c.model === "learned")?.how).toBe(
      "trained on 408 customers as of 2024-07-04"
    );
    // Repeat purchases and spend in the holdout, predicted against actual, within 10 %.
    const bg = b.candidates[0].purchases!;
    expect(Math.abs(bg.predicted - bg.actual) / bg.actual).toBeLessThan(0.1);
    expect(Math.abs(b.value!.predicted - b.value!.actual) / b.value!.actual).toBeLessThan(0.1);
    expect(summary.decision).toEqual({
      purchaseModel: "bgnbd",
      riskModel: "bgnbd",
      threshold: b.risk!.flag!.threshold
    });
  });

  it("predicts with the chosen models for every customer with a purchase", async () => {
    const {rows: r, summary} = await everyoneStaged();
    expect(summary.purchase).toMatchObject({model: "bgnbd", converged: true});
    expect(summary.spend).toBe("gamma_gamma");
    expect(r.active.p_alive).toBeGreaterThan(0.9);
    expect(r.lapsed.p_alive).toBeLessThan(0.01);
    // A one-time buyer may not return: the probability of buying in the horizon is below 1.
    expect(r.single_cooling.p_lapse!).toBeGreaterThan(0);
    expect(r.active.p_lapse!).toBeLessThan(0.2);
    expect(r.lapsed.p_lapse!).toBeGreaterThan(0.99);
    // More purchases are expected from the fortnightly buyer than from the lapsed one.
    expect(r.active.expected_purchases!).toBeGreaterThan(10 * r.lapsed.expected_purchases!);
    expect(r.active.expected_value_12m!).toBeGreaterThan(0);
  });

  it("writes the fitted parameters and fit statistics to value_models, sorted", async () => {
    const {store, summary} = await everyoneStaged();
    const models = await store.all<{model: string; parameter: string; value: number}>(
      sql`SELECT * FROM value_models`
    );
    expect(models.map((m) => `${m.model}.${m.parameter}`)).toEqual([
      "bgnbd.a",
      "bgnbd.alpha",
      "bgnbd.b",
      "bgnbd.converged",
      "bgnbd.customers",
      "bgnbd.horizon_days",
      "bgnbd.log_likelihood",
      "bgnbd.r",
      "gamma_gamma.converged",
      "gamma_gamma.customers",
      "gamma_gamma.gamma",
      "gamma_gamma.horizon_days",
      "gamma_gamma.log_likelihood",
      "gamma_gamma.p",
      "gamma_gamma.q"
    ]);
    const value = (name: string) => models.find((m) => `${m.model}.${m.parameter}` === name)!;
    expect(value("bgnbd.r").value).toBe(summary.purchase!.params.r);
    expect(value("bgnbd.customers").value).toBe(summary.modelled);
    expect(value("bgnbd.horizon_days").value).toBe(90);
    expect(value("gamma_gamma.converged").value).toBe(1);
  });

  it("writes the backtest to tables, every candidate in one order", async () => {
    const {store, summary} = await everyoneStaged();
    const assessment = await store.one(sql`SELECT * FROM risk_assessment`);
    const flag = summary.backtest!.risk!.flag!;
    expect(assessment).toMatchObject({
      horizon_days: 90,
      customers: 408,
      risk_model: "bgnbd",
      risk_reason: null,
      purchase_model: "bgnbd",
      purchase_tested: true,
      rule: "precision",
      rule_value: 0.8,
      min_orders: 2,
      threshold: flag.threshold,
      flagged: flag.flagged,
      precision: flag.precision,
      recall: flag.recall,
      value_spend: "gamma_gamma"
    });
    const models = await store.all<{model: string; risk_model: boolean}>(
      sql`SELECT model, risk_model FROM value_backtest ORDER BY position`
    );
    expect(models).toEqual([
      {model: "bgnbd", risk_model: true},
      {model: "mbgnbd", risk_model: false},
      {model: "pareto_nbd", risk_model: false},
      {model: "learned", risk_model: false}
    ]);
    const frequencies = await store.all<{frequency: string}>(
      sql`SELECT frequency FROM value_backtest_frequency WHERE model = 'bgnbd' ORDER BY bucket`
    );
    expect(frequencies.map((f) => f.frequency).at(-1)).toBe("7+");
    const deciles = await store.one<{n: number}>(
      sql`SELECT count(*)::INTEGER AS n FROM value_backtest_deciles WHERE model = 'learned'`
    );
    expect(deciles?.n).toBe(10);
  });

  it("leaves zero and negative repeat means out of the spend model, and says so", async () => {
    const {rows: r, summary} = await everyoneStaged();
    expect(r.refund.mean_repeat_value).toBe(-20);
    const repeaters = Object.values(r).filter((v) => (v.repeat_purchases ?? 0) >= 1).length;
    expect(summary.gammaGamma?.customers).toBe(repeaters - 1);
    expect(summary.notes).toEqual([
      "spend: 1 repeat customer with a zero, negative or missing mean repeat value left out"
    ]);
    // Its spend is the population mean, so its value stays positive.
    expect(r.refund.expected_value_12m!).toBeGreaterThan(0);
  });

  it("uses shrunk empirical spend, and says so, with fewer than 200 repeat buyers", async () => {
    const {summary, rows: r} = await stage({orders: [...background(120), ...HAND_MADE.same_day]});
    expect(summary.spend).toBe("shrunk");
    expect(summary.gammaGamma).toBeNull();
    expect(summary.notes).toContainEqual(
      expect.stringMatching(
        /^only \d+ repeat customers \(Gamma-Gamma needs 200\): spend is each customer's mean repeat spend shrunk towards the average by 3 purchases$/
      )
    );
    expect(r.same_day.expected_value_12m!).toBeGreaterThan(0);
  });

  it("says risk is not assessed, and writes NULL, when the history is too short", async () => {
    const orders: Order[] = [
      ["a", "2024-02-01T12:00:00Z", 10],
      ["a", "2024-05-01T12:00:00Z", 10],
      ["b", "2024-03-01T12:00:00Z", 20],
      ["c", "2024-04-01T12:00:00Z", 30]
    ];
    const {store, rows: r, summary} = await stage({orders});
    expect(summary.decision).toEqual({purchaseModel: "mbgnbd", riskModel: null, threshold: null});
    expect(summary.atRisk).toBeNull();
    expect(summary.notes[0]).toBe(
      "risk not assessed: only 3 customers had bought by 2024-10-02 (one horizon of 90 days before the as-of date); the backtest needs 200"
    );
    expect(r.a).toMatchObject({purchases: 2, p_lapse: null, at_risk: null});
    expect(r.never.at_risk).toBeNull();
    expect(
      await store.one(sql`SELECT risk_model, purchase_model, purchase_tested FROM risk_assessment`)
    ).toEqual({risk_model: null, purchase_model: "mbgnbd", purchase_tested: false});
  });

  it("leaves the outputs NULL, and says why, when a fit fails", async () => {
    const orders: Order[] = [
      ["a", "2024-02-01T12:00:00Z", 10],
      ["b", "2024-03-01T12:00:00Z", 20]
    ];
    const {rows: r, summary} = await stage({orders});
    expect(summary.purchase).toBeNull();
    expect(summary.notes).toContain(
      "MBG/NBD not fitted as of 2024-12-31 (MBG/NBD: no repeat purchases, the model is not identified): P(alive) and expected purchases left NULL"
    );
    expect(r.a).toMatchObject({purchases: 1, p_alive: null, expected_value_12m: null});
  });

  it("writes NULL purchases, model outputs and risk with a note when there is no orders table", async () => {
    const store = await Store.open(":memory:");
    open.push(store);
    await store.run(sql`CREATE TABLE customers (customer_id VARCHAR)`);
    await insert(store, "customers", [["b"], ["a"]]);
    const summary = await buildCustomerValue(store, OPTIONS);
    expect(summary).toMatchObject({customers: 2, modelled: 0, purchase: null, atRisk: null});
    expect(summary.notes).toEqual(["no orders table: purchases and every model output left NULL"]);
    const r = await rows(store);
    expect(Object.keys(r)).toEqual(["a", "b"]);
    expect(r.a).toMatchObject({purchases: null, p_alive: null, at_risk: null});
    expect(await store.all(sql`SELECT * FROM value_models`)).toEqual([]);
    expect(await store.one(sql`SELECT risk_model, risk_reason FROM risk_assessment`)).toEqual({
      risk_model: null,
      risk_reason:
        "there are no orders to learn from, and no subscription is declared (README, Subscriptions)"
    });
  });

  it("says so when no customer has bought by the as-of date", async () => {
    const orders: Order[] = [["a", "2025-02-01T12:00:00Z", 10]];
    const {rows: r, summary} = await stage({orders});
    expect(summary.notes).toEqual([
      "no customer has a purchase by the as-of date: no value model fitted"
    ]);
    expect(r.a).toMatchObject({purchases: 0, t_weeks: null, p_alive: null, at_risk: null});
  });
});

describe("buildCustomerValue(store, options): who is at risk", () => {
  it("flags customers at or above the backtest's threshold among those with minOrders purchases", async () => {
    const {rows: r, summary} = await everyoneStaged();
    const threshold = summary.decision.threshold!;
    expect(threshold).toBeGreaterThanOrEqual(0.5);
    expect(r.lapsed.at_risk).toBe(true);
    expect(r.active.at_risk).toBe(false);
    // Below minOrders: assessed, not flagged, whatever its probability.
    expect(r.single_cooling.at_risk).toBe(false);
    expect(r.never.at_risk).toBeNull();
    for (const v of Object.values(r))
      if (v.p_lapse !== null)
        expect(v.at_risk).toBe((v.purchases ?? 0) >= 2 && v.p_lapse >= threshold);
    expect(summary.atRisk).toBe(Object.values(r).filter((v) => v.at_risk).length);
  });

  it("takes minOrders and the flag rule from the options", async () => {
    const {rows: r} = await stage({orders: everyone(), features: TRENDS}, {minOrders: 10});
    // lapsed has 9 purchase days (fewer than 10).
    expect(r.lapsed.at_risk).toBe(false);
    expect(r.active.purchases).toBe(26);
    const top = await stage({orders: everyone(), features: TRENDS}, {flag: {share: 0.05}});
    const flag = top.summary.backtest!.risk!.flag!;
    expect(flag.share).toBeCloseTo(0.05, 2);
    expect(top.summary.atRisk!).toBeLessThan((await everyoneStaged()).summary.atRisk!);
  });

  it("takes the population from features when it exists, else from customers", async () => {
    const store = await fixtureStore({orders: everyone(), features: TRENDS});
    open.push(store);
    // Joins after the as-of date: in customers, not in features.
    await store.run(sql`INSERT INTO customers VALUES ('late', '2025-03-01')`);
    await buildCustomerValue(store, OPTIONS);
    expect((await rows(store)).late).toBeUndefined();
    await store.run(sql`DROP TABLE features`);
    await buildCustomerValue(store, OPTIONS);
    expect((await rows(store)).late).toMatchObject({purchases: 0, p_alive: null, at_risk: null});
  });

  it("applies a snapshot's given decision without a backtest of its own", async () => {
    const store = await fixtureStore({orders: everyone(), features: TRENDS});
    open.push(store);
    const summary = await buildCustomerValue(store, {
      ...OPTIONS,
      asOf: "2024-09-30",
      snapshot: {
        features: "features",
        table: "snapshot_value",
        decision: {purchaseModel: "pareto_nbd", riskModel: "learned", threshold: 0.7}
      }
    });
    expect(summary.backtest).toBeNull();
    expect(summary.purchase?.model).toBe("pareto_nbd");
    const flagged = await store.all<{p_lapse: number; at_risk: boolean; purchases: number}>(
      sql`SELECT p_lapse, at_risk, purchases FROM snapshot_value WHERE p_lapse IS NOT NULL`
    );
    expect(flagged.length).toBeGreaterThan(300);
    for (const f of flagged) expect(f.at_risk).toBe(f.purchases >= 2 && f.p_lapse >= 0.7);
    expect(await store.has("risk_assessment")).toBe(false);
  });
});

describe("buildCustomerValue(store, options): determinism and checks", () => {
  it("writes the same tables for the same input, whatever order its rows come in", async () => {
    const orders = everyone();
    const first = await stage({orders, features: TRENDS});
    const second = await stage({orders: [...orders].reverse(), features: TRENDS});
    const table = (store: Store, name: string) =>
      store.all(sql`SELECT * FROM ${ident(name)} ORDER BY ALL`).then((t) => JSON.stringify(t));
    expect(await table(second.store, "customer_value")).toBe(
      await table(first.store, "customer_value")
    );
    for (const name of [
      "value_models",
      "risk_assessment",
      "value_backtest",
      "value_backtest_frequency",
      "value_backtest_deciles",
      "value_backtest_params"
    ])
      expect(await table(second.store, name)).toBe(await table(first.store, name));
    // And a second run on the same store replaces the tables with identical ones.
    const before = await table(first.store, "customer_value");
    await buildCustomerValue(first.store, OPTIONS);
    expect(await table(first.store, "customer_value")).toBe(before);
  });

  it("rejects invalid options, naming the option", async () => {
    const store = await fixtureStore();
    open.push(store);
    await expect(buildCustomerValue(store, {...OPTIONS, asOf: "31/12/2024"})).rejects.toThrow(
      "invalid value options: asOf: asOf must be a date written YYYY-MM-DD"
    );
    await expect(buildCustomerValue(store, {...OPTIONS, minOrders: 0})).rejects.toThrow(
      "invalid value options: minOrders"
    );
  });

  it("builds its SQL with bound values, never spliced ones", () => {
    const summary = summarySql(
      {population: "features", orders: true, engagement: true},
      "2024-12-31"
    ).render();
    expect(summary.text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(summary.params).toEqual(["2024-12-31", 7, "2024-12-31", 7]);
    const value = customerValueSql("snapshot_value", {minOrders: 2, threshold: 0.6}).render();
    expect(value.text).toMatch(/^CREATE OR REPLACE TABLE "snapshot_value" AS/);
    expect(value.text).toContain("p.p_lapse >= $2::DOUBLE");
    expect(value.params).toEqual([2, 0.6]);
    expect(value.text).toMatch(/ORDER BY s\.customer_id\s*$/);
    expect(
      valueModelsSql([
        ["bgnbd", "r", 0.25],
        ["bgnbd", "converged", 1]
      ]).render()
    ).toEqual({
      text: `CREATE OR REPLACE TABLE value_models AS
    SELECT * FROM (VALUES ($1::VARCHAR, $2::VARCHAR, $3::DOUBLE), ($4::VARCHAR, $5::VARCHAR, $6::DOUBLE)) AS t(model, parameter, value)
    ORDER BY model, parameter`,
      params: ["bgnbd", "r", 0.25, "bgnbd", "converged", 1]
    });
  });
});
