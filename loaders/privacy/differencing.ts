/**
 * The differencing test of the privacy check: every published table with totals is rebuilt from
 * the published JSON (the segment × profile crosstabs, each histogram across the profiles'
 * reports, the places × profiles of the maps, the flows between profiles with each profile's
 * size at both snapshots, the months and years of sign-ups, the Method page's backtest buckets
 * against the backtest's customers), and each suppressed cell that the
 * published cells and totals determine by subtraction (core/margins.ts) is a violation. A cell
 * published in any file counts as known everywhere. The months and years of sign-ups are counts
 * of customers under other names (`rows`), so they are held to the small-count rule here too.
 */
import {readFile} from "node:fs/promises";
import {join} from "node:path";
import {recoverable, type Sum} from "../core/margins.ts";
import type {Violation} from "./findings.ts";
import {smallCount} from "./group-size.ts";

/** A table as the reader sees it: cells by name, each known (a number) or not (null). */
class Published {
  readonly cells: (number | null)[] = [];
  readonly where: string[] = [];
  /** Cells no file publishes as such (a total readers can only compute): never reported. */
  private readonly derived = new Set<number>();
  readonly sums: Sum[] = [];
  private readonly index = new Map<string, number>();

  constructor(readonly file: string) {}

  /** The cell named key; known when any file publishes its value. */
  cell(key: string, value: number | null | undefined, where: string = key): number {
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.cells.length;
      this.index.set(key, i);
      this.cells.push(null);
      this.where.push(where);
    }
    if (typeof value === "number" && this.cells[i] === null) {
      this.cells[i] = value;
      this.where[i] = where;
    }
    return i;
  }

  /** Whether any file published the cell named key. */
  known(key: string): boolean {
    const i = this.index.get(key);
    return i !== undefined && this.cells[i] !== null;
  }

  /** A total no file publishes as a cell, which readers may compute. */
  derive(key: string): number {
    const i = this.cell(key, null);
    this.derived.add(i);
    return i;
  }

  sum(parts: number[], total: number): void {
    this.sums.push({parts, total});
  }

  /** The suppressed cells this table gives away. */
  violations(): Violation[] {
    return recoverable(this.cells, this.sums)
      .filter((i) => !this.derived.has(i))
      .map((i) => ({
        file: this.file,
        where: this.where[i],
        kind: "count",
        what: "a suppressed count that the published cells and totals give by subtraction",
        fix: "Suppress complementary cells (core/margins.ts complement) wherever the table publishes totals, so that every row, column and total with a suppressed cell has another."
      }));
  }
}

type Json = Record<string, unknown>;
const list = (x: unknown): Json[] => (Array.isArray(x) ? (x as Json[]) : []);
const count = (x: unknown): number | null => (typeof x === "number" ? x : null);

/** The published page data, by its name without Framework's content hash. */
async function pageData(dir: string, files: readonly string[]): Promise<Map<string, Json>> {
  const out = new Map<string, Json>();
  for (const file of files) {
    if (!file.startsWith("_file/data/") || !file.endsWith(".json")) continue;
    const name = file.replace(/\.[0-9a-f]{8}(?=\.json$)/, "");
    try {
      out.set(name, {...JSON.parse(await readFile(join(dir, file), "utf8")), __file: file});
    } catch {
      // an unreadable file is the scan's to report
    }
  }
  return out;
}

/** Every suppressed cell of the published tables that subtraction recovers, and small counts. */
export async function differencing(
  dir: string,
  files: readonly string[],
  minGroupSize: number
): Promise<{violations: Violation[]; tables: number}> {
  const data = await pageData(dir, files);
  const reports = [...data]
    .filter(([name]) => /^_file\/data\/profiles\/[^/]+\.json$/.test(name))
    .map(([, report]) => report);
  const tables = [
    ...segmentTables(data.get("_file/data/segments.json"), reports),
    ...histogramTables(reports),
    ...placeTables(reports),
    ...flowTables(data.get("_file/data/history.json"), reports),
    ...backtestTables(data.get("_file/data/method.json"))
  ];
  const calendar = calendarTable(
    data.get("_file/data/overview.json"),
    data.get("_file/data/activity.json"),
    minGroupSize
  );
  if (calendar) tables.push(calendar.table);
  return {
    violations: [
      ...(calendar?.small ?? []),
      ...backtestMeans(data.get("_file/data/method.json")),
      ...tables.flatMap((t) => t.violations())
    ],
    tables: tables.length
  };
}

