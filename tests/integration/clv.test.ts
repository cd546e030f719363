/**
 * The CLV models (loaders/value/clv.ts) against the published CDNOW tables (Fader, Hardie & Lee 2005;
 * Fader & Hardie 2013), their special functions against known values and closed forms, and
 * their predictions against independent evaluations. Reference constants marked "mpmath" were
 * computed with mpmath at 30 digits.
 */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {
  bgNbdLogLikelihood,
  compress,
  digamma,
  expectedPurchases,
  expectedSpend,
  expectedValue,
  fitBgNbd,
  fitGammaGamma,
  hyp2f1,
  lnGamma,
  pAlive,
  type BgNbdParams
} from "../../loaders/value/clv.ts";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {Store} from "../../loaders/core/store.ts";
import {buildCustomerValue} from "../../loaders/value/customer-value.ts";

const CDNOW = join(PROJECT_DIR, "..", "shared", "datasets", "cdnow", "CDNOW_sample.csv");
const PUBLISHED_BG = {r: 0.243, alpha: 4.414, a: 0.793, b: 2.426};
const PUBLISHED_LL = -9582.4;
const PUBLISHED_GG = {p: 6.25, q: 3.74, gamma: 15.44};
const EULER_GAMMA = 0.5772156649015329;

/** |actual − expected| ≤ share · |expected|, with a message naming the quantity. */
function within(share: number, actual: Record<string, number>, expected: Record<string, number>) {
  for (const [key, value] of Object.entries(expected)) {
    const error = Math.abs(actual[key] - value) / Math.abs(value);
    expect(error, `${key}: fitted ${actual[key]}, published ${value}`).toBeLessThan(share);
  }
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

// ---------------------------------------------------------------------------------------------
// The CDNOW calibration summary, computed here from the CSV with the README's definitions.

const DAY_MS = 86_400_000;
const CALIBRATION_END = Date.UTC(1997, 8, 30) / DAY_MS;

interface CdnowSummary {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** x and mean repeat value of the customers with x ≥ 1. */
  repeaters: {x: Float64Array; mean: Float64Array};
}

function cdnowSummary(): CdnowSummary {
  const lines = readFileSync(CDNOW, "utf8").trimEnd().split("\n").slice(1);
  const days = new Map<string, Map<number, number>>();
  for (const line of lines) {
    const [id, , date, , amount] = line.split(",");
    const day =
      Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6))) /
      DAY_MS;
    if (day > CALIBRATION_END) continue;
    const customer = days.get(id) ?? new Map<number, number>();
    days.set(id, customer);
    customer.set(day, (customer.get(day) ?? 0) + Number(amount));
  }
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  const rx: number[] = [];
  const mean: number[] = [];
  for (const id of [...days.keys()].sort()) {
    const customer = days.get(id)!;
    const sorted = [...customer.keys()].sort((a, b) => a - b);
    const first = sorted[0];
    x.push(sorted.length - 1);
    tx.push((sorted[sorted.length - 1] - first) / 7);
    T.push((CALIBRATION_END - first) / 7);
    if (sorted.length > 1) {
      rx.push(sorted.length - 1);
      mean.push(sorted.slice(1).reduce((s, d) => s + customer.get(d)!, 0) / (sorted.length - 1));
    }
  }
  return {
    x: Float64Array.from(x),
    tx: Float64Array.from(tx),
    T: Float64Array.from(T),
    repeaters: {x: Float64Array.from(rx), mean: Float64Array.from(mean)}
  };
}

// ---------------------------------------------------------------------------------------------

