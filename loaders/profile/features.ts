/**
 * Features per dimension (DESIGN.md), computed in DuckDB as of a date so that snapshots reuse
 * the same code: every row counts only if it happened on or before the as-of date, and a
 * customer belongs to the population once they have joined.
 *
 * The features are declared in catalogue.ts; this module builds their SQL (one aggregate per
 * source table, the population, the join) and runs it, then writes two tables:
 * - `features`: one row per customer, one column per measured feature;
 * - `feature_catalog`: every feature Portrait knows, with its dimension, label, unit, whether it
 *   was measured (a feature with no data is reported as not measured and left out of
 *   `features`, never zero-filled), its coverage, and whether it is clustered on.
 */
import {CANONICAL_TABLES} from "../config/canonical.ts";
import {
  ConfigError,
  type AttributeConfig,
  type CustomFeatureConfig,
  type Declared,
  type PortraitConfig
} from "../config/project.ts";
import type {Store} from "../core/store.ts";
import {ident, join, raw, sql, val, type SQL} from "../core/sql.ts";
import {
  attributeDeclarations,
  catalogue,
  customColumn,
  customDeclarations,
  configScales,
  mixId,
  MIXES,
  questionScales,
  scaleId,
  SOURCE_NAMES,
  SOURCE_TABLES,
  type Declaration,
  type Dimension,
  type Feature,
  type Levels,
  type Mix,
  type MixName,
  type Scale,
  type Source
} from "./catalogue.ts";

export interface CatalogEntry extends Feature {
  measured: boolean;
  /** Share of the population with a value. */
  coverage: number;
  /** Why a feature is not measured. */
  note: string | null;
  clustered: boolean;
}

export interface FeatureOptions {
  asOf: string;
  /** Length of the window for per-year rates, in days (default 365). */
  windowDays: number;
  /** Length of each of the two windows the engagement trend compares, in days (default 90). */
  trendDays: number;
  /** Psychographic scales: name → questions (answers averaged; reversed ones flipped). */
  scales: Record<string, Scale>;
  /** Answer range of survey questions, for reversing (default 1–5). */
  answerRange: [number, number];
  /** Feature ids left out entirely. */
  exclude: string[];
  /** The customers' own attributes, each a feature. */
  attributes?: Readonly<Record<string, Declared<AttributeConfig>>>;
  /** Features computed by the config's SQL. */
  custom?: Readonly<Record<string, CustomFeatureConfig>>;
  /** The config file, for errors in its attributes and custom features. */
  configPath?: string;
  /**
   * A past snapshot's table to write instead of `features`: every column the data can fill is
   * kept (none dropped for a lack of values that date), and the catalog is left alone, so the
   * current build's clustering recipe applies to it unchanged.
   */
  snapshotTable?: string;
}

/** The dates an aggregate counts over: up to the as-of date, per-year rates over `windowDays`. */
export type Window = Pick<FeatureOptions, "asOf" | "windowDays" | "trendDays">;

/** A source with a per-customer aggregate table (customers are read as they are). */
export type Aggregated = Exclude<Source, "customers">;

/** The first instant after the as-of date: windows count back from it. */
function endOf(asOf: string): SQL {
  return sql`(${val(asOf)}::DATE + INTERVAL 1 DAY)`;
}

/** The first instant of the last `days` days up to the as-of date. */
function since(asOf: string, days: SQL | number): SQL {
  return sql`(${endOf(asOf)} - to_days(${days}))`;
}

/** The temporary table holding a source's aggregate. */
function aggregateTable(source: Aggregated): SQL {
  return ident(`agg_${source}`);
}

/** The alias a source's row goes by in the features query: `c` for the population. */
function rowAlias(source: Source): SQL {
  return source === "customers" ? sql`c` : ident(`a_${source}`);
}

/** The most frequent levels of a column (at most `max`, each ≥ 1 % of non-null rows). */
export function levelsQuery(table: string, column: string, max = 8): SQL {
  const c = ident(column);
  return sql`SELECT ${c} AS level FROM ${ident(table)}
     WHERE ${c} IS NOT NULL
     GROUP BY 1 HAVING count(*) >= 0.01 * (SELECT count(${c}) FROM ${ident(table)})
     ORDER BY count(*) DESC, level LIMIT ${max}`;
}

