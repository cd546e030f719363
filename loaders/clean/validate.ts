/**
 * Validation that loses nothing. Each source's text is mapped onto its canonical table, parsed,
 * and checked; a row that fails a check goes to the quarantine with its source, row, column and
 * reason, every other row to accepted_<table>. Optional values that do not parse are cleared
 * and recorded in cleared_values. For every source, accepted + quarantined = read.
 */
import {listValue} from "@duckdb/node-api";
import {
  acceptedColumnsSql,
  CANONICAL_TABLES,
  ORDER_LINES,
  SQL_TYPES,
  type CanonicalTable,
  type FieldType
} from "../config/canonical.ts";
import {
  checkExpressions,
  resolveAttributes,
  resolveColumns,
  resolveKeys,
  FLAG_WORDS,
  usedColumns,
  type FieldMapping,
  type FlagWords
} from "../ingest/mapping.ts";
import {
  canonicalTable,
  ConfigError,
  keyFields,
  sourceValidation,
  type PortraitConfig
} from "../config/project.ts";
import {buildOrders, linesTable, type LinesSummary} from "./lines.ts";
import {dropRawSource, QUARANTINE_DDL, type RawSource} from "../ingest/sources.ts";
import {type Store} from "../core/store.ts";
import {ident, join, sql, val, type SQL} from "../core/sql.ts";
import {formatShare} from "../../src/contracts/share.ts";
import {today} from "../core/clock.ts";

/** Why a row was quarantined. */
export type Reason =
  | "malformed_line"
  | "duplicate_row"
  | "missing_value"
  | "malformed_date"
  | "not_a_number"
  | "negative_amount"
  | "future_date"
  | "unknown_customer"
  | "unmatched_credit";

export interface SourceValidation {
  source: string;
  table: string;
  read: number;
  accepted: number;
  quarantined: number;
  byReason: Partial<Record<Reason, number>>;
  cleared: number;
  mappings: FieldMapping[];
  /** An orders source of lines: the orders its lines made (clean/lines.ts). */
  lines?: LinesSummary;
  /** The source's columns no mapping reads: listed, never dropped without a word. */
  ignored: string[];
  /** The latest day of the rows quarantined as future_date (YYYY-MM-DD), when there are some. */
  latestFuture?: string;
}

/** Where the as-of date came from: the config, the last dated row, or the build's clock. */
export type AsOfRule = "config" | "data" | "today";

export interface Validation {
  asOf: string;
  /** How asOf was chosen (README, Validation and the quarantine). */
  asOfRule: AsOfRule;
  sources: SourceValidation[];
  /** Problems that must fail the build (reject share over the limit). */
  problems: string[];
  /** What the data allows but a person should look at (rows dated after today). */
  warnings: string[];
}

const ISO = "YYYY-MM-DD or YYYY-MM-DD HH:MM:SS";

/** A source ready to be checked: its raw text, its table and how its columns map. */
interface Staged {
  raw: RawSource;
  table: CanonicalTable;
  mappings: FieldMapping[];
  formats: string[];
  rejectDuplicates: boolean;
  /** Values that mean "missing" in the source's text and id fields, lower case (README). */
  placeholders: string[];
  /** Whether ids written as numbers ("12347.0") are read as the number ("12347"). */
  numericIds: boolean;
}

/** Every person key an identity rule names as a source column must be in a customers source. */
function checkKeys(config: PortraitConfig, staged: readonly Staged[]): void {
  const customers = staged.filter((s) => s.table.name === "customers");
  for (const field of keyFields(config)) {
    if (customers.some((s) => s.mappings.some((m) => m.field === field))) continue;
    const index = config.identity.rules.findIndex((r) => r.rule === "key" && r.field === field);
    const columns = [...new Set(customers.flatMap((s) => s.raw.columns))];
    throw new ConfigError(
      config.path,
      `identity.rules.${index}.field`,
      `no customers source has a column ${JSON.stringify(field)}; a person key is a canonical field, an attribute or a column of a customers source. Their columns: ${columns.join(", ")}`
    );
  }
}

/**
 * Validates every source; customers first, so that other tables can check their customer ids.
 *
 * Each source's text is read where it lies (see sources.ts) a few times: for the as-of date, for
 * duplicates (among the rows whose hash repeats, rather than by sorting every row), for the rows
 * that fail a check or lose a value (few, kept in a temporary table) and to write the accepted
 * rows. No staged copy of a whole source is made.
 */
