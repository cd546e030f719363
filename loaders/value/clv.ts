/**
 * Customer lifetime value: the BG/NBD purchase-count model (Fader, Hardie & Lee 2005, "Counting
 * your customers the easy way") and the Gamma-Gamma spend model (Fader & Hardie 2013, "The
 * Gamma-Gamma Model of Monetary Value"), fitted by maximum likelihood in pure TypeScript.
 *
 * Time is in whatever unit the caller uses for t_x and T (weeks in the published CDNOW tables);
 * the BG/NBD rate parameter alpha and every horizon t are in that same unit.
 *
 * Fitting: BG/NBD customers are first compressed to unique (x, t_x, T) triples with summed
 * weights, and the ln Γ / ψ terms, which depend on x only, are evaluated once per distinct x, so
 * one likelihood + gradient pass costs two logs and one exp per unique triple. Both models are
 * optimised over log-parameters by BFGS (Armijo backtracking, analytic gradients), then polished
 * by Newton steps whose Hessian is the central difference of the analytic gradient, down to a
 * gradient of the mean log-likelihood near 1e-12. Everything is deterministic.
 */

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export interface Fit<P> {
  params: P;
  /** Total (weighted) log-likelihood at params, including every constant term of the density. */
  logLikelihood: number;
  /** BFGS iterations plus Newton polishing steps. */
  iterations: number;
  /** Whether the gradient of the mean log-likelihood (in log-parameters) fell below 1e-7. */
  converged: boolean;
  /** What the fit found that a reader should know (e.g. a limiting case of the model). */
  note?: string;
}

/** Unique (x, t_x, T) triples with summed weights; `index[i]` is the triple of input row i. */
export interface Compressed {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  weights: Float64Array;
  index: Int32Array;
}

// ---------------------------------------------------------------------------------------------
// Special functions

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7
];
const HALF_LN_2PI = 0.5 * Math.log(2 * Math.PI);

/** sin(πx), exact at integers and half-integers. */
function sinPi(x: number): number {
  let y = x % 2;
  if (y < 0) y += 2;
  if (y === 0 || y === 1) return 0;
  if (y === 0.5) return 1;
  if (y === 1.5) return -1;
  return Math.sin(Math.PI * y);
}

/** Sign of Γ(x) from the last lnGamma call (set for the reflection branch, else +1). */
let gammaSign = 1;

/**
 * ln |Γ(x)| by the Lanczos approximation (g = 7, n = 9; relative error ~1e-15), with the
 * reflection formula below 1/2. The sign of Γ(x) is left in `gammaSign`. Infinity at the poles.
 */
export function lnGamma(x: number): number {
  if (x < 0.5) {
    const s = sinPi(x);
    if (s === 0) {
      gammaSign = 1;
      return Infinity;
    }
    const value = Math.log(Math.PI / Math.abs(s)) - lnGamma(1 - x);
    gammaSign = s < 0 ? -1 : 1;
    return value;
  }
  gammaSign = 1;
  const y = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < 9; i++) sum += LANCZOS[i] / (y + i);
  const t = y + 7.5;
  return HALF_LN_2PI + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** ψ(x) = d ln Γ(x) / dx: recurrence up to x ≥ 10, then the asymptotic series to x^-12. */
export function digamma(x: number): number {
  if (x <= 0) {
    if (Number.isInteger(x)) return NaN;
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  }
  let result = 0;
  while (x < 10) {
    result -= 1 / x;
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  return (
    result +
    Math.log(x) -
    0.5 * inv -
    inv2 *
      (1 / 12 -
        inv2 *
          (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132 - inv2 * (691 / 32760))))))
  );
}

const isNonPositiveInteger = (v: number) => v <= 0 && Number.isInteger(v);

/**
 * Σ_n (a)_n (b)_n / ((c)_n n!) z^n, to relative precision 1e-16. Stops only once the term ratio
 * is below 1 in magnitude, so a transiently tiny term does not end the sum early.
 */