/** Survey questions whose answers are numbers (nine in ten at least), in order. */
export function numericQuestionsQuery(): SQL {
  return sql`SELECT question FROM survey_responses GROUP BY question
         HAVING count(TRY_CAST(answer AS DOUBLE)) >= 0.9 * count(answer) ORDER BY question`;
}

/** A mix's share columns, one per level: the share of a customer's rows at that level. */
function shareColumns(name: MixName, levels: readonly string[]): SQL[] {
  const c = ident(MIXES[name].column);
  return levels.map(
    (level) =>
      sql`avg((${c} = ${val(level)})::DOUBLE) FILTER (WHERE ${c} IS NOT NULL) AS ${ident(mixId(name, level))}`
  );
}

/** The mix columns of an aggregate, each followed by a comma (none without levels). */
function shareList(levels: Levels, names: MixName[]): SQL {
  const columns = names.flatMap((name) => shareColumns(name, levels[name] ?? []));
  return columns.length > 0 ? sql`${join(columns, ",\n        ")},` : sql``;
}

/**
 * Per customer, their orders up to the as-of date. The main channel is ranked apart: an ordered
 * aggregate (mode … ORDER BY) keeps every customer's values in memory at once, which a million
 * customers do not fit.
 */
export function ordersAggregate(w: Window, levels: Levels): SQL {
  const end = endOf(w.asOf);
  const window = since(w.asOf, w.windowDays);
  return sql`WITH channel_counts AS (
          SELECT customer_id, channel, row_number() OVER (
            PARTITION BY customer_id ORDER BY count(*) DESC, channel) AS position
          FROM orders WHERE ordered_at < ${end} AND channel IS NOT NULL GROUP BY customer_id, channel),
        main AS (SELECT customer_id, channel AS main_order_channel FROM channel_counts WHERE position = 1)
        SELECT * FROM (SELECT customer_id,
        date_diff('day', max(ordered_at)::DATE, ${val(w.asOf)}::DATE) AS recency_days,
        count(*) FILTER (WHERE ordered_at >= ${window}) AS orders_window,
        sum(amount) FILTER (WHERE ordered_at >= ${window}) AS spend_window,
        avg(amount) AS order_value,
        avg(quantity) AS items_per_order,
        avg((discount > 0)::DOUBLE) FILTER (WHERE discount IS NOT NULL) AS discount_share,
        avg((status IN ('returned', 'refunded'))::DOUBLE) FILTER (WHERE status IS NOT NULL) AS return_share,
        avg((strftime(ordered_at, '%m-%d') BETWEEN '11-15' AND '12-24')::DOUBLE) AS gift_season_share,
        ${shareList(levels, ["order_channel", "category"])}
        count(*) AS orders_total,
        min(ordered_at) AS first_at
      FROM orders WHERE ordered_at < ${end} GROUP BY customer_id) LEFT JOIN main USING (customer_id)`;
}

/** Per customer, their support tickets opened up to the as-of date. */
export function ticketsAggregate(w: Window, levels: Levels): SQL {
  const end = endOf(w.asOf);
  return sql`SELECT customer_id,
        count(*) FILTER (WHERE opened_at >= ${since(w.asOf, w.windowDays)}) AS tickets_window,
        median(date_diff('minute', opened_at, resolved_at) / 60.0)
          FILTER (WHERE resolved_at >= opened_at AND resolved_at < ${end}) AS resolution_hours,
        avg(satisfaction) AS satisfaction,
        ${shareList(levels, ["ticket_channel", "ticket_topic"])}
        count(*) AS tickets_total,
        min(opened_at) AS first_at
      FROM tickets WHERE opened_at < ${end} GROUP BY customer_id`;
}

