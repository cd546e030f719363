/**
 * Segments against profiles: the profile mix inside one segment (against the whole base's
 * mix), and the whole segment-by-profile crosstab as a grid of shares. Suppressed cells, fewer
 * than the minimum customers, are marked, never drawn as a number.
 */
import * as Plot from "npm:@observablehq/plot";
import {formatCustomers, formatShare, shareTick} from "./format.js";

type Colors = {domain: string[]; range: string[]};

export interface MixRow {
  profile_id: string;
  name: string;
  /** Customers of the profile in the segment; null when suppressed. */
  customers: number | null;
  /** The profile's share of the segment; null when suppressed. */
  share: number | null;
  /** The profile's share of all customers. */
  base_share: number;
}

/** The profiles inside a segment: their share of it (bars) against their share of all (ticks). */
export function mixChart(
  rows: MixRow[],
  {
    width,
    title,
    colors,
    minGroupSize,
    document
  }: {width: number; title: string; colors: Colors; minGroupSize: number; document?: Document}
): SVGSVGElement | HTMLElement {
  const label = (r: MixRow) =>
    r.share === null ? `${r.name} (fewer than ${minGroupSize})` : r.name;
  const top = Math.max(0.05, ...rows.map((r) => Math.max(r.share ?? 0, r.base_share)));
  return Plot.plot({
    document,
    width,
    height: 50 + 32 * rows.length,
    title,
    subtitle:
      "Bars: each profile's share of this segment. Black ticks: its share of all customers.",
    ariaLabel: `Bar chart of each profile's share of the segment: ${title}`,
    marginLeft: Math.min(260, width * 0.4),
    x: {
      label: "Share of the segment's customers",
      tickFormat: shareTick,
      grid: true,
      domain: [0, top]
    },
    y: {label: null, domain: rows.map(label), tickSize: 0},
    color: colors,
    marks: [
      Plot.barX(rows, {
        x: "share",
        y: label,
        fill: "profile_id",
        insetTop: 5,
        insetBottom: 5,
        title: (r) =>
          `${r.name}\n${formatCustomers(r.customers, minGroupSize)} customers, ${formatShare(r.share)} of the segment\n${formatShare(r.base_share)} of all customers`
      }),
      Plot.tickX(rows, {x: "base_share", y: label, stroke: "currentColor", strokeWidth: 3}),
      Plot.ruleX([0])
    ]
  });
}

export interface CrosstabCell {
  value: string;
  profile_id: string;
  name: string;
  customers: number | null;
  /** The profile's share of the segment; null when suppressed. */
  share: number | null;
}

/** Segments (rows) by profiles (columns), each cell the profile's share of the segment. */
export function crosstabChart(
  cells: CrosstabCell[],
  {
    width,
    title,
    segments,
    profiles,
    minGroupSize,
    document
  }: {
    width: number;
    title: string;
    segments: string[];
    profiles: {id: string; name: string}[];
    minGroupSize: number;
    document?: Document;
  }
): SVGSVGElement | HTMLElement {
  const names = profiles.map((p) => p.name);
  return Plot.plot({
    document,
    width,
    height: 90 + 24 * segments.length,
    title,
    subtitle: `Each cell: the profile's share of the segment's customers. Grey: fewer than ${minGroupSize} customers (suppressed).`,
    ariaLabel: `Grid of profile shares for every segment of ${title}`,
    marginLeft: Math.min(190, width * 0.3),
    marginTop: 96,
    padding: 0.04,
    x: {axis: "top", label: null, domain: names, tickRotate: -30},
    y: {label: null, domain: segments},
    color: {
      type: "threshold",
      scheme: "blues",
      domain: [0.1, 0.25, 0.5, 0.75],
      label: "Share of the segment",
      tickFormat: shareTick,
      legend: true
    },
    marks: [
      Plot.cell(
        cells.filter((c) => c.share !== null),
        {
          x: "name",
          y: "value",
          fill: "share",
          title: (c) =>
            `${c.value} · ${c.name}\n${formatCustomers(c.customers, minGroupSize)} customers, ${formatShare(c.share)} of the segment`
        }
      ),
      Plot.cell(
        cells.filter((c) => c.share === null),
        {
          x: "name",
          y: "value",
          fill: "currentColor",
          fillOpacity: 0.08,
          title: (c) => `${c.value} · ${c.name}\nfewer than ${minGroupSize} customers (suppressed)`
        }
      ),
      Plot.text(
        cells.filter((c) => c.share !== null && c.share >= 0.005),
        {
          x: "name",
          y: "value",
          text: (c) => formatShare(c.share),
          fill: (c) => (c.share! > 0.5 ? "white" : "black"),
          fontSize: 10
        }
      )
    ]
  });
}
