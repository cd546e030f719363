/**
 * Cluster stability by the bootstrap (Hennig 2007, "Cluster-wise assessment of cluster
 * stability"): refit on resamples, and score each cluster by its mean Jaccard similarity with
 * the most similar cluster of each refit, over the points the resample drew. Hennig reads
 * ≥ 0.75 as stable and ≤ 0.5 as dissolved.
 */
import {kmeans, random} from "./kmeans/kmeans.ts";

export interface StabilityOptions {
  n: number;
  d: number;
  k: number;
  rounds: number;
  /** k-means restarts per refit (the lowest inertia wins), as the original fit used. */
  restarts: number;
  seed: number;
}

/** Nearest centroid of each point. */
export function nearestCentroids(
  points: Float64Array,
  n: number,
  d: number,
  centroids: Float64Array,
  k: number
): Int32Array {
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestDistance = Infinity;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let t = 0, o = i * d, q = c * d; t < d; t++) {
        const v = points[o + t] - centroids[q + t];
        s += v * v;
      }
      if (s < bestDistance) [best, bestDistance] = [c, s];
    }
    labels[i] = best;
  }
  return labels;
}

/** Each cluster's mean bootstrap Jaccard (NaN without rounds). */
export function bootstrapStability(
  points: Float64Array,
  labels: Int32Array,
  {n, d, k, rounds, restarts, seed}: StabilityOptions
): number[] {
  const totals = new Float64Array(k);
  const rand = random(seed ^ 0x5bd1e995);
  const sample = new Float64Array(n * d);
  const drawn = new Uint8Array(n);
  for (let round = 0; round < rounds; round++) {
    drawn.fill(0);
    for (let i = 0; i < n; i++) {
      const j = Math.floor(rand() * n);
      drawn[j] = 1;
      sample.set(points.subarray(j * d, j * d + d), i * d);
    }
    let fit = kmeans(sample, {n, d, k, seed: seed + 104729 * (round + 1)});
    for (let r = 1; r < restarts; r++) {
      const other = kmeans(sample, {n, d, k, seed: seed + 104729 * (round + 1) + 7919 * r});
      if (other.inertia < fit.inertia) fit = other;
    }
    const refit = nearestCentroids(points, n, d, fit.centroids, k);
    const both = new Float64Array(k * k);
    const own = new Float64Array(k);
    const other = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      if (!drawn[i]) continue;
      both[labels[i] * k + refit[i]]++;
      own[labels[i]]++;
      other[refit[i]]++;
    }
    for (let c = 0; c < k; c++) {
      let best = 0;
      for (let e = 0; e < k; e++) {
        const union = own[c] + other[e] - both[c * k + e];
        if (union > 0) best = Math.max(best, both[c * k + e] / union);
      }
      totals[c] += best;
    }
  }
  return Array.from(totals, (t) => (rounds > 0 ? t / rounds : NaN));
}