/** Per customer, the e-mails sent, opened and clicked in the window, and unsubscribes. */
export function emailAggregate(w: Window): SQL {
  const window = since(w.asOf, w.windowDays);
  const sent = sql`count(*) FILTER (WHERE event = 'sent' AND event_at >= ${window})`;
  return sql`SELECT customer_id,
        count(*) FILTER (WHERE event = 'open' AND event_at >= ${window})
          / nullif(${sent}, 0) AS open_rate,
        count(*) FILTER (WHERE event = 'click' AND event_at >= ${window})
          / nullif(${sent}, 0) AS click_rate,
        max((event = 'unsubscribe')::DOUBLE) AS unsubscribed,
        ${sent} AS emails_received,
        min(event_at) AS first_at
      FROM email_events WHERE event_at < ${endOf(w.asOf)} GROUP BY customer_id`;
}

/** Per customer, their web sessions up to the as-of date. */
export function sessionsAggregate(w: Window, levels: Levels): SQL {
  return sql`SELECT customer_id,
        count(*) FILTER (WHERE started_at >= ${since(w.asOf, w.windowDays)}) AS sessions_window,
        median(duration_s) / 60.0 AS session_minutes,
        ${shareList(levels, ["device"])}
        count(*) AS sessions_total,
        min(started_at) AS first_at
      FROM web_sessions WHERE started_at < ${endOf(w.asOf)} GROUP BY customer_id`;
}

/**
 * What counts as a customer's activity, one query per table the data has, each giving
 * (customer_id, active_at): orders, web sessions, and e-mail opens and clicks. The engagement
 * trend counts these, and so do the History page's engagement drops.
 */
export function activity(has: ReadonlySet<string>): SQL[] {
  return [
    has.has("orders") ? sql`SELECT customer_id, ordered_at AS active_at FROM orders` : null,
    has.has("web_sessions")
      ? sql`SELECT customer_id, started_at AS active_at FROM web_sessions`
      : null,
    has.has("email_events")
      ? sql`SELECT customer_id, event_at AS active_at FROM email_events WHERE event IN ('open', 'click')`
      : null
  ].filter((s): s is SQL => s !== null);
}

/** The activity queries of the tables `store` has. */
export async function storeActivity(store: Store): Promise<SQL[]> {
  const has = new Set<string>();
  for (const table of ["orders", "web_sessions", "email_events"])
    if (await store.has(table)) has.add(table);
  return activity(has);
}

/** Per customer, their activities in the recent window and in the same days a year earlier. */
export function trendAggregate(w: Window, activities: readonly SQL[]): SQL {
  const from = since(w.asOf, sql`365 + ${w.trendDays}`);
  return sql`SELECT customer_id,
        count(*) FILTER (WHERE active_at >= ${since(w.asOf, w.trendDays)}) AS recent,
        count(*) FILTER (WHERE active_at < ${since(w.asOf, sql`365`)} AND active_at >= ${from}) AS previous
      FROM (${join(activities, " UNION ALL ")}) WHERE active_at < ${endOf(w.asOf)} AND active_at >= ${from}
      GROUP BY customer_id`;
}

/** Per customer, each scale's score: their answers averaged, reversed questions flipped. */
export function surveyAggregate(
  asOf: string,
  scales: Record<string, Scale>,
  [lo, hi]: [number, number]
): SQL {
  const list = (questions: string[]) =>
    questions.length > 0 ? join(questions.map((q) => sql`${val(q)}`)) : sql`NULL`;
  const columns = Object.entries(scales).map(([name, s]) => {
    const value = sql`CASE WHEN question IN (${list(s.reverse)})
          THEN ${lo + hi} - TRY_CAST(answer AS DOUBLE) ELSE TRY_CAST(answer AS DOUBLE) END`;
    return sql`avg(${value}) FILTER (WHERE question IN (${list(s.questions)})) AS ${ident(scaleId(name))}`;
  });
  return sql`SELECT customer_id, ${join(columns, ",\n        ")}
        FROM survey_responses WHERE answered_at IS NULL OR answered_at < ${endOf(asOf)}
        GROUP BY customer_id`;
}

/**
 * The population: customers who had joined by the as-of date. A customer joined at their
 * signup date, else at their first activity in the aggregates given. A customer with neither
 * is not yet known in the past: they count in the current build (`undated`), never in a past
 * snapshot, where they would otherwise count as if they had always been there.
 */