describe("lnGamma(x)", () => {
  it("matches known values, including the reflection branch below 1/2", () => {
    // mpmath
    const known: [number, number][] = [
      [0.5, 0.5723649429247001],
      [1, 0],
      [2, 0],
      [3.7, 1.4280723266653879],
      [10, 12.801827480081469],
      [100, 359.1342053695754],
      [0.243, 1.3180435846996699],
      [1e-8, 18.42068073818021],
      [-0.5, 1.2655121234846454]
    ];
    for (const [x, value] of known) {
      expect(Math.abs(lnGamma(x) - value), `lnGamma(${x})`).toBeLessThan(
        2e-14 * Math.max(1, Math.abs(value))
      );
    }
  });

  it("is ln((x − 1)!) at integers and Infinity at the poles", () => {
    let factorial = 1;
    for (let n = 1; n <= 20; n++) {
      factorial *= n;
      expect(Math.abs(lnGamma(n + 1) - Math.log(factorial)), `lnGamma(${n + 1})`).toBeLessThan(
        1e-14 * Math.max(1, Math.log(factorial))
      );
    }
    expect(lnGamma(0)).toBe(Infinity);
    expect(lnGamma(-3)).toBe(Infinity);
  });
});

describe("digamma(x)", () => {
  it("matches known values: ψ(1) = −γ, ψ(1/2) = −γ − 2 ln 2, and others", () => {
    expect(digamma(1)).toBeCloseTo(-EULER_GAMMA, 14);
    expect(digamma(0.5)).toBeCloseTo(-EULER_GAMMA - 2 * Math.LN2, 14);
    // mpmath
    const known: [number, number][] = [
      [10, 2.251752589066721],
      [1000, 6.907255195648812],
      [3.7, 1.1671535393615113],
      [0.01, -100.56088545786868],
      [-0.5, 0.03648997397857652]
    ];
    for (const [x, value] of known) {
      expect(Math.abs(digamma(x) - value), `digamma(${x})`).toBeLessThan(
        1e-14 * Math.max(1, Math.abs(value))
      );
    }
  });

  it("is the derivative of lnGamma and satisfies ψ(x + 1) = ψ(x) + 1/x", () => {
    for (const x of [0.3, 1.7, 6.5, 42]) {
      const h = 1e-5;
      const slope = (lnGamma(x + h) - lnGamma(x - h)) / (2 * h);
      expect(digamma(x)).toBeCloseTo(slope, 8);
      expect(digamma(x + 1)).toBeCloseTo(digamma(x) + 1 / x, 13);
    }
  });

  it("is NaN at the poles", () => {
    expect(digamma(0)).toBeNaN();
    expect(digamma(-2)).toBeNaN();
  });
});

