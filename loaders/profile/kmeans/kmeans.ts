/** k-means on flat row-major Float64Arrays: greedy k-means++ seeding and Lloyd with Hamerly's bounds. */
import {instantiate, type WasmExports} from "./wasm.ts";

export interface KMeansOptions {
  n: number;
  d: number;
  k: number;
  seed: number;
  maxIterations?: number;
  tolerance?: number;
  init?: Float64Array;
  /** Distance code: WebAssembly SIMD for d ≤ 64 where available ("auto", the default), or "js". */
  kernel?: KMeansKernel;
}

export interface KMeansResult {
  centroids: Float64Array;
  labels: Int32Array;
  inertia: number;
  iterations: number;
}

interface Shape {
  n: number;
  d: number;
  k: number;
}

/** A seeded uniform generator on [0, 1) (splitmix32), so every fit is reproducible. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let t = state ^ (state >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    t ^= t >>> 15;
    return (t >>> 0) / 4294967296;
  };
}

function validate(points: Float64Array, {n, d, k}: Shape): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`invalid n: ${n}`);
  if (!Number.isInteger(d) || d < 1) throw new Error(`invalid d: ${d}`);
  if (!Number.isInteger(k) || k < 1 || k > n) throw new Error(`invalid k: ${k} (n = ${n})`);
  if (points.length !== n * d) {
    throw new Error(`invalid points: length ${points.length}, expected n × d = ${n * d}`);
  }
}

/** Distance kernels unrolled for one dimension d: the point's coordinates live in locals. */
interface Kernels {
  /** Squared distance between row a of xs and row b of ys (offsets already multiplied by d). */
  distance(xs: Float64Array, a: number, ys: Float64Array, b: number): number;
  /** Nearest centre to the point at offset o; writes its distance to upper[i], the runner-up's to lower[i]. */
  nearestTwo(
    points: Float64Array,
    o: number,
    norm: number,
    centres: Float64Array,
    centreNorms: Float64Array,
    k: number,
    upper: Float64Array,
    lower: Float64Array,
    i: number
  ): number;
  /** For every point, min(closest, distance to each candidate), summed per candidate into potentials. */
  candidates(
    points: Float64Array,
    n: number,
    closest: Float64Array,
    offsets: Int32Array,
    out: Float64Array,
    potentials: Float64Array
  ): void;
}

const kernelCache = new Map<number, Kernels>();

/** Above this many dimensions, unrolled code grows large for little gain. */
const UNROLL_LIMIT = 64;

// Generated code runs several times faster than loops over d in V8 (measured 2-5×).
function kernels(d: number): Kernels {
  let cached = kernelCache.get(d);
  if (cached) return cached;
  if (d > UNROLL_LIMIT) return loopKernels(d);
  const range = Array.from({length: d}, (_, t) => t);
  const load = (array: string, offset: string) =>
    range.map((t) => `const x${t} = ${array}[${offset} + ${t}];`).join("\n");
  // Differences go to locals first: V8 compiles `v * v` far better than `** 2`.
  const differences = (array: string, offset: string) =>
    range.map((t) => `const v${t} = x${t} - ${array}[${offset} + ${t}];`).join("\n");
  const squares = range.map((t) => `v${t} * v${t}`).join(" + ");
  const dot = (array: string, offset: string) =>
    range.map((t) => `x${t} * ${array}[${offset} + ${t}]`).join(" + ");
  const distance = new Function(
    "xs",
    "a",
    "ys",
    "b",
    `${load("xs", "a")}\n${differences("ys", "b")}\nreturn ${squares};`
  );
  const nearestTwo = new Function(
    "points",
    "o",
    "norm",
    "centres",
    "centreNorms",
    "k",
    "upper",
    "lower",
    "i",
    `${load("points", "o")}
    let best = Infinity, second = Infinity, bestJ = 0;
    for (let j = 0, q = 0; j < k; j++, q += ${d}) {
      const dist = norm - 2 * (${dot("centres", "q")}) + centreNorms[j];
      if (dist < best) { second = best; best = dist; bestJ = j; }
      else if (dist < second) second = dist;
    }
    upper[i] = Math.sqrt(best > 0 ? best : 0);
    lower[i] = Math.sqrt(second > 0 ? second : 0);
    return bestJ;`
  );
  const candidates = new Function(
    "points",
    "n",
    "closest",
    "offsets",
    "out",
    "potentials",
    // Candidate outermost: its coordinates stay in locals while the points stream past.
    `for (let r = 0; r < offsets.length; r++) {
      ${load("points", "offsets[r]")}
      let potential = 0;
      for (let i = 0, o = 0, w = r * n; i < n; i++, o += ${d}) {
        ${differences("points", "o")}
        const s = ${squares};
        const c = closest[i];
        const m = s < c ? s : c;
        out[w + i] = m;
        potential += m;
      }
      potentials[r] = potential;
    }`
  );
  cached = {distance, nearestTwo, candidates} as Kernels;
  kernelCache.set(d, cached);
  return cached;
}

