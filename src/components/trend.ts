/**
 * One measure per profile over the snapshots: a line per profile in its colour, labelled
 * directly at its last point (labels pushed apart so they never overlap), and an optional
 * threshold drawn as a dashed rule. A missing (suppressed) point breaks the line.
 */
import * as Plot from "npm:@observablehq/plot";
import * as d3 from "npm:d3";
import {formatDate} from "./format.js";
import {spreadLabels} from "./labels.js";

type Colors = {domain: string[]; range: string[]};

export interface TrendPoint {
  /** The snapshot, YYYY-MM-DD. */
  date: string;
  profile_id: string;
  /** Null when the figure is suppressed or not measured. */
  value: number | null;
}

export interface TrendOptions {
  width: number;
  height?: number;
  title: string;
  subtitle?: string;
  ariaLabel: string;
  /** The y axis label, with its unit. */
  label: string;
  colors: Colors;
  names: ReadonlyMap<string, string>;
  /** How a value reads in a tooltip ("12%", "3,402"). */
  format: (value: number) => string;
  /** Tick format of the y axis: a d3-format specifier or a function. */
  tickFormat?: string | ((value: number) => string);
  /** A dashed rule at this value with its label, e.g. an alert threshold. */
  threshold?: {value: number; label: string};
  document?: Document;
}

const MARGIN = {top: 28, bottom: 32, left: 56};
/** The room a month label ("Oct 2026") takes on the x axis, with a gap. */
const TICK_WIDTH = 64;
/** Pixels between two direct labels. */
const LABEL_GAP = 13;

/** A line chart of one measure per profile over the snapshots, labelled at the lines' ends. */
export function trendChart(
  points: readonly TrendPoint[],
  o: TrendOptions
): SVGSVGElement | HTMLElement {
  const height = o.height ?? 320;
  const marginRight = Math.round(Math.min(200, Math.max(90, o.width * 0.3)));
  const dates = [...new Set(points.map((p) => p.date))].sort();
  const at = (date: string) => new Date(`${date}T00:00:00Z`);
  const shown = points.filter((p) => p.value !== null && Number.isFinite(p.value));
  const top = d3.max([...shown.map((p) => p.value!), o.threshold?.value ?? 0, 0]) || 1;
  const [, max] = d3.nice(0, top, 5);
  // Each profile's label at its last shown point, pushed apart on screen, then mapped back.
  const inner = height - MARGIN.top - MARGIN.bottom;
  const toPx = (v: number) => MARGIN.top + (1 - v / max) * inner;
  const fromPx = (px: number) => max * (1 - (px - MARGIN.top) / inner);
  const ends = d3
    .groups(shown, (p) => p.profile_id)
    .map(([, rows]) => rows.reduce((a, b) => (b.date > a.date ? b : a)));
  const spread = spreadLabels(
    ends.map((e) => toPx(e.value!)),
    LABEL_GAP,
    MARGIN.top,
    height - MARGIN.bottom
  );
  const labels = ends.map((e, i) => ({...e, labelValue: fromPx(spread[i])}));
  const last = dates.at(-1);
  const name = (id: string) => o.names.get(id) ?? id;
  const every = Math.max(
    1,
    Math.ceil((dates.length * TICK_WIDTH) / Math.max(1, o.width - MARGIN.left - marginRight))
  );
  return Plot.plot({
    document: o.document,
    width: o.width,
    height,
    title: o.title,
    subtitle: o.subtitle,
    ariaLabel: o.ariaLabel,
    marginTop: MARGIN.top,
    marginBottom: MARGIN.bottom,
    marginLeft: MARGIN.left,
    marginRight,
    x: {
      type: "utc",
      label: null,
      // every snapshot's month where they fit, else every second or third, counted from the last
      ticks: dates.filter((_, i) => (dates.length - 1 - i) % every === 0).map(at),
      tickFormat: (d: Date) => formatDate(d.toISOString().slice(0, 10)).replace(/^\d+ /, ""),
      domain: dates.length ? [at(dates[0]), at(dates.at(-1)!)] : undefined,
      inset: 8
    },
    y: {label: o.label, domain: [0, max], grid: true, tickFormat: o.tickFormat},
    color: o.colors,
    marks: [
      Plot.ruleY([0]),
      o.threshold
        ? [
            Plot.ruleY([o.threshold.value], {
              stroke: "var(--theme-red, #d13a2b)",
              strokeDasharray: "4,3"
            }),
            Plot.text([o.threshold], {
              x: at(dates[0] ?? "1970-01-01"),
              y: o.threshold.value,
              text: "label",
              textAnchor: "start",
              dy: -7,
              fill: "var(--theme-red, #d13a2b)",
              fontSize: 11
            })
          ]
        : null,
      Plot.line(points, {
        x: (p: TrendPoint) => at(p.date),
        y: (p: TrendPoint) => p.value ?? undefined,
        stroke: "profile_id",
        strokeWidth: 2,
        z: "profile_id"
      }),
      Plot.dot(shown, {
        x: (p: TrendPoint) => at(p.date),
        y: "value",
        fill: "profile_id",
        r: 3,
        title: (p: TrendPoint) =>
          `${name(p.profile_id)}\n${formatDate(p.date)}: ${o.format(p.value!)}`
      }),
      Plot.dot(labels, {
        x: (p: TrendPoint) => at(last ?? p.date),
        y: "labelValue",
        fill: "profile_id",
        r: 4,
        dx: 14
      }),
      Plot.text(labels, {
        x: (p: TrendPoint) => at(last ?? p.date),
        y: "labelValue",
        text: (p: TrendPoint) => name(p.profile_id),
        textAnchor: "start",
        dx: 22,
        fontSize: 11,
        lineWidth: (marginRight - 24) / 11,
        textOverflow: "ellipsis",
        fill: "currentColor"
      })
    ]
  });
}
