/**
 * Customers moving between profiles from one snapshot to the next: a two-column flow diagram
 * (profiles then on the left, with the customers who joined since; profiles now on the right;
 * each band as wide as the customers it carries, in the colour of where they came from), the
 * same flows as a table, and a summary. Suppressed flows (small, or hidden beside a small one) are
 * not drawn and are counted, never guessed.
 */
import type {HistoryFlow} from "../contracts/history.js";
import {builder} from "./dom.js";
import {formatCustomers, formatDate, suppressedWhy} from "./format.js";
import {BASE_COLOR} from "./palette.js";
import {spreadLabels} from "./labels.js";

type Colors = {domain: string[]; range: string[]};

/** The source of customers who had not joined at the earlier snapshot. */
export const JOINED = "joined";

export interface FlowOptions {
  profiles: readonly {id: string; name: string}[];
  colors: Colors;
  minGroupSize: number;
  document?: Document;
}

export interface FlowSummary {
  /** Customers in the drawn flows. */
  total: number;
  stayed: number;
  moved: number;
  joined: number;
  /** Flows of fewer than the minimum customers, left out of every figure. */
  suppressed: number;
}

/** What the flows of one pair of snapshots add up to, over the flows that are published. */
export function flowSummary(flows: readonly HistoryFlow[]): FlowSummary {
  const s: FlowSummary = {total: 0, stayed: 0, moved: 0, joined: 0, suppressed: 0};
  for (const f of flows) {
    if (f.customers === null) {
      s.suppressed++;
      continue;
    }
    s.total += f.customers;
    if (f.source === JOINED) s.joined += f.customers;
    else if (f.source === f.target) s.stayed += f.customers;
    else s.moved += f.customers;
  }
  return s;
}

const whole = new Intl.NumberFormat("en-US", {maximumFractionDigits: 0});

/** The sentence a band's title and label say. */
function bandText(f: HistoryFlow & {customers: number}, name: (id: string) => string): string {
  const n = `${whole.format(f.customers)} customer${f.customers === 1 ? "" : "s"}`;
  if (f.source === JOINED) return `${n} joined and are in ${name(f.target)}`;
  if (f.source === f.target) return `${n} stayed in ${name(f.source)}`;
  return `${n} moved from ${name(f.source)} to ${name(f.target)}`;
}

const NS = "http://www.w3.org/2000/svg";
const NODE_WIDTH = 12;
const NODE_GAP = 10;
const TOP = 34;
const BOTTOM = 8;
/** Two lines of label (name, customers) need this many pixels. */
const LABEL_GAP = 28;

