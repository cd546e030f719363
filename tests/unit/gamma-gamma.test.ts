/**
 * The Gamma-Gamma model (loaders/value/clv/gamma-gamma.ts) against the published CDNOW
 * estimates (Fader & Hardie 2013), and the expected value it makes with BG/NBD.
 */
import {describe, expect, it} from "vitest";
import {expectedPurchases} from "../../loaders/value/clv/bg-nbd.ts";
import {expectedSpend, expectedValue, fitGammaGamma} from "../../loaders/value/clv/gamma-gamma.ts";
import {cdnowSummary, PUBLISHED_GG, within} from "../support/cdnow.ts";

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
  const f = (values: number[]) => Float64Array.from(values);

  it("name the offending value and what it must be", () => {
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
