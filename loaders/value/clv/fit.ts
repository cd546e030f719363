/**
 * What every maximum-likelihood fit of the value models shares: the result it reports, the
 * check that its input arrays line up, and the grouping of customers by x that lets ln Γ and ψ
 * terms (which depend on x only) be evaluated once per distinct x.
 */

/** A fitted model: parameters, log-likelihood and how the optimiser got there. */
export interface Fit<P> {
  params: P;
  /** Total (weighted) log-likelihood at params, including every constant term of the density. */
  logLikelihood: number;
  /** BFGS iterations plus Newton polishing steps. */
  iterations: number;
  /** Whether the gradient of the mean log-likelihood (in log-parameters) fell below 1e-7. */
  converged: boolean;
  /** What the fit found that a reader should know (e.g. a limiting case of the model). */
  note?: string;
}

/** A fit as reported: its parameters and statistics, and the number of customers fitted. */
export interface FitSummary<P> {
  params: P;
  logLikelihood: number;
  converged: boolean;
  iterations: number;
  customers: number;
}

export function summarise<P>(fit: Fit<P>, customers: number): FitSummary<P> {
  const {params, logLikelihood, converged, iterations} = fit;
  return {params, logLikelihood, converged, iterations, customers};
}

/** The common length of the input arrays; throws when one is empty or the lengths differ. */
export function checkArrays(names: string[], arrays: Float64Array[]): number {
  const n = arrays[0].length;
  if (n === 0) throw new Error(`${names[0]} is empty`);
  for (let k = 1; k < arrays.length; k++) {
    if (arrays[k].length !== n) {
      throw new Error(`${names[k]} has length ${arrays[k].length}, expected ${n} (as ${names[0]})`);
    }
  }
  return n;
}

/** Groups the values of x: `group[i]` indexes `values`, whose summed weights are `totals`. */
export function groupValues(x: Float64Array, weights: Float64Array) {
  const lookup = new Map<number, number>();
  const group = new Int32Array(x.length);
  const values: number[] = [];
  const totals: number[] = [];
  for (let i = 0; i < x.length; i++) {
    let g = lookup.get(x[i]);
    if (g === undefined) {
      g = values.length;
      lookup.set(x[i], g);
      values.push(x[i]);
      totals.push(0);
    }
    group[i] = g;
    totals[g] += weights[i];
  }
  return {group, values: Float64Array.from(values), totals: Float64Array.from(totals)};
}
