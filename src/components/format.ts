/** Numbers as the pages write them, by the unit the feature catalog gives. */
import * as d3 from "npm:d3";

const percent = d3.format(".0%");
const whole = d3.format(",.0f");
const one = d3.format(",.1f");
const two = d3.format(",.2f");

/** A value in its unit: shares and flags as percentages, amounts whole, scores to two decimals. */
export function formatValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  switch (unit) {
    case "share":
    case "flag":
      return percent(value);
    case "currency":
      return whole(value);
    case "days":
      return `${whole(value)} days`;
    case "hours":
      return `${one(value)} h`;
    case "minutes":
      return `${one(value)} min`;
    case "years":
      return `${one(value)} years`;
    case "score":
    case "log ratio":
      return two(value);
    default:
      return Math.abs(value) >= 100 ? whole(value) : one(value);
  }
}

/** A label with its unit for a heading or an axis, when the unit is not already obvious. */
export function labelWithUnit(label: string, unit: string): string {
  return unit === "share" || unit === "flag" || unit === "category" ? label : `${label} (${unit})`;
}

/** A signed effect size, "+0.84" or "−0.31". */
export function formatEffect(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  return `${value >= 0 ? "+" : "−"}${Math.abs(value).toFixed(2)}`;
}