describe("hyp2f1(a, b, c, z)", () => {
  const close = (actual: number, expected: number, tolerance: number, label: string) =>
    expect(relative(actual, expected), `${label}: ${actual} vs ${expected}`).toBeLessThan(
      tolerance
    );

  it("is −ln(1 − z)/z for (1, 1; 2), from negative z to z near 1 (c − a − b = 0)", () => {
    for (const z of [-20, -0.5, 0.3, 0.9, 0.95, 0.999]) {
      close(hyp2f1(1, 1, 2, z), -Math.log1p(-z) / z, 1e-13, `z = ${z}`);
    }
    // A million terms of the defining series: the running product loses a few digits.
    close(hyp2f1(1, 1, 2, 0.99999), -Math.log1p(-0.99999) / 0.99999, 1e-11, "z = 0.99999");
  });

  it("is (1 − z)^−a when b = c, for negative z and z near 1", () => {
    for (const z of [-3, -0.2, 0.6, 0.9999]) {
      close(hyp2f1(0.7, 2.5, 2.5, z), Math.pow(1 - z, -0.7), 1e-14, `z = ${z}`);
    }
  });

  it("gives arcsin and arctan through the 1 − z connection and Pfaff's transformation", () => {
    for (const s of [0.5, Math.sqrt(0.95), Math.sqrt(0.999)]) {
      close(hyp2f1(0.5, 0.5, 1.5, s * s), Math.asin(s) / s, 1e-13, `arcsin(${s})`);
    }
    for (const x of [0.5, 3, 30]) {
      close(hyp2f1(0.5, 1, 1.5, -x * x), Math.atan(x) / x, 1e-13, `arctan(${x})`);
    }
  });

  it("matches mpmath where c − a − b is not an integer and z is near 1", () => {
    const known: [number, number, number, number, number][] = [
      [0.7, 2.5, 3.1, 0.95, 3.9742877542717534],
      [0.2, 1.3, 2.6, 0.995, 1.21401893512705],
      [1.5, 2.5, 4.0, 0.97, 9.78473486108516],
      [0.3, 0.4, 0.9, -5, 0.758859485716422],
      [2.3, 0.6, 3.0, 0.9999, 6.904320629149703]
    ];
    for (const [a, b, c, z, value] of known) {
      close(hyp2f1(a, b, c, z), value, 1e-12, `2F1(${a}, ${b}; ${c}; ${z})`);
    }
  });

  it("is Gauss's Γ(c)Γ(c − a − b) / (Γ(c − a)Γ(c − b)) at z = 1, and a polynomial for a = −n", () => {
    close(hyp2f1(1, 1, 3, 1), 2, 1e-14, "2F1(1, 1; 3; 1)");
    const [b, c, z] = [1.5, 2.5, 0.8];
    const polynomial = 1 - (2 * b * z) / c + (b * (b + 1) * z * z) / (c * (c + 1));
    close(hyp2f1(-2, b, c, z), polynomial, 1e-15, "2F1(−2, b; c; z)");
  });

  it("rejects arguments outside its domain, saying which", () => {
    expect(() => hyp2f1(1, 1, 2, 1.5)).toThrow("z = 1.5 > 1 is outside the real domain");
    expect(() => hyp2f1(1, 1, -2, 0.5)).toThrow("c = -2 is a non-positive integer");
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow("diverges at z = 1");
    expect(() => hyp2f1(NaN, 1, 2, 0.5)).toThrow("arguments must be finite");
  });
});

describe("fitBgNbd(x, tx, T) on the CDNOW sample", () => {
  const data = cdnowSummary();
  const fit = fitBgNbd(data.x, data.tx, data.T);

  it("summarises the 2,357 customers of the calibration period", () => {
    expect(data.x.length).toBe(2357);
    expect(data.repeaters.x.length).toBe(946);
  });

  it("reproduces the published estimates within 1 % and the log-likelihood within 0.5", () => {
    expect(fit.converged).toBe(true);
    within(0.01, {...fit.params}, PUBLISHED_BG);
    expect(Math.abs(fit.logLikelihood - PUBLISHED_LL)).toBeLessThan(0.5);
  });

  it("finds the same maximum from compressed triples with weights", () => {
    const unique = compress(data.x, data.tx, data.T);
    expect(unique.x.length).toBeLessThan(data.x.length);
    const weighted = fitBgNbd(unique.x, unique.tx, unique.T, unique.weights);
    for (const key of ["r", "alpha", "a", "b"] as const) {
      expect(relative(weighted.params[key], fit.params[key])).toBeLessThan(1e-8);
    }
    expect(weighted.logLikelihood).toBeCloseTo(fit.logLikelihood, 8);
    expect(bgNbdLogLikelihood(fit.params, data.x, data.tx, data.T)).toBeCloseTo(
      fit.logLikelihood,
      8
    );
  });
});

describe("fitGammaGamma(x, meanValue) on the CDNOW sample", () => {
  const {repeaters} = cdnowSummary();

  it("fits the 946 repeaters, mean repeat value 35.08", () => {
    const mean = repeaters.mean.reduce((s, m) => s + m, 0) / repeaters.mean.length;
    expect(repeaters.x.length).toBe(946);
    expect(mean).toBeCloseTo(35.08, 2);
  });

  it("reproduces the published p, q and gamma within 1 %", () => {
    const fit = fitGammaGamma(repeaters.x, repeaters.mean);
    expect(fit.converged).toBe(true);
    within(0.01, {...fit.params}, PUBLISHED_GG);
  });

  it("converges whatever the order of the customers", () => {
    const order = Array.from(repeaters.x, (_, i) => i).reverse();
    const fit = fitGammaGamma(
      Float64Array.from(order, (i) => repeaters.x[i]),
      Float64Array.from(order, (i) => repeaters.mean[i])
    );
    expect(fit.converged).toBe(true);
    within(0.01, {...fit.params}, PUBLISHED_GG);
  });
});

