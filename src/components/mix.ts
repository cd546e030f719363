/**
 * Segments against profiles: the profile mix inside one segment (against the whole base's
 * mix), and the whole segment-by-profile crosstab as a grid of shares. Suppressed cells, fewer
 * than the minimum customers, are marked, never drawn as a number.
 */
import * as Plot from "npm:@observablehq/plot";
import {CHAR_PX, formatCell, formatShare, shareTick, suppressedWhy} from "./format.js";

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
  const label = (r: MixRow) => (r.share === null ? `${r.name} (suppressed)` : r.name);
  const top = Math.max(0.05, ...rows.map((r) => Math.max(r.share ?? 0, r.base_share)));
  const marginLeft = Math.min(260, width * 0.4);
  return Plot.plot({
    document,
    width,
    height: 50 + 32 * rows.length,
    title: `${title}: ${mixFinding(rows)}`,
    subtitle: "Bars: each profile's share of this segment. Ticks: its share of all customers.",
    ariaLabel: `Bar chart of each profile's share of the segment: ${title}`,
    marginLeft,
    x: {
      label: "Share of the segment's customers",
      tickFormat: shareTick,
      grid: true,
      domain: [0, top]
    },
    y: {label: null, domain: rows.map(label), tickSize: 0},
    color: colors,
    marks: [
      // long names wrap onto a second line rather than run off the left edge on a phone
      Plot.axisY({label: null, tickSize: 0, lineWidth: (marginLeft - 10) / 10}),
      Plot.barX(rows, {
        x: "share",
        y: label,
        fill: "profile_id",
        insetTop: 5,
        insetBottom: 5,
        title: (r) =>
          `${r.name}\n${formatCell(r.customers, minGroupSize)}, ${formatShare(r.share)} of the segment\n${formatShare(r.base_share)} of all customers`
      }),
      Plot.tickX(rows, {x: "base_share", y: label, stroke: "currentColor", strokeWidth: 3}),
      Plot.ruleX([0])
    ]
  });
}

/**
 * The mix's finding: the profile most over-represented in the segment (its share of the segment
 * over its share of all customers), or that the segment holds the profiles much as everyone.
 */
export function mixFinding(rows: MixRow[]): string {
  const over = rows
    .filter((r) => r.share !== null && r.base_share > 0)
    .sort((a, b) => b.share! / b.base_share - a.share! / a.base_share)[0];
  if (!over || over.share! - over.base_share < 0.05) return "the profiles much as in all customers";
  return `${over.name} ${formatShare(over.share)} of it, against ${formatShare(over.base_share)} of all customers`;
}

export interface CrosstabCell {
  value: string;
  profile_id: string;
  name: string;
  customers: number | null;
  /** The profile's share of the segment; null when suppressed. */
  share: number | null;
}

/** The shades of the crosstab: a share's band, as the opacity of one colour on either theme. */
const SHARE_BANDS = [0.1, 0.25, 0.5, 0.75];
const BAND_OPACITY = [0.1, 0.28, 0.48, 0.7, 0.9];

/**
 * Segments (rows) by profiles (columns), each cell the profile's share of the segment, shaded by
 * the opacity of the theme's accent (so it reads on a light and a dark page alike); a suppressed
 * cell is an empty cell marked "<N". Column names wrap across the top where the columns are
 * wide enough, else stand upright.
 */
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
  const marginLeft = Math.min(
    150,
    width * 0.35,
    Math.max(60, CHAR_PX * Math.max(0, ...segments.map((s) => s.length)) + 12)
  );
  const marginRight = 8;
  const column = (width - marginLeft - marginRight) / Math.max(1, names.length);
  const longest = Math.max(0, ...names.map((n) => n.length));
  const wrap = column >= 56;
  // lines a name takes when wrapped to the column's width, at most four
  const lines = wrap ? Math.min(4, Math.ceil((longest * CHAR_PX) / (column - 6))) : 0;
  const marginTop = wrap ? 14 + 12 * lines : Math.min(170, longest * CHAR_PX + 14);
  // numbers in the cells only where they fit; the shade and each cell's title remain
  const numbers = column >= 30;
  const opacity = (share: number) => BAND_OPACITY[SHARE_BANDS.filter((b) => share >= b).length];
  return Plot.plot({
    document,
    width,
    height: marginTop + 40 + 24 * segments.length,
    title: `${title}: ${crosstabFinding(cells)}`,
    subtitle: `Each cell: the profile's share of the segment's customers, darker for more (under 10%, 10–25%, 25–50%, 50–75%, 75% and over). ×: suppressed, ${suppressedWhy(minGroupSize)}.`,
    ariaLabel: `Grid of profile shares for every segment of ${title}`,
    marginLeft,
    marginRight,
    marginTop,
    marginBottom: 8,
    padding: 0.04,
    x: {axis: null, domain: names},
    y: {label: null, domain: segments, tickSize: 0},
    marks: [
      wrap
        ? Plot.axisX({
            anchor: "top",
            label: null,
            tickSize: 0,
            lineWidth: (column - 6) / 10,
            textAnchor: "middle",
            lineAnchor: "bottom"
          })
        : Plot.axisX({anchor: "top", label: null, tickSize: 0, tickRotate: -90}),
      Plot.cell(
        cells.filter((c) => c.share !== null),
        {
          x: "name",
          y: "value",
          fill: "var(--theme-foreground-focus, #4269d0)",
          fillOpacity: (c) => opacity(c.share!),
          title: (c) =>
            `${c.value} · ${c.name}\n${formatCell(c.customers)}, ${formatShare(c.share)} of the segment`
        }
      ),
      Plot.cell(
        cells.filter((c) => c.share === null),
        {
          x: "name",
          y: "value",
          fill: "none",
          stroke: "currentColor",
          strokeOpacity: 0.25,
          strokeDasharray: "2,2",
          inset: 1,
          title: (c) => `${c.value} · ${c.name}\nsuppressed (${suppressedWhy(minGroupSize)})`
        }
      ),
      Plot.text(numbers ? cells.filter((c) => c.share === null) : [], {
        x: "name",
        y: "value",
        text: () => "×",
        fill: "currentColor",
        fillOpacity: 0.6,
        fontSize: 9
      }),
      Plot.text(numbers ? cells.filter((c) => c.share !== null && c.share >= 0.005) : [], {
        x: "name",
        y: "value",
        text: (c) => formatShare(c.share),
        fill: (c) => (opacity(c.share!) >= 0.9 ? "white" : "currentColor"),
        fontSize: 10
      })
    ]
  });
}

/**
 * The grid's finding: the segment a profile fills most beyond its size (its share of the
 * segment over its share of the customers the grid counts), or that no profile stands out.
 */
export function crosstabFinding(cells: CrosstabCell[]): string {
  const counted = cells.filter((c) => c.customers !== null);
  const all = counted.reduce((n, c) => n + c.customers!, 0);
  const size = new Map<string, number>();
  for (const c of counted) size.set(c.profile_id, (size.get(c.profile_id) ?? 0) + c.customers!);
  const lift = (c: CrosstabCell) => c.share! / ((size.get(c.profile_id) ?? 0) / all || 1);
  const top = counted.filter((c) => c.share !== null).sort((a, b) => lift(b) - lift(a))[0];
  if (!top || lift(top) < 1.5) return "no profile fills any segment far beyond its size";
  return `${top.name} fill ${formatShare(top.share)} of “${top.value}”, the most beyond their size`;
}