export async function validate(
  store: Store,
  config: PortraitConfig,
  raws: RawSource[],
  options: ValidateOptions = {}
): Promise<Validation> {
  try {
    return await validateSources(store, config, raws, options.today ?? today());
  } catch (error) {
    // Each source's text goes once it is checked; a validation that stops drops the rest.
    for (const raw of raws) await dropRawSource(store, raw.rawTable).catch(() => undefined);
    throw error;
  }
}

/** What validation needs besides the config and the data. */
export interface ValidateOptions {
  /** Today's date (YYYY-MM-DD): rows after it are future; default the build's clock (clock.ts). */
  today?: string;
}

async function validateSources(
  store: Store,
  config: PortraitConfig,
  raws: RawSource[],
  todayDate: string
): Promise<Validation> {
  await store.run(QUARANTINE_DDL);
  await store.run(
    sql`CREATE OR REPLACE TABLE cleared_values (source VARCHAR, "table" VARCHAR, "row" BIGINT, "column" VARCHAR, value VARCHAR, reason VARCHAR)`
  );
  const staged: Staged[] = [];
  await store.run(sql`CREATE OR REPLACE TEMP TABLE _as_of_dates (last TIMESTAMP)`);
  for (const raw of raws) {
    const source = config.sources[raw.name];
    const base = source.lines
      ? ORDER_LINES
      : CANONICAL_TABLES.find((t) => t.name === source.table)!;
    const mappings = await checkExpressions(
      store,
      config.path,
      raw.name,
      raw.rawTable,
      raw.columns,
      [
        ...resolveColumns(config.path, raw.name, source, base, raw.columns),
        ...resolveAttributes(config.path, raw.name, source, raw.columns),
        ...(source.table === "customers" ? resolveKeys(keyFields(config), raw.columns) : [])
      ]
    );
    const table = source.lines
      ? linesTable(config.path, raw.name, mappings)
      : canonicalTable(config, source.table);
    const formats = source.dateFormat === undefined ? [] : [source.dateFormat].flat();
    const s: Staged = {
      raw,
      table,
      mappings,
      formats,
      rejectDuplicates: rejectsDuplicates(sourceValidation(config, source).duplicateRows, mappings),
      placeholders: sourceValidation(config, source).missingValues.map((v) =>
        v.trim().toLowerCase()
      ),
      numericIds: source.numericIds ?? config.identity.numericIds
    };
    if (config.asOf === undefined) await lastDate(store, s, todayDate);
    staged.push(s);
  }
  checkKeys(config, staged);
  const derived = config.asOf === undefined ? await deriveAsOf(store) : null;
  await store.run(sql`DROP TABLE _as_of_dates`);
  const asOfRule: AsOfRule =
    config.asOf !== undefined ? "config" : derived !== null ? "data" : "today";
  const asOf = config.asOf ?? derived ?? todayDate;
  // Future is after the as-of date the config sets, else after today: never after the newest data.
  const future: Future =
    config.asOf !== undefined
      ? {after: config.asOf, what: "the as-of date"}
      : {after: todayDate, what: "today"};
  // Only tables some source feeds exist: a dimension with no data is not measured, not empty.
  // The customers are an intermediate that standardisation rewrites column by column before
  // identity resolution writes the store's customers, so they are a temporary table. The other
  // tables are stored as they are written: identity resolution moves them to their final names.
  // Order lines are an intermediate too, grouped into accepted_orders once validated.
  const fed = new Set(
    staged.flatMap((s) =>
      s.table.name === "order_lines" ? ["order_lines", "orders"] : [s.table.name]
    )
  );
  const tables = [
    ...CANONICAL_TABLES.filter((t) => fed.has(t.name)).map((t) => canonicalTable(config, t.name)),
    ...(fed.has(ORDER_LINES.name) ? [ORDER_LINES] : [])
  ];
  for (const table of tables) {
    const temporary =
      table.name === "customers" || table.name === "order_lines" ? sql`TEMP ` : sql``;
    await store.run(
      sql`CREATE OR REPLACE ${temporary}TABLE ${ident(`accepted_${table.name}`)} (${acceptedColumnsSql(table)})`
    );
  }
  const results: SourceValidation[] = [];
  const ordered = [...staged].sort(
    (a, b) => Number(b.table.name === "customers") - Number(a.table.name === "customers")
  );
  let known = false;
  for (const s of ordered) {
    if (s.table.name !== "customers" && !known) {
      await store.run(
        sql`CREATE OR REPLACE TEMP TABLE _known_customers AS SELECT DISTINCT customer_id FROM accepted_customers WHERE customer_id IS NOT NULL`
      );
      known = true;
    }
    results.push(await check(store, config, s, future));
  }
  results.sort(
    (a, b) =>
      raws.findIndex((r) => r.name === a.source) - raws.findIndex((r) => r.name === b.source)
  );
  await groupLines(store, results);
  const problems = [
    ...emptySourceProblems(config, raws, results),
    ...rejectShareProblems(config, results, future)
  ];
  const warnings = futureWarnings(config, results, future);
  // Today would do as a date, but then the same export would build another site tomorrow.
  // Dates that do not parse leave no dated row too: then the date format is the fix, not asOf.
  const unreadDates = results.filter((r) => (r.byReason.malformed_date ?? 0) > 0);
  const futureRows = results.filter((r) => (r.byReason.future_date ?? 0) > 0);
  if (asOfRule === "today")
    problems.push(
      unreadDates.length === 0 && futureRows.length > 0
        ? `every dated row is after today (${todayDate}): ${futureRows.map((r) => `sources.${r.source} has ${r.byReason.future_date!.toLocaleString("en-US")}, the latest on ${r.latestFuture}`).join("; ")}. They are quarantined as future_date, so they cannot set the as-of date. ${CLOCK_HINT} If the export moved the dates, export it again`
        : unreadDates.length > 0
          ? `no source has a date Portrait could read: ${unreadDates.map((r) => `sources.${r.source} has ${r.byReason.malformed_date!.toLocaleString("en-US")} that did not parse`).join("; ")}. Set dateFormat on ${unreadDates.length > 1 ? "those sources" : "that source"} to how they are written (e.g. dateFormat: "%d/%m/%Y %H:%M"; npm run check shows the first rows)`
          : `no source has a dated row, so the data does not say which day it describes: set asOf in ${config.path} to the day the export was taken (asOf: "${todayDate}" for today), so that the same data builds the same site every day`
    );
  return {asOf, asOfRule, sources: results, problems, warnings};
}

