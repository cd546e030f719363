/**
 * How a profile spreads across one segmentation: of the profile's customers, the share in each
 * segment, against the segment's share of all customers. Suppressed cells are named as such.
 */
import * as Plot from "npm:@observablehq/plot";
import {BASE_COLOR} from "./palette.js";
import {formatCustomers, formatShare} from "./format.js";

export interface SpreadRow {
  value: string;
  position: number;
  customers: number | null;
  segment_customers: number | null;
  share: number | null;
  share_of_segment: number | null;
}

/** Paired bars per segment: the profile's customers there and the base's. */
export function spreadChart(
  rows: SpreadRow[],
  {
    width,
    title,
    color,
    profileName,
    minGroupSize,
    total,
    document
  }: {
    width: number;
    title: string;
    color: string;
    profileName: string;
    minGroupSize: number;
    total: number;
    document?: Document;
  }
): SVGSVGElement | HTMLElement {
  const data = rows
    .filter((r) => r.segment_customers !== null || r.customers !== null)
    .map((r) => ({
      ...r,
      label: r.customers === null ? `${r.value} (fewer than ${minGroupSize})` : r.value,
      base: r.segment_customers === null ? null : r.segment_customers / total
    }));
  const top = Math.max(0.05, ...data.map((d) => Math.max(d.share ?? 0, d.base ?? 0)));
  return Plot.plot({
    document,
    width,
    height: 40 + 22 * data.length,
    title,
    ariaLabel: `Bar chart of ${profileName}'s customers across ${title}`,
    marginLeft: Math.min(220, width * 0.4),
    x: {label: "Share of customers", tickFormat: "%", grid: true, domain: [0, top]},
    y: {label: null, domain: data.map((d) => d.label), tickSize: 0},
    color: {legend: true, domain: [profileName, "All customers"], range: [color, BASE_COLOR]},
    marks: [
      Plot.barX(data, {
        x: "share",
        y: "label",
        fill: () => profileName,
        insetTop: 2,
        insetBottom: 9,
        title: (d) =>
          `${d.value}\n${profileName}: ${formatCustomers(d.customers, minGroupSize)} customers, ${formatShare(d.share)} of the profile\n${formatShare(d.share_of_segment)} of this segment's customers are ${profileName}`
      }),
      Plot.barX(data, {
        x: "base",
        y: "label",
        fill: () => "All customers",
        insetTop: 11,
        insetBottom: 2
      }),
      Plot.ruleX([0])
    ]
  });
}