/**
 * FHL 2005 eq. 10 summed as written: the defining series of 2F1(r + x, b + x; a + b + x − 1; z)
 * term by term, with none of the transformations expectedPurchases uses.
 */
function eq10({r, alpha, a, b}: BgNbdParams, t: number, x: number, tx: number, T: number) {
  const z = t / (alpha + T + t);
  let term = 1;
  let series = 1;
  for (let n = 0; n < 100_000 && Math.abs(term) > 1e-18 * series; n++) {
    term *= (((r + x + n) * (b + x + n)) / ((a + b + x - 1 + n) * (n + 1))) * z;
    series += term;
  }
  const bracket = 1 - Math.pow((alpha + T) / (alpha + T + t), r + x) * series;
  const alive =
    x > 0 ? 1 / (1 + (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + tx), r + x)) : 1;
  return ((a + b + x - 1) / (a - 1)) * bracket * alive;
}

describe("pAlive(params, x, tx, T) and expectedPurchases(params, t, x, tx, T)", () => {
  const params: BgNbdParams = {r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259};

  it("is certain that a customer with no repeat purchase is alive", () => {
    expect(pAlive(params, 0, 0, 38.86)).toBe(1);
    expect(pAlive(params, 0, 0, 0)).toBe(1);
  });

  it("falls as the time since the last purchase grows", () => {
    expect(pAlive(params, 4, 30, 31)).toBeGreaterThan(0.85);
    expect(pAlive(params, 4, 5, 31)).toBeLessThan(0.05);
    expect(pAlive(params, 4, 5, 31)).toBeGreaterThan(0);
  });

  it("is 1 / (1 + a / (b + x − 1)) just after a purchase: dropout follows a purchase", () => {
    const {a, b} = params;
    expect(pAlive(params, 4, 31, 31)).toBeCloseTo(1 / (1 + a / (b + 3)), 14);
  });

  it("matches FHL 2005 eq. 10 summed directly", () => {
    const customers: [number, number, number, number][] = [
      // t, x, t_x, T
      [39, 2, 30.43, 38.86],
      [39, 0, 0, 38.86],
      [52, 7, 35, 36],
      [13, 1, 2, 39],
      [1, 15, 38, 38.5]
    ];
    for (const [t, x, tx, T] of customers) {
      const direct = eq10(params, t, x, tx, T);
      expect(
        relative(expectedPurchases(params, t, x, tx, T), direct),
        `E[Y(${t}) | ${x}, ${tx}, ${T}]`
      ).toBeLessThan(1e-10);
    }
  });

  it("gives FHL's worked CDNOW example: 1.226 purchases in 39 weeks for x = 2, t_x = 30.43, T = 38.86", () => {
    expect(expectedPurchases(params, 39, 2, 30.43, 38.86)).toBeCloseTo(1.226, 3);
  });

  it("is continuous through a = 1, where eq. 10 is 0/0", () => {
    const at = (a: number) => expectedPurchases({...params, a}, 39, 3, 20, 38);
    const limit = at(1);
    expect(Number.isFinite(limit)).toBe(true);
    expect(relative(at(1 + 1e-7), limit)).toBeLessThan(1e-6);
    expect(relative(at(1 - 1e-7), limit)).toBeLessThan(1e-6);
    // Either side, away from the cancellation, eq. 10 summed directly agrees.
    expect(relative(at(1.01), eq10({...params, a: 1.01}, 39, 3, 20, 38))).toBeLessThan(1e-9);
    expect(relative(at(0.99), eq10({...params, a: 0.99}, 39, 3, 20, 38))).toBeLessThan(1e-9);
  });

  it("is zero over a zero horizon and grows with the horizon", () => {
    expect(expectedPurchases(params, 0, 2, 30, 38)).toBe(0);
    const horizons = [1, 13, 52, 520].map((t) => expectedPurchases(params, t, 2, 30, 38));
    for (let i = 1; i < horizons.length; i++) expect(horizons[i]).toBeGreaterThan(horizons[i - 1]);
  });
});

