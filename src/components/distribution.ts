/**
 * A profile's distribution of one feature against the whole base, on the base's bins: the base
 * as a grey outline, the profile in its colour, and suppressed bins (fewer than the minimum
 * customers) hatched and labelled, not hidden.
 */
import * as Plot from "npm:@observablehq/plot";
import type {Distribution} from "../contracts/report.js";
import {BASE_COLOR} from "./palette.js";
import {formatShare, formatValue, unitLabel} from "./format.js";

export interface DistributionOptions {
  width: number;
  height?: number;
  color: string;
  minGroupSize: number;
  profileName: string;
  /** The build's currency (data/site.json), for amounts. */
  currency?: string | null;
  document?: Document;
}

/** The histogram of d: share of the profile and of the base in each bin. */
export function distributionChart(
  d: Distribution,
  {width, height = 180, color, minGroupSize, profileName, currency, document}: DistributionOptions
): SVGSVGElement | HTMLElement {
  const {edges, customers, base_customers, profile_customers, all_customers} = d.bins;
  const bins = customers.map((n, i) => ({
    i,
    label: binLabel(d, edges[i], edges[i + 1], i, currency),
    share: n === null ? null : n / (profile_customers || 1),
    base_share: base_customers[i] === null ? null : base_customers[i]! / (all_customers || 1)
  }));
  const suppressed = bins.filter((b) => b.share === null);
  const top = Math.max(0.01, ...bins.map((b) => Math.max(b.share ?? 0, b.base_share ?? 0)));
  const every = tickEvery(
    bins.map((b) => b.label),
    width
  );
  const median = `median ${formatValue(d.profile_median, d.unit, currency)}, against ${formatValue(d.base_median, d.unit, currency)} for all`;
  return Plot.plot({
    document,
    width,
    height,
    title: d.label,
    subtitle: median,
    ariaLabel: `Histogram of ${d.label} for ${profileName} against all customers`,
    marginLeft: 40,
    marginBottom: 34,
    x: {
      label: `${d.label}${unitLabel(d.unit, currency) ? ` (${unitLabel(d.unit, currency)})` : ""}`,
      type: "band",
      domain: bins.map((b) => b.i),
      tickFormat: (i: number) => (i % every === 0 ? bins[i].label : ""),
      tickSize: 0
    },
    y: {label: "Share of customers", tickFormat: "%", domain: [0, top], grid: true, ticks: 3},
    marks: [
      Plot.barY(bins, {
        x: "i",
        y: "share",
        fill: color,
        fillOpacity: 0.85,
        inset: 0.5,
        title: (b) =>
          `${b.label}\n${profileName}: ${formatShare(b.share)}\nAll customers: ${formatShare(b.base_share)}`
      }),
      Plot.barY(suppressed, {
        x: "i",
        y: top,
        fill: "url(#portrait-hatch)",
        fillOpacity: 0.22,
        title: (b) =>
          `${b.label}\n${profileName}: fewer than ${minGroupSize} customers (suppressed)`
      }),
      Plot.tickY(bins, {
        x: "i",
        y: (b) => b.base_share,
        stroke: BASE_COLOR,
        strokeWidth: 2.5,
        title: (b) => `${b.label}\nAll customers: ${formatShare(b.base_share)}`
      }),
      Plot.ruleY([0]),
      () => hatch(document ?? globalThis.document)
    ]
  });
}

/**
 * A bin's label: whole-number bins (cut at halves) name their numbers ("3", "4–7"), score bins
 * their centre ("4.5"), others their lower edge ("≤" on a first bin that holds everything below).
 */
function binLabel(
  d: Distribution,
  x0: number,
  x1: number,
  i: number,
  currency?: string | null
): string {
  const half = (x: number) => Math.abs(x - Math.round(x - 0.5) - 0.5) < 1e-9;
  if (half(x0) && half(x1)) {
    const [lo, hi] = [x0 + 0.5, x1 - 0.5];
    return lo === hi ? String(lo) : `${lo}–${hi}`;
  }
  if (d.unit === "score") return String((x0 + x1) / 2);
  const lower = formatValue(x0, d.unit === "days" ? "" : d.unit, currency);
  return i === 0 && d.clipped ? `≤${lower}` : lower;
}

/** Every how many bins the x axis names one: fewer when the labels are wider than their bins. */
function tickEvery(labels: string[], width: number): number {
  const n = labels.length;
  const rule = n <= 10 ? 1 : n <= 16 ? 3 : 4;
  // About 7 px a character at the axis' 10 px, a 10 px gap, 60 px of margins.
  const room = (width - 60) / n;
  const widest = Math.max(0, ...labels.map((l) => l.length)) * 7 + 10;
  return Math.max(rule, Math.ceil(widest / room));
}

/** The pattern that marks suppressed bins. */
function hatch(document: Document): SVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const defs = document.createElementNS(ns, "defs");
  const pattern = document.createElementNS(ns, "pattern");
  pattern.setAttribute("id", "portrait-hatch");
  pattern.setAttribute("width", "6");
  pattern.setAttribute("height", "6");
  pattern.setAttribute("patternUnits", "userSpaceOnUse");
  pattern.setAttribute("patternTransform", "rotate(45)");
  const line = document.createElementNS(ns, "line");
  line.setAttribute("x1", "0");
  line.setAttribute("y1", "0");
  line.setAttribute("x2", "0");
  line.setAttribute("y2", "6");
  line.setAttribute("stroke", "currentColor");
  line.setAttribute("stroke-width", "2");
  pattern.append(line);
  defs.append(pattern);
  return defs as SVGElement;
}
