/**
 * The BG/NBD model (loaders/value/clv/bg-nbd.ts) against the published CDNOW estimates (Fader,
 * Hardie & Lee 2005) and its predictions against independent evaluations.
 */
import {describe, expect, it} from "vitest";
import {
  bgNbdLogLikelihood,
  expectedPurchases,
  fitBgNbd,
  fitMbgNbd,
  pAlive,
  type BgNbdParams
} from "../../loaders/value/clv/bg-nbd.ts";
import {compress} from "../../loaders/value/clv/triples.ts";
import {
  cdnowSummary,
  PUBLISHED_BG,
  PUBLISHED_LL,
  PUBLISHED_MBG,
  PUBLISHED_MBG_LL,
  relative,
  within
} from "../support/cdnow.ts";

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
  });
});

describe("fitMbgNbd(x, tx, T) on the CDNOW sample", () => {
  const data = cdnowSummary();
  const fit = fitMbgNbd(data.x, data.tx, data.T);

  it("reproduces the published MBG/NBD estimates within 1 % and the log-likelihood within 0.5", () => {
    expect(fit.converged).toBe(true);
    within(0.01, {...fit.params}, PUBLISHED_MBG);
    expect(Math.abs(fit.logLikelihood - PUBLISHED_MBG_LL)).toBeLessThan(0.5);
    expect(bgNbdLogLikelihood(fit.params, data.x, data.tx, data.T, undefined, "mbg")).toBeCloseTo(
      fit.logLikelihood,
      8
    );
  });

  it("is BG/NBD but for dropping out at the first purchase: a one-time buyer's likelihood differs, a model does not", () => {
    const one = Float64Array.of(0);
    const params = {...PUBLISHED_BG};
    const bg = bgNbdLogLikelihood(params, one, one, Float64Array.of(30));
    const mbg = bgNbdLogLikelihood(params, one, one, Float64Array.of(30), undefined, "mbg");
    // MBG/NBD: B(a, b + 1)/B(a, b) · [(α/(α + T))^r + a/b], the second term a drop-out at once.
    const {r, alpha, a, b} = params;
    const expected =
      Math.log(b / (a + b)) +
      Math.log(Math.pow(alpha / (alpha + 30), r) + (a / b) * Math.pow(alpha / alpha, r));
    expect(bg).toBeCloseTo(r * Math.log(alpha / (alpha + 30)), 12);
    expect(mbg).toBeCloseTo(expected, 12);
  });
});