/** The flow diagram of one pair of snapshots; `sizes` labels each node with its profile's size. */
export function flowChart(
  flows: readonly HistoryFlow[],
  o: FlowOptions & {
    width: number;
    height?: number;
    from: string;
    to: string;
    sizes?: {from: ReadonlyMap<string, number | null>; to: ReadonlyMap<string, number | null>};
  }
): SVGSVGElement {
  const doc = o.document ?? globalThis.document;
  const shown = flows.filter((f): f is HistoryFlow & {customers: number} => f.customers !== null);
  const names = new Map(o.profiles.map((p) => [p.id, p.name]));
  const name = (id: string) => (id === JOINED ? "New customers" : (names.get(id) ?? id));
  const color = (id: string) =>
    id === JOINED ? BASE_COLOR : (o.colors.range[o.colors.domain.indexOf(id)] ?? BASE_COLOR);
  const order = [...o.profiles.map((p) => p.id), JOINED];
  const rank = (id: string) => (order.indexOf(id) + 1 || order.length + 1) - 1;
  const byRank = (a: string, b: string) => rank(a) - rank(b) || a.localeCompare(b);
  const total = (side: "source" | "target", id: string) =>
    shown.reduce((n, f) => n + (f[side] === id ? f.customers : 0), 0);
  const sources = [...new Set(shown.map((f) => f.source))].sort(byRank);
  const targets = [...new Set(shown.map((f) => f.target))].sort(byRank);
  const height =
    o.height ?? Math.max(320, TOP + BOTTOM + 46 * Math.max(sources.length, targets.length));
  const labelWidth = Math.round(Math.min(210, Math.max(110, o.width * 0.26)));
  const x0 = labelWidth;
  const x1 = o.width - labelWidth - NODE_WIDTH;
  const inner = height - TOP - BOTTOM;
  const all = shown.reduce((n, f) => n + f.customers, 0);
  const k =
    all > 0
      ? Math.min(
          (inner - NODE_GAP * Math.max(0, sources.length - 1)) / all,
          (inner - NODE_GAP * Math.max(0, targets.length - 1)) / all
        )
      : 0;
  const stack = (ids: string[], side: "source" | "target") => {
    let y = TOP;
    return new Map(
      ids.map((id) => {
        const h = Math.max(1, total(side, id) * k);
        const node = {id, y, h};
        y += h + NODE_GAP;
        return [id, node];
      })
    );
  };
  const left = stack(sources, "source");
  const right = stack(targets, "target");

  const svg = doc.createElementNS(NS, "svg");
  const attrs = (el: Element, a: Record<string, string | number>) => {
    for (const [key, value] of Object.entries(a)) el.setAttribute(key, String(value));
    return el;
  };
  const add = (parent: Element, tag: string, a: Record<string, string | number> = {}) =>
    parent.appendChild(attrs(doc.createElementNS(NS, tag), a));
  const text = (parent: Element, a: Record<string, string | number>, content: string) => {
    const t = add(parent, "text", a);
    t.textContent = content;
    return t;
  };
  const title = `Customers between profiles, ${formatDate(o.from)} to ${formatDate(o.to)}`;
  attrs(svg, {
    class: "flow-chart",
    width: o.width,
    height,
    viewBox: `0 0 ${o.width} ${height}`,
    role: "group",
    "aria-label": `Flow diagram of customers between profiles from ${formatDate(o.from)} to ${formatDate(o.to)}`,
    "font-size": 12,
    fill: "currentColor"
  });
  // each date over its own column of names, so the two never meet on a narrow screen
  text(
    svg,
    {x: x0 + NODE_WIDTH, y: 14, "text-anchor": "end", "font-weight": 600},
    formatDate(o.from)
  );
  text(svg, {x: x1, y: 14, "text-anchor": "start", "font-weight": 600}, formatDate(o.to));

  // Bands: out of each source in the targets' order, into each target in the sources' order.
  const outOffset = new Map<string, number>();
  const inOffset = new Map<string, number>();
  const ordered = [...shown].sort(
    (a, b) => byRank(a.source, b.source) || byRank(a.target, b.target)
  );
  const intoOrder = [...shown].sort(
    (a, b) => byRank(a.target, b.target) || byRank(a.source, b.source)
  );
  const inY = new Map<HistoryFlow, number>();
  for (const f of intoOrder) {
    const y = inOffset.get(f.target) ?? right.get(f.target)!.y;
    inY.set(f, y);
    inOffset.set(f.target, y + f.customers * k);
  }
  const bands = add(svg, "g", {
    class: "flow-bands",
    role: "list",
    "aria-label": `${shown.length} flows of customers; each band's title says how many`
  });
  const xm = (x0 + NODE_WIDTH + x1) / 2;
  for (const f of ordered) {
    const h = f.customers * k;
    const a = outOffset.get(f.source) ?? left.get(f.source)!.y;
    outOffset.set(f.source, a + h);
    const b = inY.get(f)!;
    const xa = x0 + NODE_WIDTH;
    const d = [
      `M${xa},${a}`,
      `C${xm},${a} ${xm},${b} ${x1},${b}`,
      `L${x1},${b + h}`,
      `C${xm},${b + h} ${xm},${a + h} ${xa},${a + h}`,
      "Z"
    ].join("");
    const label = bandText(f, name);
    const stay = f.source === f.target;
    const band = add(bands, "path", {
      d,
      class: `flow-band ${stay ? "stay" : "move"}`,
      fill: color(f.source),
      "fill-opacity": stay ? 0.22 : 0.6,
      tabindex: 0,
      role: "listitem",
      "aria-label": label,
      "data-source": f.source,
      "data-target": f.target
    });
    const t = add(band, "title");
    t.textContent = label;
  }

  // Nodes and their labels (name, then customers), pushed apart where nodes are thin.
  const nodes = (side: Map<string, {id: string; y: number; h: number}>, isLeft: boolean) => {
    const g = add(svg, "g", {class: `flow-nodes ${isLeft ? "then" : "now"}`});
    const list = [...side.values()];
    const at = spreadLabels(
      list.map((n) => n.y + n.h / 2 - 6),
      LABEL_GAP,
      TOP + 4,
      height - BOTTOM - LABEL_GAP + 12
    );
    list.forEach((n, i) => {
      add(g, "rect", {
        x: isLeft ? x0 : x1,
        y: n.y,
        width: NODE_WIDTH,
        height: n.h,
        fill: color(n.id)
      });
      const size = (isLeft ? o.sizes?.from : o.sizes?.to)?.get(n.id);
      const count =
        n.id === JOINED
          ? `${whole.format(total("source", n.id))} joined`
          : size !== undefined
            ? `${formatCustomers(size, o.minGroupSize)} customers`
            : `${whole.format(total(isLeft ? "source" : "target", n.id))} customers`;
      const x = isLeft ? x0 - 6 : x1 + NODE_WIDTH + 6;
      const anchor = isLeft ? "end" : "start";
      const full = name(n.id);
      const chars = Math.floor((labelWidth - 10) / 6.6);
      const short = full.length > chars ? `${full.slice(0, chars - 1)}…` : full;
      const label = text(g, {x, y: at[i], "text-anchor": anchor}, short);
      if (short !== full) add(label, "title").textContent = full;
      text(
        g,
        {x, y: at[i] + 13, "text-anchor": anchor, "fill-opacity": 0.7, "font-size": 11},
        count
      );
    });
  };
  nodes(left, true);
  nodes(right, false);
  add(svg, "desc").textContent = title;
  return svg;
}

