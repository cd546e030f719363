import {describe, expect, it} from "vitest";
import {inertia, kmeans, kmeansPlusPlus, random} from "../../loaders/profile/kmeans/kmeans.ts";

/** n points per blob around the given centres, with Gaussian noise of the given spread. */
function blobs(centres: number[][], perBlob: number, spread: number, seed: number) {
  const rand = random(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const d = centres[0].length;
  const n = centres.length * perBlob;
  const points = new Float64Array(n * d);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    truth[i] = i % centres.length;
    for (let t = 0; t < d; t++) points[i * d + t] = centres[truth[i]][t] + spread * normal();
  }
  return {points, truth, n, d};
}

const FOUR = [
  [0, 0, 0],
  [20, 0, 0],
  [0, 20, 0],
  [0, 0, 20]
];

function squaredDistance(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number) {
  let s = 0;
  for (let t = 0; t < d; t++) s += (a[ao + t] - b[bo + t]) ** 2;
  return s;
}

/** The confusion-based check: each true group maps to exactly one label and vice versa. */
function samePartition(a: Int32Array, b: Int32Array): boolean {
  const forward = new Map<number, number>();
  const backward = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((forward.get(a[i]) ?? b[i]) !== b[i]) return false;
    if ((backward.get(b[i]) ?? a[i]) !== a[i]) return false;
    forward.set(a[i], b[i]);
    backward.set(b[i], a[i]);
  }
  return true;
}

/** Plain Lloyd with the same stopping rule, as the reference Hamerly must reproduce. */
function naiveLloyd(
  points: Float64Array,
  {
    n,
    d,
    k,
    init,
    tolerance = 1e-4
  }: {n: number; d: number; k: number; init: Float64Array; tolerance?: number}
) {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] += points[i * d + t] / n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += squaredDistance(points, i * d, mean, 0, d);
  const threshold = (tolerance * variance) / (n * d);
  const centres = Float64Array.from(init);
  const labels = new Int32Array(n);
  const assign = () => {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 1; j < k; j++) {
        if (
          squaredDistance(points, i * d, centres, j * d, d) <
          squaredDistance(points, i * d, centres, best * d, d)
        )
          best = j;
      }
      if (labels[i] !== best) changed++;
      labels[i] = best;
    }
    return changed;
  };
  assign();
  let iterations = 0;
  while (iterations < 300) {
    iterations++;
    const sums = new Float64Array(k * d);
    const counts = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      counts[labels[i]]++;
      for (let t = 0; t < d; t++) sums[labels[i] * d + t] += points[i * d + t];
    }
    let shift = 0;
    for (let q = 0; q < k * d; q++) {
      const c = sums[q] / counts[Math.floor(q / d)];
      shift += (c - centres[q]) ** 2;
      centres[q] = c;
    }
    if (assign() === 0 || shift <= threshold) break;
  }
  return {centres, labels, iterations};
}

describe("kmeans(points, {k, seed})", () => {
  it("recovers well-separated planted Gaussian blobs", () => {
    const {points, truth, n, d} = blobs(FOUR, 250, 1, 1);
    const result = kmeans(points, {n, d, k: 4, seed: 7});
    expect(samePartition(result.labels, truth)).toBe(true);
    expect(result.inertia).toBeCloseTo(
      inertia(points, result.centroids, result.labels, {n, d, k: 4})
    );
  });

  it("is deterministic for a seed, and converges from other seeds too", () => {
    const {points, n, d} = blobs(FOUR, 200, 4, 2);
    const a = kmeans(points, {n, d, k: 4, seed: 3});
    const b = kmeans(points, {n, d, k: 4, seed: 3});
    expect(b.labels).toEqual(a.labels);
    expect(b.centroids).toEqual(a.centroids);
    expect(b.iterations).toBe(a.iterations);
    const c = kmeans(points, {n, d, k: 4, seed: 4});
    expect(a.iterations).toBeLessThan(300);
    expect(c.iterations).toBeLessThan(300);
  });

  it("assigns each point to its nearest centroid at convergence", () => {
    const rand = random(5);
    const n = 3000;
    const d = 5;
    const k = 7;
    const points = Float64Array.from({length: n * d}, () => rand() * 10);
    const {centroids, labels} = kmeans(points, {n, d, k, seed: 11});
    for (let i = 0; i < n; i++) {
      const own = squaredDistance(points, i * d, centroids, labels[i] * d, d);
      for (let j = 0; j < k; j++) {
        expect(own).toBeLessThanOrEqual(squaredDistance(points, i * d, centroids, j * d, d) + 1e-9);
      }
    }
  });

  it("matches a naive Lloyd reference from the same init", () => {
    const rand = random(9);
    const n = 2000;
    const d = 4;
    const k = 6;
    const points = Float64Array.from({length: n * d}, () => rand() * 10 - 5);
    const init = kmeansPlusPlus(points, {n, d, k, seed: 1});
    const ours = kmeans(points, {n, d, k, seed: 1, init});
    const reference = naiveLloyd(points, {n, d, k, init});
    expect(ours.labels).toEqual(reference.labels);
    expect(ours.iterations).toBe(reference.iterations);
    for (let q = 0; q < k * d; q++) expect(ours.centroids[q]).toBeCloseTo(reference.centres[q], 9);
  });

  it("matches the naive reference in many dimensions, beyond the unrolled kernels", () => {
    const rand = random(10);
    const n = 600;
    const d = 70;
    const k = 4;
    const points = Float64Array.from({length: n * d}, () => rand());
    const init = kmeansPlusPlus(points, {n, d, k, seed: 2});
    const ours = kmeans(points, {n, d, k, seed: 2, init});
    const reference = naiveLloyd(points, {n, d, k, init});
    expect(ours.labels).toEqual(reference.labels);
    for (let q = 0; q < k * d; q++) expect(ours.centroids[q]).toBeCloseTo(reference.centres[q], 9);
  });

  it("handles k = 1 as the mean of all points", () => {
    const {points, n, d} = blobs(FOUR, 50, 1, 3);
    const {centroids, labels} = kmeans(points, {n, d, k: 1, seed: 1});
    expect(new Set(labels)).toEqual(new Set([0]));
    for (let t = 0; t < d; t++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += points[i * d + t] / n;
      expect(centroids[t]).toBeCloseTo(mean, 9);
    }
  });

  it("handles duplicate points", () => {
    const points = Float64Array.from([0, 0, 0, 0, 0, 0, 5, 5, 5, 5, 5, 5]);
    const result = kmeans(points, {n: 6, d: 2, k: 2, seed: 1});
    expect(samePartition(result.labels, Int32Array.from([0, 0, 0, 1, 1, 1]))).toBe(true);
    expect(result.inertia).toBe(0);
  });

  it("re-seeds an empty cluster with the point farthest from its centre", () => {
    // The third initial centre is far from every point, so its cluster starts empty.
    const points = Float64Array.from([0, 0, 1, 0, 0, 1, 10, 10, 11, 10, 30, 30]);
    const init = Float64Array.from([0, 0, 10, 10, 1000, 1000]);
    const result = kmeans(points, {n: 6, d: 2, k: 3, seed: 1, init});
    expect(new Set(result.labels).size).toBe(3);
    expect(result.labels[5]).toBe(2);
    expect(Array.from(result.centroids.subarray(4))).toEqual([30, 30]);
  });

  it("rejects a k larger than n", () => {
    expect(() => kmeans(new Float64Array(4), {n: 2, d: 2, k: 3, seed: 1})).toThrow(/invalid k/);
  });
});

