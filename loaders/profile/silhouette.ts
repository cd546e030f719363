/** Silhouette widths (Rousseeuw 1987) of a sample of points under a labelling. */

/**
 * Euclidean distances between the first m points (row-major, d columns), as an m × m matrix.
 * With a mask of missing values, each distance sums the coordinates both points have and is
 * scaled to all d (a partial distance); two points with nothing in common are 0 apart.
 */
export function distanceMatrix(
  points: Float64Array,
  m: number,
  d: number,
  missing: Uint8Array | null = null
): Float32Array {
  const out = new Float32Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      let s = 0;
      let shared = d;
      for (let t = 0, a = i * d, b = j * d; t < d; t++) {
        if (missing && (missing[a + t] || missing[b + t])) {
          shared--;
          continue;
        }
        const v = points[a + t] - points[b + t];
        s += v * v;
      }
      out[i * m + j] = out[j * m + i] = shared > 0 ? Math.sqrt((s * d) / shared) : 0;
    }
  }
  return out;
}

/**
 * Each point's silhouette width (b − a) / max(a, b): a is its mean distance to the rest of its
 * cluster, b the mean distance to the nearest other cluster; 0 for a point alone in its cluster.
 */
export function silhouettes(
  distances: Float32Array,
  m: number,
  labels: ArrayLike<number>,
  k: number
): Float64Array {
  const widths = new Float64Array(m);
  const sums = new Float64Array(k);
  const counts = new Int32Array(k);
  for (let i = 0; i < m; i++) counts[labels[i]]++;
  for (let i = 0; i < m; i++) {
    sums.fill(0);
    for (let j = 0, row = i * m; j < m; j++) sums[labels[j]] += distances[row + j];
    const own = labels[i];
    if (counts[own] <= 1) continue;
    const a = sums[own] / (counts[own] - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++)
      if (c !== own && counts[c] > 0) b = Math.min(b, sums[c] / counts[c]);
    widths[i] = b === Infinity || Math.max(a, b) === 0 ? 0 : (b - a) / Math.max(a, b);
  }
  return widths;
}

/** The mean width overall and per cluster (NaN for a cluster with no sampled point). */
export function meanSilhouettes(
  widths: Float64Array,
  labels: ArrayLike<number>,
  k: number
): {overall: number; perCluster: number[]} {
  const sums = new Float64Array(k);
  const counts = new Int32Array(k);
  let total = 0;
  for (let i = 0; i < widths.length; i++) {
    sums[labels[i]] += widths[i];
    counts[labels[i]]++;
    total += widths[i];
  }
  return {
    overall: widths.length ? total / widths.length : NaN,
    perCluster: Array.from(sums, (s, c) => (counts[c] ? s / counts[c] : NaN))
  };
}
