/**
 * The BG/NBD purchase-count model (Fader, Hardie & Lee 2005, "Counting your customers the easy
 * way"), fitted by maximum likelihood in pure TypeScript; P(alive) and expected purchases.
 *
 * Time is in whatever unit the caller uses for t_x and T (weeks in the published CDNOW tables);
 * the rate parameter alpha and every horizon t are in that same unit.
 *
 * Fitting: customers are first compressed to unique (x, t_x, T) triples with summed weights
 * (triples.ts), and the ln Γ / ψ terms, which depend on x only, are evaluated once per distinct
 * x, so one likelihood + gradient pass costs two logs and one exp per unique triple. The
 * likelihood is optimised over log-parameters (minimise.ts).
 */
import {type Fit, groupValues} from "./fit.ts";
import {minimise, type Objective} from "./minimise.ts";
import {digamma, hyp2f1, lnGamma} from "./special-functions.ts";
import {compress, type Compressed} from "./triples.ts";

/** Purchase rate ~ Gamma(r, alpha); dropout probability after each purchase ~ Beta(a, b). */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

function checkBgNbdParams({r, alpha, a, b}: BgNbdParams): void {
  for (const [name, v] of [
    ["r", r],
    ["alpha", alpha],
    ["a", a],
    ["b", b]
  ] as const) {
    if (!(v > 0 && Number.isFinite(v)))
      throw new Error(`BG/NBD parameter ${name} = ${v} must be > 0`);
  }
}

/**
 * The BG/NBD log-likelihood and its gradient with respect to log(r, alpha, a, b), over unique
 * triples grouped by x. Per customer (Fader, Hardie & Lee 2005, eq. 6 in log form):
 *   ln L = A1 + A2 + ln(exp(A3) + [x > 0] exp(A4)),
 *   A1 = ln Γ(r + x) − ln Γ(r) + r ln α,
 *   A2 = ln Γ(a + b) + ln Γ(b + x) − ln Γ(b) − ln Γ(a + b + x),
 *   A3 = −(r + x) ln(α + T),
 *   A4 = ln a − ln(b + x − 1) − (r + x) ln(α + t_x).
 * MBG/NBD (Batislam, Denizel & Filiztekin 2007) lets a customer drop out at their first purchase
 * too: x becomes x + 1 in A2 and A4, and the A4 branch holds for x = 0 as well (`shift` 1).
 */
function bgNbdEvaluator(data: Compressed, shift: 0 | 1 = 0) {
  const {x, tx, T, weights} = data;
  const {group, values, totals} = groupValues(x, weights);
  const m = values.length;
  const k = x.length;
  const lnB1 = new Float64Array(m);
  const invB1 = new Float64Array(m);
  return (theta: Float64Array, gradient: Float64Array | null): number => {
    const r = Math.exp(theta[0]);
    const alpha = Math.exp(theta[1]);
    const a = Math.exp(theta[2]);
    const b = Math.exp(theta[3]);
    const lnAlpha = Math.log(alpha);
    const lnA = Math.log(a);
    const lgR = lnGamma(r);
    const lgAB = lnGamma(a + b);
    const lgB = lnGamma(b);
    const psiR = digamma(r);
    const psiAB = digamma(a + b);
    const psiB = digamma(b);
    let ll = 0;
    let gr = 0;
    let gAlpha = 0;
    let ga = 0;
    let gb = 0;
    for (let g = 0; g < m; g++) {
      const xg = values[g];
      const w = totals[g];
      const xs = xg + shift;
      ll +=
        w *
        (lnGamma(r + xg) - lgR + r * lnAlpha + lgAB + lnGamma(b + xs) - lgB - lnGamma(a + b + xs));
      if (gradient) {
        const psiABX = digamma(a + b + xs);
        gr += w * (digamma(r + xg) - psiR + lnAlpha);
        gAlpha += (w * r) / alpha;
        ga += w * (psiAB - psiABX);
        gb += w * (psiAB + digamma(b + xs) - psiB - psiABX);
      }
      if (xs > 0) {
        lnB1[g] = Math.log(b + xs - 1);
        invB1[g] = 1 / (b + xs - 1);
      }
    }
    for (let i = 0; i < k; i++) {
      const xi = x[i];
      const w = weights[i];
      const rx = r + xi;
      const lnAT = Math.log(alpha + T[i]);
      const a3 = -rx * lnAT;
      if (xi + shift > 0) {
        const g = group[i];
        const lnAtx = Math.log(alpha + tx[i]);
        const a4 = lnA - lnB1[g] - rx * lnAtx;
        // log-sum-exp of A3 and A4, with the weight of the A4 branch for the gradient.
        let s: number;
        let w4: number;
        if (a3 >= a4) {
          const e = Math.exp(a4 - a3);
          s = a3 + Math.log1p(e);
          w4 = e / (1 + e);
        } else {
          const e = Math.exp(a3 - a4);
          s = a4 + Math.log1p(e);
          w4 = 1 / (1 + e);
        }
        ll += w * s;
        if (gradient) {
          const w3 = 1 - w4;
          gr -= w * (w3 * lnAT + w4 * lnAtx);
          gAlpha -= w * rx * (w3 / (alpha + T[i]) + w4 / (alpha + tx[i]));
          ga += (w * w4) / a;
          gb -= w * w4 * invB1[g];
        }
      } else {
        ll += w * a3;
        if (gradient) {
          gr -= w * lnAT;
          gAlpha -= (w * rx) / (alpha + T[i]);
        }
      }
    }
    if (gradient) {
      gradient[0] = gr * r;
      gradient[1] = gAlpha * alpha;
      gradient[2] = ga * a;
      gradient[3] = gb * b;
    }
    return ll;
  };
}