function hypSeries(a: number, b: number, c: number, z: number, maxTerms: number): number {
  let term = 1;
  let sum = 1;
  let compensation = 0;
  for (let n = 0; n < maxTerms; n++) {
    const ratio = (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    term *= ratio;
    if (term === 0) return sum + compensation;
    // Neumaier summation: long slowly converging sums keep their last digits.
    const t = sum + term;
    compensation += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
    sum = t;
    if (Math.abs(ratio) < 1 && Math.abs(term) <= 1e-17 * Math.abs(sum)) return sum + compensation;
    if (!Number.isFinite(sum)) break;
  }
  throw new Error(`hyp2f1(${a}, ${b}; ${c}; ${z}): series did not converge in ${maxTerms} terms`);
}

/** Γ(p1) Γ(p2) / (Γ(q1) Γ(q2)), zero when a denominator argument is a pole. */
function gammaRatio(p1: number, p2: number, q1: number, q2: number): number {
  if (isNonPositiveInteger(q1) || isNonPositiveInteger(q2)) return 0;
  let sign = 1;
  let log = lnGamma(p1);
  sign *= gammaSign;
  log += lnGamma(p2);
  sign *= gammaSign;
  log -= lnGamma(q1);
  sign *= gammaSign;
  log -= lnGamma(q2);
  sign *= gammaSign;
  return sign * Math.exp(log);
}

/**
 * The Gauss hypergeometric function 2F1(a, b; c; z) for real arguments and z ≤ 1.
 *
 * - terminating polynomials (a or b a non-positive integer) and the closed forms a = c / b = c;
 * - z < 0: Pfaff's transformation to z / (z − 1) ∈ (0, 1);
 * - 0 ≤ z ≤ 0.9: the defining series (at most a few hundred terms);
 * - 0.9 < z < 1: the 1 − z connection formula (Abramowitz & Stegun 15.3.6), whose two series
 *   converge fast; when c − a − b is within 0.05 of an integer that formula cancels
 *   catastrophically, so the defining series is summed instead (up to 2e7 terms, enough for
 *   z ≤ 1 − 1e-5; an Error beyond);
 * - z = 1: Gauss's theorem, for c − a − b > 0.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (![a, b, c, z].every(Number.isFinite)) throw new Error("hyp2f1: arguments must be finite");
  if (z > 1) throw new Error(`hyp2f1: z = ${z} > 1 is outside the real domain`);
  if (z === 0 || a === 0 || b === 0) return 1;
  const polynomial = isNonPositiveInteger(a) || isNonPositiveInteger(b);
  if (isNonPositiveInteger(c)) {
    const degree = Math.max(
      isNonPositiveInteger(a) ? a : -Infinity,
      isNonPositiveInteger(b) ? b : -Infinity
    );
    if (!(polynomial && degree > c)) throw new Error(`hyp2f1: c = ${c} is a non-positive integer`);
  }
  if (z === 1) {
    if (c - a - b <= 0) throw new Error("hyp2f1: diverges at z = 1 unless c − a − b > 0");
    return gammaRatio(c, c - a - b, c - a, c - b);
  }
  if (a === c) return Math.pow(1 - z, -b);
  if (b === c) return Math.pow(1 - z, -a);
  if (polynomial) {
    // Finite sum; the series loop ends exactly at the zero term.
    let term = 1;
    let sum = 1;
    const n = -Math.max(
      isNonPositiveInteger(a) ? a : -Infinity,
      isNonPositiveInteger(b) ? b : -Infinity
    );
    for (let k = 0; k < n; k++) {
      term *= (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
      sum += term;
    }
    return sum;
  }
  if (z < 0) return Math.pow(1 - z, -a) * hyp2f1(a, c - b, c, z / (z - 1));
  if (z <= 0.9) return hypSeries(a, b, c, z, 100_000);
  const m = c - a - b;
  if (Math.abs(m - Math.round(m)) < 0.05) return hypSeries(a, b, c, z, 20_000_000);
  const w = 1 - z;
  const g1 = gammaRatio(c, m, c - a, c - b);
  const first = g1 === 0 ? 0 : g1 * hypSeries(a, b, 1 - m, w, 100_000);
  const g2 = gammaRatio(c, -m, a, b);
  const second = g2 === 0 ? 0 : g2 * Math.pow(w, m) * hypSeries(c - a, c - b, m + 1, w, 100_000);
  return first + second;
}

// ---------------------------------------------------------------------------------------------
// Input checks and compression

function checkArrays(names: string[], arrays: Float64Array[]): number {
  const n = arrays[0].length;
  if (n === 0) throw new Error(`${names[0]} is empty`);
  for (let k = 1; k < arrays.length; k++) {
    if (arrays[k].length !== n) {
      throw new Error(`${names[k]} has length ${arrays[k].length}, expected ${n} (as ${names[0]})`);
    }
  }
  return n;
}

function checkBgNbdData(
  x: Float64Array,
  tx: Float64Array,
  T: Float64Array,
  weights?: Float64Array
): number {
  const n = weights
    ? checkArrays(["x", "tx", "T", "weights"], [x, tx, T, weights])
    : checkArrays(["x", "tx", "T"], [x, tx, T]);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const ti = tx[i];
    const Ti = T[i];
    if (!(xi >= 0 && Number.isFinite(xi)))
      throw new Error(`x[${i}] = ${xi} must be finite and ≥ 0`);
    if (!(Ti >= 0 && Number.isFinite(Ti)))
      throw new Error(`T[${i}] = ${Ti} must be finite and ≥ 0`);
    if (xi > 0 && !(ti >= 0 && ti <= Ti))
      throw new Error(`tx[${i}] = ${ti} must lie in [0, T = ${Ti}]`);
    if (weights) {
      const wi = weights[i];
      if (!(wi >= 0 && Number.isFinite(wi)))
        throw new Error(`weights[${i}] = ${wi} must be finite and ≥ 0`);
      total += wi;
    }
  }
  if (weights && !(total > 0)) throw new Error("weights sum to zero");
  return n;
}

const hashF64 = new Float64Array(1);
const hashU32 = new Uint32Array(hashF64.buffer);

function mix(h: number, v: number): number {
  hashF64[0] = v + 0; // folds −0 into +0
  h = Math.imul(h ^ hashU32[0], 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15) ^ hashU32[1], 0x85ebca6b);
  return h ^ (h >>> 13);
}

/**
 * Groups customers into unique (x, t_x, T) triples, in order of first appearance, with their
 * weights summed (1 each without weights). For x = 0, t_x plays no part in the model and is
 * stored as 0, so all non-repeaters with the same T share a triple. Open addressing over the
 * bit patterns of the three doubles: linear time.
 */
export function compress(
  x: Float64Array,
  tx: Float64Array,
  T: Float64Array,
  weights?: Float64Array
): Compressed {
  const n = checkBgNbdData(x, tx, T, weights);
  let size = 16;
  while (size < 2 * n) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size).fill(-1);
  const index = new Int32Array(n);
  const first = new Int32Array(n);
  const sums = new Float64Array(n);
  let unique = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const ti = xi > 0 ? tx[i] : 0;
    const Ti = T[i];
    let h = mix(mix(mix(0x2545f491, xi), ti), Ti) & mask;
    for (;;) {
      const u = slots[h];
      if (u < 0) {
        slots[h] = unique;
        first[unique] = i;
        index[i] = unique;
        sums[unique] = weights ? weights[i] : 1;
        unique++;
        break;
      }
      const j = first[u];
      if (x[j] === xi && (xi > 0 ? tx[j] : 0) === ti && T[j] === Ti) {
        index[i] = u;
        sums[u] += weights ? weights[i] : 1;
        break;
      }
      h = (h + 1) & mask;
    }
  }
  const out = {
    x: new Float64Array(unique),
    tx: new Float64Array(unique),
    T: new Float64Array(unique),
    weights: sums.slice(0, unique),
    index
  };
  for (let u = 0; u < unique; u++) {
    const j = first[u];
    out.x[u] = x[j];
    out.tx[u] = x[j] > 0 ? tx[j] : 0;
    out.T[u] = T[j];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Optimisation

interface Minimum {
  theta: Float64Array;
  value: number;
  gradientNorm: number;
  iterations: number;
}

type Objective = (theta: Float64Array, gradient: Float64Array) => number;

/** Relative change of the objective that counts as no change once the gradient is small. */
const FLAT_TOLERANCE = 1e-10;

const maxAbs = (v: Float64Array) => v.reduce((m, e) => Math.max(m, Math.abs(e)), 0);

/**
 * Minimises a smooth objective: BFGS with Armijo backtracking (steps capped at 5 in each
 * coordinate), then Newton polishing with a central-difference Hessian of the analytic gradient.
 * Non-finite objective values count as +∞, so the line search backs away from them.
 */
function minimise(
  f: Objective,
  start: Float64Array,
  tolerance = 1e-9,
  maxIterations = 500
): Minimum {
  const n = start.length;
  let theta = Float64Array.from(start);
  let g = new Float64Array(n);
  let value = f(theta, g);
  if (!Number.isFinite(value))
    throw new Error("the likelihood is not finite at the starting point");
  const H = new Float64Array(n * n);
  const resetH = (scale: number) => {
    H.fill(0);
    for (let i = 0; i < n; i++) H[i * n + i] = scale;
  };
  resetH(1);
  const direction = new Float64Array(n);
  let trial = new Float64Array(n);
  let trialG = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const Hy = new Float64Array(n);
  let iterations = 0;
  let firstStep = true;
  for (; iterations < maxIterations && maxAbs(g) > tolerance; iterations++) {
    let slope = 0;
    for (let i = 0; i < n; i++) {
      let d = 0;
      for (let j = 0; j < n; j++) d -= H[i * n + j] * g[j];
      direction[i] = d;
      slope += d * g[i];
    }
    if (!(slope < 0)) {
      resetH(1);
      for (let i = 0; i < n; i++) direction[i] = -g[i];
      slope = -g.reduce((acc, e) => acc + e * e, 0);
    }
    const longest = maxAbs(direction);
    let step = longest > 5 ? 5 / longest : 1;
    let accepted = false;
    let trialValue = Infinity;
    for (let k = 0; k < 60; k++) {
      for (let i = 0; i < n; i++) trial[i] = theta[i] + step * direction[i];
      trialValue = f(trial, trialG);
      if (Number.isFinite(trialValue) && trialValue <= value + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      // Quadratic interpolation of the step, kept within [0.1, 0.5] of the previous one.
      const q = Number.isFinite(trialValue)
        ? (-slope * step * step) / (2 * (trialValue - value - slope * step))
        : 0.1 * step;
      step = Math.min(0.5 * step, Math.max(0.1 * step, q));
    }
    // No further decrease at machine precision: Newton, driven by the gradient, takes over.
    if (!accepted || !(trialValue < value)) break;
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = trial[i] - theta[i];
      y[i] = trialG[i] - g[i];
      sy += s[i] * y[i];
      yy += y[i] * y[i];
    }
    if (sy > 1e-12 * Math.sqrt(yy) * Math.sqrt(s.reduce((acc, e) => acc + e * e, 0))) {
      if (firstStep) resetH(sy / yy);
      firstStep = false;
      let yHy = 0;
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += H[i * n + j] * y[j];
        Hy[i] = v;
        yHy += y[i] * v;
      }
      const rho = 1 / sy;
      const factor = (1 + yHy * rho) * rho;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          H[i * n + j] += factor * s[i] * s[j] - rho * (Hy[i] * s[j] + s[i] * Hy[j]);
        }
      }
    }
    [theta, trial] = [trial, theta];
    [g, trialG] = [trialG, g];
    value = trialValue;
  }

  // Newton polishing.
  const hessian = new Float64Array(n * n);
  const plus = new Float64Array(n);
  const minus = new Float64Array(n);
  const point = new Float64Array(n);
  for (let k = 0; k < 20 && maxAbs(g) > 1e-12; k++) {
    const h = 1e-5;
    for (let j = 0; j < n; j++) {
      point.set(theta);
      point[j] = theta[j] + h;
      f(point, plus);
      point[j] = theta[j] - h;
      f(point, minus);
      for (let i = 0; i < n; i++) hessian[i * n + j] = (plus[i] - minus[i]) / (2 * h);
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        const v = 0.5 * (hessian[i * n + j] + hessian[j * n + i]);
        hessian[i * n + j] = v;
        hessian[j * n + i] = v;
      }
    }
    const step = choleskySolve(hessian, g, n);
    if (!step) break; // Not positive definite: keep the BFGS point.
    let t = 1;
    let moved = false;
    for (let tries = 0; tries < 30; tries++) {
      for (let i = 0; i < n; i++) trial[i] = theta[i] - t * step[i];
      const v = f(trial, trialG);
      // Near the optimum f is flat to rounding: accept a smaller gradient at an equal value.
      // "Equal" allows far more than a few ulps: f sums over every customer, and its rounding
      // error (around 1e-13 relative for a thousand customers, 1e-12 for half a million) made
      // the full step look worse, so Newton crept on by steps of 1e-8 and never converged.
      const flat =
        v <= value + FLAT_TOLERANCE * Math.max(1, Math.abs(value)) && maxAbs(trialG) < maxAbs(g);
      if (Number.isFinite(v) && (v < value || flat)) {
        [theta, trial] = [trial, theta];
        [g, trialG] = [trialG, g];
        value = v;
        moved = true;
        break;
      }
      t *= 0.5;
    }
    iterations++;
    if (!moved) break;
  }
  return {theta, value, gradientNorm: maxAbs(g), iterations};
}