/** Each segmentation: segments × profiles, with the segments' and profiles' sizes. */
function segmentTables(doc: Json | undefined, reports: Json[]): Published[] {
  if (!doc) return [];
  const profiles = list(doc.profiles);
  return list(doc.segmentations).map((s) => {
    const t = new Published(String(doc.__file));
    const segment = String(s.segment);
    const rows = list(s.segments);
    const grand = t.cell("all customers", count(doc.customers_total), "customers_total");
    const columns = profiles.map((p) =>
      t.cell(`profile ${p.id}`, count(p.customers), `profiles, ${p.id}`)
    );
    const totals = rows.map((r) =>
      t.cell(`size ${r.value}`, count(r.customers), `${segment}, "${r.value}", customers`)
    );
    const cells = rows.map((r) =>
      profiles.map((p) => {
        const shown = list(r.profiles).find((c) => c.profile_id === p.id);
        return t.cell(
          `${r.value} ${p.id}`,
          shown === undefined ? 0 : count(shown.customers),
          `${segment}, "${r.value}", ${p.id}`
        );
      })
    );
    // the same cells in each profile's report
    for (const report of reports) {
      const id = (report.profile as Json | undefined)?.id;
      const k = profiles.findIndex((p) => p.id === id);
      if (k < 0) continue;
      for (const c of list(report.segments).filter((c) => c.segment === segment)) {
        const r = rows.findIndex((r) => r.value === c.value);
        if (r < 0) continue;
        t.cell(`${c.value} ${id}`, count(c.customers));
        t.cell(`size ${c.value}`, count(c.segment_customers));
      }
    }
    rows.forEach((_, r) => t.sum(cells[r], totals[r]));
    columns.forEach((c, k) =>
      t.sum(
        cells.map((row) => row[k]),
        c
      )
    );
    t.sum(totals, grand);
    return t;
  });
}

/** Each histogram across the reports: bins × profiles, the base's bins and the profiles' counts. */
function histogramTables(reports: Json[]): Published[] {
  const features = new Map<string, Published>();
  const profiles = reports.flatMap((r) => list(r.others).map((o) => String(o.id)));
  const all = [...new Set(profiles)].sort();
  const shape = new Map<string, number>();
  for (const report of reports) {
    const id = String((report.profile as Json).id);
    for (const d of list(report.distributions)) {
      const feature = String(d.feature);
      const bins = d.bins as Json;
      let t = features.get(feature);
      if (!t) {
        t = new Published(String(report.__file));
        features.set(feature, t);
        shape.set(feature, list(bins.customers).length);
      }
      const where = `distributions, ${feature}`;
      t.cell("all", count(bins.all_customers), `${where}, all_customers`);
      t.cell(`profile ${id}`, count(bins.profile_customers), `${where}, profile_customers`);
      (bins.customers as unknown[]).forEach((n, b) =>
        t.cell(`${b} ${id}`, count(n), `${String(report.__file)}, ${where}, bin ${b + 1}`)
      );
      (bins.base_customers as unknown[]).forEach((n, b) =>
        t.cell(`bin ${b}`, count(n), `${where}, base_customers, bin ${b + 1}`)
      );
    }
  }
  for (const [feature, t] of features) {
    const bins = shape.get(feature)!;
    const rows = Array.from({length: bins}, (_, b) => t.cell(`bin ${b}`, undefined));
    // a profile without this chart publishes no count for it
    const columns = all.map((id) =>
      t.known(`profile ${id}`) ? t.cell(`profile ${id}`, undefined) : t.derive(`profile ${id}`)
    );
    const cells = Array.from({length: bins}, (_, b) =>
      all.map((id) => t.cell(`${b} ${id}`, undefined))
    );
    rows.forEach((row, b) => t.sum(cells[b], row));
    columns.forEach((c, k) =>
      t.sum(
        cells.map((row) => row[k]),
        c
      )
    );
    t.sum(columns, t.cell("all", undefined));
  }
  return [...features.values()];
}

