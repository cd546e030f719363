/** The Explore page's projection (src/components/projection.ts): PCA of standardised features. */
import {describe, expect, it} from "vitest";
import {
  componentLabel,
  eigenSymmetric,
  numbers,
  pca,
  standardise,
  topLoadings
} from "../../src/components/projection.ts";

/** A seeded uniform generator (mulberry32), so fixtures are the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  const mx = dot(x, new Float64Array(n).fill(1)) / n;
  const my = dot(y, new Float64Array(n).fill(1)) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe("eigenSymmetric(matrix)", () => {
  it("finds the eigenvalues and eigenvectors of a known matrix", () => {
    const {values, vectors} = eigenSymmetric([
      [2, 1],
      [1, 2]
    ]);
    expect([...values].sort((a, b) => b - a)).toEqual([
      expect.closeTo(3, 12),
      expect.closeTo(1, 12)
    ]);
    const top = values[0] > values[1] ? 0 : 1;
    expect(Math.abs(vectors[0][top])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[0][top] * vectors[1][top]).toBeGreaterThan(0);
  });

  it("reconstructs a 4 × 4 symmetric matrix from orthonormal eigenvectors", () => {
    const m = [
      [4, 1, 0.5, 0],
      [1, 3, 0.2, 0.1],
      [0.5, 0.2, 2, 0.3],
      [0, 0.1, 0.3, 1]
    ];
    const {values, vectors} = eigenSymmetric(m);
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) {
        const vi = vectors.map((row) => row[i]);
        const vj = vectors.map((row) => row[j]);
        expect(dot(vi, vj)).toBeCloseTo(i === j ? 1 : 0, 10);
        const back = values.reduce((s, l, k) => s + l * vectors[i][k] * vectors[j][k], 0);
        expect(back).toBeCloseTo(m[i][j], 10);
      }
  });
});

describe("pca(columns, {log, components})", () => {
  it("puts two correlated features on the diagonal with (1 + r) / 2 of the variance", () => {
    const rand = random(1);
    const x = Float64Array.from({length: 500}, () => normal(rand));
    const y = x.map((v) => 2 * v + 0.8 * normal(rand) + 10);
    const r = correlation(x, y);
    const p = pca([x, y]);
    expect(p.explained[0]).toBeCloseTo((1 + r) / 2, 10);
    expect(p.explained[1]).toBeCloseTo((1 - r) / 2, 10);
    expect(p.loadings[0][0]).toBeCloseTo(Math.SQRT1_2, 10);
    expect(p.loadings[0][1]).toBeCloseTo(Math.SQRT1_2, 10);
    expect(Math.abs(p.loadings[1][0])).toBeCloseTo(Math.SQRT1_2, 10);
    // Scores are the standardised rows projected: PC1 rises with both features.
    expect(correlation(p.scores[0], x)).toBeGreaterThan(0.9);
  });

  it("finds the plane of 3-D points spread along two directions, with orthogonal components", () => {
    const rand = random(2);
    const n = 800;
    const a = Float64Array.from({length: n}, () => 3 * normal(rand));
    const b = Float64Array.from({length: n}, () => normal(rand));
    const noise = () => 0.05 * normal(rand);
    // Columns of unequal scale: standardising puts them on one footing.
    const columns = [
      a.map((v, i) => v + b[i] + noise()),
      a.map((v, i) => 100 * (v - b[i]) + noise()),
      a.map((v) => 0.01 * v + 0.0001 * normal(rand))
    ];
    const p = pca(columns, {components: 3});
    const [l1, l2, l3] = p.loadings;
    expect(dot(l1, l2)).toBeCloseTo(0, 10);
    expect(dot(l1, l3)).toBeCloseTo(0, 10);
    expect(dot(l2, l3)).toBeCloseTo(0, 10);
    for (const l of p.loadings) expect(dot(l, l)).toBeCloseTo(1, 10);
    expect(p.explained.reduce((s, e) => s + e, 0)).toBeCloseTo(1, 10);
    expect(p.explained[0]).toBeGreaterThan(p.explained[1]);
    // Two directions explain nearly everything; the third is noise.
    expect(p.explained[2]).toBeLessThan(0.01);
    // Scores on different components are uncorrelated, and their variance is the eigenvalue.
    expect(correlation(p.scores[0], p.scores[1])).toBeCloseTo(0, 8);
    const variance = dot(p.scores[0], p.scores[0]) / (n - 1);
    expect(variance / 3).toBeCloseTo(p.explained[0], 10);
  });

  it("mean-imputes missing values and reports their share", () => {
    const x = [1, 2, NaN, 4, 5, 6];
    const y = [2, 4, 6, NaN, 10, 12];
    const p = pca([x, y]);
    expect(p.imputed).toBeCloseTo(2 / 12, 12);
    expect(p.scores[0].every(Number.isFinite)).toBe(true);
    // A row missing one value sits where its known value puts it, the other at the mean (0).
    const z = standardise(x)!;
    expect(z.values[2]).toBe(0);
    expect(z.missing).toBe(1);
  });

  it("leaves out constant and empty columns and says which", () => {
    const p = pca([
      [1, 2, 3, 4],
      [7, 7, 7, 7],
      [NaN, NaN, NaN, NaN],
      [4, 1, 3, 2]
    ]);
    expect(p.kept).toEqual([0, 3]);
    expect(p.dropped).toEqual([1, 2]);
    expect(p.loadings[0]).toHaveLength(2);
  });

  it("log-transforms the columns it is told to", () => {
    const skewed = [1, 10, 100, 1000, 10000];
    expect(standardise(skewed, true)!.values[2]).toBeCloseTo(0, 1);
    expect(standardise(skewed, false)!.values[2]).toBeLessThan(-0.3);
  });

  it("gives the same signs on every run and with fewer features than components", () => {
    const x = [3, 1, 4, 1, 5, 9, 2, 6];
    const y = [2, 7, 1, 8, 2, 8, 1, 8];
    const first = pca([x, y]);
    const again = pca([x, y]);
    expect(again.scores[0]).toEqual(first.scores[0]);
    const largest = first.loadings[0].reduce((m, v) => (Math.abs(v) > Math.abs(m) ? v : m), 0);
    expect(largest).toBeGreaterThan(0);
    const one = pca([x]);
    expect(one.explained).toEqual([1, 0]);
    expect([...one.scores[1]]).toEqual(new Array(8).fill(0));
  });
});

describe("numbers(column), componentLabel, topLoadings", () => {
  it("reads nulls as NaN", () => {
    const values = [1, null, 3, undefined, Infinity];
    const column = {length: values.length, get: (i: number) => values[i]};
    expect([...numbers(column)]).toEqual([1, NaN, 3, NaN, NaN]);
  });

  it("labels an axis with its share of the variance", () => {
    expect(componentLabel(0, 0.2345)).toBe("PC1 (23% of variance)");
    expect(componentLabel(1, 0.0812)).toBe("PC2 (8.1% of variance)");
  });

  it("ranks loadings by magnitude", () => {
    expect(topLoadings([0.1, -0.8, 0.5], 2)).toEqual([
      {index: 1, loading: -0.8},
      {index: 2, loading: 0.5}
    ]);
  });
});
