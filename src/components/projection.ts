/**
 * Principal component analysis for the Explore page's projection, computed in the browser on
 * the features the analyst picks. Pure functions over typed arrays: no Framework, no DOM.
 *
 * Each feature is transformed as the clustering transforms it (log1p for skewed counts and
 * amounts), standardised to mean 0 and standard deviation 1 over the customers who have a
 * value, and a missing value is imputed with the mean (0 once standardised): it then pulls its
 * customer towards the centre on that axis and adds nothing to the feature's covariances, which
 * the page says. Components come from the covariance matrix of the standardised features (the
 * correlation matrix, shrunk by the imputed values), by Jacobi's method.
 */
import {formatShare} from "../contracts/share.js";

/** An Arrow vector or any column: a length and values by index, null for missing. */
export interface ColumnLike {
  length: number;
  get(index: number): number | null | undefined;
}

/** A column's values as a Float64Array with NaN for missing (null, undefined, NaN, ±Infinity). */
export function numbers(column: ColumnLike): Float64Array {
  const out = new Float64Array(column.length);
  for (let i = 0; i < out.length; i++) {
    const value = column.get(i);
    out[i] = value === null || value === undefined || !Number.isFinite(value) ? NaN : value;
  }
  return out;
}

export interface ProjectionOptions {
  /** Per column: log-transform (log1p of the magnitude, sign kept) before standardising. */
  log?: readonly boolean[];
  /** Components to keep; default 2. */
  components?: number;
}

export interface Projection {
  /** Scores per component, one value per row. */
  scores: Float64Array[];
  /** Each component's share of the total variance of the standardised features. */
  explained: number[];
  /** Each component's loadings, one per kept column (unit length, largest loading positive). */
  loadings: number[][];
  /** Indices of the columns kept (the loadings' order). */
  kept: number[];
  /** Indices of the columns left out: no value at all, or the same value for everyone. */
  dropped: number[];
  /** Share of the kept columns' values that were missing and imputed with the mean. */
  imputed: number;
}

/** The projection of rows onto the first principal components of the standardised columns. */
export function pca(
  columns: readonly ArrayLike<number>[],
  {log = [], components = 2}: ProjectionOptions = {}
): Projection {
  const n = columns[0]?.length ?? 0;
  columns.forEach((column, j) => {
    if (column.length !== n)
      throw new Error(`pca: column ${j} has ${column.length} values, expected ${n}`);
  });
  const standardised: Float64Array[] = [];
  const kept: number[] = [];
  const dropped: number[] = [];
  let missing = 0;
  columns.forEach((column, j) => {
    const z = standardise(column, log[j] ?? false);
    if (z === null) dropped.push(j);
    else {
      standardised.push(z.values);
      kept.push(j);
      missing += z.missing;
    }
  });
  const p = standardised.length;
  const k = Math.min(components, p);
  const covariance = covarianceOf(standardised, n);
  const {values, vectors} = eigenSymmetric(covariance);
  const trace = values.reduce((sum, v) => sum + v, 0);
  const order = values.map((_, i) => i).sort((a, b) => values[b] - values[a] || a - b);
  const loadings = order.slice(0, k).map((c) => orient(vectors.map((row) => row[c])));
  const scores = loadings.map((loading) => {
    const score = new Float64Array(n);
    for (let j = 0; j < p; j++) {
      const w = loading[j];
      const z = standardised[j];
      for (let i = 0; i < n; i++) score[i] += w * z[i];
    }
    return score;
  });
  while (scores.length < components) scores.push(new Float64Array(n));
  const explained = order.slice(0, k).map((c) => (trace > 0 ? Math.max(values[c], 0) / trace : 0));
  while (explained.length < components) explained.push(0);
  return {
    scores,
    explained,
    loadings,
    kept,
    dropped,
    imputed: p > 0 && n > 0 ? missing / (p * n) : 0
  };
}

/**
 * A column transformed, centred on its mean and scaled by its standard deviation (over the rows
 * with a value), missing values set to 0 (the mean); null when it has no spread to scale by.
 */