/** The total (weighted) BG/NBD log-likelihood of the customers at the given parameters. */
export function bgNbdLogLikelihood(
  params: BgNbdParams,
  x: Float64Array,
  tx: Float64Array,
  T: Float64Array,
  weights?: Float64Array,
  model: "bg" | "mbg" = "bg"
): number {
  checkBgNbdParams(params);
  const evaluate = bgNbdEvaluator(compress(x, tx, T, weights), model === "mbg" ? 1 : 0);
  const {r, alpha, a, b} = params;
  return evaluate(Float64Array.from([r, alpha, a, b], Math.log), null);
}

/**
 * Maximum-likelihood BG/NBD fit. x = repeat purchases, tx = time of the last repeat purchase
 * (from the first purchase), T = time from the first purchase to the end of calibration;
 * optional non-negative weights (e.g. counts of identical customers). Starts from r = 1,
 * alpha = 1 / (purchase rate), a = b = 1.
 */
export function fitBgNbd(
  x: Float64Array,
  tx: Float64Array,
  T: Float64Array,
  weights?: Float64Array
): Fit<BgNbdParams> {
  return fitVariant(x, tx, T, weights, 0);
}

/**
 * Maximum-likelihood MBG/NBD fit (Batislam, Denizel & Filiztekin 2007): BG/NBD in which a
 * customer may also drop out right after their first purchase, so that one-time buyers are not
 * all alive. Same inputs and parameters as fitBgNbd.
 */
export function fitMbgNbd(
  x: Float64Array,
  tx: Float64Array,
  T: Float64Array,
  weights?: Float64Array
): Fit<BgNbdParams> {
  return fitVariant(x, tx, T, weights, 1);
}

function fitVariant(
  x: Float64Array,
  tx: Float64Array,
  T: Float64Array,
  weights: Float64Array | undefined,
  shift: 0 | 1
): Fit<BgNbdParams> {
  const data = compress(x, tx, T, weights);
  let total = 0;
  let purchases = 0;
  let exposure = 0;
  for (let i = 0; i < data.x.length; i++) {
    total += data.weights[i];
    purchases += data.weights[i] * data.x[i];
    exposure += data.weights[i] * data.T[i];
  }
  const model = shift === 1 ? "MBG/NBD" : "BG/NBD";
  if (!(purchases > 0))
    throw new Error(`${model}: no repeat purchases, the model is not identified`);
  if (!(exposure > 0)) throw new Error(`${model}: every T is 0, the model is not identified`);
  const evaluate = bgNbdEvaluator(data, shift);
  const objective: Objective = (theta, gradient) => {
    const ll = evaluate(theta, gradient);
    for (let i = 0; i < 4; i++) gradient[i] = -gradient[i] / total;
    return -ll / total;
  };
  const start = Float64Array.from([0, Math.log(exposure / purchases), 0, 0]);
  const best = minimise(objective, start);
  const [r, alpha, a, b] = Array.from(best.theta, Math.exp);
  if (shift === 0 && best.gradientNorm >= 1e-7 && a + b > DEGENERATE_BETA) {
    return fitHomogeneousDropout(evaluate, total, Math.log(r), Math.log(alpha), a / (a + b));
  }
  return {
    params: {r, alpha, a, b},
    logLikelihood: evaluate(best.theta, null),
    iterations: best.iterations,
    converged: best.gradientNorm < 1e-7
  };
}