/** Which distance code to run: WebAssembly SIMD where it can (d ≤ 64), or the JavaScript kernels. */
export type KMeansKernel = "auto" | "wasm" | "js";

/** Points per call into WebAssembly: short calls let V8 move on from baseline to optimised code. */
const CHUNK = 16384;

/** Byte offsets of the arrays laid out in a WebAssembly memory, after the padded points. */
interface Layout {
  stride: number;
  bytes: number;
  points: number;
  // Seeding.
  closest: number;
  out: number;
  offsets: number;
  potentials: number;
  // Lloyd; overlaps the seeding arrays, which are done with by then.
  norms: number;
  upper: number;
  lower: number;
  labels: number;
  centres: number;
  centreNorms: number;
  drift: number;
  half: number;
  sums: number;
  counts: number;
}

function layout(n: number, d: number, k: number, trials: number): Layout {
  const stride = 2 * Math.ceil(d / 2);
  let offset = 0;
  const take = (bytes: number) => {
    const at = offset;
    offset += Math.ceil(bytes / 16) * 16;
    return at;
  };
  const points = take(n * stride * 8);
  const base = offset;
  const seeding = {
    closest: take(n * 8),
    out: take(trials * n * 8),
    offsets: take(trials * 4),
    potentials: take(trials * 8)
  };
  const seedingEnd = offset;
  offset = base;
  const lloyd = {
    norms: take(n * 8),
    upper: take(n * 8),
    lower: take(n * 8),
    labels: take(n * 4),
    centres: take(k * stride * 8),
    centreNorms: take(k * 8),
    drift: take(k * 8),
    half: take(k * 8),
    sums: take(k * stride * 8),
    counts: take(k * 4)
  };
  return {stride, bytes: Math.max(offset, seedingEnd), points, ...seeding, ...lloyd};
}

/** The points copied, rows padded to an even stride, into a fresh memory with the wasm kernels. */
interface Workspace {
  exports: WasmExports;
  buffer: ArrayBuffer;
  at: Layout;
}

function workspace(
  points: Float64Array,
  {n, d, k}: Shape,
  trials: number,
  kernel: KMeansKernel | undefined
): Workspace | null {
  if (kernel === "js" || d > UNROLL_LIMIT) {
    if (kernel === "wasm") throw new Error(`no WebAssembly kernel for d = ${d} > ${UNROLL_LIMIT}`);
    return null;
  }
  const at = layout(n, d, k, trials);
  const instance = instantiate(d, at.bytes);
  if (!instance) {
    if (kernel === "wasm") throw new Error("WebAssembly SIMD is not available");
    return null;
  }
  const buffer = instance.memory.buffer;
  const rows = new Float64Array(buffer, at.points, n * at.stride);
  if (at.stride === d) rows.set(points);
  else
    for (let i = 0, o = 0, p = 0; i < n; i++, p++)
      for (let t = 0; t < d; t++) rows[p++] = points[o++];
  return {exports: instance.exports, buffer, at};
}