/** The same flows as a table: profiles then (rows) by profiles now (columns). */
export function flowTable(
  flows: readonly HistoryFlow[],
  o: FlowOptions & {from: string; to: string}
): HTMLElement {
  const h = builder(o.document ?? globalThis.document);
  const cell = new Map(flows.map((f) => [`${f.source}\u0000${f.target}`, f.customers]));
  const rows = [
    ...o.profiles.map((p) => ({id: p.id, name: p.name})),
    {id: JOINED, name: "New customers"}
  ].filter((r) => flows.some((f) => f.source === r.id));
  const columns = o.profiles.filter((p) => flows.some((f) => f.target === p.id));
  const value = (source: string, target: string) => {
    const key = `${source}\u0000${target}`;
    if (!cell.has(key)) return "–";
    const n = cell.get(key);
    return n === null || n === undefined ? "×" : whole.format(n);
  };
  return h(
    "table",
    {class: "flow-table"},
    h(
      "caption",
      {},
      `Customers by profile on ${formatDate(o.from)} (rows) and on ${formatDate(o.to)} (columns). `,
      `×: not published (suppressed), ${suppressedWhy(o.minGroupSize)}; –: none.`
    ),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", {scope: "col"}, `${formatDate(o.from)} ↓ · now →`),
        columns.map((c) => h("th", {scope: "col"}, c.name))
      )
    ),
    h(
      "tbody",
      {},
      rows.map((r) =>
        h(
          "tr",
          {},
          h("th", {scope: "row"}, r.name),
          columns.map((c) => h("td", {class: r.id === c.id ? "stay" : null}, value(r.id, c.id)))
        )
      )
    )
  );
}