describe("expectedSpend(params, x, meanValue) and expectedValue(...)", () => {
  const gg = {p: 6.25, q: 3.74, gamma: 15.44};

  it("is the population mean p·γ / (q − 1) for x = 0", () => {
    expect(expectedSpend(gg, 0, 999)).toBeCloseTo((6.25 * 15.44) / 2.74, 12);
  });

  it("is a weighted average of the population mean and the customer's mean", () => {
    const x = 4;
    const m = 50;
    const population = (gg.p * gg.gamma) / (gg.q - 1);
    const weight = (gg.p * x) / (gg.p * x + gg.q - 1);
    expect(expectedSpend(gg, x, m)).toBeCloseTo((1 - weight) * population + weight * m, 12);
  });

  it("multiplies expected purchases by expected spend", () => {
    const bg = {r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259};
    expect(expectedValue(bg, gg, 52, 2, 30, 38, 20)).toBeCloseTo(
      expectedPurchases(bg, 52, 2, 30, 38) * expectedSpend(gg, 2, 20),
      12
    );
  });
});

describe("invalid inputs", () => {
  const bg = {r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259};
  const f = (values: number[]) => Float64Array.from(values);

  it("name the offending value and what it must be", () => {
    expect(() => fitBgNbd(f([1, -1]), f([1, 0]), f([2, 2]))).toThrow(
      "x[1] = -1 must be finite and ≥ 0"
    );
    expect(() => fitBgNbd(f([1]), f([3]), f([2]))).toThrow("tx[0] = 3 must lie in [0, T = 2]");
    expect(() => fitBgNbd(f([1, 2]), f([1]), f([2, 2]))).toThrow(
      "tx has length 1, expected 2 (as x)"
    );
    expect(() => fitBgNbd(f([0, 0]), f([0, 0]), f([5, 6]))).toThrow(
      "no repeat purchases, the model is not identified"
    );
    expect(() => fitBgNbd(f([]), f([]), f([]))).toThrow("x is empty");
    expect(() => pAlive({...bg, r: 0}, 1, 1, 2)).toThrow("BG/NBD parameter r = 0 must be > 0");
    expect(() => expectedPurchases(bg, -1, 1, 1, 2)).toThrow("t = -1 must be finite and ≥ 0");
    expect(() => fitGammaGamma(f([0]), f([10]))).toThrow(
      "x[0] = 0; pass only customers with x ≥ 1"
    );
    expect(() => fitGammaGamma(f([1]), f([-5]))).toThrow("meanValue[0] = -5 must be > 0");
    expect(() => fitGammaGamma(f([]), f([]))).toThrow("no repeat customers");
    expect(() => expectedSpend({p: 1, q: 0.5, gamma: 1}, 1, 1)).toThrow(
      "q = 0.5 ≤ 1, the expected spend is infinite"
    );
  });
});

