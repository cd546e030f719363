/**
 * How well a risk score did against what happened: the measures the backtest publishes. Every
 * function takes predictions (a probability, or any score where higher means more likely) and
 * outcomes (1 happened, 0 did not) of the same length, and ignores pairs where either is NaN.
 *
 * - `auc`: the area under the ROC curve, the chance that a random customer who lapsed scored
 *   above a random one who did not (ties count half); 0.5 is no better than a coin.
 * - `brier` and `logLoss`: proper scores of the probabilities themselves (lower is better).
 * - `calibration`: predicted against actual rates in groups of equal size by prediction.
 * - `flagAt` / `chooseThreshold`: precision and recall of "flag when the score is at least t",
 *   and the threshold a rule (a target precision, or a top share of customers) picks.
 */
import {formatShare} from "../../src/contracts/share.ts";

/**
 * Pairs with both values present: the scores and outcomes (1 or 0), in their order; the inputs
 * themselves when they are that already (no copy of a million values for nothing).
 */
function present(
  scores: ArrayLike<number>,
  outcomes: ArrayLike<number>
): {s: ArrayLike<number>; y: ArrayLike<number>} {
  if (scores.length !== outcomes.length)
    throw new Error(`scores (${scores.length}) and outcomes (${outcomes.length}) differ in length`);
  let n = 0;
  let binary = true;
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i]) || Number.isNaN(outcomes[i])) continue;
    n++;
    if (outcomes[i] !== 0 && outcomes[i] !== 1) binary = false;
  }
  if (n === scores.length && binary) return {s: scores, y: outcomes};
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0, j = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i]) || Number.isNaN(outcomes[i])) continue;
    s[j] = scores[i];
    y[j++] = outcomes[i] > 0 ? 1 : 0;
  }
  return {s, y};
}

/**
 * Indices of `s` from the highest score to the lowest, ties in input order. A counting sort on
 * each score's rank among the distinct scores (found by a native numeric sort and a binary
 * search): on a million scores a tenth of a second, where sorting indices with a comparator took
 * most of a second, and the backtest sorts a few times per candidate.
 */
function descending(s: ArrayLike<number>): Int32Array {
  const n = s.length;
  const sorted = (s instanceof Float64Array ? s.slice() : Float64Array.from(s)).sort();
  // The distinct scores, ascending (−0 and 0 compare equal, so they are one).
  const distinct = new Float64Array(n);
  let m = 0;
  for (let i = 0; i < n; i++)
    if (m === 0 || sorted[i] !== distinct[m - 1]) distinct[m++] = sorted[i];
  // Rank 0 is the highest score; start[r + 1] first counts the scores of rank r.
  const rank = new Int32Array(n);
  const start = new Int32Array(m + 1);
  for (let i = 0; i < n; i++) {
    let lo = 0;
    let hi = m - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (distinct[mid] < s[i]) lo = mid + 1;
      else hi = mid;
    }
    rank[i] = m - 1 - lo;
    start[rank[i] + 1]++;
  }
  for (let r = 0; r < m; r++) start[r + 1] += start[r];
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[start[rank[i]]++] = i;
  return order;
}

/**
 * The area under the ROC curve by the rank-sum (Mann–Whitney) statistic, ties counted half;
 * NaN when either class is empty (nothing to separate).
 */
export function auc(scores: ArrayLike<number>, outcomes: ArrayLike<number>): number {
  const {s, y} = present(scores, outcomes);
  const order = descending(s);
  let positives = 0;
  for (let i = 0; i < y.length; i++) positives += y[i];
  const negatives = y.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  // Walk from the top: each negative beats nothing it follows; count positive-over-negative
  // pairs group by group of tied scores.
  let above = 0; // positives strictly above the current group
  let pairs = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    let p = 0;
    let n = 0;
    while (j < order.length && s[order[j]] === s[order[i]]) {
      if (y[order[j]]) p++;
      else n++;
      j++;
    }
    pairs += n * (above + p / 2);
    above += p;
    i = j;
  }
  return pairs / (positives * negatives);
}

/** The mean squared difference between probability and outcome. */
export function brier(probabilities: ArrayLike<number>, outcomes: ArrayLike<number>): number {
  const {s, y} = present(probabilities, outcomes);
  if (s.length === 0) return NaN;
  let total = 0;
  for (let i = 0; i < s.length; i++) total += (s[i] - y[i]) ** 2;
  return total / s.length;
}

/** The mean negative log-likelihood of the outcomes, probabilities clipped to [1e-12, 1 − 1e-12]. */
export function logLoss(probabilities: ArrayLike<number>, outcomes: ArrayLike<number>): number {
  const {s, y} = present(probabilities, outcomes);
  if (s.length === 0) return NaN;
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const p = Math.min(1 - 1e-12, Math.max(1e-12, s[i]));
    total -= y[i] ? Math.log(p) : Math.log1p(-p);
  }
  return total / s.length;
}