/** Solves A x = b for symmetric positive-definite A; null when A is not positive definite. */
function choleskySolve(A: Float64Array, b: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = A[i * n + j];
      for (let k = 0; k < j; k++) sum -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(sum > 0)) return null;
        L[i * n + i] = Math.sqrt(sum);
      } else {
        L[i * n + j] = sum / L[j * n + j];
      }
    }
  }
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= L[i * n + k] * z[k];
    z[i] = sum / L[i * n + i];
  }
  const out = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = z[i];
    for (let k = i + 1; k < n; k++) sum -= L[k * n + i] * out[k];
    out[i] = sum / L[i * n + i];
  }
  return out;
}

/** Groups the values of x: `group[i]` indexes `values`, whose summed weights are `totals`. */
function groupValues(x: Float64Array, weights: Float64Array) {
  const lookup = new Map<number, number>();
  const group = new Int32Array(x.length);
  const values: number[] = [];
  const totals: number[] = [];
  for (let i = 0; i < x.length; i++) {
    let g = lookup.get(x[i]);
    if (g === undefined) {
      g = values.length;
      lookup.set(x[i], g);
      values.push(x[i]);
      totals.push(0);
    }
    group[i] = g;
    totals[g] += weights[i];
  }
  return {group, values: Float64Array.from(values), totals: Float64Array.from(totals)};
}