describe("buildCustomerValue on the CDNOW sample loaded into a store", () => {
  let store: Store;

  beforeAll(async () => {
    store = await Store.open(":memory:");
    // One row per line, as the README describes the file; orders after 1997-09-30 are loaded
    // too, for the stage to leave out.
    await store.run(
      `CREATE TABLE orders AS
       SELECT 'o' || row_number() OVER () AS order_id, master_customer_id AS customer_id,
         strptime(date, '%Y%m%d') AS ordered_at, dollar_amount::DOUBLE AS amount,
         'web' AS channel, NULL::VARCHAR AS category, num_cds::INTEGER AS quantity,
         NULL::DOUBLE AS discount, NULL::VARCHAR AS status
       FROM read_csv($file, header = true,
         columns = {master_customer_id: 'VARCHAR', sample_customer_id: 'VARCHAR',
                    date: 'VARCHAR', num_cds: 'INTEGER', dollar_amount: 'DOUBLE'})`,
      {file: CDNOW}
    );
    await store.run("CREATE TABLE customers AS SELECT DISTINCT customer_id FROM orders");
  });
  afterAll(() => store.close());

  it("fits the published BG/NBD and Gamma-Gamma parameters from the SQL summary", async () => {
    const summary = await buildCustomerValue(store, {
      asOf: "1997-09-30",
      horizonDays: 90,
      pAliveBelow: 0.5,
      engagementDropAbove: 0.5,
      minOrders: 2
    });
    expect(summary.notes).toEqual([]);
    expect(summary).toMatchObject({customers: 2357, modelled: 2357});
    const rows = await store.all<{model: string; parameter: string; value: number}>(
      "SELECT model, parameter, value FROM value_models ORDER BY model, parameter"
    );
    const model = (name: string) =>
      Object.fromEntries(rows.filter((r) => r.model === name).map((r) => [r.parameter, r.value]));
    const bg = model("bgnbd");
    const gg = model("gamma_gamma");
    within(0.01, bg, PUBLISHED_BG);
    expect(Math.abs(bg.log_likelihood - PUBLISHED_LL)).toBeLessThan(0.5);
    expect(bg).toMatchObject({customers: 2357, converged: 1, horizon_days: 90});
    within(0.01, gg, PUBLISHED_GG);
    expect(gg).toMatchObject({customers: 946, converged: 1});
    const repeat = await store.one<{n: number; mean: number}>(
      `SELECT count(*)::INTEGER AS n, avg(mean_repeat_value) AS mean
       FROM customer_value WHERE repeat_purchases >= 1`
    );
    expect(repeat?.n).toBe(946);
    expect(repeat?.mean).toBeCloseTo(35.08, 2);
  });

  it("computes the same x, t_x and T as the README's definitions", async () => {
    const data = cdnowSummary();
    const [x, tx, T] = await store.columns(
      "SELECT repeat_purchases, t_x_weeks, t_weeks FROM customer_value ORDER BY customer_id"
    );
    expect(x).toEqual(Array.from(data.x));
    expect(tx).toEqual(Array.from(data.tx));
    expect(T).toEqual(Array.from(data.T));
  });
});

describe("expectedPurchases when every customer has the same dropout probability", () => {
  // Fits reach this limit on data whose dropout does not vary (the demo's does not): a and b
  // grow together without bound, and fitBgNbd reports the limit with a note.
  it("is the closed-form limit (1/p) [1 − ((α + T)/(α + T + p t))^(r + x)] P(alive)", () => {
    const p = 0.0068;
    const params = {r: 7, alpha: 55, a: p * 1e6, b: (1 - p) * 1e6};
    for (const [x, tx, T] of [
      [0, 0, 50],
      [5, 40, 100],
      [40, 99, 100]
    ]) {
      const t = 90 / 7;
      const limit =
        (1 / p) *
        (1 - ((params.alpha + T) / (params.alpha + T + p * t)) ** (params.r + x)) *
        pAlive(params, x, tx, T);
      expect(expectedPurchases(params, t, x, tx, T)).toBeCloseTo(limit, 9);
    }
  });

  it("predicts continuously across the switch to the limit formula", () => {
    const near = {r: 3, alpha: 20, a: 0.05 * 9_000, b: 0.95 * 9_000};
    const far = {r: 3, alpha: 20, a: 0.05 * 11_000, b: 0.95 * 11_000};
    const eNear = expectedPurchases(near, 13, 4, 30, 45);
    const eFar = expectedPurchases(far, 13, 4, 30, 45);
    expect(Math.abs(eFar - eNear) / eNear).toBeLessThan(1e-3);
  });
});
