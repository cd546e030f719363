/**
 * Paired horizontal bars, the profile against the whole base on each row (a category's levels,
 * a segmentation's segments): the profile's share in its colour, the base's in grey beneath.
 */
import * as Plot from "npm:@observablehq/plot";
import {BASE_COLOR} from "./palette.js";
import {shareTick} from "./format.js";

export interface PairedRow {
  label: string;
  /** The profile's share; null when suppressed (the label should say so). */
  profile: number | null;
  base: number | null;
  /** What a reader hovering the row sees. */
  tip: string;
}

/** One row per label: the profile's bar above the base's, on a shared share axis. */
export function pairedBars(
  rows: PairedRow[],
  {
    width,
    title,
    ariaLabel,
    color,
    profileName,
    caption,
    document
  }: {
    width: number;
    title: string;
    ariaLabel: string;
    color: string;
    profileName: string;
    /** A note under the chart (what it leaves out). */
    caption?: string;
    document?: Document;
  }
): SVGSVGElement | HTMLElement {
  const top = Math.max(0.05, ...rows.map((r) => Math.max(r.profile ?? 0, r.base ?? 0)));
  return Plot.plot({
    document,
    width,
    height: 36 + 24 * rows.length,
    title,
    caption,
    ariaLabel,
    marginLeft: Math.min(220, width * 0.4),
    x: {label: "Share of customers", tickFormat: shareTick, grid: true, domain: [0, top]},
    y: {label: null, domain: rows.map((r) => r.label), tickSize: 0},
    color: {legend: true, domain: [profileName, "All customers"], range: [color, BASE_COLOR]},
    marks: [
      Plot.barX(rows, {
        x: "profile",
        y: "label",
        fill: () => profileName,
        insetTop: 2,
        insetBottom: 10,
        title: "tip"
      }),
      Plot.barX(rows, {
        x: "base",
        y: "label",
        fill: () => "All customers",
        insetTop: 12,
        insetBottom: 2,
        title: "tip"
      }),
      Plot.ruleX([0])
    ]
  });
}