export function standardise(
  column: ArrayLike<number>,
  log = false
): {values: Float64Array; missing: number} | null {
  const n = column.length;
  const values = new Float64Array(n);
  let count = 0;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const raw = column[i];
    if (!Number.isFinite(raw)) {
      values[i] = NaN;
      continue;
    }
    const v = log ? Math.sign(raw) * Math.log1p(Math.abs(raw)) : raw;
    values[i] = v;
    // Welford's update: one pass, no cancellation on large amounts.
    count++;
    const delta = v - mean;
    mean += delta / count;
    m2 += delta * (v - mean);
  }
  const sd = count > 1 ? Math.sqrt(m2 / (count - 1)) : 0;
  if (!(sd > 1e-12 * Math.max(1, Math.abs(mean)))) return null;
  for (let i = 0; i < n; i++) values[i] = Number.isNaN(values[i]) ? 0 : (values[i] - mean) / sd;
  return {values, missing: n - count};
}

/** The covariance matrix of centred columns (each of length n). */
function covarianceOf(columns: Float64Array[], n: number): number[][] {
  const p = columns.length;
  const c = Array.from({length: p}, () => new Array<number>(p).fill(0));
  const divisor = Math.max(n - 1, 1);
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      const x = columns[a];
      const y = columns[b];
      let sum = 0;
      for (let i = 0; i < n; i++) sum += x[i] * y[i];
      c[a][b] = c[b][a] = sum / divisor;
    }
  }
  return c;
}

/**
 * Eigenvalues and eigenvectors of a symmetric matrix by cyclic Jacobi rotations: exact to
 * rounding for the few dozen features a page projects, and simple enough to trust. The
 * eigenvectors are the columns of `vectors`, in the order of `values` (unsorted).
 */
export function eigenSymmetric(matrix: readonly (readonly number[])[]): {
  values: number[];
  vectors: number[][];
} {
  const p = matrix.length;
  const a = matrix.map((row) => [...row]);
  const v: number[][] = Array.from({length: p}, (_, i) =>
    Array.from({length: p}, (_, j) => (i === j ? 1 : 0))
  );
  const scale = a.reduce((sum, row) => sum + row.reduce((s, x) => s + x * x, 0), 0);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) off += a[i][j] * a[i][j];
    if (off <= 1e-30 * Math.max(scale, 1e-300)) break;
    for (let i = 0; i < p; i++) {
      for (let j = i + 1; j < p; j++) {
        if (a[i][j] === 0) continue;
        // The rotation that zeroes a[i][j] (Golub and Van Loan, the symmetric Schur step).
        const theta = (a[j][j] - a[i][i]) / (2 * a[i][j]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cos = 1 / Math.sqrt(t * t + 1);
        const sin = t * cos;
        for (let k = 0; k < p; k++) {
          const aki = a[k][i];
          const akj = a[k][j];
          a[k][i] = cos * aki - sin * akj;
          a[k][j] = sin * aki + cos * akj;
        }
        for (let k = 0; k < p; k++) {
          const aik = a[i][k];
          const ajk = a[j][k];
          a[i][k] = cos * aik - sin * ajk;
          a[j][k] = sin * aik + cos * ajk;
        }
        for (let k = 0; k < p; k++) {
          const vki = v[k][i];
          const vkj = v[k][j];
          v[k][i] = cos * vki - sin * vkj;
          v[k][j] = sin * vki + cos * vkj;
        }
      }
    }
  }
  return {values: a.map((row, i) => row[i]), vectors: v};
}

/** A component's sign is arbitrary: make its largest loading positive, so redraws do not flip. */
function orient(vector: number[]): number[] {
  let largest = 0;
  for (let j = 1; j < vector.length; j++)
    if (Math.abs(vector[j]) > Math.abs(vector[largest]) + 1e-12) largest = j;
  return (vector[largest] ?? 0) < 0 ? vector.map((x) => -x) : vector;
}

/** "PC1 (23% of variance)": an axis label with the component's share of the variance. */
export function componentLabel(component: number, explained: number): string {
  return `PC${component + 1} (${formatShare(explained)} of variance)`;
}

/** The columns that weigh most on a component, by absolute loading, strongest first. */
export function topLoadings(
  loadings: readonly number[],
  count = 3
): {index: number; loading: number}[] {
  return loadings
    .map((loading, index) => ({index, loading}))
    .sort((a, b) => Math.abs(b.loading) - Math.abs(a.loading) || a.index - b.index)
    .slice(0, count);
}