export function populationQuery(
  asOf: string,
  {
    signup,
    firsts,
    undated,
    custom = []
  }: {
    signup: boolean;
    firsts: readonly Aggregated[];
    undated: boolean;
    custom?: readonly CustomColumn[];
  }
): SQL {
  const first = firsts.map(
    (t) =>
      sql`(SELECT min(first_at) FROM ${aggregateTable(t)} x WHERE x.customer_id = c.customer_id)`
  );
  const least = first.length > 0 ? sql`least(${join(first)})` : null;
  const joined = signup
    ? sql`coalesce(c.signup_date::TIMESTAMP${least ? sql`, ${least}` : sql``})`
    : (least ?? sql`NULL::TIMESTAMP`);
  const own = customSelect(asOf, custom);
  return sql`CREATE OR REPLACE TEMP TABLE population AS
     SELECT * FROM (SELECT c.*, ${own.columns}${joined} AS _joined FROM customers c ${own.joins})
     WHERE ${undated ? sql`_joined IS NULL OR ` : sql``}_joined < ${endOf(asOf)}`;
}

/** A custom feature as the population computes it: over the customer's row, or a table's rows. */
export interface CustomColumn {
  id: string;
  /** The config's SQL. */
  sql: SQL;
  /** The canonical table it aggregates over; none for the customer's row. */
  table?: string;
}

/** The canonical table's column that places its rows in time. */
function timeOf(table: string): string {
  const t = CANONICAL_TABLES.find((c) => c.name === table);
  if (!t) throw new Error(`no canonical table ${table}`);
  return t.time;
}

/**
 * A table's rows up to the as-of date, grouped by customer, with each custom aggregate over
 * them. Survey answers without a date count whenever they are.
 */
export function customAggregate(asOf: string, table: string, custom: readonly CustomColumn[]): SQL {
  const time = ident(timeOf(table));
  const when =
    table === "survey_responses"
      ? sql`${time} IS NULL OR ${time} < ${endOf(asOf)}`
      : sql`${time} < ${endOf(asOf)}`;
  return sql`SELECT customer_id, ${join(custom.map((c) => sql`${c.sql} AS ${ident(customColumn(c.id))}`))}
     FROM ${ident(table)} WHERE ${when} GROUP BY customer_id`;
}

/** The population's custom columns (each followed by a comma) and the aggregates they join. */
function customSelect(asOf: string, custom: readonly CustomColumn[]): {columns: SQL; joins: SQL} {
  const tables = [...new Set(custom.flatMap((c) => (c.table ? [c.table] : [])))];
  const columns = custom.map((c) =>
    c.table === undefined
      ? sql`${c.sql} AS ${ident(customColumn(c.id))}, `
      : sql`${ident(`x_${c.table}`)}.${ident(customColumn(c.id))}, `
  );
  const joins = tables.map(
    (t) =>
      sql`LEFT JOIN (${customAggregate(
        asOf,
        t,
        custom.filter((c) => c.table === t)
      )}) ${ident(`x_${t}`)} USING (customer_id)`
  );
  return {columns: join(columns, ""), joins: join(joins, " ")};
}

/** One row per customer of the population, one column per declaration, joined to the aggregates. */
export function featuresQuery(
  table: string,
  asOf: string,
  declarations: readonly Declaration[],
  aggregates: readonly Aggregated[]
): SQL {
  const select = declarations.map(
    (d) => sql`${d.sql(rowAlias(d.from), asOf)} AS ${ident(d.feature.id)}`
  );
  const joins = aggregates.map(
    (t) => sql`LEFT JOIN ${aggregateTable(t)} ${rowAlias(t)} USING (customer_id)`
  );
  return sql`CREATE OR REPLACE TABLE ${ident(table)} AS
     SELECT c.customer_id, ${join(select, ",\n       ")}
     FROM population c ${join(joins, " ")}
     ORDER BY c.customer_id`;
}

/** Recency for customers who never ordered: the days since they joined. */
export function recencyFill(table: string): SQL {
  return sql`UPDATE ${ident(table)} SET recency_days = tenure_days WHERE recency_days IS NULL`;
}

/** Per feature, the share of the population with a value (`population` rows in `features`). */
export function coverageQuery(ids: readonly string[], population: number): SQL {
  return sql`SELECT ${join(ids.map((id) => sql`count(${ident(id)}) / ${population} AS ${ident(id)}`))} FROM features`;
}

