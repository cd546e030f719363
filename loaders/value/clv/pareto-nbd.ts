/**
 * The Pareto/NBD purchase-count model (Schmittlein, Morrison & Colombo 1987), fitted by maximum
 * likelihood as Fader, Hardie & Lee's note "A Note on Implementing the Pareto/NBD Model in
 * MATLAB" (2005) writes the likelihood. Purchases follow a Poisson process with rate λ ~
 * Gamma(r, α); each customer's lifetime is exponential with rate μ ~ Gamma(s, β), so, unlike
 * BG/NBD, a customer may be gone before their first repeat purchase.
 *
 * Per customer (x repeat purchases, the last at t_x, observed until T), in logs:
 *   ln L = ln Γ(r + x) − ln Γ(r) + r ln α + s ln β + ln(exp(B1) + exp(B2)),
 *   B1 = −(r + x) ln(α + T) − s ln(β + T),
 *   B2 = ln(s / (r + s + x)) + ln A0, A0 = F(t_x) − F(T), with, for m = max(α, β),
 *   F(t) = 2F1(r + s + x, b; r + s + x + 1; |α − β| / (m + t)) / (m + t)^(r + s + x),
 *   b = s + 1 when α ≥ β, else r + x.
 * The gradient is taken by central differences in the log-parameters (the 2F1 terms have no
 * convenient derivative in their parameters); customers are compressed to unique triples.
 */
import {type Fit} from "./fit.ts";
import {minimise, type Objective} from "./minimise.ts";
import {hyp2f1, lnGamma} from "./special-functions.ts";
import {compress, type Compressed} from "./triples.ts";

/** Purchase rate ~ Gamma(r, alpha); dropout rate ~ Gamma(s, beta). */
export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

function checkParams(params: ParetoNbdParams): void {
  for (const [name, v] of Object.entries(params))
    if (!(v > 0 && Number.isFinite(v)))
      throw new Error(`Pareto/NBD parameter ${name} = ${v} must be > 0`);
}

/** ln(exp(a) + exp(b)) without overflow; −∞ terms drop out. */
function logSumExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

/** The total (weighted) log-likelihood of compressed customers at log-parameters theta. */
function logLikelihood(data: Compressed, theta: Float64Array): number {
  const [r, alpha, s, beta] = Array.from(theta, Math.exp);
  const {x, tx, T, weights} = data;
  const m = Math.max(alpha, beta);
  const gap = Math.abs(alpha - beta);
  const lgR = lnGamma(r);
  const base = r * Math.log(alpha) + s * Math.log(beta) - lgR;
  let ll = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    const rsx = r + s + xi;
    const b = alpha >= beta ? s + 1 : r + xi;
    const lnF = (t: number) =>
      Math.log(hyp2f1(rsx, b, rsx + 1, gap / (m + t))) - rsx * Math.log(m + t);
    const b1 = -(r + xi) * Math.log(alpha + T[i]) - s * Math.log(beta + T[i]);
    const fTx = lnF(tx[i]);
    const fT = lnF(T[i]);
    // A0 = F(t_x) − F(T) ≥ 0: nothing when the last purchase is at the end of the period.
    const lnA0 = fT < fTx ? fTx + Math.log1p(-Math.exp(fT - fTx)) : -Infinity;
    const b2 = Math.log(s / rsx) + lnA0;
    ll += weights[i] * (lnGamma(r + xi) + base + logSumExp(b1, b2));
  }
  return ll;
}

/** The total (weighted) Pareto/NBD log-likelihood of the customers at the given parameters. */
export function paretoNbdLogLikelihood(
  params: ParetoNbdParams,
  x: Float64Array,
  tx: Float64Array,
  T: Float64Array,
  weights?: Float64Array
): number {
  checkParams(params);
  const {r, alpha, s, beta} = params;
  return logLikelihood(
    compress(x, tx, T, weights),
    Float64Array.from([r, alpha, s, beta], Math.log)
  );
}

/** Step of the central differences, in log-parameters. */
const STEP = 1e-5;

/**
 * Maximum-likelihood Pareto/NBD fit, with the same inputs as fitBgNbd: x repeat purchases, the
 * last at tx, observed until T (one time unit throughout), optional weights. Starts from
 * r = s = 1, alpha = beta = 1 / (repeat purchase rate).
 */
export function fitParetoNbd(
  x: Float64Array,
  tx: Float64Array,
  T: Float64Array,
  weights?: Float64Array
): Fit<ParetoNbdParams> {
  const data = compress(x, tx, T, weights);
  let total = 0;
  let purchases = 0;
  let exposure = 0;
  for (let i = 0; i < data.x.length; i++) {
    total += data.weights[i];
    purchases += data.weights[i] * data.x[i];
    exposure += data.weights[i] * data.T[i];
  }
  if (!(purchases > 0))
    throw new Error("Pareto/NBD: no repeat purchases, the model is not identified");
  if (!(exposure > 0)) throw new Error("Pareto/NBD: every T is 0, the model is not identified");
  const objective: Objective = (theta, gradient) => {
    const value = -logLikelihood(data, theta) / total;
    const probe = Float64Array.from(theta);
    for (let k = 0; k < 4; k++) {
      probe[k] = theta[k] + STEP;
      const up = -logLikelihood(data, probe) / total;
      probe[k] = theta[k] - STEP;
      const down = -logLikelihood(data, probe) / total;
      probe[k] = theta[k];
      gradient[k] = (up - down) / (2 * STEP);
    }
    return value;
  };
  const rate = Math.log(exposure / purchases);
  const best = minimise(objective, Float64Array.from([0, rate, 0, rate]));
  const [r, alpha, s, beta] = Array.from(best.theta, Math.exp);
  return {
    params: {r, alpha, s, beta},
    logLikelihood: logLikelihood(data, best.theta),
    iterations: best.iterations,
    // Central differences carry error near 1e-10 of the mean log-likelihood.
    converged: best.gradientNorm < 1e-6
  };
}