/** What to do when rows are dated after the build's clock and they are right. */
const CLOCK_HINT =
  "If the dates are right, the build's clock is behind: set PORTRAIT_TODAY (or the machine's date), or asOf in the config to the day the export was taken.";

/** A source that sent no row at all (a header only, an empty table) is a failed export. */
function emptySourceProblems(
  config: PortraitConfig,
  raws: readonly RawSource[],
  results: readonly SourceValidation[]
): string[] {
  return results
    .filter((r) => r.read === 0)
    .map((r) => {
      const raw = raws.find((w) => w.name === r.source)!;
      const files = "file" in config.sources[r.source];
      const where = raw.locations.join(", ");
      const has = raw.locations.length > 1 ? "have" : "has";
      return `sources.${r.source}: ${where} ${has} ${files ? "a header and no rows" : "no rows"}, so there is nothing to read. Export it again, or take sources.${r.source} out of ${config.path}`;
    });
}

/**
 * Rows dated after today are quarantined and cannot move the as-of date; said once per source,
 * as far as no problem says it already (a source over its reject limit).
 */
function futureWarnings(
  config: PortraitConfig,
  results: readonly SourceValidation[],
  future: Future
): string[] {
  if (future.what !== "today") return [];
  return results
    .filter((r) => (r.byReason.future_date ?? 0) > 0 && !overLimit(config, r))
    .map((r) => {
      const n = r.byReason.future_date!;
      return `sources.${r.source}: ${n.toLocaleString("en-US")} ${n === 1 ? "row is" : "rows are"} dated after today (${future.after}), the latest on ${r.latestFuture}: quarantined as future_date, counted on the data-quality page, and left out of the as-of date. Fix them in the source if they are typos. ${CLOCK_HINT}`;
    });
}

