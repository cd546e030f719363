/**
 * A profile's distribution of one feature against the whole base, on the base's bins: the base
 * as a grey outline, the profile in its colour, and suppressed bins (fewer than the minimum
 * customers) marked on the baseline and named in a note under the chart: never drawn as a bar,
 * so a suppressed bin is never the tallest shape.
 */
import * as Plot from "npm:@observablehq/plot";
import type {Distribution} from "../contracts/report.js";
import {BASE_COLOR} from "./palette.js";
import {
  capitalise,
  formatShare,
  formatValue,
  shareTick,
  suppressedWhy,
  unitLabel
} from "./format.js";

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
    title: finding(d),
    subtitle: median,
    caption: suppressed.length
      ? `× ${suppressed.length === 1 ? "a bin" : `${suppressed.length} bins`} not shown (suppressed): ${suppressedWhy(minGroupSize)}.`
      : undefined,
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
    y: {label: "Share of customers", tickFormat: shareTick, domain: [0, top], grid: true, ticks: 3},
    marks: [
      Plot.barY(
        bins.filter((b) => b.share !== null),
        {
          x: "i",
          y: "share",
          fill: color,
          fillOpacity: 0.85,
          inset: 0.5,
          title: (b) =>
            `${b.label}\n${profileName}: ${formatShare(b.share)}\nAll customers: ${formatShare(b.base_share)}`
        }
      ),
      Plot.dot(suppressed, {
        x: "i",
        y: 0,
        symbol: "times",
        r: 3.5,
        stroke: "currentColor",
        strokeWidth: 1.5,
        title: (b) => `${b.label}\n${profileName}: suppressed (${suppressedWhy(minGroupSize)})`
      }),
      Plot.tickY(bins, {
        x: "i",
        y: (b) => b.base_share,
        stroke: BASE_COLOR,
        strokeWidth: 2.5,
        title: (b) => `${b.label}\nAll customers: ${formatShare(b.base_share)}`
      }),
      Plot.ruleY([0])
    ]
  });
}

/**
 * The chart's title, its finding: "higher" or "lower" than all customers where the feature sets
 * the profile apart, "no clear difference" where it was measured and does not, the bare label
 * where no effect was measured (the value distributions).
 */
function finding(d: Distribution): string {
  const label = capitalise(d.label);
  if (d.effect === null) return label;
  if (!d.distinguishing) return `${label}: no clear difference from all customers`;
  return `${label}: ${d.effect > 0 ? "higher" : "lower"} than for all customers`;
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