/** Initial centres by scikit-learn's greedy k-means++: 2 + ⌊ln k⌋ trials per centre, keep the best. */
export function kmeansPlusPlus(
  points: Float64Array,
  {n, d, k, seed, kernel}: {n: number; d: number; k: number; seed: number; kernel?: KMeansKernel}
): Float64Array {
  validate(points, {n, d, k});
  const trials = 2 + Math.floor(Math.log(k));
  const space = workspace(points, {n, d, k}, trials, kernel);
  return space ? seedWasm(points, space, {n, d, k}, seed) : seedJs(points, {n, d, k}, seed);
}

function seedJs(points: Float64Array, {n, d, k}: Shape, seed: number): Float64Array {
  const rand = random(seed);
  const trials = 2 + Math.floor(Math.log(k));
  const centres = new Float64Array(k * d);
  // closest[i]: squared distance from point i to its nearest chosen centre, kept incrementally.
  const closest = new Float64Array(n);
  const cumulative = new Float64Array(n);
  // Candidate distances are kept so the winner updates `closest` without another pass over X.
  const candidateDistances = new Float64Array(trials * n);
  const candidates = new Int32Array(trials);
  const offsets = new Int32Array(trials);
  const potentials = new Float64Array(trials);
  const kernel = kernels(d);

  const first = Math.min(n - 1, Math.floor(rand() * n));
  centres.set(points.subarray(first * d, first * d + d), 0);
  let potential = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = kernel.distance(points, i * d, points, first * d);
    potential += closest[i];
  }

  for (let c = 1; c < k; c++) {
    draw(closest, cumulative, potential, rand, candidates);
    for (let r = 0; r < trials; r++) offsets[r] = candidates[r] * d;
    potentials.fill(0);
    kernel.candidates(points, n, closest, offsets, candidateDistances, potentials);
    let best = 0;
    for (let r = 1; r < trials; r++) if (potentials[r] < potentials[best]) best = r;
    closest.set(candidateDistances.subarray(best * n, best * n + n));
    potential = potentials[best];
    const f = candidates[best] * d;
    centres.set(points.subarray(f, f + d), c * d);
  }
  return centres;
}

/** The same seeding with the distance passes in WebAssembly, over the padded copy of the points. */
function seedWasm(points: Float64Array, space: Workspace, {n, d, k}: Shape, seed: number) {
  const {exports: wasm, buffer, at} = space;
  const rand = random(seed);
  const trials = 2 + Math.floor(Math.log(k));
  const centres = new Float64Array(k * d);
  const closest = new Float64Array(buffer, at.closest, n);
  const out = new Float64Array(buffer, at.out, trials * n);
  const offsets = new Int32Array(buffer, at.offsets, trials);
  const potentials = new Float64Array(buffer, at.potentials, trials);
  const cumulative = new Float64Array(n);
  const candidates = new Int32Array(trials);
  const row = at.stride * 8;

  const first = Math.min(n - 1, Math.floor(rand() * n));
  centres.set(points.subarray(first * d, first * d + d), 0);
  let potential = 0;
  for (let from = 0; from < n; from += CHUNK) {
    const to = Math.min(n, from + CHUNK);
    potential += wasm.seedFirst(at.points, at.closest, at.points + first * row, from, to);
  }

  for (let c = 1; c < k; c++) {
    draw(closest, cumulative, potential, rand, candidates);
    for (let r = 0; r < trials; r++) offsets[r] = candidates[r] * row;
    potentials.fill(0);
    for (let from = 0; from < n; from += CHUNK) {
      const to = Math.min(n, from + CHUNK);
      wasm.seedCandidates(
        at.points,
        at.closest,
        at.offsets,
        trials,
        at.out,
        n,
        at.potentials,
        from,
        to
      );
    }
    let best = 0;
    for (let r = 1; r < trials; r++) if (potentials[r] < potentials[best]) best = r;
    closest.set(out.subarray(best * n, best * n + n));
    potential = potentials[best];
    const f = candidates[best] * d;
    centres.set(points.subarray(f, f + d), c * d);
  }
  return centres;
}