/**
 * Whether a source's exact duplicate rows are quarantined: as the config says, else yes unless
 * a column expression reads `_row` (an id made from the line number says that identical lines
 * are separate events, as in a purchase log where one customer buys the same thing twice a day).
 */
export function rejectsDuplicates(
  setting: "reject" | "keep" | undefined,
  mappings: readonly FieldMapping[]
): boolean {
  return setting === undefined ? !mappings.some((m) => m.usesRow) : setting === "reject";
}

/**
 * Groups the accepted lines of each lines source into orders (lines.ts); a credit with nothing
 * to net against is quarantined there, so the source's counts move with it.
 */
async function groupLines(store: Store, results: SourceValidation[]): Promise<void> {
  const sources = results.filter((r) => r.table === ORDER_LINES.name);
  for (const made of await buildOrders(
    store,
    sources.map((r) => r.source)
  )) {
    const r = sources.find((l) => l.source === made.source)!;
    r.lines = made;
    if (made.unmatchedCredits > 0) {
      r.accepted -= made.unmatchedCredits;
      r.quarantined += made.unmatchedCredits;
      r.byReason.unmatched_credit = made.unmatchedCredits;
    }
  }
}

/** A mapped field's text column (`v_<field>`). */
const textOf = (field: string) => ident(`v_${field}`);
/** A mapped field's parsed column (`p_<field>`). */
const parsedOf = (field: string) => ident(`p_${field}`);

/** A mapped field's raw text before placeholders are cleared (`r_<field>`). */
const rawTextOf = (field: string) => ident(`r_${field}`);

/**
 * A mapped field's text: trimmed, empty or a placeholder ("unknown", "n/a" …) as NULL; an id
 * written as a whole number with decimals ("12347.0") as the number when `numeric`.
 */
function textSql(
  mapping: FieldMapping,
  placeholders: readonly string[] = [],
  numeric = false
): SQL {
  const trimmed = sql`trim(CAST(${mapping.sql} AS VARCHAR))`;
  const text = numeric ? sql`regexp_replace(${trimmed}, '^([+-]?[0-9]+)\\.0*$', '\\1')` : trimmed;
  const value =
    placeholders.length > 0
      ? sql`CASE WHEN ${text} = '' OR list_contains(${listValue([...placeholders])}, lower(${text})) THEN NULL ELSE ${text} END`
      : sql`NULLIF(${text}, '')`;
  return sql`${value} AS ${textOf(mapping.field)}`;
}

/** The text of every mapping of a source, placeholders cleared in its text and id fields. */
function textsOf(s: Staged, mappings: readonly FieldMapping[]): SQL {
  return join(
    mappings.map((m) =>
      textSql(
        m,
        textual(s.table, m) ? s.placeholders : [],
        s.numericIds && s.table.fields[m.field] === "id"
      )
    )
  );
}

/** Whether a mapped field is text or an id (its text is its value). */
function textual(table: CanonicalTable, m: FieldMapping): boolean {
  return table.fields[m.field] === "id" || table.fields[m.field] === "text";
}

/**
 * A mapped field's parsed value, from its text. The source's date formats read source text
 * only: an expression that is already a date or timestamp (`make_date(...)`) is written in ISO
 * 8601 as text, and read back as such.
 */
function parsedSql(table: CanonicalTable, mapping: FieldMapping, formats: string[]): SQL {
  const own = mapping.temporal ? [] : formats;
  return sql`${parse(table.fields[mapping.field], textOf(mapping.field), own, mapping.flag)} AS ${parsedOf(mapping.field)}`;
}