/** The maps: countries (and regions) × profiles, with the base's customers in each place. */
function placeTables(reports: Json[]): Published[] {
  const out: Published[] = [];
  for (const level of ["countries", "regions"] as const) {
    if (reports.length === 0) continue;
    const t = new Published(String(reports[0].__file));
    const places = new Set<string>();
    const ids: string[] = [];
    for (const report of reports) {
      const id = String((report.profile as Json).id);
      ids.push(id);
      let total: number | null = null;
      for (const p of list((report.geography as Json | undefined)?.[level])) {
        const place = level === "countries" ? String(p.country) : `${p.country} ${p.region}`;
        places.add(place);
        t.cell(
          `${place} ${id}`,
          count(p.customers),
          `${String(report.__file)}, ${level}, ${place}`
        );
        t.cell(`base ${place}`, count(p.base_customers));
        // a published share gives the profile's total over the places
        const n = count(p.customers);
        const share = count(p.share);
        if (n !== null && share !== null && share > 0) total = Math.round(n / share);
      }
      if (total === null) t.derive(`profile ${id}`);
      else t.cell(`profile ${id}`, total);
    }
    const rows = [...places].sort();
    if (rows.length === 0) continue;
    for (const place of rows)
      t.sum(
        ids.map((id) => t.cell(`${place} ${id}`, 0)),
        t.cell(`base ${place}`, undefined)
      );
    for (const id of ids)
      t.sum(
        rows.map((place) => t.cell(`${place} ${id}`, 0)),
        t.cell(`profile ${id}`, undefined)
      );
    out.push(t);
  }
  return out;
}

/** The flows of each pair of snapshots: sources × targets, each profile's size then and now. */
function flowTables(doc: Json | undefined, reports: Json[]): Published[] {
  if (!doc) return [];
  const snapshots = new Map(list(doc.snapshots).map((s) => [String(s.date), count(s.customers)]));
  const series = new Map(
    list(doc.series).map((s) => [`${s.snapshot} ${s.profile_id}`, count(s.customers)])
  );
  const flows = list(doc.flows);
  const pairs = [...new Set(flows.map((f) => `${f.from} ${f.to}`))];
  return pairs.map((pair) => {
    const [from, to] = pair.split(" ");
    const t = new Published(String(doc.__file));
    const mine = flows.filter((f) => f.from === from && f.to === to);
    const sources = [...new Set(mine.map((f) => String(f.source)))].sort();
    const targets = [...new Set(mine.map((f) => String(f.target)))].sort();
    const cell = (s: string, g: string) => {
      const f = mine.find((f) => f.source === s && f.target === g);
      return t.cell(
        `${s} ${g}`,
        f === undefined ? 0 : count(f.customers),
        `flows ${from} → ${to}, ${s} → ${g}`
      );
    };
    for (const report of reports) {
      const c = report.changes as Json | null | undefined;
      if (!c || c.previous !== from || c.current !== to) continue;
      const id = String((report.profile as Json).id);
      for (const m of list(c.moved_in)) t.cell(`${m.profile_id} ${id}`, count(m.customers));
      for (const m of list(c.moved_out)) t.cell(`${id} ${m.profile_id}`, count(m.customers));
    }
    const before = t.cell(`customers ${from}`, snapshots.get(from) ?? null);
    const after = t.cell(`customers ${to}`, snapshots.get(to) ?? null);
    const rowTotal = (s: string) =>
      s === "joined"
        ? t.derive("joined")
        : t.cell(`${from} ${s}`, series.get(`${from} ${s}`) ?? null, `series ${from}, ${s}`);
    const columnTotal = (g: string) =>
      t.cell(`${to} ${g}`, series.get(`${to} ${g}`) ?? null, `series ${to}, ${g}`);
    for (const s of sources)
      t.sum(
        targets.map((g) => cell(s, g)),
        rowTotal(s)
      );
    for (const g of targets)
      t.sum(
        sources.map((s) => cell(s, g)),
        columnTotal(g)
      );
    t.sum(targets.map(columnTotal), after);
    t.sum(sources.map(rowTotal), after);
    t.sum(sources.filter((s) => s !== "joined").map(rowTotal), before);
    return t;
  });
}