/** Per feature, its number of distinct values (approximate): one value everywhere says nothing. */
export function distinctQuery(ids: readonly string[]): SQL {
  return sql`SELECT ${join(ids.map((id) => sql`approx_count_distinct(${ident(id)}) AS ${ident(id)}`))} FROM features`;
}

/** What a build measured of its declarations: the input of `catalogEntries`. */
export interface Measurement {
  excluded: ReadonlySet<string>;
  /** Sources with rows in the data (customers always). */
  present: ReadonlySet<Source>;
  /** The canonical tables the data has (for custom aggregates; none when not given). */
  tables?: ReadonlySet<string>;
  /** The declarations computed into `features`. */
  kept: ReadonlySet<Declaration>;
  coverage: Record<string, number> | undefined;
  distinct: Record<string, number> | undefined;
}

/** Why a declaration is not measured, or null when it is. */
function notMeasured(d: Declaration, m: Measurement): string | null {
  const id = d.feature.id;
  if (m.excluded.has(id)) return "excluded by the config";
  if (!m.present.has(d.from)) return `no ${SOURCE_NAMES[d.from]} in the data`;
  if (d.table && !m.tables?.has(d.table)) return `no ${d.table.replaceAll("_", " ")} in the data`;
  if (!m.kept.has(d)) return `no ${d.needs} column in customers`;
  if (Number(m.coverage?.[id] ?? 0) === 0)
    return d.needs ? `no ${d.needs} values in ${d.from}` : "no data";
  if (Number(m.distinct?.[id] ?? 0) < 2) return "the same value for every customer";
  return null;
}

/**
 * The catalog: every declaration, measured or not (with the reason), in the catalogue's order.
 * A share keeps its base only when the base count was measured too.
 */
export function catalogEntries(
  declarations: readonly Declaration[],
  m: Measurement
): CatalogEntry[] {
  const catalog = declarations.map((d): CatalogEntry => {
    const note = notMeasured(d, m);
    const measured = note === null;
    return {
      ...d.feature,
      describeOnly: d.feature.describeOnly ?? false,
      measured,
      coverage: measured ? Number(m.coverage?.[d.feature.id] ?? 0) : 0,
      note,
      clustered: false
    };
  });
  const measuredIds = new Set(catalog.filter((f) => f.measured).map((f) => f.id));
  for (const f of catalog) if (f.base && !measuredIds.has(f.base)) delete f.base;
  return catalog;
}

/** The canonical tables the store has, of those features read. */
async function tablesOf(store: Store): Promise<Set<string>> {
  const has = new Set<string>();
  for (const table of new Set(Object.values(SOURCE_TABLES).flat()))
    if (await store.has(table)) has.add(table);
  return has;
}

/** Each mix's levels in the data; none for a table the data lacks. */
async function levelsOf(store: Store, has: ReadonlySet<string>): Promise<Levels> {
  const levels: Levels = {};
  for (const [name, mix] of Object.entries(MIXES) as [MixName, Mix][]) {
    if (!has.has(mix.from)) continue;
    const rows = await store.all<{level: string}>(levelsQuery(mix.from, mix.column));
    levels[name] = rows.map((r) => r.level);
  }
  return levels;
}

/** The aggregates the data allows, in join order, each with its query. */
function aggregatesOf(
  options: FeatureOptions,
  has: ReadonlySet<string>,
  levels: Levels,
  scales: Record<string, Scale>
): Map<Aggregated, SQL> {
  const aggregates = new Map<Aggregated, SQL>();
  if (has.has("orders")) aggregates.set("orders", ordersAggregate(options, levels));
  if (has.has("tickets")) aggregates.set("tickets", ticketsAggregate(options, levels));
  if (has.has("email_events")) aggregates.set("email_events", emailAggregate(options));
  if (has.has("web_sessions")) aggregates.set("web_sessions", sessionsAggregate(options, levels));
  const activities = activity(has);
  if (activities.length > 0) aggregates.set("trend", trendAggregate(options, activities));
  if (Object.keys(scales).length > 0 && has.has("survey_responses"))
    aggregates.set("survey", surveyAggregate(options.asOf, scales, options.answerRange));
  return aggregates;
}