/** SQL parsing a text value into its canonical type; NULL when it does not parse. */
export function parse(
  type: FieldType,
  text: SQL,
  formats: string[],
  flag: FlagWords = FLAG_WORDS
): SQL {
  switch (type) {
    case "id":
    case "text":
      return text;
    // Plain expressions, not subqueries: a subquery is planned as a join, and joins do not keep
    // the rows in order (see accept).
    case "number": {
      const d = sql`TRY_CAST(${text} AS DOUBLE)`;
      return sql`CASE WHEN isfinite(${d}) THEN ${d} END`;
    }
    case "integer": {
      const d = sql`TRY_CAST(${text} AS DOUBLE)`;
      return sql`CASE WHEN ${d} = trunc(${d}) AND abs(${d}) < 9e15 THEN ${d}::BIGINT END`;
    }
    case "flag": {
      const word = sql`lower(trim(${text}))`;
      return sql`CASE WHEN list_contains(${listValue([...flag.yes])}, ${word}) THEN 1.0::DOUBLE
        WHEN list_contains(${listValue([...flag.no])}, ${word}) THEN 0.0::DOUBLE END`;
    }
    case "date":
      return formats.length > 0
        ? sql`TRY_STRPTIME(${text}, ${listValue(formats)})::DATE`
        : sql`TRY_CAST(${text} AS DATE)`;
    case "timestamp":
      return formats.length > 0
        ? sql`TRY_STRPTIME(${text}, ${listValue(formats)})`
        : sql`TRY_CAST(${text} AS TIMESTAMP)`;
  }
}

/** Adds a source's last date of its table's time, leaving out dates after today, to _as_of_dates. */
async function lastDate(store: Store, s: Staged, todayDate: string): Promise<void> {
  const time = s.mappings.find((m) => m.field === s.table.time);
  if (time === undefined) return;
  const p = parsedOf(time.field);
  await store.run(
    sql`INSERT INTO _as_of_dates
     SELECT max(${p})::TIMESTAMP FROM (
       SELECT ${parsedSql(s.table, time, s.formats)} FROM (SELECT ${textSql(time)} FROM ${ident(s.raw.rawTable)}))
     WHERE ${p} < ${val(todayDate)}::DATE + INTERVAL 1 DAY`
  );
}

/**
 * The data's as-of date when the config gives none: the day of the last dated row of any
 * source (orders, tickets, e-mail events, web sessions, survey answers, signups), leaving out
 * dates after today, which are typos (quarantined as future_date). Null without dated rows.
 */
async function deriveAsOf(store: Store): Promise<string | null> {
  const row = await store.one<{as_of: string | null}>(
    sql`SELECT strftime(max(last), '%Y-%m-%d') AS as_of FROM _as_of_dates`
  );
  return row?.as_of ?? null;
}

/** The day after which a dated row is in the future, and how messages name it. */
export interface Future {
  after: string;
  what: "the as-of date" | "today";
}

interface Check {
  reason: Reason;
  column: string | null;
  when: SQL;
  message: SQL;
}

/** The checks a source's rows must pass, in the order their reasons are reported. */
export function checksFor(
  table: CanonicalTable,
  mappings: FieldMapping[],
  formats: string[],
  options: {future: Future | null; negativeAmounts: "reject" | "allow"}
): Check[] {
  const mapped = new Set(mappings.map((m) => m.field));
  const v = textOf;
  const p = parsedOf;
  const quoted = (f: string) => sql`'"' || ${v(f)} || '"'`;
  const expected = formats.length > 0 ? formats.join(" or ") : ISO;
  const checks: Check[] = [
    {
      reason: "duplicate_row",
      column: null,
      when: sql`_dup_of IS NOT NULL`,
      message: sql`'exact duplicate of row ' || _dup_of`
    }
  ];
  for (const field of table.required) {
    const lookup = mappings.find((m) => m.field === field && m.lookup);
    const why = lookup ? `: ${lookup.label} found nothing for this row` : "";
    checks.push({
      reason: "missing_value",
      column: field,
      when: sql`${v(field)} IS NULL`,
      message: sql`${val(`${field} is missing${why}`)}`
    });
  }
  for (const field of table.required.filter((f) => mapped.has(f))) {
    const type = table.fields[field];
    if (type === "date" || type === "timestamp") {
      checks.push({
        reason: "malformed_date",
        column: field,
        when: sql`${v(field)} IS NOT NULL AND ${p(field)} IS NULL`,
        message: sql`${val(`${field} `)} || ${quoted(field)} || ${val(` is not a date (expected ${expected})`)}`
      });
    } else if (type === "number" || type === "integer") {
      checks.push({
        reason: "not_a_number",
        column: field,
        when: sql`${v(field)} IS NOT NULL AND ${p(field)} IS NULL`,
        message: sql`${val(`${field} `)} || ${quoted(field)} || ' is not a number'`
      });
    }
  }
  if (table.name === "orders" && mapped.has("amount") && options.negativeAmounts === "reject") {
    checks.push({
      reason: "negative_amount",
      column: "amount",
      when: sql`${p("amount")} < 0`,
      message: sql`'amount ' || ${v("amount")} || ' is negative (set validation.negativeAmounts to "allow" to keep refunds)'`
    });
  }
  const future = options.future;
  if (future !== null && mapped.has(table.time)) {
    checks.push({
      reason: "future_date",
      column: table.time,
      when: sql`${p(table.time)} >= ${val(future.after)}::DATE + INTERVAL 1 DAY`,
      message: sql`${val(`${table.time} `)} || ${v(table.time)} || ${val(` is after ${future.what} (${future.after})`)}`
    });
  }
  if (table.name !== "customers" && mapped.has("customer_id")) {
    checks.push({
      reason: "unknown_customer",
      column: "customer_id",
      when: sql`${v("customer_id")} IS NOT NULL AND _known.customer_id IS NULL`,
      message: sql`'customer ' || ${v("customer_id")} || ' is not among the customers'`
    });
  }
  return checks;
}