// ---------------------------------------------------------------------------------------------
// Predictions (Schmittlein, Morrison & Colombo 1987; Fader, Hardie & Lee's note, 2005)

function checkCustomer(x: number, tx: number, T: number): void {
  if (!(x >= 0 && Number.isFinite(x))) throw new Error(`x = ${x} must be finite and ≥ 0`);
  if (!(T >= 0 && Number.isFinite(T))) throw new Error(`T = ${T} must be finite and ≥ 0`);
  if (!(tx >= 0 && tx <= T)) throw new Error(`tx = ${tx} must lie in [0, T = ${T}]`);
}

/**
 * P(alive | x, t_x, T): the share of the likelihood from "still alive at T", exp(B1) / (exp(B1)
 * + exp(B2)) with B1 and B2 as in the likelihood. Below 1 for every customer, one-time buyers
 * included: a customer may be gone before any repeat purchase.
 */
export function paretoNbdPAlive(params: ParetoNbdParams, x: number, tx: number, T: number): number {
  checkParams(params);
  checkCustomer(x, tx, T);
  const {r, alpha, s, beta} = params;
  const m = Math.max(alpha, beta);
  const gap = Math.abs(alpha - beta);
  const rsx = r + s + x;
  const b = alpha >= beta ? s + 1 : r + x;
  const lnF = (t: number) =>
    Math.log(hyp2f1(rsx, b, rsx + 1, gap / (m + t))) - rsx * Math.log(m + t);
  const b1 = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const fTx = lnF(tx);
  const fT = lnF(T);
  const lnA0 = fT < fTx ? fTx + Math.log1p(-Math.exp(fT - fTx)) : -Infinity;
  const b2 = Math.log(s / rsx) + lnA0;
  return Math.exp(b1 - logSumExp(b1, b2));
}

/**
 * E[Y(t) | x, t_x, T], expected purchases in the next t:
 *   (r + x)(β + T) / ((α + T)(s − 1)) · [1 − ((β + T) / (β + T + t))^(s − 1)] · P(alive),
 * the bracket over (s − 1) taken as −ln((β + T) / (β + T + t)) at s = 1.
 */
export function paretoNbdExpectedPurchases(
  params: ParetoNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number
): number {
  if (!(t >= 0 && Number.isFinite(t))) throw new Error(`t = ${t} must be finite and ≥ 0`);
  const alive = paretoNbdPAlive(params, x, tx, T);
  if (t === 0) return 0;
  const {r, alpha, s, beta} = params;
  const lnW = -Math.log1p(t / (beta + T)); // ln((β + T) / (β + T + t))
  const sm1 = s - 1;
  const head = Math.abs(sm1) < 1e-12 ? -lnW : -Math.expm1(sm1 * lnW) / sm1;
  return (((r + x) * (beta + T)) / (alpha + T)) * head * alive;
}

/** Simpson intervals of the integral in paretoNbdPNoPurchase (even). */
const SIMPSON = 64;

/**
 * P(no purchase in the next t | x, t_x, T). Given alive at T, the posterior rates are
 * independent, λ ~ Gamma(r + x, α + T) and μ ~ Gamma(s, β + T); the customer buys nothing if
 * they stay the whole t without buying, or drop out at some u < t without buying first:
 *   E[e^(−(λ + μ) t)] + ∫₀ᵗ E[μ e^(−μ u)] E[e^(−λ u)] du
 *   = A(t)^(r + x) B(t)^s + ∫₀ᵗ s / (β + T) · B(u)^(s + 1) A(u)^(r + x) du,
 * A(u) = (α + T) / (α + T + u), B(u) = (β + T) / (β + T + u); the integrand is smooth and
 * decreasing, and composite Simpson with 64 intervals leaves an error far below 1e-9. A customer
 * who has dropped out buys nothing.
 */
export function paretoNbdPNoPurchase(
  params: ParetoNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number
): number {
  if (!(t >= 0 && Number.isFinite(t))) throw new Error(`t = ${t} must be finite and ≥ 0`);
  const alive = paretoNbdPAlive(params, x, tx, T);
  const {r, alpha, s, beta} = params;
  const aT = alpha + T;
  const bT = beta + T;
  const rx = r + x;
  const lnA = (u: number) => -Math.log1p(u / aT);
  const lnB = (u: number) => -Math.log1p(u / bT);
  const stay = Math.exp(rx * lnA(t) + s * lnB(t));
  const f = (u: number) => (s / bT) * Math.exp((s + 1) * lnB(u) + rx * lnA(u));
  const h = t / SIMPSON;
  let sum = f(0) + f(t);
  for (let k = 1; k < SIMPSON; k++) sum += (k % 2 ? 4 : 2) * f(k * h);
  const leave = (h / 3) * sum;
  return 1 - alive + alive * Math.min(1, stay + leave);
}
