/**
 * The differencing test of the privacy check: every published table with totals is rebuilt from
 * the published JSON (the segment × profile crosstabs, each histogram across the profiles'
 * reports, the places × profiles of the maps, the flows between profiles with each profile's
 * size at both snapshots, the months and years of sign-ups, each 0/1 feature's customers with
 * and without it in each profile, the Method page's backtest buckets against the backtest's
 * customers), and each suppressed cell that the published cells and totals determine by
 * subtraction (core/margins.ts) is a violation. A cell published in any file counts as known
 * everywhere. The months and years of sign-ups are counts of customers under other names
 * (`rows`), so they are held to the small-count rule here too, and so are flags' means.
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

  /** The cell named key, read as 0 when no file names it (a place a report leaves out). */
  orZero(key: string): number {
    return this.index.get(key) ?? this.cell(key, 0);
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
  const segments = data.get("_file/data/segments.json");
  const profiles = data.get("_file/data/profiles.json");
  const tables = [
    ...segmentTables(segments, reports),
    ...histogramTables(reports),
    ...levelTables(data.get("_file/data/explore.json"), profiles, reports),
    ...placeTables(reports),
    ...flowTables(data.get("_file/data/history.json"), reports),
    ...backtestTables(data.get("_file/data/method.json"))
  ];
  const outcomes = outcomeTables(segments, profiles, minGroupSize);
  for (const found of [
    flagMeanTables(segments, reports, minGroupSize),
    flagTraitTables(data.get("_file/data/explore.json"), profiles, reports, minGroupSize)
  ]) {
    outcomes.tables.push(...found.tables);
    outcomes.small.push(...found.small);
  }
  const calendar = calendarTable(
    data.get("_file/data/overview.json"),
    data.get("_file/data/activity.json"),
    minGroupSize
  );
  if (calendar) tables.push(calendar.table);
  tables.push(...outcomes.tables);
  return {
    violations: [
      ...(calendar?.small ?? []),
      ...outcomes.small,
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
    // the segments' means name the customers behind each mean: the same cells and sizes
    for (const m of list(doc.means).filter((m) => m.segment === segment)) {
      if (!rows.some((r) => r.value === m.value)) continue;
      const mine =
        m.profile_id === null || m.profile_id === undefined ? null : String(m.profile_id);
      const where = `means, ${segment}, "${m.value}", ${mine ?? "all profiles"}, customers`;
      if (mine === null) t.cell(`size ${m.value}`, count(m.customers), where);
      else if (profiles.some((p) => p.id === mine))
        t.cell(`${m.value} ${mine}`, count(m.customers), where);
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

/**
 * Each categorical trait: levels × profiles. A profile's count in a level is published as the
 * report's customers or as its share (explore.json, profiles.json, the report: the share times
 * the profile's customers with a value); a level's count in the base as its share (base_value
 * times all customers with a value); each profile's customers with a value as its coverage
 * times its size. Levels a file leaves out (a report draws the most common ones) are one
 * unknown remainder per profile, never reported themselves.
 */
function levelTables(
  explore: Json | undefined,
  doc: Json | undefined,
  reports: Json[]
): Published[] {
  interface Level {
    feature: string;
    level: string;
    profile: string;
    file: string;
    share: number | null;
    customers: number | null;
    base: number | null;
    coverage: number | null;
  }
  const seen: Level[] = [];
  const levels = new Map<string, number>();
  const category = (t: Json) =>
    t.kind === "category" || (t.level !== null && t.level !== undefined);
  for (const t of list(explore?.traits).filter(category))
    for (const p of list(t.profiles))
      seen.push({
        feature: String(t.feature),
        level: String(t.level),
        profile: String(p.profile_id),
        file: String(explore!.__file),
        share: count(p.profile_value),
        customers: null,
        // an effect against the rest, with the profile's share, gives the base's
        base: count(t.base_value) ?? (count(p.effect) === null ? null : count(p.profile_value)),
        coverage: null
      });
  for (const p of list(doc?.profiles))
    for (const t of list(p.traits).filter(category))
      seen.push({
        feature: String(t.feature),
        level: String(t.level),
        profile: String(p.id),
        file: String(doc!.__file),
        share: count(t.profile_value),
        customers: null,
        base: count(t.base_value) ?? baseFromLift(t),
        coverage: count(t.coverage)
      });
  for (const report of reports) {
    const id = String((report.profile as Json).id);
    for (const t of list(report.traits).filter(category)) {
      levels.set(String(t.feature), Math.max(levels.get(String(t.feature)) ?? 0, Number(t.levels)));
      seen.push({
        feature: String(t.feature),
        level: String(t.level),
        profile: id,
        file: String(report.__file),
        share: count(t.profile_value),
        customers: count(t.customers),
        base: count(t.base_value) ?? baseFromLift(t),
        coverage: count(t.coverage)
      });
    }
  }
  const out: Published[] = [];
  for (const feature of [...new Set(seen.map((l) => l.feature))].sort()) {
    const mine = seen.filter((l) => l.feature === feature);
    const t = new Published(mine[0].file);
    const names = [...new Set(mine.map((l) => l.level))].sort();
    const ids = [...new Set(mine.map((l) => l.profile))].sort();
    for (const l of mine) {
      const where = `${l.file}, traits, ${feature}: ${l.level}, ${l.profile}`;
      t.cell(`cell ${l.level}\u001f${l.profile}`, l.customers ?? l.share, where);
      t.cell(`base ${l.level}`, l.base, `${l.file}, traits, ${feature}: ${l.level}, base_value`);
      if (l.coverage !== null) t.cell(`profile ${l.profile}`, l.coverage);
    }
    // levels no file names: a remainder per profile, and in the base
    const rest = names.length < (levels.get(feature) ?? names.length);
    const columns = ids.map((id) =>
      t.known(`profile ${id}`) ? t.cell(`profile ${id}`, undefined) : t.derive(`profile ${id}`)
    );
    const cells = names.map((level) =>
      ids.map((id) => t.cell(`cell ${level}\u001f${id}`, undefined))
    );
    const rows = names.map((level) => t.cell(`base ${level}`, undefined));
    const others = rest ? ids.map((id) => t.derive(`rest ${id}`)) : [];
    const grand = t.derive("all");
    names.forEach((_, r) => t.sum(cells[r], rows[r]));
    columns.forEach((c, k) =>
      t.sum([...cells.map((row) => row[k]), ...(rest ? [others[k]] : [])], c)
    );
    if (rest) {
      const base = t.derive("rest");
      t.sum(others, base);
      t.sum([...rows, base], grand);
    } else t.sum(rows, grand);
    t.sum(columns, grand);
    out.push(t);
  }
  return out;
}

const FLAG_SIDES = ["with the flag", "without it"] as const;

/**
 * A share times its group's customers counts those it names (`counted`) and the rest: each is
 * held to the small-count rule.
 */
function bothSides(
  file: string,
  where: string,
  counted: number | null,
  of: number | null,
  [named, rest]: readonly [string, string],
  min: number
): Violation[] {
  const sides: [number | null, string][] = [
    [counted, named],
    [counted === null || of === null ? null : of - counted, rest]
  ];
  return sides.flatMap(
    ([n, what]) => smallCount(file, `${where}, customers ${what}`, n, min) ?? []
  );
}

/**
 * The segments' means of a flag (a feature of 0 and 1): each mean times its row's customers
 * counts those with the flag (and those without, each held to the small-count rule), a
 * segmentation's segments × profiles whose totals are the segment's row over all its profiles
 * and each profile's flag (its trait in its report: its mean times its customers with a value).
 */
function flagMeanTables(
  doc: Json | undefined,
  reports: Json[],
  min: number
): {tables: Published[]; small: Violation[]} {
  const tables: Published[] = [];
  const small: Violation[] = [];
  if (!doc) return {tables, small};
  const file = String(doc.__file);
  const flags = list(doc.features)
    .filter((f) => f.unit === "flag")
    .map((f) => String(f.feature));
  const ids = list(doc.profiles).map((p) => String(p.id));
  for (const feature of flags)
    for (const s of list(doc.segmentations)) {
      const segment = String(s.segment);
      const t = new Published(file);
      const values = list(s.segments).map((v) => String(v.value));
      for (const m of list(doc.means).filter((m) => m.segment === segment)) {
        const mean = count(m[feature]);
        const customers = count(m.customers);
        const ones = mean === null || customers === null ? null : Math.round(mean * customers);
        const who =
          m.profile_id === null || m.profile_id === undefined ? null : String(m.profile_id);
        const where = `means, ${segment}, "${m.value}", ${who ?? "all profiles"}, ${feature}`;
        small.push(...bothSides(file, where, ones, customers, FLAG_SIDES, min));
        t.cell(who === null ? `size ${m.value}` : `${m.value} ${who}`, ones, where);
      }
      // a profile the crosstab publishes with no customers in a segment has none with the flag
      for (const v of list(s.segments))
        for (const id of ids) {
          const shown = list(v.profiles).find((c) => c.profile_id === id);
          if (shown === undefined || shown.customers === 0) t.cell(`${v.value} ${id}`, 0);
        }
      for (const report of reports) {
        const id = String((report.profile as Json).id);
        const trait = list(report.traits).find((x) => x.feature === feature && x.level == null);
        const mean = count(trait?.profile_value);
        const n = count(trait?.customers);
        if (mean !== null && n !== null) t.cell(`profile ${id}`, Math.round(mean * n));
      }
      const cells = values.map((v) => ids.map((id) => t.cell(`${v} ${id}`, undefined)));
      const rows = values.map((v) => t.cell(`size ${v}`, undefined));
      const columns = ids.map((id) =>
        t.known(`profile ${id}`) ? t.cell(`profile ${id}`, undefined) : t.derive(`profile ${id}`)
      );
      const grand = t.derive("all");
      values.forEach((_, r) => t.sum(cells[r], rows[r]));
      columns.forEach((c, k) =>
        t.sum(
          cells.map((row) => row[k]),
          c
        )
      );
      t.sum(rows, grand);
      t.sum(columns, grand);
      tables.push(t);
    }
  return {tables, small};
}

/**
 * Each 0/1 feature's traits: with and without the flag × profiles. A profile's mean of a flag
 * (explore.json, profiles.json, its report; or its lift times the base's mean) times its
 * customers with a value (the report's customers, or the coverage times the profile's size)
 * counts those with the flag, and the rest those without, each held to the small-count rule;
 * the base's mean times all customers with a value counts the base's. The profiles' counts add
 * up to the base's.
 */
function flagTraitTables(
  explore: Json | undefined,
  doc: Json | undefined,
  reports: Json[],
  min: number
): {tables: Published[]; small: Violation[]} {
  interface Seen {
    feature: string;
    profile: string;
    file: string;
    mean: number | null;
    n: number | null;
    base: number | null;
  }
  const seen: Seen[] = [];
  const flag = (t: Json) => t.unit === "flag" && (t.level === null || t.level === undefined);
  const mean = (t: Json) => {
    const base = count(t.base_value);
    const lift = count(t.lift);
    return count(t.profile_value) ?? (base === null || lift === null ? null : lift * base);
  };
  const size = (t: Json, customers: unknown) => {
    const coverage = count(t.coverage);
    const n = count(customers);
    return count(t.customers) ?? (coverage === null || n === null ? null : coverage * n);
  };
  for (const t of list(explore?.traits).filter(flag))
    for (const p of list(t.profiles))
      seen.push({
        feature: String(t.feature),
        profile: String(p.profile_id),
        file: String(explore!.__file),
        mean: count(p.profile_value),
        n: null,
        base: count(t.base_value)
      });
  for (const p of list(doc?.profiles))
    for (const t of list(p.traits).filter(flag))
      seen.push({
        feature: String(t.feature),
        profile: String(p.id),
        file: String(doc!.__file),
        mean: mean(t),
        n: size(t, p.customers),
        base: count(t.base_value)
      });
  for (const report of reports) {
    const profile = report.profile as Json;
    for (const t of list(report.traits).filter(flag))
      seen.push({
        feature: String(t.feature),
        profile: String(profile.id),
        file: String(report.__file),
        mean: mean(t),
        n: size(t, profile.customers),
        base: count(t.base_value)
      });
  }
  const tables: Published[] = [];
  const small: Violation[] = [];
  for (const feature of [...new Set(seen.map((l) => l.feature))].sort()) {
    const mine = seen.filter((l) => l.feature === feature);
    const t = new Published(mine[0].file);
    const ids = [...new Set(mine.map((l) => l.profile))].sort();
    const n = new Map<string, number>();
    for (const l of mine) if (l.n !== null) n.set(l.profile, Math.round(l.n));
    // all customers with a value, when every profile's is known
    const all = ids.every((id) => n.has(id)) ? ids.reduce((x, id) => x + n.get(id)!, 0) : null;
    const counted = new Set<string>();
    const check = (file: string, where: string, ones: number, of: number) => {
      if (counted.has(where)) return;
      counted.add(where);
      small.push(...bothSides(file, where, ones, of, FLAG_SIDES, min));
    };
    for (const l of mine) {
      const where = `traits, ${feature}, ${l.profile}`;
      const of = n.get(l.profile);
      const ones = l.mean === null || of === undefined ? null : Math.round(l.mean * of);
      if (ones !== null) check(l.file, where, ones, of!);
      t.cell(`ones ${l.profile}`, ones, `${l.file}, ${where}, customers with the flag`);
      t.cell(
        `rest ${l.profile}`,
        ones === null ? null : of! - ones,
        `${l.file}, ${where}, without`
      );
      const base = l.base === null || all === null ? null : Math.round(l.base * all);
      if (base !== null) check(l.file, `traits, ${feature}, base_value`, base, all!);
      t.cell("ones base", base, `${l.file}, traits, ${feature}, base_value`);
      t.cell("rest base", base === null ? null : all! - base);
    }
    const ones = ids.map((id) => t.cell(`ones ${id}`, undefined));
    const rest = ids.map((id) => t.cell(`rest ${id}`, undefined));
    const columns = ids.map((id) =>
      n.has(id) ? t.cell(`profile ${id}`, n.get(id)!) : t.derive(`profile ${id}`)
    );
    const grand = all === null ? t.derive("all") : t.cell("all", all);
    t.sum(ones, t.cell("ones base", undefined));
    t.sum(rest, t.cell("rest base", undefined));
    ids.forEach((_, k) => t.sum([ones[k], rest[k]], columns[k]));
    t.sum(columns, grand);
    t.sum([t.cell("ones base", undefined), t.cell("rest base", undefined)], grand);
    tables.push(t);
  }
  return {tables, small};
}

/** A level's share of the base, from the profile's share and its lift, when both are published. */
function baseFromLift(t: Json): number | null {
  const share = count(t.profile_value);
  const lift = count(t.lift);
  return share === null || lift === null || lift === 0 ? null : share / lift;
}

/**
 * The maps: countries × profiles and regions × profiles, with the base's customers in each
 * place, in one table: a country's regions and what its regions leave out (customers of no
 * published region) add up to the country, in each profile and in the base. The remainder is
 * published nowhere, so never reported; when the base's regions add up to the country there is
 * none, in any profile.
 */
function placeTables(reports: Json[]): Published[] {
  if (reports.length === 0) return [];
  const t = new Published(String(reports[0].__file));
  const ids: string[] = [];
  const places = {countries: new Set<string>(), regions: new Set<string>()};
  const base = new Map<string, number>();
  const regionsOf = new Map<string, Set<string>>();
  for (const report of reports) {
    const id = String((report.profile as Json).id);
    ids.push(id);
    for (const level of ["countries", "regions"] as const) {
      let total: number | null = null;
      for (const p of list((report.geography as Json | undefined)?.[level])) {
        const place = level === "countries" ? String(p.country) : `${p.country} ${p.region}`;
        places[level].add(place);
        if (level === "regions")
          regionsOf.set(
            String(p.country),
            (regionsOf.get(String(p.country)) ?? new Set()).add(place)
          );
        t.cell(
          `${level} ${place} ${id}`,
          count(p.customers),
          `${String(report.__file)}, ${level}, ${place}`
        );
        const b = count(p.base_customers);
        t.cell(`${level} base ${place}`, b);
        if (b !== null) base.set(`${level} ${place}`, b);
        // a published share gives the profile's total over the places
        const n = count(p.customers);
        const share = count(p.share);
        if (n !== null && share !== null && share > 0) total = Math.round(n / share);
      }
      if (total === null) t.derive(`${level} profile ${id}`);
      else t.cell(`${level} profile ${id}`, total);
    }
  }
  for (const level of ["countries", "regions"] as const) {
    const rows = [...places[level]].sort();
    if (rows.length === 0) continue;
    for (const place of rows)
      t.sum(
        ids.map((id) => t.orZero(`${level} ${place} ${id}`)),
        t.cell(`${level} base ${place}`, undefined)
      );
    for (const id of ids)
      t.sum(
        rows.map((place) => t.orZero(`${level} ${place} ${id}`)),
        t.cell(`${level} profile ${id}`, undefined)
      );
  }
  // regions nested in their countries
  for (const country of [...places.countries].sort()) {
    const regions = [...(regionsOf.get(country) ?? [])].sort();
    if (regions.length === 0) continue;
    const left =
      (base.get(`countries ${country}`) ?? NaN) -
      regions.reduce((n, r) => n + (base.get(`regions ${r}`) ?? NaN), 0);
    const rest = ids.map((id) =>
      left === 0 ? t.cell(`rest ${country} ${id}`, 0) : t.derive(`rest ${country} ${id}`)
    );
    ids.forEach((id, k) =>
      t.sum(
        [...regions.map((r) => t.orZero(`regions ${r} ${id}`)), rest[k]],
        t.orZero(`countries ${country} ${id}`)
      )
    );
    t.sum(rest, Number.isNaN(left) ? t.derive(`rest ${country}`) : t.cell(`rest ${country}`, left));
  }
  return [t];
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

/**
 * Each declared outcome: its customers whose outcome is known and those who had it, in each
 * profile (profiles.json) and in each segment of every segmentation (segments.json), which add up
 * to the base's in the profiles and again in each segmentation. A published rate with its count
 * gives the customers who had the outcome (rate × customers) and those who did not: each is held
 * to the small-count rule. The base's counts are taken as known (its rate is on every row).
 */
function outcomeTables(
  segments: Json | undefined,
  doc: Json | undefined,
  min: number
): {tables: Published[]; small: Violation[]} {
  interface Row {
    outcome: string;
    group: string;
    file: string;
    where: string;
    customers: number | null;
    rate: number | null;
  }
  const rows: Row[] = [];
  for (const p of list(doc?.profiles))
    for (const o of list(p.outcomes))
      rows.push({
        outcome: String(o.outcome),
        group: `profile ${p.id}`,
        file: String(doc!.__file),
        where: `profiles, ${p.id}, outcomes, ${o.outcome}`,
        customers: count(o.customers),
        rate: count(o.rate)
      });
  for (const o of list(segments?.outcomes))
    rows.push({
      outcome: String(o.outcome),
      group: `segment ${o.segment}\u001f${o.value}`,
      file: String(segments!.__file),
      where: `outcomes, ${o.outcome}, ${o.segment}, "${o.value}"`,
      customers: count(o.customers),
      rate: count(o.rate)
    });
  const small: Violation[] = [];
  const tables: Published[] = [];
  for (const outcome of [...new Set(rows.map((r) => r.outcome))].sort()) {
    const mine = rows.filter((r) => r.outcome === outcome);
    const t = new Published(mine[0].file);
    const all = {known: t.cell("known", 0), events: t.cell("events", 0)};
    const groups = new Map<string, string[]>();
    for (const r of mine) {
      const events =
        r.customers === null || r.rate === null ? null : Math.round(r.rate * r.customers);
      const where = `${r.file}, ${r.where}`;
      small.push(
        ...bothSides(r.file, r.where, events, r.customers, ["who had it", "who did not"], min)
      );
      t.cell(`known ${r.group}`, r.customers, `${where}, customers`);
      t.cell(`events ${r.group}`, events, `${where}, rate`);
      const family = r.group.startsWith("profile ") ? "profiles" : r.group.split("\u001f")[0];
      groups.set(family, [...(groups.get(family) ?? []), r.group]);
    }
    for (const members of groups.values())
      for (const kind of ["known", "events"] as const)
        t.sum(
          members.map((g) => t.cell(`${kind} ${g}`, undefined)),
          all[kind]
        );
    tables.push(t);
  }
  return {tables, small};
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