/** One group of the calibration table: its customers, mean prediction and actual rate. */
export interface CalibrationGroup {
  /** 1 for the lowest predictions. */
  group: number;
  customers: number;
  predicted: number;
  actual: number;
}

/**
 * Predicted against actual in `groups` groups of (nearly) equal size, by prediction from the
 * lowest: the calibration chart. Ties are split by input order, so the groups are deterministic.
 */
export function calibration(
  probabilities: ArrayLike<number>,
  outcomes: ArrayLike<number>,
  groups = 10
): CalibrationGroup[] {
  const {s, y} = present(probabilities, outcomes);
  const order = descending(s).reverse();
  const out: CalibrationGroup[] = [];
  const n = order.length;
  const k = Math.min(groups, n);
  for (let g = 0; g < k; g++) {
    const from = Math.floor((g * n) / k);
    const to = Math.floor(((g + 1) * n) / k);
    let predicted = 0;
    let actual = 0;
    for (let i = from; i < to; i++) {
      predicted += s[order[i]];
      actual += y[order[i]];
    }
    const size = to - from;
    out.push({group: g + 1, customers: size, predicted: predicted / size, actual: actual / size});
  }
  return out;
}

/** "Flag when the score is at least `threshold`", measured. */
export interface Flag {
  threshold: number;
  /** Customers flagged, and their share of all scored. */
  flagged: number;
  share: number;
  /** Of those flagged, the share that did lapse (NaN when nobody is flagged). */
  precision: number;
  /** Of those who lapsed, the share that was flagged (NaN when nobody lapsed). */
  recall: number;
  /** The share that lapsed among all scored: what flagging at random would reach. */
  baseRate: number;
}

/** Precision and recall of flagging every customer whose score is at least `threshold`. */
export function flagAt(
  scores: ArrayLike<number>,
  outcomes: ArrayLike<number>,
  threshold: number
): Flag {
  const {s, y} = present(scores, outcomes);
  let flagged = 0;
  let hits = 0;
  let positives = 0;
  for (let i = 0; i < s.length; i++) {
    positives += y[i];
    if (s[i] >= threshold) {
      flagged++;
      hits += y[i];
    }
  }
  return {
    threshold,
    flagged,
    share: s.length ? flagged / s.length : NaN,
    precision: flagged ? hits / flagged : NaN,
    recall: positives ? hits / positives : NaN,
    baseRate: s.length ? positives / s.length : NaN
  };
}

/** How the at-risk threshold is chosen on the backtest. */
export type FlagRule = {precision: number} | {share: number};

/** The threshold a rule picks, or why none fits it. */
export type Choice = {flag: Flag} | {flag: null; reason: string; best: Flag | null};

/**
 * The threshold for a rule, measured on the backtest's scores and outcomes.
 * - `{precision: p}`: the lowest threshold (so the most customers caught) at which at least a
 *   share p of those flagged lapsed, never below `floor`; the threshold sits on a score that
 *   occurs, so "at least t" flags exactly the customers counted.
 * - `{share: q}`: the score of the customer at the top share q; ties at it are all flagged.
 * `floor` (default 0.5) keeps a probability threshold meaningful: nobody is flagged who is
 * likelier to stay than to lapse.
 */
export function chooseThreshold(
  scores: ArrayLike<number>,
  outcomes: ArrayLike<number>,
  rule: FlagRule,
  floor = 0.5
): Choice {
  const {s, y} = present(scores, outcomes);
  if (s.length === 0) return {flag: null, reason: "no customer was scored", best: null};
  const order = descending(s);
  if ("share" in rule) {
    const k = Math.max(1, Math.round(rule.share * s.length));
    const threshold = s[order[k - 1]];
    return {flag: flagAt(s, y, threshold)};
  }
  // Walk down the ranking; at the end of each group of tied scores the flag "≥ that score" is
  // measured. Keep the lowest threshold whose precision reaches the target.
  let flagged = 0;
  let hits = 0;
  let chosen: number | null = null;
  let best: {threshold: number; precision: number} | null = null;
  for (let i = 0; i < order.length;) {
    const score = s[order[i]];
    if (score < floor) break;
    while (i < order.length && s[order[i]] === score) {
      flagged++;
      hits += y[order[i]];
      i++;
    }
    const precision = hits / flagged;
    if (precision >= rule.precision) chosen = score;
    if (!best || precision > best.precision) best = {threshold: score, precision};
  }
  if (chosen !== null) return {flag: flagAt(s, y, chosen)};
  return {
    flag: null,
    reason: best
      ? `no threshold reached a precision of ${formatShare(rule.precision)} in the backtest (the best was ${formatShare(best.precision)})`
      : `no customer had a probability of lapsing of ${formatShare(floor)} or more in the backtest`,
    best: best ? flagAt(s, y, best.threshold) : null
  };
}
