/**
 * Predictions of the purchase models beyond BG/NBD, against references computed once with
 * scipy 1.17 from the textbook formulas (not this code): MBG/NBD P(alive) and E[Y(39)] from
 * Batislam et al.'s expressions with scipy.special.hyp2f1; Pareto/NBD P(alive) with the dead
 * branch integrated by scipy.integrate.quad, E[Y(39)] by the closed form, and P(no purchase in
 * 13 weeks) by a double integral (dblquad) of the exact conditional probability
 * e^(−(λ+μ)t) + μ/(λ+μ)(1 − e^(−(λ+μ)t)) over the posterior gammas. Parameters: the CDNOW fits.
 */
import {describe, expect, it} from "vitest";
import {expectedPurchases, pAlive, pNoPurchase} from "../../loaders/value/clv/bg-nbd.ts";
import {dropoutFound} from "../../loaders/value/clv/purchase-models.ts";
import {
  paretoNbdExpectedPurchases,
  paretoNbdPAlive,
  paretoNbdPNoPurchase
} from "../../loaders/value/clv/pareto-nbd.ts";

const MBG = {r: 0.5248, alpha: 6.1831, a: 0.8914, b: 1.614};
const PNBD = {r: 0.5533, alpha: 10.5777, s: 0.6062, beta: 11.6687};
const CUSTOMERS: [number, number, number][] = [
  [0, 0, 38.86],
  [2, 30.43, 38.86],
  [7, 35, 38]
];

describe("MBG/NBD predictions", () => {
  const alive = [0.3897245332571723, 0.7061180002642629, 0.8505916647489413];
  const expected = [0.15394516025396987, 1.2626267058525227, 4.393218470087649];
  it("give P(alive) below 1 for a one-time buyer, as scipy does", () => {
    CUSTOMERS.forEach(([x, tx, T], i) =>
      expect(pAlive(MBG, x, tx, T, "mbg")).toBeCloseTo(alive[i], 12)
    );
  });
  it("expect the purchases in the next 39 weeks that scipy does", () => {
    CUSTOMERS.forEach(([x, tx, T], i) =>
      expect(expectedPurchases(MBG, 39, x, tx, T, "mbg")).toBeCloseTo(expected[i], 10)
    );
  });
  it("give P(no purchase) = 1 − P(alive) + P(alive) E[e^(−λt)], 1 at t = 0", () => {
    const [x, tx, T] = CUSTOMERS[1];
    const a = pAlive(MBG, x, tx, T, "mbg");
    const quiet = ((MBG.alpha + T) / (MBG.alpha + T + 13)) ** (MBG.r + x);
    expect(pNoPurchase(MBG, 13, x, tx, T, "mbg")).toBeCloseTo(1 - a + a * quiet, 14);
    expect(pNoPurchase(MBG, 0, x, tx, T, "mbg")).toBe(1);
  });
});

describe("Pareto/NBD predictions", () => {
  const alive = [0.2951121750378675, 0.8691232700828073, 0.9528236637765618];
  const expected = [0.10707047087627952, 1.4551412047297185, 4.790401304955938];
  const none = [0.9665584060052732, 0.6330864182936591, 0.24458491510058636];
  it("give P(alive) below 1 for everyone, as scipy's integral does", () => {
    CUSTOMERS.forEach(([x, tx, T], i) =>
      expect(paretoNbdPAlive(PNBD, x, tx, T)).toBeCloseTo(alive[i], 12)
    );
  });
  it("expect the purchases in the next 39 weeks", () => {
    CUSTOMERS.forEach(([x, tx, T], i) =>
      expect(paretoNbdExpectedPurchases(PNBD, 39, x, tx, T)).toBeCloseTo(expected[i], 10)
    );
  });
  it("give the probability of no purchase in 13 weeks that the double integral gives", () => {
    CUSTOMERS.forEach(([x, tx, T], i) =>
      expect(paretoNbdPNoPurchase(PNBD, 13, x, tx, T)).toBeCloseTo(none[i], 8)
    );
  });
  it("fall as the horizon grows: more time, more chance of a purchase", () => {
    const [x, tx, T] = CUSTOMERS[1];
    const series = [0, 4, 13, 52].map((t) => paretoNbdPNoPurchase(PNBD, t, x, tx, T));
    expect(series[0]).toBeCloseTo(1, 12);
    for (let i = 1; i < series.length; i++) expect(series[i]).toBeLessThan(series[i - 1]);
  });
});

describe("dropoutFound(model)", () => {
  const fitted = (name: "bgnbd" | "pareto_nbd", params: Record<string, number>) => ({
    name,
    fit: {params, logLikelihood: 0, iterations: 1, converged: true}
  });
  it("is false at the boundary where the fit says nobody ever leaves", () => {
    // Online Retail's Pareto/NBD: s = 3e-8, β = 1.6e7, so P(alive) = 1 for everyone.
    expect(dropoutFound(fitted("pareto_nbd", {r: 1.97, alpha: 47.9, s: 3e-8, beta: 1.6e7}))).toBe(
      false
    );
    expect(dropoutFound(fitted("pareto_nbd", PNBD))).toBe(true);
    expect(dropoutFound(fitted("bgnbd", {r: 0.24, alpha: 4.4, a: 1e-9, b: 2.4}))).toBe(false);
    expect(dropoutFound(fitted("bgnbd", MBG))).toBe(true);
  });
});
