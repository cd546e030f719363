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
  FLAG_WORDS,
  usedColumns,
  type FieldMapping,
  type FlagWords
} from "../ingest/mapping.ts";
import {buildOrders, linesTable, type LinesSummary} from "./lines.ts";
import {canonicalTable, sourceValidation, type PortraitConfig} from "../config/project.ts";
import {dropRawSource, QUARANTINE_DDL, type RawSource} from "../ingest/sources.ts";
import {type Store} from "../core/store.ts";
import {ident, join, sql, val, type SQL} from "../core/sql.ts";
import {formatShare} from "../../src/contracts/share.ts";

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
}

export interface Validation {
  asOf: string | null;
  sources: SourceValidation[];
  /** Problems that must fail the build (reject share over the limit). */
  problems: string[];
}

const ISO = "YYYY-MM-DD or YYYY-MM-DD HH:MM:SS";

/** A source ready to be checked: its raw text, its table and how its columns map. */
interface Staged {
  raw: RawSource;
  table: CanonicalTable;
  mappings: FieldMapping[];
  formats: string[];
  rejectDuplicates: boolean;
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
  raws: RawSource[]
): Promise<Validation> {
  try {
    return await validateSources(store, config, raws);
  } catch (error) {
    // Each source's text goes once it is checked; a validation that stops drops the rest.
    for (const raw of raws) await dropRawSource(store, raw.rawTable).catch(() => undefined);
    throw error;
  }
}

async function validateSources(
  store: Store,
  config: PortraitConfig,
  raws: RawSource[]
): Promise<Validation> {
  await store.run(QUARANTINE_DDL);
  await store.run(
    sql`CREATE OR REPLACE TABLE cleared_values (source VARCHAR, "table" VARCHAR, "row" BIGINT, "column" VARCHAR, value VARCHAR, reason VARCHAR)`
  );
  const staged: Staged[] = [];
  await store.run(sql`CREATE OR REPLACE TEMP TABLE _as_of_quantiles (q TIMESTAMP)`);
  for (const raw of raws) {
    const source = config.sources[raw.name];
    const base = source.lines
      ? ORDER_LINES
      : CANONICAL_TABLES.find((t) => t.name === source.table)!;
    const mappings = [
      ...resolveColumns(config.path, raw.name, source, base, raw.columns),
      ...resolveAttributes(config.path, raw.name, source, raw.columns)
    ];
    const table = source.lines
      ? linesTable(config.path, raw.name, mappings)
      : canonicalTable(config, source.table);
    await checkExpressions(store, config.path, raw.name, raw.rawTable, raw.columns, mappings);
    const formats = source.dateFormat === undefined ? [] : [source.dateFormat].flat();
    const s: Staged = {
      raw,
      table,
      mappings,
      formats,
      rejectDuplicates: sourceValidation(config, source).duplicateRows === "reject"
    };
    if (config.asOf === undefined) await timeQuantile(store, s);
    staged.push(s);
  }
  const asOf = config.asOf ?? (await deriveAsOf(store));
  await store.run(sql`DROP TABLE _as_of_quantiles`);
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
    results.push(await check(store, config, s, asOf));
  }
  results.sort(
    (a, b) =>
      raws.findIndex((r) => r.name === a.source) - raws.findIndex((r) => r.name === b.source)
  );
  await groupLines(store, results);
  return {asOf, sources: results, problems: rejectShareProblems(config, results)};
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

/** A mapped field's text: trimmed, empty as NULL. */
function textSql(mapping: FieldMapping): SQL {
  return sql`NULLIF(trim(CAST(${mapping.sql} AS VARCHAR)), '') AS ${textOf(mapping.field)}`;
}

