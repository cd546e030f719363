/**
 * Quantifiers: the word a sentence uses for a share of a profile ("most", "a third", "nearly
 * all"), chosen from the percentage the same sentence prints, so the word and the number never
 * disagree ("most" only above 50 %, "a third" only near 33 %).
 */
import {formatShare} from "../../src/contracts/share.ts";

/** The percentage a sentence prints for a share: 64 for "64%", 4.6 for "4.6%". */
export function shownPercent(share: number): number {
  return Number(formatShare(share).replace(/[^\d.]/g, ""));
}

/** How far from a fraction a share may be and still be called that fraction ("a third"), in points. */
const NEAR = 1.5;

const FRACTIONS: [number, string][] = [
  [100 / 3, "a third"],
  [25, "a quarter"],
  [20, "a fifth"]
];

/**
 * The quantifier for a share of a group, lower case: "all", "nearly all" (90 % or more), "most"
 * (over half), "half", "nearly half" (45 % or more), "a third", "more than a third", "a quarter",
 * "more than a quarter", "a fifth", "more than a fifth", "more than one in ten", "one in ten",
 * "a few" (under 10 %), "none".
 */
export function quantifier(share: number): string {
  const p = shownPercent(share);
  if (p >= 100) return "all";
  if (p >= 90) return "nearly all";
  if (p > 50) return "most";
  if (p === 50) return "half";
  if (p >= 45) return "nearly half";
  for (const [fraction, words] of FRACTIONS) {
    if (Math.abs(p - fraction) <= NEAR) return words;
    if (p > fraction) return `more than ${words}`;
  }
  if (Math.abs(p - 10) <= 0.5) return "one in ten";
  if (p > 10) return "more than one in ten";
  return p > 0 ? "a few" : "none";
}