/** Checks one source: quarantines the rows that fail, records cleared values, accepts the rest. */
async function check(
  store: Store,
  config: PortraitConfig,
  s: Staged,
  future: Future
): Promise<SourceValidation> {
  const {raw, table, mappings, formats} = s;
  const used = new Set([
    ...(await usedColumns(store, raw.columns, mappings)),
    ...(raw.lookupKeys ?? [])
  ]);
  const settings = sourceValidation(config, config.sources[raw.name]);
  const checks = checksFor(table, mappings, formats, {
    future,
    negativeAmounts: settings.negativeAmounts
  });
  const rawTable = ident(raw.rawTable);
  const typed = (m: FieldMapping) => !textual(table, m);
  const optional = mappings.filter((m) => !table.required.includes(m.field) && typed(m));
  // Optional text whose placeholders are cleared and recorded (a required one is missing).
  const placeheld =
    s.placeholders.length > 0
      ? mappings.filter((m) => !table.required.includes(m.field) && !typed(m))
      : [];
  // What the checks and cleared values read: the required fields and those that can fail to parse.
  const checked = mappings.filter(
    (m) => table.required.includes(m.field) || typed(m) || placeheld.includes(m)
  );
  const rawTexts = placeheld.map(
    (m) => sql`NULLIF(trim(CAST(${m.sql} AS VARCHAR)), '') AS ${rawTextOf(m.field)}`
  );
  await findDuplicates(store, s);
  const known =
    table.name !== "customers" && mappings.some((m) => m.field === "customer_id")
      ? sql`LEFT JOIN _known_customers _known ON _known.customer_id = s.${parsedOf("customer_id")}`
      : sql``;
  const caseOf = (pick: (c: Check) => SQL) =>
    sql`CASE ${join(
      checks.map((c) => sql`WHEN ${c.when} THEN ${pick(c)}`),
      " "
    )} END`;
  const text = (value: string | null) => (value === null ? sql`NULL` : sql`${val(value)}`);
  const lost = [...optional.map(clearedSql), ...placeheld.map(placeholderSql)];
  const cleared = lost.length > 0 ? join(lost, " OR ") : sql`false`;
  // Only rows that fail a check or lose a value are kept: a few, next to the source.
  await store.run(
    sql`CREATE OR REPLACE TEMP TABLE _flagged AS
     WITH mapped AS (SELECT _row, _file, ${join([textsOf(s, checked), ...rawTexts])} FROM ${rawTable}),
     parsed AS (
       SELECT m.*, d.dup_of AS _dup_of, ${join(checked.map((m) => parsedSql(table, m, formats)))}
       FROM mapped m LEFT JOIN _dups d ON d._row = m._row AND d._file = m._file),
     checked AS (
       SELECT s.*,
         ${caseOf((c) => text(c.reason))} AS _reason,
         ${caseOf((c) => text(c.column))} AS _column,
         ${caseOf((c) => c.message)} AS _message,
         list_filter([${join(checks.map((c) => sql`CASE WHEN ${c.when} THEN ${val(c.reason)} END`))}], x -> x IS NOT NULL) AS _reasons
       FROM parsed s ${known})
     SELECT * FROM checked WHERE _reason IS NOT NULL OR ${cleared}`
  );
  await store.run(
    sql`INSERT INTO quarantine
     SELECT ${val(raw.name)}, ${val(table.name)}, c._row, c._file, c._column, c._reason, c._message, c._reasons, to_json(r)
     FROM _flagged c JOIN ${rawTable} r USING (_row, _file)
     WHERE c._reason IS NOT NULL ORDER BY c._row`
  );
  for (const m of optional) {
    const type = table.fields[m.field];
    const reason =
      type === "date" || type === "timestamp"
        ? "malformed_date"
        : type === "flag"
          ? "not_a_flag"
          : "not_a_number";
    await store.run(
      sql`INSERT INTO cleared_values
       SELECT ${val(raw.name)}, ${val(table.name)}, _row, ${val(m.field)}, ${textOf(m.field)}, ${val(reason)} FROM _flagged
       WHERE _reason IS NULL AND ${clearedSql(m)} ORDER BY _row`
    );
  }
  for (const m of placeheld) {
    await store.run(
      sql`INSERT INTO cleared_values
       SELECT ${val(raw.name)}, ${val(table.name)}, _row, ${val(m.field)}, ${rawTextOf(m.field)}, 'placeholder' FROM _flagged
       WHERE _reason IS NULL AND ${placeholderSql(m)} ORDER BY _row`
    );
  }
  await store.run(
    sql`CREATE OR REPLACE TEMP TABLE _rejected AS SELECT _row, _file FROM _flagged WHERE _reason IS NOT NULL`
  );
  await accept(store, s);
  const counts = await store.all<{reason: Reason; n: number}>(
    sql`SELECT reason, count(*)::INTEGER AS n FROM quarantine WHERE source = ${val(raw.name)} GROUP BY reason ORDER BY reason`
  );
  const accepted = await store.one<{n: number}>(
    sql`SELECT ((SELECT count(*) FROM ${rawTable}) - (SELECT count(*) FROM _rejected))::INTEGER AS n`
  );
  const time = mappings.some((m) => m.field === table.time) ? parsedOf(table.time) : null;
  const latest =
    time === null
      ? null
      : await store.one<{day: string | null}>(
          sql`SELECT strftime(max(${time}), '%Y-%m-%d') AS day FROM _flagged WHERE list_contains(_reasons, 'future_date')`
        );
  const clearedCount = await store.one<{n: number}>(
    sql`SELECT count(*)::INTEGER AS n FROM cleared_values WHERE source = ${val(raw.name)}`
  );
  // The source's text is spent: accepted rows and the quarantine hold it all now.
  for (const t of ["_flagged", "_rejected", "_dups"]) await store.run(sql`DROP TABLE ${ident(t)}`);
  await dropRawSource(store, raw.rawTable);
  const quarantined = counts.reduce((sum, c) => sum + c.n, 0);
  return {
    source: raw.name,
    table: table.name,
    read: raw.rows,
    accepted: accepted?.n ?? 0,
    quarantined,
    byReason: Object.fromEntries(counts.map((c) => [c.reason, c.n])),
    cleared: clearedCount?.n ?? 0,
    mappings,
    ignored: raw.columns.filter((c) => !used.has(c)),
    ...(latest?.day ? {latestFuture: latest.day} : {})
  };
}

