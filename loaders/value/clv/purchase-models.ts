/**
 * The non-contractual purchase models side by side, behind one interface, so the backtest can
 * fit and score each the same way and the value stage can use whichever did best:
 * - `bgnbd`: BG/NBD (Fader, Hardie & Lee 2005): dropout only after a repeat purchase, so a
 *   one-time buyer is always "alive";
 * - `mbgnbd`: MBG/NBD (Batislam, Denizel & Filiztekin 2007): dropout at the first purchase too;
 * - `pareto_nbd`: Pareto/NBD (Schmittlein, Morrison & Colombo 1987): dropout at any moment.
 * Every prediction is computed once per distinct (x, t_x, T) (triples.ts) and spread to the
 * customers who share it.
 */
import {
  expectedPurchases,
  fitBgNbd,
  fitMbgNbd,
  pAlive,
  pNoPurchase,
  type BgNbdParams
} from "./bg-nbd.ts";
import type {Fit} from "./fit.ts";
import {
  fitParetoNbd,
  paretoNbdExpectedPurchases,
  paretoNbdPAlive,
  paretoNbdPNoPurchase,
  type ParetoNbdParams
} from "./pareto-nbd.ts";
import type {Compressed} from "./triples.ts";

export type PurchaseModelName = "bgnbd" | "mbgnbd" | "pareto_nbd";
export const PURCHASE_MODEL_NAMES: readonly PurchaseModelName[] = ["bgnbd", "mbgnbd", "pareto_nbd"];

type Params = BgNbdParams | ParetoNbdParams;

interface PurchaseModel<P extends Params> {
  /** The name a reader sees. */
  label: string;
  fit(data: Compressed): Fit<P>;
  alive(params: P, x: number, tx: number, T: number): number;
  expected(params: P, t: number, x: number, tx: number, T: number): number;
  none(params: P, t: number, x: number, tx: number, T: number): number;
}

const bg = (variant: "bg" | "mbg", label: string): PurchaseModel<BgNbdParams> => ({
  label,
  fit: (d) => (variant === "bg" ? fitBgNbd : fitMbgNbd)(d.x, d.tx, d.T, d.weights),
  alive: (p, x, tx, T) => pAlive(p, x, tx, T, variant),
  expected: (p, t, x, tx, T) => expectedPurchases(p, t, x, tx, T, variant),
  none: (p, t, x, tx, T) => pNoPurchase(p, t, x, tx, T, variant)
});

const MODELS: {
  [K in PurchaseModelName]: PurchaseModel<K extends "pareto_nbd" ? ParetoNbdParams : BgNbdParams>;
} = {
  bgnbd: bg("bg", "BG/NBD"),
  mbgnbd: bg("mbg", "MBG/NBD"),
  pareto_nbd: {
    label: "Pareto/NBD",
    fit: (d) => fitParetoNbd(d.x, d.tx, d.T, d.weights),
    alive: paretoNbdPAlive,
    expected: paretoNbdExpectedPurchases,
    none: paretoNbdPNoPurchase
  }
};

/** The reader's name of a model. */
export const purchaseModelLabel = (name: PurchaseModelName) => MODELS[name].label;

/** A fitted model: its name and parameters (as a record, for tables). */
export interface FittedPurchaseModel {
  name: PurchaseModelName;
  fit: Fit<Record<string, number>>;
}

/** Fits a model on compressed customers; throws as the model's fit does. */
export function fitPurchaseModel(name: PurchaseModelName, data: Compressed): FittedPurchaseModel {
  const fit = MODELS[name].fit(data) as Fit<Params>;
  return {name, fit: {...fit, params: {...fit.params}}};
}

/**
 * Whether the fit found any dropout at all: a mean dropout probability per purchase (BG/NBD,
 * MBG/NBD: a / (a + b)) or rate per week (Pareto/NBD: s / β) above 1e-6. At the boundary the
 * model says every customer is certainly alive, which the history cannot support: a short
 * history in which nobody has visibly left yet.
 */
export function dropoutFound(model: FittedPurchaseModel): boolean {
  const p = model.fit.params;
  const dropout = model.name === "pareto_nbd" ? p.s / p.beta : p.a / (p.a + p.b);
  return dropout > 1e-6;
}

/** Per-customer outputs of a fitted model (length = customers; NaN where it failed). */
export interface PurchasePredictions {
  /** P(alive) at T. */
  alive: Float64Array;
  /** P(no purchase in the next `lapse` time units). */
  none: Float64Array;
  /** Expected purchases over each horizon asked for, in order. */
  expected: Float64Array[];
}

/**
 * Predictions of a fitted model for compressed customers: each distinct triple once, then
 * spread by `data.index`. `lapse` and `horizons` are in the time unit of the triples.
 */
export function predictPurchases(
  model: FittedPurchaseModel,
  data: Compressed,
  lapse: number,
  horizons: readonly number[]
): PurchasePredictions {
  const m = MODELS[model.name] as PurchaseModel<Params>;
  const params = model.fit.params as unknown as Params;
  const u = data.x.length;
  const alive = new Float64Array(u);
  const none = new Float64Array(u);
  const expected = horizons.map(() => new Float64Array(u));
  for (let k = 0; k < u; k++) {
    const [x, tx, T] = [data.x[k], data.tx[k], data.T[k]];
    alive[k] = m.alive(params, x, tx, T);
    none[k] = m.none(params, lapse, x, tx, T);
    horizons.forEach((t, h) => (expected[h][k] = m.expected(params, t, x, tx, T)));
  }
  const spread = (values: Float64Array) => Float64Array.from(data.index, (k) => values[k]);
  return {alive: spread(alive), none: spread(none), expected: expected.map(spread)};
}