/** Draws candidates.length indices with probability proportional to closest (D² sampling). */
function draw(
  closest: Float64Array,
  cumulative: Float64Array,
  potential: number,
  rand: () => number,
  candidates: Int32Array
): void {
  const n = closest.length;
  let sum = 0;
  for (let i = 0; i < n; i++) cumulative[i] = sum += closest[i];
  for (let r = 0; r < candidates.length; r++) {
    // Strictly greater, so points already at a centre (weight 0) are never drawn.
    candidates[r] = potential > 0 ? search(cumulative, rand() * potential) : (rand() * n) | 0;
  }
}

/** The first index whose cumulative weight exceeds value, clipped to the last index. */
function search(cumulative: Float64Array, value: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] > value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The per-point state of Lloyd's iterations and the two passes over the points that use it.
 * Centres come in compact (k × d) and are copied to wherever the kernels want them.
 */
interface Assigner {
  labels: Int32Array;
  upper: Float64Array;
  lower: Float64Array;
  /** Per-cluster coordinate sums, row j at j × sumStride. */
  sums: Float64Array;
  sumStride: number;
  counts: Int32Array;
  /** The points as the kernels see them, row i at i × pointStride. */
  rows: Float64Array;
  pointStride: number;
  /** Nearest centres from scratch, filling labels, bounds, sums and counts. */
  initial(centres: Float64Array, centreNorms: Float64Array): void;
  /** Hamerly's step after the centres moved by drift; returns how many labels changed. */
  assign(
    centres: Float64Array,
    centreNorms: Float64Array,
    drift: Float64Array,
    half: Float64Array,
    maxJ: number,
    maxDrift: number,
    secondDrift: number
  ): number;
}

function jsAssigner(points: Float64Array, {n, d, k}: Shape): Assigner {
  const kernel = kernels(d);
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = i * d, end = t + d; t < end; t++) s += points[t] * points[t];
    norms[i] = s;
  }
  const labels = new Int32Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  return {
    labels,
    upper,
    lower,
    sums,
    sumStride: d,
    counts,
    rows: points,
    pointStride: d,
    initial(centres, centreNorms) {
      for (let i = 0; i < n; i++) {
        const o = i * d;
        const j = kernel.nearestTwo(points, o, norms[i], centres, centreNorms, k, upper, lower, i);
        labels[i] = j;
        counts[j]++;
        for (let t = 0; t < d; t++) sums[j * d + t] += points[o + t];
      }
    },
    assign(centres, centreNorms, drift, half, maxJ, maxDrift, secondDrift) {
      let changed = 0;
      for (let i = 0; i < n; i++) {
        const a = labels[i];
        upper[i] += drift[a];
        lower[i] -= a === maxJ ? secondDrift : maxDrift;
        const bound = half[a] > lower[i] ? half[a] : lower[i];
        if (upper[i] <= bound) continue;
        const o = i * d;
        // Tighten the upper bound exactly before paying for a full scan over all centres.
        upper[i] = Math.sqrt(kernel.distance(points, o, centres, a * d));
        if (upper[i] <= bound) continue;
        const j = kernel.nearestTwo(points, o, norms[i], centres, centreNorms, k, upper, lower, i);
        if (j !== a) {
          labels[i] = j;
          counts[a]--;
          counts[j]++;
          for (let t = 0, ca = a * d, cj = j * d; t < d; t++) {
            const v = points[o + t];
            sums[ca + t] -= v;
            sums[cj + t] += v;
          }
          changed++;
        }
      }
      return changed;
    }
  };
}

