/**
 * The shifted-beta-geometric model of contractual retention (Fader & Hardie 2007, "How to
 * Project Customer Retention"): a subscriber renews period after period until they churn; each
 * has their own churn probability θ per period, and θ ~ Beta(α, β) across subscribers. Then
 *   P(T = t) = B(α + 1, β + t − 1) / B(α, β)   (churn in period t),
 *   S(t)     = B(α, β + t) / B(α, β)           (still there after t periods),
 * and a cohort's counts lost in periods 1 … n, with those still there after n, give the
 * likelihood Σ lost_t ln P(T = t) + survivors ln S(n), maximised over ln α and ln β.
 */
import type {Fit} from "./fit.ts";
import {minimise, type Objective} from "./minimise.ts";
import {digamma, lnGamma} from "./special-functions.ts";

/** A cohort's churn probability per period ~ Beta(alpha, beta). */
export interface SbgParams {
  alpha: number;
  beta: number;
}

function checkParams({alpha, beta}: SbgParams): void {
  for (const [name, v] of [
    ["alpha", alpha],
    ["beta", beta]
  ] as const)
    if (!(v > 0 && Number.isFinite(v))) throw new Error(`sBG parameter ${name} = ${v} must be > 0`);
}

/** ln P(T = t): the log-probability of churning in period t (t ≥ 1). */
function lnChurn(alpha: number, beta: number, t: number): number {
  return (
    Math.log(alpha) +
    lnGamma(beta + t - 1) -
    lnGamma(beta) +
    lnGamma(alpha + beta) -
    lnGamma(alpha + beta + t)
  );
}

/** ln S(t): the log-probability of still being a subscriber after t periods (t ≥ 0). */
function lnSurvival(alpha: number, beta: number, t: number): number {
  return lnGamma(beta + t) - lnGamma(beta) + lnGamma(alpha + beta) - lnGamma(alpha + beta + t);
}

/** P(T = t): the share of a cohort that churns in period t. */
export function sbgChurn(params: SbgParams, t: number): number {
  checkParams(params);
  if (!(Number.isInteger(t) && t >= 1)) throw new Error(`period ${t} must be an integer ≥ 1`);
  return Math.exp(lnChurn(params.alpha, params.beta, t));
}

/** S(t): the share of a cohort still subscribed after t periods (the retention curve). */
export function sbgSurvival(params: SbgParams, t: number): number {
  checkParams(params);
  if (!(Number.isInteger(t) && t >= 0)) throw new Error(`period ${t} must be an integer ≥ 0`);
  return Math.exp(lnSurvival(params.alpha, params.beta, t));
}

/**
 * Maximum-likelihood sBG fit on one cohort: `lost[t − 1]` subscribers churned in period t, for
 * t = 1 … n, and `survivors` were still there after period n. Throws when there is nobody, or
 * when nobody churned (the likelihood then has no maximum: any β/α large enough fits).
 */
export function fitSbg(lost: readonly number[], survivors: number): Fit<SbgParams> {
  const n = lost.length;
  if (n === 0) throw new Error("sBG: no periods to fit");
  for (const [i, k] of [...lost, survivors].entries())
    if (!(k >= 0 && Number.isFinite(k)))
      throw new Error(`sBG: ${i < n ? `lost[${i}]` : "survivors"} = ${k} must be finite and ≥ 0`);
  const churned = lost.reduce((sum, k) => sum + k, 0);
  const total = churned + survivors;
  if (!(churned > 0)) throw new Error("sBG: nobody churned, so churn cannot be estimated");

  const evaluate = (theta: Float64Array, gradient: Float64Array | null): number => {
    const alpha = Math.exp(theta[0]);
    const beta = Math.exp(theta[1]);
    const psiAB = digamma(alpha + beta);
    const psiB = digamma(beta);
    let ll = survivors * lnSurvival(alpha, beta, n);
    let ga = survivors * (psiAB - digamma(alpha + beta + n));
    let gb = survivors * (digamma(beta + n) - psiB + psiAB - digamma(alpha + beta + n));
    for (let t = 1; t <= n; t++) {
      const k = lost[t - 1];
      if (k === 0) continue;
      ll += k * lnChurn(alpha, beta, t);
      if (gradient) {
        const psiABT = digamma(alpha + beta + t);
        ga += k * (1 / alpha + psiAB - psiABT);
        gb += k * (digamma(beta + t - 1) - psiB + psiAB - psiABT);
      }
    }
    if (gradient) {
      gradient[0] = ga * alpha;
      gradient[1] = gb * beta;
    }
    return ll;
  };
  const objective: Objective = (theta, gradient) => {
    const ll = evaluate(theta, gradient);
    for (let i = 0; i < 2; i++) gradient[i] = -gradient[i] / total;
    return -ll / total;
  };
  // α = β = 1 is a uniform churn probability: no view of the cohort, and a finite likelihood.
  const best = minimise(objective, Float64Array.from([0, 0]));
  const [alpha, beta] = Array.from(best.theta, Math.exp);
  return {
    params: {alpha, beta},
    logLikelihood: evaluate(best.theta, null),
    iterations: best.iterations,
    converged: best.gradientNorm < 1e-7
  };
}
