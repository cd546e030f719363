/**
 * The Overview's KPI tiles: a figure, its change since the previous snapshot in words ("+9.7%
 * since 31 July 2026", "+8.1 points"), and a sparkline of the snapshots, which screen readers
 * read as the list of values it draws. A missing value breaks the line; fewer than two values
 * draw no line at all.
 */
import {longDate} from "../contracts/risk.js";
import {formatPercentChange} from "../contracts/share.js";

const SVG = "http://www.w3.org/2000/svg";

export interface SparklineOptions {
  /** How a value reads aloud ("20,005", "11%"). */
  format: (value: number) => string;
  /** What the values are, for the label: "Customers at each quarter end". */
  label: string;
  dates: readonly string[];
  width?: number;
  height?: number;
  document?: Document;
}

/** A small line of `values` (oldest first), its last point marked; null without two values. */
export function sparkline(
  values: readonly (number | null)[],
  {format, label, dates, width = 120, height = 28, document: doc = document}: SparklineOptions
): SVGSVGElement | null {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length < 2) return null;
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  const pad = 3;
  const x = (i: number) => pad + (i * (width - 2 * pad)) / Math.max(1, values.length - 1);
  const y = (v: number) =>
    hi === lo ? height / 2 : height - pad - ((v - lo) * (height - 2 * pad)) / (hi - lo);
  const svg = doc.createElementNS(SVG, "svg");
  svg.setAttribute("class", "sparkline");
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(height));
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  const spoken = values
    .map((v, i) => `${longDate(dates[i])}: ${v === null ? "not measured" : format(v)}`)
    .join("; ");
  svg.setAttribute("aria-label", `${label}. ${spoken}.`);
  let d = "";
  let pen = false;
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      pen = false;
      return;
    }
    d += `${pen ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  });
  const path = doc.createElementNS(SVG, "path");
  path.setAttribute("d", d);
  path.setAttribute("fill", "none");
  path.setAttribute("stroke", "currentColor");
  path.setAttribute("stroke-width", "1.5");
  svg.append(path);
  const last = values.length - 1;
  const end = values[last];
  if (end !== null && Number.isFinite(end)) {
    const dot = doc.createElementNS(SVG, "circle");
    dot.setAttribute("cx", x(last).toFixed(1));
    dot.setAttribute("cy", y(end).toFixed(1));
    dot.setAttribute("r", "2.5");
    dot.setAttribute("fill", "currentColor");
    svg.append(dot);
  }
  return svg;
}

/**
 * The change from the previous snapshot in words: a relative change for counts and amounts
 * ("+9.7%"), a change in points for shares ("+8.1 points"); null where either side is missing.
 */
export function changeSince(
  previous: number | null | undefined,
  now: number | null | undefined,
  kind: "relative" | "points"
): string | null {
  if (previous == null || now == null || !Number.isFinite(previous) || !Number.isFinite(now))
    return null;
  if (kind === "points") {
    const d = (now - previous) * 100;
    if (Math.abs(d) < 0.05) return "no change";
    return `${d > 0 ? "+" : "−"}${Math.abs(d).toFixed(1)} points`;
  }
  if (previous === 0) return null;
  const ratio = now / previous - 1;
  return Math.abs(ratio) < 0.0005 ? "no change" : formatPercentChange(ratio, 1);
}