/** The months of sign-ups (overview.json, activity.arrow) and their years (activity.json). */
function calendarTable(
  overview: Json | undefined,
  activity: Json | undefined,
  min: number
): {table: Published; small: Violation[]} | null {
  if (!overview) return null;
  const table = list(overview.tables).find((t) => t.table === "customers");
  if (!table) return null;
  const file = String(overview.__file);
  const t = new Published(file);
  const small: Violation[] = [];
  const months = list(overview.monthly).filter((m) => m.table === "customers");
  const grand = t.cell("all", count(table.rows), "tables, customers, rows");
  const years = new Map<string, number[]>();
  for (const m of months) {
    const month = String(m.month);
    const where = `monthly, customers, ${month}, rows`;
    const v = smallCount(file, where, count(m.rows), min);
    if (v) small.push(v);
    const i = t.cell(month, count(m.rows), where);
    years.set(month.slice(0, 4), [...(years.get(month.slice(0, 4)) ?? []), i]);
  }
  for (const y of list(activity?.yearly).filter((y) => y.label === table.label)) {
    const where = `${String(activity!.__file)}, yearly, ${y.label}, ${y.year}, rows`;
    const v = smallCount(
      String(activity!.__file),
      `yearly, ${y.label}, ${y.year}, rows`,
      count(y.rows),
      min
    );
    if (v) small.push(v);
    t.cell(`year ${y.year}`, count(y.rows), where);
  }
  const published = new Set(
    list(activity?.yearly)
      .filter((y) => y.label === table.label)
      .map((y) => String(y.year))
  );
  const totals = [...years].map(([year, parts]) => {
    const total = published.has(year)
      ? t.cell(`year ${year}`, undefined)
      : t.derive(`year ${year}`);
    t.sum(parts, total);
    return total;
  });
  t.sum(totals, grand);
  return {table: t, small};
}

/** The backtest's buckets of each model (method.json): they add up to the backtest's customers. */
function backtestTables(doc: Json | undefined): Published[] {
  const backtest = doc?.backtest as Json | undefined;
  if (!backtest) return [];
  const out: Published[] = [];
  for (const [table, bucket] of [
    ["frequency", "frequency"],
    ["deciles", "decile"]
  ] as const) {
    const rows = list(backtest[table]);
    for (const model of new Set(rows.map((r) => String(r.model)))) {
      const t = new Published(String(doc!.__file));
      const total = t.cell("customers", count(backtest.customers), "backtest, customers");
      const parts = rows
        .filter((r) => String(r.model) === model)
        .map((r) =>
          t.cell(
            `${String(r[bucket])}`,
            count(r.customers),
            `backtest, ${table}, ${model}, ${String(r[bucket])}, customers`
          )
        );
      t.sum(parts, total);
      out.push(t);
    }
  }
  return out;
}

/**
 * A suppressed bucket of the backtest with its predicted or actual mean published: beside the
 * candidates' predicted and actual totals (a sum of count × mean), the mean gives the count back.
 */
function backtestMeans(doc: Json | undefined): Violation[] {
  const backtest = doc?.backtest as Json | undefined;
  if (!backtest) return [];
  return (["frequency", "deciles"] as const).flatMap((table) =>
    list(backtest[table])
      .filter((r) => r.customers === null && (count(r.predicted) ?? count(r.actual)) !== null)
      .map((r) => ({
        file: String(doc!.__file),
        where: `backtest, ${table}, ${String(r.model)}, ${String(r.frequency ?? r.decile)}`,
        kind: "count" as const,
        what: "a suppressed bucket's mean, which with the published totals gives its count",
        fix: "Publish null for the predicted and actual means of a suppressed bucket (loaders/site/method.ts suppressBuckets)."
      }))
  );
}