/** Beyond this a + b, the dropout distribution is a spike: everyone has the same p. */
const DEGENERATE_BETA = 1e4;
/** The a + b at which the homogeneous-dropout limit is evaluated. */
const SPIKE = 1e6;

/**
 * When the likelihood keeps rising as a and b grow together, its supremum is the limit in which
 * every customer has the same dropout probability p = a / (a + b). That model is fitted over
 * (r, α, p) with a + b held at SPIKE, where it differs from the limit by less than 1e-5.
 */
function fitHomogeneousDropout(
  evaluate: (theta: Float64Array, gradient: Float64Array | null) => number,
  total: number,
  logR: number,
  logAlpha: number,
  p: number
): Fit<BgNbdParams> {
  const full = new Float64Array(4);
  const gradient = new Float64Array(4);
  const expand = (theta: Float64Array) => {
    const mu = 1 / (1 + Math.exp(-theta[2]));
    full[0] = theta[0];
    full[1] = theta[1];
    full[2] = Math.log(mu * SPIKE);
    full[3] = Math.log((1 - mu) * SPIKE);
    return mu;
  };
  const objective: Objective = (theta, g) => {
    const mu = expand(theta);
    const ll = evaluate(full, gradient);
    g[0] = -gradient[0] / total;
    g[1] = -gradient[1] / total;
    // d/d logit(μ) through log a and log b.
    g[2] = -((1 - mu) * gradient[2] - mu * gradient[3]) / total;
    return -ll / total;
  };
  const clamped = Math.min(Math.max(p, 1e-9), 1 - 1e-9);
  const best = minimise(
    objective,
    Float64Array.from([logR, logAlpha, Math.log(clamped / (1 - clamped))])
  );
  const mu = expand(best.theta);
  return {
    params: {
      r: Math.exp(best.theta[0]),
      alpha: Math.exp(best.theta[1]),
      a: mu * SPIKE,
      b: (1 - mu) * SPIKE
    },
    logLikelihood: evaluate(full, null),
    iterations: best.iterations,
    converged: best.gradientNorm < 1e-7,
    note: `the dropout probability is the same for every customer (a and b grow without bound; p = ${mu.toPrecision(3)} per purchase)`
  };
}

/**
 * The two members of the family: BG/NBD ("bg"), where dropout follows repeat purchases only,
 * and MBG/NBD ("mbg"), where a customer may also drop out at their first purchase.
 */
export type BgVariant = "bg" | "mbg";

/**
 * ln of the odds of "inactive" vs "alive": ln[a / (b + x − 1 + shift)] + (r + x) ln[(α + T) /
 * (α + t_x)]; for BG/NBD −Infinity at x = 0 (such a customer is certainly alive: dropout
 * follows repeat purchases only), for MBG/NBD (shift 1) finite at every x.
 */
function deadOdds(
  {r, alpha, a, b}: BgNbdParams,
  x: number,
  tx: number,
  T: number,
  variant: BgVariant
): number {
  const shift = variant === "mbg" ? 1 : 0;
  if (x + shift === 0) return -Infinity;
  return Math.log(a / (b + x - 1 + shift)) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
}

function checkCustomer(x: number, tx: number, T: number): void {
  if (!(x >= 0 && Number.isFinite(x))) throw new Error(`x = ${x} must be finite and ≥ 0`);
  if (!(T >= 0 && Number.isFinite(T))) throw new Error(`T = ${T} must be finite and ≥ 0`);
  if (x > 0 && !(tx >= 0 && tx <= T)) throw new Error(`tx = ${tx} must lie in [0, T = ${T}]`);
}

/**
 * P(alive | x, t_x, T) = 1 / (1 + a / (b + x − 1) ((α + T) / (α + t_x))^(r + x)), the second
 * term only for x > 0 under BG/NBD; MBG/NBD has b + x in place of b + x − 1, for every x.
 */
export function pAlive(
  params: BgNbdParams,
  x: number,
  tx: number,
  T: number,
  variant: BgVariant = "bg"
): number {
  checkBgNbdParams(params);
  checkCustomer(x, tx, T);
  const odds = deadOdds(params, x, tx, T, variant);
  return odds > 0 ? Math.exp(-odds) / (1 + Math.exp(-odds)) : 1 / (1 + Math.exp(odds));
}