/** A mapped field's parsed value, from its text. */
function parsedSql(table: CanonicalTable, mapping: FieldMapping, formats: string[]): SQL {
  return sql`${parse(table.fields[mapping.field], textOf(mapping.field), formats, mapping.flag)} AS ${parsedOf(mapping.field)}`;
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

/** Adds a source's 99.9 % quantile of its table's time to _as_of_quantiles (see deriveAsOf). */
async function timeQuantile(store: Store, s: Staged): Promise<void> {
  const time = s.mappings.find((m) => m.field === s.table.time);
  if (time === undefined) return;
  await store.run(
    sql`INSERT INTO _as_of_quantiles
     SELECT quantile_disc(${parsedOf(time.field)}, 0.999)::TIMESTAMP FROM (
       SELECT ${parsedSql(s.table, time, s.formats)} FROM (SELECT ${textSql(time)} FROM ${ident(s.raw.rawTable)}))`
  );
}

/**
 * The data's as-of date when the config gives none: the end of the month by which 99.9 % of
 * every source's dated rows have happened, so a stray typo decades ahead cannot move it.
 */
async function deriveAsOf(store: Store): Promise<string | null> {
  const row = await store.one<{as_of: string | null}>(
    sql`SELECT strftime(last_day(max(q)), '%Y-%m-%d') AS as_of FROM _as_of_quantiles`
  );
  return row?.as_of ?? null;
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
  options: {asOf: string | null; negativeAmounts: "reject" | "allow"}
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
  if (options.asOf !== null && mapped.has(table.time)) {
    checks.push({
      reason: "future_date",
      column: table.time,
      when: sql`${p(table.time)} >= ${val(options.asOf)}::DATE + INTERVAL 1 DAY`,
      message: sql`${val(`${table.time} `)} || ${v(table.time)} || ${val(` is after the as-of date ${options.asOf}`)}`
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
  asOf: string | null
): Promise<SourceValidation> {
  const {raw, table, mappings, formats} = s;
  const used = new Set([
    ...(await usedColumns(store, raw.columns, mappings)),
    ...(raw.lookupKeys ?? [])
  ]);
  const settings = sourceValidation(config, config.sources[raw.name]);
  const checks = checksFor(table, mappings, formats, {
    asOf,
    negativeAmounts: settings.negativeAmounts
  });
  const rawTable = ident(raw.rawTable);
  const typed = (m: FieldMapping) =>
    table.fields[m.field] !== "id" && table.fields[m.field] !== "text";
  const optional = mappings.filter((m) => !table.required.includes(m.field) && typed(m));
  // What the checks and cleared values read: the required fields and those that can fail to parse.
  const checked = mappings.filter((m) => table.required.includes(m.field) || typed(m));
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
  const cleared = optional.length > 0 ? join(optional.map(clearedSql), " OR ") : sql`false`;
  // Only rows that fail a check or lose a value are kept: a few, next to the source.
  await store.run(
    sql`CREATE OR REPLACE TEMP TABLE _flagged AS
     WITH mapped AS (SELECT _row, _file, ${join(checked.map(textSql))} FROM ${rawTable}),
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
    ignored: raw.columns.filter((c) => !used.has(c))
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
    FROM (SELECT _row, _file, ${join(mappings.map(textSql))} FROM ${ident(raw.rawTable)})`;
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

function rejectShareProblems(config: PortraitConfig, results: SourceValidation[]): string[] {
  const limitOf = (r: SourceValidation) =>
    sourceValidation(config, config.sources[r.source]).maxRejectShare;
  return results
    .filter((r) => r.read > 0 && r.quarantined / r.read > limitOf(r))
    .map((r) => {
      const limit = limitOf(r);
      const top = Object.entries(r.byReason).sort((a, b) => b[1] - a[1])[0];
      return `sources.${r.source}: ${r.quarantined.toLocaleString("en-US")} of ${r.read.toLocaleString("en-US")} rows (${formatShare(r.quarantined / r.read)}) were quarantined, more than ${config.sources[r.source].validation?.maxRejectShare === undefined ? "validation" : `sources.${r.source}.validation`}.maxRejectShare (${formatShare(limit)}); most for ${top[0]} (${top[1].toLocaleString("en-US")}). Fix the source or its mapping (npm run check lists the rows), or raise the limit.`;
    });
}
