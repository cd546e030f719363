import {describe, expect, it} from "vitest";
import {
  assignFolds,
  crossValidate,
  fitLogistic,
  predictLogistic
} from "../../loaders/value/logistic.ts";
import {auc} from "../../loaders/value/scoring.ts";

/** A seeded uniform generator (mulberry32). */
function uniform(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n rows from P(y) = σ(−1 + 2 a − 0.5 b), a ~ N(0, 1) (Box–Muller), b ~ U(0, 10). */
function simulate(n: number, seed: number) {
  const rand = uniform(seed);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    b[i] = 10 * rand();
    const z = -1 + 2 * a[i] - 0.5 * b[i];
    y[i] = rand() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return {a, b, y};
}

describe("fitLogistic(names, columns, y)", () => {
  it("recovers the coefficients of simulated data (on the original scale)", () => {
    const {a, b, y} = simulate(40_000, 3);
    const model = fitLogistic(["a", "b"], [a, b], y);
    expect(model.converged).toBe(true);
    const [wa, wb] = model.weights.map((w, j) => w / model.inputs[j].scale);
    const intercept = model.intercept - wa * model.inputs[0].mean - wb * model.inputs[1].mean;
    expect(wa).toBeCloseTo(2, 1);
    expect(wb).toBeCloseTo(-0.5, 1);
    expect(intercept).toBeCloseTo(-1, 1);
  });

  it("stops where the penalised score is zero: Xᵀ(y − p) = λ w", () => {
    const {a, b, y} = simulate(2_000, 5);
    const lambda = 5;
    const model = fitLogistic(["a", "b"], [a, b], y, {lambda});
    const p = predictLogistic(model, [a, b]);
    let intercept = 0;
    const score = [0, 0];
    for (let i = 0; i < y.length; i++) {
      intercept += y[i] - p[i];
      score[0] += (y[i] - p[i]) * ((a[i] - model.inputs[0].mean) / model.inputs[0].scale);
      score[1] += (y[i] - p[i]) * ((b[i] - model.inputs[1].mean) / model.inputs[1].scale);
    }
    expect(Math.abs(intercept)).toBeLessThan(1e-6);
    expect(score[0]).toBeCloseTo(lambda * model.weights[0], 6);
    expect(score[1]).toBeCloseTo(lambda * model.weights[1], 6);
  });

  it("adds a missing-value column where a feature has gaps, so absence can carry signal", () => {
    const x = Float64Array.from([1, 2, NaN, NaN, 3, 4, NaN, 5]);
    const y = Float64Array.from([0, 0, 1, 1, 0, 1, 1, 0]);
    const model = fitLogistic(["x"], [x], y);
    expect(model.names).toEqual(["x", "x missing"]);
    expect(model.weights[1]).toBeGreaterThan(0);
    const p = predictLogistic(model, [Float64Array.from([NaN, 3])]);
    expect(p[0]).toBeGreaterThan(p[1]);
  });

  it("refuses data with one outcome only", () => {
    expect(() => fitLogistic(["x"], [Float64Array.from([1, 2])], [1, 1])).toThrow(/same outcome/);
  });
});

describe("crossValidate(names, columns, y)", () => {
  it("predicts every row out of fold, repeatably, and ranks as well as the truth allows", () => {
    const {a, b, y} = simulate(5_000, 9);
    const first = crossValidate(["a", "b"], [a, b], y, {folds: 5, seed: 2});
    const again = crossValidate(["a", "b"], [a, b], y, {folds: 5, seed: 2});
    expect(first).toEqual(again);
    expect(first.every((p) => p > 0 && p < 1)).toBe(true);
    const truth = Float64Array.from(a, (ai, i) => -1 + 2 * ai - 0.5 * b[i]);
    expect(auc(first, y)).toBeGreaterThan(auc(truth, y) - 0.01);
  });
});

describe("assignFolds(n, folds, seed)", () => {
  it("deals the rows into folds of nearly equal size, the same for the same seed", () => {
    const fold = assignFolds(103, 5, 7);
    const sizes = [0, 1, 2, 3, 4].map((f) => fold.filter((g) => g === f).length);
    expect(sizes).toEqual([21, 21, 21, 20, 20]);
    expect(assignFolds(103, 5, 7)).toEqual(fold);
    expect(assignFolds(103, 5, 8)).not.toEqual(fold);
  });
});
