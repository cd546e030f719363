/**
 * The Explore page's scatter: customers in a 2-D projection, coloured by profile, with a brush.
 * Dragging a rectangle selects the customers inside it; the element is an Observable view whose
 * value is the selected row indices (null when nothing is brushed), updated when the drag ends.
 */
import * as d3 from "npm:d3";
import * as Plot from "npm:@observablehq/plot";
import {profileColor} from "./palette.js";

export interface ScatterOptions {
  width: number;
  height?: number;
  document?: Document;
  /** Profile ids and names, in id order: the colour legend names them. */
  profiles: readonly {id: string; name: string}[];
  xLabel: string;
  yLabel: string;
  title?: string;
  /** Rows to draw faintly (not matching the page's filter); the brush still selects them. */
  faded?: ArrayLike<boolean> | null;
  /** A brushed rectangle to restore, in data units: [[x0, y0], [x1, y1]]. */
  extent?: Extent | null;
}

/** A rectangle in data units: [[xmin, ymin], [xmax, ymax]]. */
export type Extent = [[number, number], [number, number]];

/** The scatter element: a figure whose value is the brushed rows and extent their rectangle. */
export type ScatterElement = HTMLElement & {value: Int32Array | null; extent: Extent | null};

const MARGIN = {top: 20, right: 20, bottom: 44, left: 56};

/** The rows whose (x, y) lie inside a rectangle of data units, bounds included. */
export function pointsInside(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  [[x0, y0], [x1, y1]]: Extent
): Int32Array {
  const [xmin, xmax] = x0 <= x1 ? [x0, x1] : [x1, x0];
  const [ymin, ymax] = y0 <= y1 ? [y0, y1] : [y1, y0];
  const inside: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (x[i] >= xmin && x[i] <= xmax && y[i] >= ymin && y[i] <= ymax) inside.push(i);
  }
  return Int32Array.from(inside);
}

/** Customers as dots at (x[i], y[i]) coloured by profile[i], with a rectangle brush. */
export function scatter(
  x: Float64Array | number[],
  y: Float64Array | number[],
  profile: string[],
  options: ScatterOptions
): ScatterElement {
  const {width, height = Math.round(Math.min(560, Math.max(320, width * 0.7))), profiles} = options;
  const doc = options.document ?? document;
  const names = new Map(profiles.map((p) => [p.id, p.name]));
  const n = x.length;
  const faded = options.faded ?? null;
  const opacity = Float32Array.from({length: n}, (_, i) => (faded?.[i] ? 0.12 : 0.7));
  const chart = Plot.plot({
    document: doc,
    title: options.title,
    // thousands of dots have no list of values: the label names the keyboard's route instead
    ariaLabel: `Scatter plot of ${n.toLocaleString("en-US")} customers on ${options.xLabel} and ${options.yLabel}, coloured by profile. Without a pointer, the filters by profile or segment select the same customers as the brush, and the SQL console lists them.`,
    width,
    height,
    marginTop: MARGIN.top,
    marginRight: MARGIN.right,
    marginBottom: MARGIN.bottom,
    marginLeft: MARGIN.left,
    x: {label: options.xLabel, labelAnchor: "center", labelArrow: "none", nice: true},
    y: {label: options.yLabel, labelAnchor: "center", labelArrow: "none", nice: true},
    color: {
      ...profileColor(profiles.map((p) => p.id)),
      legend: true,
      tickFormat: (id: string) => `${id} ${names.get(id) ?? ""}`.trim()
    },
    marks: [
      Plot.frame({stroke: "currentColor", strokeOpacity: 0.15}),
      Plot.ruleX([0], {stroke: "currentColor", strokeOpacity: 0.2}),
      Plot.ruleY([0], {stroke: "currentColor", strokeOpacity: 0.2}),
      Plot.dot(
        {length: n},
        {x, y, fill: profile, r: n > 4000 ? 1.6 : 2.4, fillOpacity: opacity, stroke: null}
      )
    ]
  }) as HTMLElement & ReturnType<typeof Plot.plot>;

  const element = chart as unknown as ScatterElement;
  element.value = null;
  element.extent = null;
  // The plot's own SVG, not a legend swatch's: the one that holds the dots.
  const svg =
    chart.tagName.toLowerCase() === "svg"
      ? chart
      : Array.from(chart.querySelectorAll("svg")).find((s) =>
          s.querySelector('g[aria-label="dot"]')
        )!;
  const circles = Array.from(svg.querySelectorAll('g[aria-label="dot"] circle'));
  const sx = chart.scale("x") as unknown as {invert(v: number): number; apply(v: number): number};
  const sy = chart.scale("y") as unknown as {invert(v: number): number; apply(v: number): number};
  const Event = (doc.defaultView ?? globalThis).Event;

  /** Dims the dots outside the selection so the brushed ones stand out. */
  function highlight(selected: Int32Array | null): void {
    if (circles.length !== n) return;
    const inside = selected === null ? null : new Uint8Array(n);
    if (inside && selected) for (const i of selected) inside[i] = 1;
    circles.forEach((c, i) => {
      const base = opacity[i];
      c.setAttribute("fill-opacity", String(inside === null || inside[i] ? base : base * 0.15));
    });
  }

  const view = doc.defaultView;
  const brush = d3
    .brush<unknown>()
    // d3's default asks the global navigator; ask the document's window (jsdom has none global).
    .touchable(function (this: SVGGElement) {
      return (view?.navigator.maxTouchPoints ?? 0) > 0 || "ontouchstart" in this;
    })
    .extent([
      [MARGIN.left, MARGIN.top],
      [width - MARGIN.right, height - MARGIN.bottom]
    ])
    .on("end", (event: d3.D3BrushEvent<unknown>) => {
      const pixels = event.selection as [[number, number], [number, number]] | null;
      if (pixels === null) {
        element.value = null;
        element.extent = null;
      } else {
        const [[px0, py0], [px1, py1]] = pixels;
        element.extent = [
          [sx.invert(px0), sy.invert(py1)],
          [sx.invert(px1), sy.invert(py0)]
        ];
        element.value = pointsInside(x, y, element.extent);
      }
      highlight(element.value);
      element.dispatchEvent(new Event("input", {bubbles: true}));
    });
  const layer = d3
    .select(svg as SVGSVGElement)
    .append("g")
    .attr("class", "brush")
    .attr("aria-label", "brush: drag a rectangle to select customers")
    .call(brush);
  if (options.extent) {
    const [[x0, y0], [x1, y1]] = options.extent;
    layer.call(brush.move, [
      [sx.apply(x0), sy.apply(y1)],
      [sx.apply(x1), sy.apply(y0)]
    ]);
  }
  return element;
}