/** Aggregates every feature as of options.asOf into `features` and `feature_catalog`. */
export async function buildFeatures(
  store: Store,
  options: FeatureOptions
): Promise<CatalogEntry[]> {
  const has = await tablesOf(store);
  const levels = await levelsOf(store, has);
  let scales = options.scales;
  if (Object.keys(scales).length === 0 && has.has("survey_responses")) {
    const questions = await store.all<{question: string}>(numericQuestionsQuery());
    scales = questionScales(questions.map((q) => q.question));
  }
  const declarations = catalogue({
    levels,
    trendDays: options.trendDays,
    scales,
    attributes: attributeDeclarations(options.attributes ?? {}),
    custom: customDeclarations(options.custom ?? {})
  });
  checkOwnIds(options.configPath ?? "the config", declarations);
  const aggregates = aggregatesOf(options, has, levels, scales);
  const customerColumns = await store.tableColumns("customers");

  const excluded = new Set(options.exclude);
  const present = new Set<Source>(["customers", ...aggregates.keys()]);
  const kept = declarations.filter(
    (d) =>
      !excluded.has(d.feature.id) &&
      present.has(d.from) &&
      (!d.table || has.has(d.table)) &&
      (d.from !== "customers" || !d.needs || customerColumns.has(d.needs))
  );
  const custom = Object.entries(options.custom ?? {})
    .filter(([id]) => kept.some((d) => d.feature.id === id))
    .map(([id, c]): CustomColumn => ({
      id,
      sql: sql`(${raw(c.sql)})`,
      ...(c.from === undefined || c.from === "customers" ? {} : {table: c.from})
    }));
  await checkCustomSql(store, options.configPath ?? "the config", options.asOf, custom);

  for (const [source, query] of aggregates)
    await store.run(sql`CREATE OR REPLACE TEMP TABLE ${aggregateTable(source)} AS ${query}`);
  const firsts = (["orders", "tickets", "email_events", "web_sessions"] as const).filter((t) =>
    aggregates.has(t)
  );
  await store.run(
    populationQuery(options.asOf, {
      signup: customerColumns.has("signup_date"),
      firsts,
      undated: options.snapshotTable === undefined,
      custom
    })
  );
  const table = options.snapshotTable ?? "features";
  await store.run(featuresQuery(table, options.asOf, kept, [...aggregates.keys()]));
  const ids = new Set(kept.map((d) => d.feature.id));
  if (ids.has("recency_days") && ids.has("tenure_days")) await store.run(recencyFill(table));
  if (options.snapshotTable !== undefined) {
    await dropAggregates(store, [...aggregates.keys()]);
    return [];
  }

  const population =
    (await store.one<{n: number}>(sql`SELECT count(*) AS n FROM features`))?.n ?? 0;
  const keptIds = kept.map((d) => d.feature.id);
  const catalog = catalogEntries(declarations, {
    excluded,
    present,
    tables: has,
    kept: new Set(kept),
    coverage: population
      ? await store.one<Record<string, number>>(coverageQuery(keptIds, population))
      : undefined,
    distinct: population
      ? await store.one<Record<string, number>>(distinctQuery(keptIds))
      : undefined
  });
  const measured = new Set(catalog.filter((f) => f.measured).map((f) => f.id));
  // DuckDB alters one column per statement.
  for (const id of keptIds.filter((id) => !measured.has(id)))
    await store.run(sql`ALTER TABLE features DROP COLUMN ${ident(id)}`);
  await writeCatalog(store, catalog);
  await dropAggregates(store, [...aggregates.keys()]);
  return catalog;
}

/** A project's own feature must not take a name Portrait's features (or another of its own) use. */
function checkOwnIds(configPath: string, declarations: readonly Declaration[]): void {
  const seen = new Map<string, Declaration>();
  for (const d of declarations) {
    const before = seen.get(d.feature.id);
    if (before && d.key) {
      throw new ConfigError(
        configPath,
        d.key,
        `${d.feature.id} is already ${before.key ? `declared by ${before.key}` : `one of Portrait's features (${before.feature.label})`}: give it another name`
      );
    }
    seen.set(d.feature.id, d);
  }
}

