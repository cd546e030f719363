/**
 * The optimiser of the value models: BFGS with Armijo backtracking over log-parameters, then
 * Newton polishing with a central-difference Hessian of the analytic gradient, down to a
 * gradient of the mean log-likelihood near 1e-12. Deterministic.
 */

/** Where the optimiser stopped: the point, its value and gradient norm, and the steps taken. */
export interface Minimum {
  theta: Float64Array;
  value: number;
  gradientNorm: number;
  iterations: number;
}

/** The value at theta; writes the gradient at theta into `gradient`. */
export type Objective = (theta: Float64Array, gradient: Float64Array) => number;

/** Relative change of the objective that counts as no change once the gradient is small. */
const FLAT_TOLERANCE = 1e-10;

const maxAbs = (v: Float64Array) => v.reduce((m, e) => Math.max(m, Math.abs(e)), 0);

/**
 * Minimises a smooth objective: BFGS with Armijo backtracking (steps capped at 5 in each
 * coordinate), then Newton polishing with a central-difference Hessian of the analytic gradient.
 * Non-finite objective values count as +∞, so the line search backs away from them.
 */
export function minimise(
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
export function choleskySolve(A: Float64Array, b: Float64Array, n: number): Float64Array | null {
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