/**
 * Appends the rows of a source that passed every check (all but those in `_rejected`) to its
 * accepted_<table>, in row order. DuckDB keeps a scan's order through filters and projections,
 * not through joins, and sorting a whole source back into order is costly: so the text of one
 * file, in row order already, is appended whole and its few rejected rows deleted again. The
 * rows of several files are sorted (their row numbers interleave).
 */
async function accept(store: Store, s: Staged): Promise<void> {
  const {raw, table, mappings, formats} = s;
  const accepted = ident(`accepted_${table.name}`);
  const mapped = new Set(mappings.map((m) => m.field));
  const fields = join([
    ...Object.entries(table.fields).map(([f, t]) =>
      mapped.has(f) ? parsedOf(f) : sql`NULL::${SQL_TYPES[t]}`
    ),
    sql`${val(raw.name)}`,
    sql`_row`,
    ...(table.keepsFile ? [sql`_file`] : [])
  ]);
  const rows = sql`SELECT *, ${join(mappings.map((m) => parsedSql(table, m, formats)))}
    FROM (SELECT _row, _file, ${textsOf(s, mappings)} FROM ${ident(raw.rawTable)})`;
  const source = val(raw.name);
  if (raw.locations.length > 1) {
    await store.run(
      sql`INSERT INTO ${accepted}
       SELECT ${fields} FROM (${rows}) s
       WHERE NOT EXISTS (SELECT 1 FROM _rejected q WHERE q._row = s._row AND q._file = s._file)
       ORDER BY _row`
    );
    return;
  }
  await store.run(sql`INSERT INTO ${accepted} SELECT ${fields} FROM (${rows})`);
  await store.run(
    sql`DELETE FROM ${accepted} WHERE _source = ${source} AND _row IN (SELECT _row FROM _rejected)`
  );
}

