/**
 * The one way a share is written, on both sides: the engine's sentences, briefs and messages,
 * and every page and chart. "12%" above ten percent, "4.6%" below it, a true minus sign, no
 * space: the same as d3's ".0%" and ".1%" formats, so a tooltip, a table and a sentence about
 * the same number read the same. Pure: no libraries.
 */

/** A share (0.123) as a percentage ("12%"; "4.6%" under 10%); "–" when there is none. */
export function formatShare(x: number | null | undefined): string {
  if (x == null || !Number.isFinite(x)) return "–";
  return formatPercent(x * 100, Math.abs(x) < 0.1 && x !== 0 ? 1 : 0);
}

/** A change in percent with its sign ("+12%", "−8%"); "–" when there is none. */
export function formatPercentChange(x: number | null | undefined, digits = 0): string {
  if (x == null || !Number.isFinite(x)) return "–";
  return `${x > 0 ? "+" : ""}${formatPercent(x * 100, digits)}`;
}

/** A number of percent written with `digits` decimals and a percent sign ("12.5%", "−3%"). */
export function formatPercent(percent: number, digits: number): string {
  const text = Math.abs(percent).toFixed(digits);
  const zero = Number(text) === 0;
  return `${percent < 0 && !zero ? "−" : ""}${text}%`;
}