function wasmAssigner({exports: wasm, buffer, at}: Workspace, {n, d, k}: Shape): Assigner {
  const stride = at.stride;
  const centresView = new Float64Array(buffer, at.centres, k * stride);
  const centreNormsView = new Float64Array(buffer, at.centreNorms, k);
  const driftView = new Float64Array(buffer, at.drift, k);
  const halfView = new Float64Array(buffer, at.half, k);
  const sums = new Float64Array(buffer, at.sums, k * stride);
  const counts = new Int32Array(buffer, at.counts, k);
  sums.fill(0);
  counts.fill(0);
  for (let from = 0; from < n; from += CHUNK) {
    wasm.norms(at.points, at.norms, from, Math.min(n, from + CHUNK));
  }
  const load = (centres: Float64Array, centreNorms: Float64Array) => {
    for (let j = 0; j < k; j++) centresView.set(centres.subarray(j * d, j * d + d), j * stride);
    centreNormsView.set(centreNorms);
  };
  return {
    labels: new Int32Array(buffer, at.labels, n),
    upper: new Float64Array(buffer, at.upper, n),
    lower: new Float64Array(buffer, at.lower, n),
    sums,
    sumStride: stride,
    counts,
    rows: new Float64Array(buffer, at.points, n * stride),
    pointStride: stride,
    initial(centres, centreNorms) {
      load(centres, centreNorms);
      for (let from = 0; from < n; from += CHUNK) {
        const to = Math.min(n, from + CHUNK);
        wasm.initial(
          at.points,
          at.norms,
          at.labels,
          at.upper,
          at.lower,
          at.centres,
          at.centreNorms,
          at.sums,
          at.counts,
          k,
          from,
          to
        );
      }
    },
    assign(centres, centreNorms, drift, half, maxJ, maxDrift, secondDrift) {
      load(centres, centreNorms);
      driftView.set(drift);
      halfView.set(half);
      let changed = 0;
      for (let from = 0; from < n; from += CHUNK) {
        const to = Math.min(n, from + CHUNK);
        changed += wasm.hamerly(
          at.points,
          at.norms,
          at.labels,
          at.upper,
          at.lower,
          at.centres,
          at.centreNorms,
          at.sums,
          at.counts,
          k,
          from,
          to,
          at.drift,
          at.half,
          maxJ,
          maxDrift,
          secondDrift
        );
      }
      return changed;
    }
  };
}

/** Lloyd's k-means with Hamerly's bounds, seeded by k-means++ unless init is given. */
export function kmeans(points: Float64Array, options: KMeansOptions): KMeansResult {
  const {n, d, k, seed, maxIterations = 300, tolerance = 1e-4, kernel} = options;
  validate(points, {n, d, k});
  if (options.init && options.init.length !== k * d) {
    throw new Error(`invalid init: length ${options.init.length}, expected k × d = ${k * d}`);
  }
  const trials = options.init ? 0 : 2 + Math.floor(Math.log(k));
  const space = workspace(points, {n, d, k}, trials, kernel);
  const centres = options.init
    ? Float64Array.from(options.init)
    : space
      ? seedWasm(points, space, {n, d, k}, seed)
      : seedJs(points, {n, d, k}, seed);
  // scikit-learn's tol is relative to the mean per-feature variance of the data.
  const threshold = tolerance * meanVariance(points, n, d);

  const state = space ? wasmAssigner(space, {n, d, k}) : jsAssigner(points, {n, d, k});
  const {labels, sums, sumStride, counts} = state;
  const centreNorms = new Float64Array(k);
  const previous = new Float64Array(k * d);
  const drift = new Float64Array(k);
  const half = new Float64Array(k);

  computeNorms(centres, centreNorms, k, d);
  state.initial(centres, centreNorms);

  let iterations = 0;
  while (iterations < maxIterations) {
    iterations++;
    relocateEmpty(state, centres, {n, d, k});
    previous.set(centres);
    let shift = 0;
    let maxDrift = 0;
    let secondDrift = 0;
    let maxJ = 0;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let t = 0, c = j * d, q = j * sumStride; t < d; t++) {
        centres[c + t] = sums[q + t] / counts[j];
        const v = centres[c + t] - previous[c + t];
        s += v * v;
      }
      shift += s;
      drift[j] = Math.sqrt(s);
      if (drift[j] > maxDrift) {
        secondDrift = maxDrift;
        maxDrift = drift[j];
        maxJ = j;
      } else if (drift[j] > secondDrift) secondDrift = drift[j];
    }
    computeNorms(centres, centreNorms, k, d);
    halfSeparations(centres, half, k, d);
    const changed = state.assign(centres, centreNorms, drift, half, maxJ, maxDrift, secondDrift);
    if (changed === 0 || shift <= threshold) break;
  }

  const result = space ? Int32Array.from(labels) : labels;
  return {
    centroids: centres,
    labels: result,
    inertia: inertia(points, centres, result, {n, d, k}),
    iterations
  };
}