describe("kmeansPlusPlus(points, {k, seed})", () => {
  it("picks k distinct points, one in each of four separated blobs", () => {
    const {points, truth, n, d} = blobs(FOUR, 100, 1, 4);
    for (const seed of [1, 2, 3]) {
      const centres = kmeansPlusPlus(points, {n, d, k: 4, seed});
      const blobsHit = new Set<number>();
      for (let j = 0; j < 4; j++) {
        let index = -1;
        for (let i = 0; i < n; i++) {
          if (squaredDistance(points, i * d, centres, j * d, d) === 0) index = i;
        }
        expect(index).toBeGreaterThanOrEqual(0);
        blobsHit.add(truth[index]);
      }
      expect(blobsHit.size).toBe(4);
    }
  });
});

describe("kmeans(points, {kernel})", () => {
  /** Overlapping Gaussians in d dimensions, so many points sit near a boundary. */
  function mixture(n: number, d: number, k: number, seed: number) {
    const centres = Array.from({length: k}, (_, j) =>
      Array.from({length: d}, (_, t) => ((j * 7 + t * 3) % 5) - 2)
    );
    return blobs(centres, Math.ceil(n / k), 1.2, seed);
  }

  for (const d of [1, 3, 16, 17, 64]) {
    it(`gives the same fit with the WebAssembly and JavaScript kernels (d = ${d})`, () => {
      const {points, n} = mixture(3000, d, 6, d);
      const wasm = kmeans(points, {n, d, k: 6, seed: 9, kernel: "wasm"});
      const js = kmeans(points, {n, d, k: 6, seed: 9, kernel: "js"});
      expect(wasm.iterations).toBe(js.iterations);
      expect(Array.from(wasm.labels)).toEqual(Array.from(js.labels));
      expect(wasm.inertia).toBeCloseTo(js.inertia, 6);
      for (let q = 0; q < wasm.centroids.length; q++)
        expect(wasm.centroids[q]).toBeCloseTo(js.centroids[q], 9);
    });
  }

  it("seeds identically with both kernels", () => {
    const {points, n} = mixture(2000, 5, 4, 1);
    const wasm = kmeansPlusPlus(points, {n, d: 5, k: 8, seed: 3, kernel: "wasm"});
    const js = kmeansPlusPlus(points, {n, d: 5, k: 8, seed: 3, kernel: "js"});
    expect(Array.from(wasm)).toEqual(Array.from(js));
  });

  it("falls back to JavaScript above 64 dimensions, and refuses a forced wasm kernel there", () => {
    const {points, n} = mixture(300, 65, 3, 2);
    expect(kmeans(points, {n, d: 65, k: 3, seed: 1}).labels.length).toBe(n);
    expect(() => kmeans(points, {n, d: 65, k: 3, seed: 1, kernel: "wasm"})).toThrow(
      "no WebAssembly kernel for d = 65 > 64"
    );
  });
});
