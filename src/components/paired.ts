/**
 * Paired horizontal bars, the profile against the whole base on each row (a category's levels,
 * a segmentation's segments): the profile's share in its colour, the base's in grey beneath,
 * named by labels at the ends of one row's bars instead of a legend.
 */
import * as Plot from "npm:@observablehq/plot";
import {BASE_COLOR} from "./palette.js";
import {CHAR_PX, shareTick} from "./format.js";

export interface PairedRow {
  label: string;
  /** The profile's share; null when suppressed (the label should say so). */
  profile: number | null;
  base: number | null;
  /** What a reader hovering the row sees. */
  tip: string;
}

const BASE_NAME = "All customers";
const MARGIN_TOP = 10;
const MARGIN_BOTTOM = 34;

/** One row per label: the profile's bar above the base's, on a shared share axis. */
export function pairedBars(
  rows: PairedRow[],
  {
    width,
    title,
    subtitle,
    ariaLabel,
    color,
    profileName,
    caption,
    document
  }: {
    width: number;
    title: string;
    subtitle?: string;
    ariaLabel: string;
    color: string;
    profileName: string;
    /** A note under the chart (what it leaves out). */
    caption?: string;
    document?: Document;
  }
): SVGSVGElement | HTMLElement {
  const marginLeft = Math.min(220, width * 0.4);
  const marginRight = 12;
  const plotWidth = Math.max(1, width - marginLeft - marginRight);
  const end = (r: PairedRow) => Math.max(r.profile ?? 0, r.base ?? 0);
  let top = Math.max(0.05, ...rows.map(end));
  // The two names go at the ends of the shortest row's bars; where even that row leaves too
  // little room, the axis runs on far enough to fit them.
  // (a row where both bars show, so that each name sits by its bar)
  const both = rows.filter((r) => (r.profile ?? 0) > 0 && (r.base ?? 0) > 0);
  const labelled = (both.length ? both : rows).reduce<PairedRow | undefined>(
    (a, r) => (!a || end(r) < end(a) ? r : a),
    undefined
  );
  const room = CHAR_PX * Math.max(profileName.length, BASE_NAME.length) + 8;
  if (labelled && room < plotWidth * 0.8 && (1 - end(labelled) / top) * plotWidth < room)
    top = (end(labelled) * plotWidth) / (plotWidth - room);
  const nameAt = (x: number | null, text: string, dy: number) =>
    Plot.text(labelled ? [labelled] : [], {
      x: () => x ?? 0,
      y: "label",
      text: () => text,
      dy,
      dx: 4,
      textAnchor: "start",
      fill: "currentColor",
      fontSize: 10
    });
  return Plot.plot({
    document,
    width,
    // rows of 30 px, each band 25.5 px: the profile's bar on its top 11 px, the base's beneath
    height: MARGIN_TOP + MARGIN_BOTTOM + 30 * rows.length,
    marginTop: MARGIN_TOP,
    marginBottom: MARGIN_BOTTOM,
    title,
    subtitle,
    caption,
    ariaLabel,
    marginLeft,
    marginRight,
    x: {label: "Share of customers", tickFormat: shareTick, grid: true, domain: [0, top]},
    y: {label: null, domain: rows.map((r) => r.label), tickSize: 0, padding: 0.15},
    marks: [
      Plot.barX(rows, {
        x: "profile",
        y: "label",
        fill: color,
        insetTop: 1.5,
        insetBottom: 13,
        title: "tip"
      }),
      Plot.barX(rows, {
        x: "base",
        y: "label",
        fill: BASE_COLOR,
        insetTop: 13,
        insetBottom: 1.5,
        title: "tip"
      }),
      nameAt(labelled?.profile ?? null, profileName, -6),
      nameAt(labelled?.base ?? null, BASE_NAME, 6),
      Plot.ruleX([0])
    ]
  });
}
