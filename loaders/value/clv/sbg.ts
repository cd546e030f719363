/**
 * The shifted-beta-geometric model of contractual retention (Fader & Hardie 2007, "How to
 * Project Customer Retention"): a subscriber renews period after period until they churn; each
 * has their own churn probability θ per period, and θ ~ Beta(α, β) across subscribers. Then
 *   P(T = t) = B(α + 1, β + t − 1) / B(α, β)   (churn in period t),
 *   S(t)     = B(α, β + t) / B(α, β)           (still there after t periods),
 * and a cohort's counts lost in periods 1 … n, with those still there after n, give the
 * likelihood Σ lost_t ln P(T = t) + survivors ln S(n), maximised over ln α and ln β. Subscribers
 * watched over different spans (fitSbgGroups) are the same sum with each one censored at their
 * own tenure, and the hazard α / (α + β + t) scores a subscriber who has completed t periods.
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
 * Subscribers seen alike. Each was watched from the moment they had completed `from` periods
 * (0: from their start; later when the data holds only those still subscribed at the start of
 * a window) until they churned in period `tenure` (`churned` of them), or until they had
 * completed `tenure` periods and were still there (`subscribed` of them).
 */
export interface SbgGroup {
  tenure: number;
  from: number;
  churned: number;
  subscribed: number;
}

/** The log-likelihood of the groups and its gradient in (α, β) (into `gradient` when given). */
function groupsLogLikelihood(
  groups: readonly SbgGroup[],
  alpha: number,
  beta: number,
  gradient: Float64Array | null
): number {
  const psiAB = digamma(alpha + beta);
  const psiB = digamma(beta);
  // ln S(t) and its gradient; ln P(T = t) = ln S(t − 1) + ln(α / (α + β + t − 1)).
  // k ln S(t), its gradient added into `gradient`.
  const survival = (t: number, k: number) => {
    if (t === 0 || k === 0) return 0;
    if (gradient) {
      const psiABT = digamma(alpha + beta + t);
      gradient[0] += k * (psiAB - psiABT);
      gradient[1] += k * (digamma(beta + t) - psiB + psiAB - psiABT);
    }
    return k * lnSurvival(alpha, beta, t);
  };
  let ll = 0;
  for (const {tenure, from, churned, subscribed} of groups) {
    ll += survival(from, -(churned + subscribed));
    ll += survival(tenure, subscribed);
    if (churned === 0) continue;
    ll += survival(tenure - 1, churned);
    const rest = alpha + beta + tenure - 1;
    ll += churned * Math.log(alpha / rest);
    if (gradient) {
      gradient[0] += churned * (1 / alpha - 1 / rest);
      gradient[1] -= churned / rest;
    }
  }
  return ll;
}

/** Throws when a group is no set of subscribers anyone could have watched. */
function checkGroups(groups: readonly SbgGroup[]): {churned: number; total: number} {
  let churned = 0;
  let total = 0;
  for (const [i, g] of groups.entries()) {
    const at = `sBG: group ${i} (tenure ${g.tenure}, from ${g.from})`;
    if (!(Number.isInteger(g.from) && g.from >= 0 && Number.isInteger(g.tenure)))
      throw new Error(`${at}: tenure and from must be whole numbers of periods, from ≥ 0`);
    if (!(g.churned >= 0 && g.subscribed >= 0 && Number.isFinite(g.churned + g.subscribed)))
      throw new Error(`${at}: counts must be finite and ≥ 0`);
    if (g.subscribed > 0 && g.tenure < g.from)
      throw new Error(`${at}: a subscriber cannot have been watched before they started`);
    if (g.churned > 0 && !(g.tenure >= 1 && g.tenure > g.from))
      throw new Error(`${at}: a churn is seen in a period after the watch began, and ≥ 1`);
    churned += g.churned;
    total += g.churned + g.subscribed;
  }
  return {churned, total};
}

/**
 * Maximum-likelihood sBG fit on subscribers censored at different tenures:
 *   Σ churned in t ln P(T = t) + Σ subscribed after t ln S(t),
 * each term less ln S(from) for subscribers watched only from `from` completed periods on (the
 * likelihood given that they were still there then). Counts by tenure, so it is fast at any
 * size. Throws when nobody churned (then any β/α large enough fits).
 */
