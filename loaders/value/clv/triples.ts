/**
 * The purchase-history summary the BG/NBD family of models fits on, one (x, t_x, T) triple per
 * customer (repeat purchases, time of the last repeat purchase, time observed), checked and
 * compressed to unique triples with summed weights: customers with the same history add the
 * same term to the likelihood, so each distinct triple is evaluated once.
 */
import {checkArrays} from "./fit.ts";

/** Unique (x, t_x, T) triples with summed weights; `index[i]` is the triple of input row i. */
export interface Compressed {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  weights: Float64Array;
  index: Int32Array;
}

/**
 * The number of customers; throws, naming the customer, unless every x and T is finite and
 * ≥ 0, every t_x of a repeat customer lies in [0, T] and the weights (if any) are ≥ 0 and not all 0.
 */
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