/** Binds each custom feature's SQL against its table; a mistake names its config key. */
async function checkCustomSql(
  store: Store,
  configPath: string,
  asOf: string,
  custom: readonly CustomColumn[]
): Promise<void> {
  for (const c of custom) {
    const query = c.table
      ? customAggregate(asOf, c.table, [c])
      : sql`SELECT ${c.sql} FROM customers`;
    try {
      await store.run(sql`SELECT * FROM (${query}) LIMIT 0`);
    } catch (error) {
      const columns = [...(await store.tableColumns(c.table ?? "customers")).keys()].filter(
        (n) => !n.startsWith("_")
      );
      throw new ConfigError(
        configPath,
        `features.custom.${c.id}`,
        `${firstLine((error as Error).message)}. ${c.table ? `It aggregates the ${c.table} of each customer (an aggregate such as avg(amount))` : "It is computed over each customer's row"}, whose columns are: ${columns.join(", ")}`
      );
    }
  }
}

function firstLine(message: string): string {
  return message.split("\n")[0].replace(/[.\s]+$/, "");
}

async function dropAggregates(store: Store, sources: readonly Aggregated[]): Promise<void> {
  for (const source of sources)
    await store.run(sql`DROP TABLE IF EXISTS ${aggregateTable(source)}`);
  await store.run(sql`DROP TABLE IF EXISTS population`);
}

/** The feature_catalog table, empty. */
export function catalogTableQuery(): SQL {
  return sql`CREATE OR REPLACE TABLE feature_catalog (
    position INTEGER, feature VARCHAR, dimension VARCHAR, label VARCHAR, unit VARCHAR, kind VARCHAR,
    transform VARCHAR, high VARCHAR, low VARCHAR, describe_only BOOLEAN, base VARCHAR,
    measured BOOLEAN, coverage DOUBLE, note VARCHAR, clustered BOOLEAN)`;
}

/** One row of feature_catalog: the entry at its position. */
export function catalogRowQuery(position: number, f: CatalogEntry): SQL {
  return sql`INSERT INTO feature_catalog VALUES (${position}, ${val(f.id)}, ${val(f.dimension)},
    ${val(f.label)}, ${val(f.unit)}, ${val(f.kind)}, ${val(f.transform)}, ${val(f.high ?? null)},
    ${val(f.low ?? null)}, ${f.describeOnly ?? false}, ${val(f.base ?? null)}, ${f.measured},
    ${f.coverage}, ${val(f.note)}, ${f.clustered})`;
}

/** Writes the catalog into feature_catalog, replacing what was there. */
export async function writeCatalog(store: Store, catalog: CatalogEntry[]): Promise<void> {
  await store.run(catalogTableQuery());
  for (const [position, f] of catalog.entries()) await store.run(catalogRowQuery(position, f));
}

/** The catalog feature_catalog holds, in its order. */
export async function readCatalog(store: Store): Promise<CatalogEntry[]> {
  const rows = await store.all(sql`SELECT * FROM feature_catalog ORDER BY position`);
  return rows.map((r) => ({
    id: String(r.feature),
    dimension: r.dimension as Dimension,
    label: String(r.label),
    unit: String(r.unit),
    kind: r.kind as Feature["kind"],
    transform: r.transform as Feature["transform"],
    high: (r.high as string | null) ?? undefined,
    low: (r.low as string | null) ?? undefined,
    describeOnly: Boolean(r.describe_only),
    base: (r.base as string | null) ?? undefined,
    measured: Boolean(r.measured),
    coverage: Number(r.coverage),
    note: (r.note as string | null) ?? null,
    clustered: Boolean(r.clustered)
  }));
}

/** The feature options a config gives, with defaults. */
export function featureOptions(config: PortraitConfig, asOf: string): FeatureOptions {
  const f = config.features;
  return {
    asOf,
    windowDays: f.windowDays,
    trendDays: f.trendDays,
    answerRange: f.answerRange,
    exclude: f.exclude,
    scales: configScales(f.scales),
    attributes: config.attributes,
    custom: f.custom,
    configPath: config.path
  };
}