/** Whether an optional text field held a placeholder for a missing value (it is cleared). */
function placeholderSql(m: FieldMapping): SQL {
  return sql`(${rawTextOf(m.field)} IS NOT NULL AND ${textOf(m.field)} IS NULL)`;
}

/** Whether an optional field had a value that does not parse (it is cleared, the row kept). */
function clearedSql(m: FieldMapping): SQL {
  return sql`(${textOf(m.field)} IS NOT NULL AND ${parsedOf(m.field)} IS NULL)`;
}

/**
 * `_dups(_row, _file, dup_of)`: the rows that repeat an earlier row of the source exactly, with
 * the first such row. Only rows whose hash of every column repeats can be copies, so the exact
 * comparison runs on those alone (a few), where comparing every row would sort the whole source.
 */
async function findDuplicates(store: Store, s: Staged): Promise<void> {
  if (!s.rejectDuplicates || s.raw.columns.length === 0) {
    await store.run(
      sql`CREATE OR REPLACE TEMP TABLE _dups (_row BIGINT, _file VARCHAR, dup_of BIGINT)`
    );
    return;
  }
  const rawTable = ident(s.raw.rawTable);
  const partition = join(s.raw.columns.map(ident));
  await store.run(
    sql`CREATE OR REPLACE TEMP TABLE _dups AS
     WITH repeated AS (SELECT hash(${partition}) AS h FROM ${rawTable} GROUP BY h HAVING count(*) > 1)
     SELECT _row, _file, dup_of FROM (
       SELECT _row, _file,
         CASE WHEN row_number() OVER (PARTITION BY ${partition} ORDER BY _row) > 1
           THEN min(_row) OVER (PARTITION BY ${partition}) END AS dup_of
       FROM ${rawTable} WHERE hash(${partition}) IN (SELECT h FROM repeated))
     WHERE dup_of IS NOT NULL`
  );
}

/** Whether a source quarantined more than its maxRejectShare. */
function overLimit(config: PortraitConfig, r: SourceValidation): boolean {
  return (
    r.read > 0 &&
    r.quarantined / r.read > sourceValidation(config, config.sources[r.source]).maxRejectShare
  );
}

function rejectShareProblems(
  config: PortraitConfig,
  results: SourceValidation[],
  future: Future
): string[] {
  const limitOf = (r: SourceValidation) =>
    sourceValidation(config, config.sources[r.source]).maxRejectShare;
  return results
    .filter((r) => overLimit(config, r))
    .map((r) => {
      const limit = limitOf(r);
      const top = Object.entries(r.byReason).sort((a, b) => b[1] - a[1])[0];
      return `sources.${r.source}: ${r.quarantined.toLocaleString("en-US")} of ${r.read.toLocaleString("en-US")} rows (${formatShare(r.quarantined / r.read)}) were quarantined, more than ${config.sources[r.source].validation?.maxRejectShare === undefined ? "validation" : `sources.${r.source}.validation`}.maxRejectShare (${formatShare(limit)}); most for ${top[0]} (${top[1].toLocaleString("en-US")}).${top[0] === "malformed_date" ? ` If the dates are written another way, set sources.${r.source}.dateFormat (e.g. "%d/%m/%Y %H:%M").` : ""}${top[0] === "future_date" ? ` They are dated after ${future.what} (${future.after}), the latest on ${r.latestFuture}. ${future.what === "today" ? CLOCK_HINT : `If they belong in the profiles, set asOf later.`}` : ""} Fix the source or its mapping (npm run check lists the rows), or raise the limit.`;
    });
}
