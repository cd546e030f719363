/**
 * The Pareto/NBD model (loaders/value/clv/pareto-nbd.ts) against its published CDNOW estimates
 * (Fader, Hardie & Lee's MATLAB note, 2005) and a closed form of its likelihood.
 */
import {describe, expect, it} from "vitest";
import {fitParetoNbd, paretoNbdLogLikelihood} from "../../loaders/value/clv/pareto-nbd.ts";
import {compress} from "../../loaders/value/clv/triples.ts";
import {
  cdnowSummary,
  PUBLISHED_PNBD,
  PUBLISHED_PNBD_LL,
  relative,
  within
} from "../support/cdnow.ts";

describe("fitParetoNbd(x, tx, T) on the CDNOW sample", () => {
  const data = cdnowSummary();
  const fit = fitParetoNbd(data.x, data.tx, data.T);

  it("reproduces the published estimates within 1 % and the log-likelihood within 0.5", () => {
    expect(fit.converged).toBe(true);
    within(0.01, {...fit.params}, PUBLISHED_PNBD);
    expect(Math.abs(fit.logLikelihood - PUBLISHED_PNBD_LL)).toBeLessThan(0.5);
  });

  it("finds the same maximum from compressed triples with weights", () => {
    const unique = compress(data.x, data.tx, data.T);
    const weighted = fitParetoNbd(unique.x, unique.tx, unique.T, unique.weights);
    for (const key of ["r", "alpha", "s", "beta"] as const)
      expect(relative(weighted.params[key], fit.params[key])).toBeLessThan(1e-6);
  });
});

describe("paretoNbdLogLikelihood(params, x, tx, T)", () => {
  it("is the closed form when alpha = beta, where the hypergeometric terms are 1", () => {
    const [r, s, ab, x, tx, T] = [0.5, 0.7, 9, 2, 10, 30];
    const rsx = r + s + x;
    const a0 = Math.pow(ab + tx, -rsx) - Math.pow(ab + T, -rsx);
    const expected =
      logGamma(r + x) -
      logGamma(r) +
      r * Math.log(ab) +
      s * Math.log(ab) +
      Math.log(Math.pow(ab + T, -(r + x)) * Math.pow(ab + T, -s) + (s / rsx) * a0);
    const ll = paretoNbdLogLikelihood(
      {r, alpha: ab, s, beta: ab},
      Float64Array.of(x),
      Float64Array.of(tx),
      Float64Array.of(T)
    );
    expect(ll).toBeCloseTo(expected, 10);
  });

  it("gives a one-time buyer the chance of having left before buying again", () => {
    const params = {...PUBLISHED_PNBD};
    const none = Float64Array.of(0);
    const early = paretoNbdLogLikelihood(params, none, none, Float64Array.of(10));
    const late = paretoNbdLogLikelihood(params, none, none, Float64Array.of(60));
    // Staying silent longer is less likely, but far likelier than for an immortal Poisson buyer.
    expect(late).toBeLessThan(early);
    const immortal = params.r * Math.log(params.alpha / (params.alpha + 60));
    expect(late).toBeGreaterThan(immortal);
  });
});

/** ln Γ(x) for the small positive arguments above, by Lanczos: apart from the code's own. */
function logGamma(x: number): number {
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}