/** The same kernels as plain loops, for dimensions too large to unroll. */
function loopKernels(d: number): Kernels {
  return {
    distance(xs, a, ys, b) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const v = xs[a + t] - ys[b + t];
        s += v * v;
      }
      return s;
    },
    nearestTwo(points, o, norm, centres, centreNorms, k, upper, lower, i) {
      let best = Infinity;
      let second = Infinity;
      let bestJ = 0;
      for (let j = 0; j < k; j++) {
        let dot = 0;
        for (let t = 0, q = j * d; t < d; t++) dot += points[o + t] * centres[q + t];
        const dist = norm - 2 * dot + centreNorms[j];
        if (dist < best) {
          second = best;
          best = dist;
          bestJ = j;
        } else if (dist < second) second = dist;
      }
      // Rounding in the dot-product form can dip just below zero.
      upper[i] = Math.sqrt(best > 0 ? best : 0);
      lower[i] = Math.sqrt(second > 0 ? second : 0);
      return bestJ;
    },
    candidates(points, n, closest, offsets, out, potentials) {
      for (let i = 0; i < n; i++) {
        const c = closest[i];
        for (let r = 0; r < offsets.length; r++) {
          const s = this.distance(points, i * d, points, offsets[r]);
          const m = s < c ? s : c;
          out[r * n + i] = m;
          potentials[r] += m;
        }
      }
    }
  };
}

function computeNorms(centres: Float64Array, out: Float64Array, k: number, d: number): void {
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let t = j * d, end = t + d; t < end; t++) s += centres[t] * centres[t];
    out[j] = s;
  }
}

/** Half the distance from each centre to its nearest other centre (Infinity when k = 1). */
function halfSeparations(centres: Float64Array, out: Float64Array, k: number, d: number): void {
  out.fill(Infinity);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const v = centres[a * d + t] - centres[b * d + t];
        s += v * v;
      }
      const h = Math.sqrt(s) / 2;
      if (h < out[a]) out[a] = h;
      if (h < out[b]) out[b] = h;
    }
  }
}

/** Re-seeds each empty cluster with the point farthest from its centre, deterministically. */
function relocateEmpty(state: Assigner, centres: Float64Array, {n, d, k}: Shape): void {
  const {labels, counts, sums, sumStride, rows, pointStride, upper, lower} = state;
  for (let j = 0; j < k; j++) {
    if (counts[j] > 0) continue;
    let far = -1;
    let farDistance = -1;
    for (let i = 0; i < n; i++) {
      const a = labels[i];
      // Never take the only member of a cluster: that would just move the hole.
      if (counts[a] < 2) continue;
      let s = 0;
      for (let t = 0, o = i * pointStride, c = a * d; t < d; t++) {
        const v = rows[o + t] - centres[c + t];
        s += v * v;
      }
      if (s > farDistance) [far, farDistance] = [i, s];
    }
    if (far < 0) continue;
    const a = labels[far];
    labels[far] = j;
    counts[a]--;
    counts[j] = 1;
    for (let t = 0, o = far * pointStride; t < d; t++) {
      sums[a * sumStride + t] -= rows[o + t];
      sums[j * sumStride + t] = rows[o + t];
    }
    // Loose bounds force this point to be re-examined on the next assignment.
    upper[far] = Infinity;
    lower[far] = 0;
  }
}

function meanVariance(points: Float64Array, n: number, d: number): number {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] += points[i * d + t];
  for (let t = 0; t < d; t++) mean[t] /= n;
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < d; t++) {
      const v = points[i * d + t] - mean[t];
      s += v * v;
    }
  }
  return s / (n * d);
}

/** The sum of squared distances from each point to the centroid of its label. */
export function inertia(
  points: Float64Array,
  centroids: Float64Array,
  labels: Int32Array,
  {n, d}: Shape
): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const o = i * d;
    const c = labels[i] * d;
    for (let t = 0; t < d; t++) {
      const v = points[o + t] - centroids[c + t];
      total += v * v;
    }
  }
  return total;
}
