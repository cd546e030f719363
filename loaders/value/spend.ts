/**
 * Spend per future purchase, the monetary half of customer value: the Gamma-Gamma model of
 * Fader & Hardie (2013) where enough customers have bought again for it to be estimated, and
 * otherwise shrunk empirical spend, which says less but never says something absurd (a
 * Gamma-Gamma fitted on 57 repeat buyers once returned p = 2,033,690).
 */
import {summarise, type FitSummary} from "./clv/fit.ts";
import {expectedSpend, fitGammaGamma, type GammaGammaParams} from "./clv/gamma-gamma.ts";

/** Below this many repeat buyers, spend is shrunk empirical spend, not Gamma-Gamma. */
export const MIN_REPEATERS = 200;
/** The weight, in purchases, of the base's mean in shrunk empirical spend. */
export const SHRINK_PURCHASES = 3;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Expected spend per future purchase of each input customer, and where it came from. */
export interface Spend {
  spend: Float64Array;
  kind: "gamma_gamma" | "shrunk" | null;
  gammaGamma: FitSummary<GammaGammaParams> | null;
  notes: string[];
}

const plural = (n: number, word: string) =>
  `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;

/**
 * Spend per purchase. With at least MIN_REPEATERS repeat buyers whose mean repeat value is
 * positive, the Gamma-Gamma conditional mean (the population mean for x = 0); otherwise, or
 * when Gamma-Gamma does not converge, shrunk empirical spend: (x m + k m̄) / (x + k), each
 * repeat buyer's mean pulled towards the repeat buyers' average m̄ by k = SHRINK_PURCHASES
 * purchases, m̄ for everyone else. No repeat buyer at all: no spend (NaN).
 */
export function spendModel(inputs: {x: Float64Array; mean: Float64Array}): Spend {
  const n = inputs.x.length;
  const notes: string[] = [];
  let repeaters = 0;
  let left = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (inputs.x[i] < 1) continue;
    if (inputs.mean[i] > 0) {
      repeaters++;
      total += inputs.mean[i];
    } else left++;
  }
  if (left > 0)
    notes.push(
      `spend: ${plural(left, "repeat customer")} with a zero, negative or missing mean repeat value left out`
    );
  const spend = new Float64Array(n).fill(NaN);
  if (repeaters === 0) {
    notes.push("spend: no customer has a repeat purchase with a value: expected value left NULL");
    return {spend, kind: null, gammaGamma: null, notes};
  }
  let gammaGamma: FitSummary<GammaGammaParams> | null = null;
  if (repeaters >= MIN_REPEATERS) {
    const x = new Float64Array(repeaters);
    const mean = new Float64Array(repeaters);
    for (let i = 0, j = 0; i < n; i++)
      if (inputs.x[i] >= 1 && inputs.mean[i] > 0) {
        x[j] = inputs.x[i];
        mean[j++] = inputs.mean[i];
      }
    try {
      gammaGamma = summarise(fitGammaGamma(x, mean), repeaters);
      if (!gammaGamma.converged)
        notes.push(
          `Gamma-Gamma did not converge on ${plural(repeaters, "repeat customer")}: spend is shrunk empirical spend`
        );
    } catch (error) {
      notes.push(
        `Gamma-Gamma not fitted on ${plural(repeaters, "repeat customer")} (${message(error)}): spend is shrunk empirical spend`
      );
    }
  } else {
    notes.push(
      `only ${plural(repeaters, "repeat customer")} (Gamma-Gamma needs ${MIN_REPEATERS}): spend is each customer's mean repeat spend shrunk towards the average by ${SHRINK_PURCHASES} purchases`
    );
  }
  const params = gammaGamma?.converged ? gammaGamma.params : null;
  const average = total / repeaters;
  for (let i = 0; i < n; i++) {
    const x = inputs.x[i];
    const m = inputs.mean[i];
    const usable = x >= 1 && m > 0;
    spend[i] = params
      ? expectedSpend(params, usable ? x : 0, usable ? m : 0)
      : usable
        ? (x * m + SHRINK_PURCHASES * average) / (x + SHRINK_PURCHASES)
        : average;
  }
  return {spend, kind: params ? "gamma_gamma" : "shrunk", gammaGamma, notes};
}