export function fitSbgGroups(groups: readonly SbgGroup[]): Fit<SbgParams> {
  const {churned, total} = checkGroups(groups);
  if (total === 0) throw new Error("sBG: no subscribers to fit");
  if (!(churned > 0)) throw new Error("sBG: nobody churned, so churn cannot be estimated");
  const objective: Objective = (theta, gradient) => {
    gradient.fill(0);
    const alpha = Math.exp(theta[0]);
    const beta = Math.exp(theta[1]);
    const ll = groupsLogLikelihood(groups, alpha, beta, gradient);
    gradient[0] = (-gradient[0] * alpha) / total;
    gradient[1] = (-gradient[1] * beta) / total;
    return -ll / total;
  };
  // α = β = 1 is a uniform churn probability: no view of the cohort, and a finite likelihood.
  const best = minimise(objective, Float64Array.from([0, 0]));
  const [alpha, beta] = Array.from(best.theta, Math.exp);
  return {
    params: {alpha, beta},
    logLikelihood: groupsLogLikelihood(groups, alpha, beta, null),
    iterations: best.iterations,
    converged: best.gradientNorm < 1e-7
  };
}

/**
 * Subscribers counted by what was seen of them: `tenure[i]` periods completed (or the period
 * they churned in, when `churned[i]`), watched from the start, or with `window` only over the
 * last `window` periods (from max(0, tenure − window) completed periods on). Entries with a
 * NaN tenure or churn are skipped.
 */
export function sbgGroups(
  tenure: ArrayLike<number>,
  churned: ArrayLike<number>,
  window: number | null = null,
  rows: ArrayLike<number> = Int32Array.from({length: tenure.length}, (_, i) => i)
): SbgGroup[] {
  const byKey = new Map<string, SbgGroup>();
  for (let k = 0; k < rows.length; k++) {
    const t = tenure[rows[k]];
    const c = churned[rows[k]];
    if (Number.isNaN(t) || Number.isNaN(c)) continue;
    const from = window === null ? 0 : Math.max(0, t - window);
    const key = `${t} ${from}`;
    let g = byKey.get(key);
    if (!g) byKey.set(key, (g = {tenure: t, from, churned: 0, subscribed: 0}));
    if (c > 0) g.churned++;
    else g.subscribed++;
  }
  return [...byKey.values()].sort((a, b) => a.tenure - b.tenure || a.from - b.from);
}

/**
 * The churn hazard after t completed periods: P(T = t + 1 | T > t) = α / (α + β + t), the
 * probability that a subscriber who has renewed t times leaves in the next period.
 */
export function sbgHazard(params: SbgParams, t: number): number {
  checkParams(params);
  if (!(t >= 0)) throw new Error(`periods completed ${t} must be ≥ 0`);
  return params.alpha / (params.alpha + params.beta + t);
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
  return fitSbgGroups([
    ...lost.map((churned, t) => ({tenure: t + 1, from: 0, churned, subscribed: 0})),
    {tenure: n, from: 0, churned: 0, subscribed: survivors}
  ]);
}

/**
 * Discounted expected residual lifetime (Fader & Hardie 2010's DERL with t renewals made): the
 * renewals a subscriber who has completed t periods is still expected to make, each discounted
 * by (1 + discount) per period after the next, which counts in full:
 *   Σ_{j ≥ 0} S(t + 1 + j) / S(t) / (1 + discount)^j
 *   = (β + t) / (α + β + t) · ₂F₁(1, β + t + 1; α + β + t + 1; 1 / (1 + discount)).
 * Without a discount it is (β + t) / (α − 1), infinite when α ≤ 1.
 */
export function sbgResidualLifetime(params: SbgParams, t: number, discount: number): number {
  checkParams(params);
  if (!(t >= 0)) throw new Error(`periods completed ${t} must be ≥ 0`);
  if (!(discount >= 0)) throw new Error(`discount ${discount} must be ≥ 0`);
  const {alpha, beta} = params;
  if (discount === 0) return alpha > 1 ? (beta + t) / (alpha - 1) : Infinity;
  const z = 1 / (1 + discount);
  let term = (beta + t) / (alpha + beta + t);
  let sum = 0;
  // Terms fall at least as fast as z^j, so the tail past a term below 1e-17 of the sum is
  // below 1e-17 / discount of it.
  for (let j = 1; term > 1e-17 * sum; j++) {
    sum += term;
    term *= (z * (beta + t + j)) / (alpha + beta + t + j);
  }
  return sum;
}
