/**
 * The Gamma-Gamma spend model (Fader & Hardie 2013, "The Gamma-Gamma Model of Monetary Value"),
 * fitted by maximum likelihood on repeat customers; the expected spend per transaction, and with
 * BG/NBD's expected purchases, the expected customer value.
 */
import {expectedPurchases, type BgNbdParams} from "./bg-nbd.ts";
import {checkArrays, type Fit, groupValues} from "./fit.ts";
import {minimise, type Objective} from "./minimise.ts";
import {digamma, lnGamma} from "./special-functions.ts";

/** Spend per transaction ~ Gamma(p, ν), with ν ~ Gamma(q, gamma) across customers. */
export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

function checkGammaGammaParams({p, q, gamma}: GammaGammaParams): void {
  for (const [name, v] of [
    ["p", p],
    ["q", q],
    ["gamma", gamma]
  ] as const) {
    if (!(v > 0 && Number.isFinite(v)))
      throw new Error(`Gamma-Gamma parameter ${name} = ${v} must be > 0`);
  }
}

/**
 * Maximum-likelihood Gamma-Gamma fit on repeat customers: x ≥ 1 repeat purchases with mean
 * value meanValue > 0 (optional weights). Per customer the density of the mean m_x is
 *   Γ(px + q) / (Γ(px) Γ(q)) · γ^q m_x^(px − 1) x^(px) / (γ + x m_x)^(px + q).
 * Throws if there is no repeater, or if the fit gives q ≤ 1 (the mean spend is then infinite).
 */
export function fitGammaGamma(
  x: Float64Array,
  meanValue: Float64Array,
  weights?: Float64Array
): Fit<GammaGammaParams> {
  if (x.length === 0) throw new Error("Gamma-Gamma: no repeat customers (x ≥ 1) to fit");
  const n = weights
    ? checkArrays(["x", "meanValue", "weights"], [x, meanValue, weights])
    : checkArrays(["x", "meanValue"], [x, meanValue]);
  const w = weights ?? new Float64Array(n).fill(1);
  let total = 0;
  let linearP = 0; // Σ w x ln(x m)
  let constant = 0; // −Σ w ln m
  let meanSum = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const mi = meanValue[i];
    const wi = w[i];
    if (!(xi >= 1 && Number.isFinite(xi))) {
      throw new Error(`Gamma-Gamma: x[${i}] = ${xi}; pass only customers with x ≥ 1`);
    }
    if (!(mi > 0 && Number.isFinite(mi))) throw new Error(`meanValue[${i}] = ${mi} must be > 0`);
    if (!(wi >= 0 && Number.isFinite(wi)))
      throw new Error(`weights[${i}] = ${wi} must be finite and ≥ 0`);
    total += wi;
    linearP += wi * xi * Math.log(xi * mi);
    constant -= wi * Math.log(mi);
    meanSum += wi * mi;
  }
  if (!(total > 0)) throw new Error("Gamma-Gamma: weights sum to zero");
  const {values, totals} = groupValues(x, w);
  const xm = new Float64Array(n);
  for (let i = 0; i < n; i++) xm[i] = x[i] * meanValue[i];
  const evaluate = (theta: Float64Array, gradient: Float64Array | null): number => {
    const p = Math.exp(theta[0]);
    const q = Math.exp(theta[1]);
    const gamma = Math.exp(theta[2]);
    const lgQ = lnGamma(q);
    const psiQ = digamma(q);
    const lnGammaParam = Math.log(gamma);
    let ll = constant + p * linearP + total * (q * lnGammaParam - lgQ);
    let gp = linearP;
    let gq = total * (lnGammaParam - psiQ);
    let gg = (total * q) / gamma;
    for (let g = 0; g < values.length; g++) {
      const px = p * values[g];
      ll += totals[g] * (lnGamma(px + q) - lnGamma(px));
      if (gradient) {
        const psiPXQ = digamma(px + q);
        gp += totals[g] * values[g] * (psiPXQ - digamma(px));
        gq += totals[g] * psiPXQ;
      }
    }
    for (let i = 0; i < n; i++) {
      const wi = w[i];
      const lnDen = Math.log(gamma + xm[i]);
      const shape = p * x[i] + q;
      ll -= wi * shape * lnDen;
      if (gradient) {
        gp -= wi * x[i] * lnDen;
        gq -= wi * lnDen;
        gg -= (wi * shape) / (gamma + xm[i]);
      }
    }
    if (gradient) {
      gradient[0] = gp * p;
      gradient[1] = gq * q;
      gradient[2] = gg * gamma;
    }
    return ll;
  };
  const objective: Objective = (theta, gradient) => {
    const ll = evaluate(theta, gradient);
    for (let i = 0; i < 3; i++) gradient[i] = -gradient[i] / total;
    return -ll / total;
  };
  // p = 1, q = 2 makes the population mean spend p γ / (q − 1) = γ: start γ at the mean of m_x.
  const start = Float64Array.from([0, Math.log(2), Math.log(meanSum / total)]);
  const best = minimise(objective, start);
  const [p, q, gamma] = Array.from(best.theta, Math.exp);
  if (!(q > 1)) {
    throw new Error(`Gamma-Gamma: fitted q = ${q} ≤ 1, so the expected spend is infinite`);
  }
  return {
    params: {p, q, gamma},
    logLikelihood: evaluate(best.theta, null),
    iterations: best.iterations,
    converged: best.gradientNorm < 1e-7
  };
}

/**
 * E[M | p, q, γ, x, m_x] = (γ + x m_x) p / (p x + q − 1): the conditional expected average
 * spend per transaction; the population mean p γ / (q − 1) for x = 0 (meanValue is ignored).
 */
export function expectedSpend(params: GammaGammaParams, x: number, meanValue: number): number {
  checkGammaGammaParams(params);
  const {p, q, gamma} = params;
  if (!(q > 1)) throw new Error(`Gamma-Gamma: q = ${q} ≤ 1, the expected spend is infinite`);
  if (!(x >= 0 && Number.isFinite(x))) throw new Error(`x = ${x} must be finite and ≥ 0`);
  if (x === 0) return (p * gamma) / (q - 1);
  if (!(meanValue >= 0 && Number.isFinite(meanValue))) {
    throw new Error(`meanValue = ${meanValue} must be finite and ≥ 0`);
  }
  return ((gamma + x * meanValue) * p) / (p * x + q - 1);
}

/**
 * Expected customer value over the next `horizon` time units (e.g. 52 for 12 months in weeks):
 * E[Y(horizon) | x, t_x, T] · E[M | x, m_x], which relies on the Gamma-Gamma assumption that
 * spend is independent of the purchase process. Undiscounted: no discount rate is applied, so
 * for long horizons this overstates a present value (discounting needs the DERT formula).
 */
export function expectedValue(
  bg: BgNbdParams,
  gg: GammaGammaParams,
  horizon: number,
  x: number,
  tx: number,
  T: number,
  meanValue: number
): number {
  return expectedPurchases(bg, horizon, x, tx, T) * expectedSpend(gg, x, meanValue);
}
