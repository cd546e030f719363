/**
 * The special functions the customer-base models need, in double precision: ln Γ (Lanczos),
 * ψ (digamma) and the Gauss hypergeometric function 2F1 for real arguments.
 */

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

/**
 * 2F1(a, b; a + 1; z) and its partial derivatives in a (c = a + 1 moving with it), b and z, for
 * a, b > 0 and 0 ≤ z < 1, written into `out` as [F, ∂F/∂a, ∂F/∂b, ∂F/∂z]: the form the
 * Pareto/NBD likelihood takes. Up to z = 0.9 one pass of the series
 *   F = Σ_n a / (a + n) · (b)_n / n! · z^n,
 * whose terms are all positive, gives the function and its derivatives together:
 * ∂/∂a multiplies term n by n / (a (a + n)), ∂/∂b by Σ_{k<n} 1 / (b + k), ∂/∂z by n / z.
 * Beyond 0.9 the series is too slow: F comes from hyp2f1 and the derivatives from central
 * differences of it (relative error near 1e-9).
 */
export function hyp2f1Plus1(a: number, b: number, z: number, out: Float64Array): Float64Array {
  if (!(a > 0 && b > 0 && z >= 0 && z < 1))
    throw new Error(`hyp2f1Plus1(${a}, ${b}; ${z}): needs a, b > 0 and 0 ≤ z < 1`);
  if (z === 0) {
    out[0] = 1;
    out[1] = 0;
    out[2] = 0;
    out[3] = (a * b) / (a + 1);
    return out;
  }
  if (z > 0.9) {
    const f = (p: number, q: number, w: number) => hyp2f1(p, q, p + 1, w);
    const ha = 1e-5 * a;
    const hb = 1e-5 * b;
    const hz = 1e-5 * (1 - z);
    out[0] = f(a, b, z);
    out[1] = (f(a + ha, b, z) - f(a - ha, b, z)) / (2 * ha);
    out[2] = (f(a, b + hb, z) - f(a, b - hb, z)) / (2 * hb);
    out[3] = (f(a, b, z + hz) - f(a, b, z - hz)) / (2 * hz);
    return out;
  }
  let pochhammer = 1; // (b)_n z^n / n!
  let harmonic = 0; // Σ_{k<n} 1 / (b + k)
  let sum = 1;
  let da = 0;
  let db = 0;
  let dz = 0;
  for (let n = 1; n < 100_000; n++) {
    const ratio = ((b + n - 1) * z) / n;
    pochhammer *= ratio;
    harmonic += 1 / (b + n - 1);
    const term = (a / (a + n)) * pochhammer;
    sum += term;
    da += (term * n) / (a * (a + n));
    db += term * harmonic;
    dz += term * n;
    // Every term is positive: stop once the terms decrease and the last one is negligible in
    // each of the four sums.
    if (
      ratio < 1 &&
      term <= 1e-17 * sum &&
      term * n <= 1e-17 * a * (a + n) * da &&
      term * harmonic <= 1e-17 * db &&
      term * n <= 1e-17 * dz
    ) {
      out[0] = sum;
      out[1] = da;
      out[2] = db;
      out[3] = dz / z;
      return out;
    }
  }
  throw new Error(`hyp2f1Plus1(${a}, ${b}; ${z}): series did not converge`);
}