// ---------------------------------------------------------------------------------------------
// BG/NBD

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
 */
function bgNbdEvaluator(data: Compressed) {
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
      ll +=
        w *
        (lnGamma(r + xg) - lgR + r * lnAlpha + lgAB + lnGamma(b + xg) - lgB - lnGamma(a + b + xg));
      if (gradient) {
        const psiABX = digamma(a + b + xg);
        gr += w * (digamma(r + xg) - psiR + lnAlpha);
        gAlpha += (w * r) / alpha;
        ga += w * (psiAB - psiABX);
        gb += w * (psiAB + digamma(b + xg) - psiB - psiABX);
      }
      if (xg > 0) {
        lnB1[g] = Math.log(b + xg - 1);
        invB1[g] = 1 / (b + xg - 1);
      }
    }
    for (let i = 0; i < k; i++) {
      const xi = x[i];
      const w = weights[i];
      const rx = r + xi;
      const lnAT = Math.log(alpha + T[i]);
      const a3 = -rx * lnAT;
      if (xi > 0) {
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
  weights?: Float64Array
): number {
  checkBgNbdParams(params);
  const evaluate = bgNbdEvaluator(compress(x, tx, T, weights));
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
  const data = compress(x, tx, T, weights);
  let total = 0;
  let purchases = 0;
  let exposure = 0;
  for (let i = 0; i < data.x.length; i++) {
    total += data.weights[i];
    purchases += data.weights[i] * data.x[i];
    exposure += data.weights[i] * data.T[i];
  }
  if (!(purchases > 0)) throw new Error("BG/NBD: no repeat purchases, the model is not identified");
  if (!(exposure > 0)) throw new Error("BG/NBD: every T is 0, the model is not identified");
  const evaluate = bgNbdEvaluator(data);
  const objective: Objective = (theta, gradient) => {
    const ll = evaluate(theta, gradient);
    for (let i = 0; i < 4; i++) gradient[i] = -gradient[i] / total;
    return -ll / total;
  };
  const start = Float64Array.from([0, Math.log(exposure / purchases), 0, 0]);
  const best = minimise(objective, start);
  const [r, alpha, a, b] = Array.from(best.theta, Math.exp);
  if (best.gradientNorm >= 1e-7 && a + b > DEGENERATE_BETA) {
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
 * ln of the odds of "inactive" vs "alive": ln[a / (b + x − 1)] + (r + x) ln[(α + T) / (α + t_x)];
 * −Infinity for x = 0 (such a customer is certainly alive under BG/NBD: dropout follows repeat
 * purchases only).
 */
function deadOdds({r, alpha, a, b}: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return -Infinity;
  return Math.log(a / (b + x - 1)) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
}

function checkCustomer(x: number, tx: number, T: number): void {
  if (!(x >= 0 && Number.isFinite(x))) throw new Error(`x = ${x} must be finite and ≥ 0`);
  if (!(T >= 0 && Number.isFinite(T))) throw new Error(`T = ${T} must be finite and ≥ 0`);
  if (x > 0 && !(tx >= 0 && tx <= T)) throw new Error(`tx = ${tx} must lie in [0, T = ${T}]`);
}

/** P(alive | x, t_x, T) = 1 / (1 + [x > 0] a / (b + x − 1) ((α + T) / (α + t_x))^(r + x)). */
export function pAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  checkBgNbdParams(params);
  checkCustomer(x, tx, T);
  const odds = deadOdds(params, x, tx, T);
  return odds > 0 ? Math.exp(-odds) / (1 + Math.exp(-odds)) : 1 / (1 + Math.exp(odds));
}

/**
 * E[Y(t) | x, t_x, T], the expected number of purchases in the next t time units (FHL 2005,
 * eq. 10):
 *   (a + b + x − 1) / (a − 1) · [1 − ((α + T) / (α + T + t))^(r + x) 2F1(r + x, b + x;
 *   a + b + x − 1; z)] · P(alive),  z = t / (α + T + t).
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
  T: number
): number {
  checkBgNbdParams(params);
  checkCustomer(x, tx, T);
  if (!(t >= 0 && Number.isFinite(t))) throw new Error(`t = ${t} must be finite and ≥ 0`);
  if (t === 0) return 0;
  const {r, alpha, a, b} = params;
  if (a + b > DEGENERATE_BETA) {
    // The homogeneous-dropout limit: (1/p) [1 − ((α + T) / (α + T + p t))^(r + x)] P(alive),
    // p = a / (a + b), the limit as a + b → ∞; the series below cannot converge in floating
    // point when a is this large.
    const inverse = (a + b) / a;
    const bracket = -Math.expm1((r + x) * Math.log1p(-t / inverse / (alpha + T + t / inverse)));
    return inverse * bracket * pAlive(params, x, tx, T);
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
  return c * bracket * pAlive(params, x, tx, T);
}

// ---------------------------------------------------------------------------------------------
// Gamma-Gamma

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