/**
 * P(no purchase in the next t | x, t_x, T): a customer who has dropped out buys nothing; one
 * who is alive drops out only after a purchase, so buys nothing with probability E[e^(−λt)]
 * over the posterior λ ~ Gamma(r + x, α + T):
 *   1 − P(alive) + P(alive) ((α + T) / (α + T + t))^(r + x).
 */
export function pNoPurchase(
  params: BgNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
  variant: BgVariant = "bg"
): number {
  const alive = pAlive(params, x, tx, T, variant);
  const quiet = Math.exp((params.r + x) * -Math.log1p(t / (params.alpha + T)));
  return 1 - alive + alive * quiet;
}

/**
 * E[Y(t) | x, t_x, T], the expected number of purchases in the next t time units (FHL 2005,
 * eq. 10):
 *   (a + b + x − 1) / (a − 1) · [1 − ((α + T) / (α + T + t))^(r + x) 2F1(r + x, b + x;
 *   a + b + x − 1; z)] · P(alive),  z = t / (α + T + t).
 * MBG/NBD (Batislam et al. 2007) is the same with b + 1 in place of b in the bracket and its
 * own P(alive).
 * Euler's transformation turns ((α + T)/(α + T + t))^(r + x) 2F1(...) into
 * (1 − z)^(a − 1) 2F1(a + b − 1 − r, a − 1; a + b + x − 1; z), whose series minus 1 carries the
 * factor (a − 1); dividing it out analytically removes the 0/0 at a = 1 and the cancellation of
 * the bracket, so no digits are lost for any a.
 */
export function expectedPurchases(
  params: BgNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
  variant: BgVariant = "bg"
): number {
  checkBgNbdParams(params);
  checkCustomer(x, tx, T);
  if (!(t >= 0 && Number.isFinite(t))) throw new Error(`t = ${t} must be finite and ≥ 0`);
  if (t === 0) return 0;
  const b = variant === "mbg" ? params.b + 1 : params.b;
  return purchasesIfAlive({...params, b}, t, x, T) * pAlive(params, x, tx, T, variant);
}

/** The bracket of expectedPurchases times (a + b + x − 1) / (a − 1): E[Y(t)] given alive. */
function purchasesIfAlive(params: BgNbdParams, t: number, x: number, T: number): number {
  const {r, alpha, a, b} = params;
  if (a + b > DEGENERATE_BETA) {
    // The homogeneous-dropout limit: (1/p) [1 − ((α + T) / (α + T + p t))^(r + x)],
    // p = a / (a + b), the limit as a + b → ∞; the series below cannot converge in floating
    // point when a is this large.
    const inverse = (a + b) / a;
    return inverse * -Math.expm1((r + x) * Math.log1p(-t / inverse / (alpha + T + t / inverse)));
  }
  const z = t / (alpha + T + t);
  const lnW = Math.log1p(-z); // ln(1 − z) = ln((α + T) / (α + T + t))
  const c = a + b + x - 1;
  const am1 = a - 1;
  const power = Math.exp(am1 * lnW); // (1 − z)^(a − 1)
  // [1 − (1 − z)^(a − 1)] / (a − 1), → −ln(1 − z) at a = 1.
  const head = am1 === 0 ? -lnW : -Math.expm1(am1 * lnW) / am1;
  // S = [2F1(a + b − 1 − r, a − 1; c; z) − 1] / (a − 1).
  let S: number;
  if (z <= 0.9 || Math.abs(am1) < 1e-6) {
    const A = a + b - 1 - r;
    let term = 1;
    S = 0;
    let converged = false;
    for (let n = 0; n < 20_000_000; n++) {
      // term_n = (A)_n (a)_(n−1) / ((c)_n n!) z^n, from term_0 = 1/(a − 1)·(a − 1) = 1 scaled.
      const ratio = n === 0 ? (A / c) * z : (((A + n) * (a + n - 1)) / ((c + n) * (n + 1))) * z;
      term *= ratio;
      S += term;
      if (Math.abs(ratio) < 1 && Math.abs(term) <= 1e-17 * Math.abs(S)) {
        converged = true;
        break;
      }
      if (term === 0) {
        converged = true;
        break;
      }
    }
    if (!converged) throw new Error(`expectedPurchases: series did not converge (z = ${z})`);
  } else {
    S = (hyp2f1(a + b - 1 - r, am1, c, z) - 1) / am1;
  }
  const bracket = head - power * S; // [1 − (1 − z)^(r + x) 2F1(...)] / (a − 1)
  return c * bracket;
}
