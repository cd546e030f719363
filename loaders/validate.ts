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
  SQL_TYPES,
  type CanonicalTable,
  type FieldType
} from "./canonical.ts";
import {checkExpressions, resolveColumns, type FieldMapping} from "./columns.ts";
import {sourceValidation, type PortraitConfig} from "./config.ts";
import {QUARANTINE_DDL, type RawSource} from "./sources.ts";
import {ident, type Store} from "./store.ts";

/** Why a row was quarantined. */
export type Reason =
  | "malformed_line"
  | "duplicate_row"
  | "missing_value"
  | "malformed_date"
  | "not_a_number"
  | "negative_amount"
  | "future_date"
  | "unknown_customer";

export interface SourceValidation {
  source: string;
  table: string;
  read: number;
  accepted: number;
  quarantined: number;
  byReason: Partial<Record<Reason, number>>;
  cleared: number;
  mappings: FieldMapping[];
}

export interface Validation {
  asOf: string | null;
  sources: SourceValidation[];
  /** Problems that must fail the build (reject share over the limit). */
  problems: string[];
}

const ISO = "YYYY-MM-DD or YYYY-MM-DD HH:MM:SS";

/** Validates every source; customers first, so that other tables can check their customer ids. */
export async function validate(
  store: Store,
  config: PortraitConfig,
  raws: RawSource[]
): Promise<Validation> {
  await store.run(QUARANTINE_DDL);
  await store.run(
    `CREATE OR REPLACE TABLE cleared_values (source VARCHAR, "table" VARCHAR, "row" BIGINT, "column" VARCHAR, value VARCHAR, reason VARCHAR)`
  );
  const staged: {
    raw: RawSource;
    table: CanonicalTable;
    mappings: FieldMapping[];
    formats: string[];
  }[] = [];
  for (const raw of raws) {
    const source = config.sources[raw.name];
    const table = CANONICAL_TABLES.find((t) => t.name === source.table)!;
    const mappings = resolveColumns(config.path, raw.name, source, table, raw.columns);
    await checkExpressions(store, config.path, raw.name, raw.rawTable, raw.columns, mappings);
    const formats = source.dateFormat === undefined ? [] : [source.dateFormat].flat();
    await stage(
      store,
      raw,
      table,
      mappings,
      formats,
      sourceValidation(config, source).duplicateRows === "reject"
    );
    staged.push({raw, table, mappings, formats});
  }
  const asOf = config.asOf ?? (await deriveAsOf(store, staged));
  // Only tables some source feeds exist: a dimension with no data is not measured, not empty.
  const fed = new Set(staged.map((s) => s.table.name));
  for (const table of CANONICAL_TABLES.filter((t) => fed.has(t.name))) {
    await store.run(
      `CREATE OR REPLACE TABLE ${ident(`accepted_${table.name}`)} (${acceptedColumnsSql(table)})`
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
        "CREATE OR REPLACE TEMP TABLE _known_customers AS SELECT DISTINCT customer_id FROM accepted_customers WHERE customer_id IS NOT NULL"
      );
      known = true;
    }
    results.push(await check(store, config, s.raw, s.table, s.mappings, s.formats, asOf));
  }
  results.sort(
    (a, b) =>
      raws.findIndex((r) => r.name === a.source) - raws.findIndex((r) => r.name === b.source)
  );
  return {asOf, sources: results, problems: rejectShareProblems(config, results)};
}

/** stage_<source>: the mapped text (v_<field>), its parsed value (p_<field>) and _dup_of. */
async function stage(
  store: Store,
  raw: RawSource,
  table: CanonicalTable,
  mappings: FieldMapping[],
  formats: string[],
  rejectDuplicates: boolean
): Promise<void> {
  const texts = mappings.map(
    (m) => `NULLIF(trim(CAST(${m.sql} AS VARCHAR)), '') AS ${ident(`v_${m.field}`)}`
  );
  const partition = raw.columns.map(ident).join(", ");
  const duplicate =
    rejectDuplicates && raw.columns.length > 0
      ? `CASE WHEN row_number() OVER (PARTITION BY ${partition} ORDER BY _row) > 1
           THEN min(_row) OVER (PARTITION BY ${partition}) END`
      : "NULL::BIGINT";
  const parsed = mappings.map(
    (m) =>
      `${parse(table.fields[m.field], ident(`v_${m.field}`), formats)} AS ${ident(`p_${m.field}`)}`
  );
  await store.run(
    `CREATE OR REPLACE TABLE ${ident(`stage_${raw.name}`)} AS
     WITH mapped AS (SELECT _row, _file, ${[...texts, `${duplicate} AS _dup_of`].join(", ")} FROM ${ident(raw.rawTable)})
     SELECT *, ${parsed.join(", ")} FROM mapped ORDER BY _row`,
    formats.length > 0 ? {formats: listValue(formats)} : undefined
  );
}

/** SQL parsing a text value into its canonical type; NULL when it does not parse. */
export function parse(type: FieldType, text: string, formats: string[]): string {
  switch (type) {
    case "id":
    case "text":
      return text;
    case "number":
      return `(SELECT CASE WHEN isfinite(d) THEN d END FROM (SELECT TRY_CAST(${text} AS DOUBLE) AS d))`;
    case "integer":
      return `(SELECT CASE WHEN d = trunc(d) AND abs(d) < 9e15 THEN d::BIGINT END FROM (SELECT TRY_CAST(${text} AS DOUBLE) AS d))`;
    case "date":
      return formats.length > 0
        ? `TRY_STRPTIME(${text}, $formats)::DATE`
        : `TRY_CAST(${text} AS DATE)`;
    case "timestamp":
      return formats.length > 0
        ? `TRY_STRPTIME(${text}, $formats)`
        : `TRY_CAST(${text} AS TIMESTAMP)`;
  }
}

/**
 * The data's as-of date when the config gives none: the end of the month by which 99.9 % of
 * every source's dated rows have happened, so a stray typo decades ahead cannot move it.
 */
async function deriveAsOf(
  store: Store,
  staged: {raw: RawSource; table: CanonicalTable; mappings: FieldMapping[]}[]
): Promise<string | null> {
  const parts = staged
    .filter((s) => s.mappings.some((m) => m.field === s.table.time))
    .map(
      (s) =>
        `SELECT quantile_disc(${ident(`p_${s.table.time}`)}, 0.999)::TIMESTAMP AS q FROM ${ident(`stage_${s.raw.name}`)}`
    );
  if (parts.length === 0) return null;
  const row = await store.one<{as_of: string | null}>(
    `SELECT strftime(last_day(max(q)), '%Y-%m-%d') AS as_of FROM (${parts.join(" UNION ALL ")})`
  );
  return row?.as_of ?? null;
}

interface Check {
  reason: Reason;
  column: string | null;
  when: string;
  message: string;
}

/** The checks a source's rows must pass, in the order their reasons are reported. */
export function checksFor(
  table: CanonicalTable,
  mappings: FieldMapping[],
  formats: string[],
  options: {asOf: string | null; negativeAmounts: "reject" | "allow"}
): Check[] {
  const mapped = new Set(mappings.map((m) => m.field));
  const v = (f: string) => ident(`v_${f}`);
  const p = (f: string) => ident(`p_${f}`);
  const quoted = (f: string) => `'"' || ${v(f)} || '"'`;
  const expected = formats.length > 0 ? formats.join(" or ") : ISO;
  const checks: Check[] = [
    {
      reason: "duplicate_row",
      column: null,
      when: "_dup_of IS NOT NULL",
      message: `'exact duplicate of row ' || _dup_of`
    }
  ];
  for (const field of table.required) {
    checks.push({
      reason: "missing_value",
      column: field,
      when: `${v(field)} IS NULL`,
      message: `'${field} is missing'`
    });
  }
  for (const field of table.required.filter((f) => mapped.has(f))) {
    const type = table.fields[field];
    if (type === "date" || type === "timestamp") {
      checks.push({
        reason: "malformed_date",
        column: field,
        when: `${v(field)} IS NOT NULL AND ${p(field)} IS NULL`,
        message: `'${field} ' || ${quoted(field)} || ' is not a date (expected ${expected})'`
      });
    } else if (type === "number" || type === "integer") {
      checks.push({
        reason: "not_a_number",
        column: field,
        when: `${v(field)} IS NOT NULL AND ${p(field)} IS NULL`,
        message: `'${field} ' || ${quoted(field)} || ' is not a number'`
      });
    }
  }
  if (table.name === "orders" && mapped.has("amount") && options.negativeAmounts === "reject") {
    checks.push({
      reason: "negative_amount",
      column: "amount",
      when: `${p("amount")} < 0`,
      message: `'amount ' || ${v("amount")} || ' is negative (set validation.negativeAmounts to "allow" to keep refunds)'`
    });
  }
  if (options.asOf !== null && mapped.has(table.time)) {
    checks.push({
      reason: "future_date",
      column: table.time,
      when: `${p(table.time)} >= DATE '${options.asOf}' + INTERVAL 1 DAY`,
      message: `'${table.time} ' || ${v(table.time)} || ' is after the as-of date ${options.asOf}'`
    });
  }
  if (table.name !== "customers" && mapped.has("customer_id")) {
    checks.push({
      reason: "unknown_customer",
      column: "customer_id",
      when: `${v("customer_id")} IS NOT NULL AND _known.customer_id IS NULL`,
      message: `'customer ' || ${v("customer_id")} || ' is not among the customers'`
    });
  }
  return checks;
}

async function check(
  store: Store,
  config: PortraitConfig,
  raw: RawSource,
  table: CanonicalTable,
  mappings: FieldMapping[],
  formats: string[],
  asOf: string | null
): Promise<SourceValidation> {
  const settings = sourceValidation(config, config.sources[raw.name]);
  const checks = checksFor(table, mappings, formats, {
    asOf,
    negativeAmounts: settings.negativeAmounts
  });
  const stageTable = ident(`stage_${raw.name}`);
  const join =
    table.name !== "customers" && mappings.some((m) => m.field === "customer_id")
      ? `LEFT JOIN _known_customers _known ON _known.customer_id = s.${ident("p_customer_id")}`
      : "";
  const caseOf = (pick: (c: Check) => string) =>
    `CASE ${checks.map((c) => `WHEN ${c.when} THEN ${pick(c)}`).join(" ")} END`;
  const literal = (text: string | null) => (text === null ? "NULL" : `'${text}'`);
  await store.run(
    `CREATE OR REPLACE TEMP TABLE _checked AS SELECT s.*,
       ${caseOf((c) => literal(c.reason))} AS _reason,
       ${caseOf((c) => literal(c.column))} AS _column,
       ${caseOf((c) => c.message)} AS _message,
       list_filter([${checks.map((c) => `CASE WHEN ${c.when} THEN '${c.reason}' END`).join(", ")}], x -> x IS NOT NULL) AS _reasons
     FROM ${stageTable} s ${join}`
  );
  await store.run(
    `INSERT INTO quarantine
     SELECT $source, $table, c._row, c._file, c._column, c._reason, c._message, c._reasons, to_json(r)
     FROM _checked c JOIN ${ident(raw.rawTable)} r USING (_row, _file)
     WHERE c._reason IS NOT NULL ORDER BY c._row`,
    {source: raw.name, table: table.name}
  );
  const optional = mappings.filter(
    (m) =>
      !table.required.includes(m.field) &&
      table.fields[m.field] !== "id" &&
      table.fields[m.field] !== "text"
  );
  for (const m of optional) {
    const type = table.fields[m.field];
    await store.run(
      `INSERT INTO cleared_values
       SELECT $source, $table, _row, $column, ${ident(`v_${m.field}`)}, $reason FROM _checked
       WHERE _reason IS NULL AND ${ident(`v_${m.field}`)} IS NOT NULL AND ${ident(`p_${m.field}`)} IS NULL ORDER BY _row`,
      {
        source: raw.name,
        table: table.name,
        column: m.field,
        reason: type === "date" || type === "timestamp" ? "malformed_date" : "not_a_number"
      }
    );
  }
  const mapped = new Set(mappings.map((m) => m.field));
  const fields = Object.entries(table.fields).map(([f, t]) =>
    mapped.has(f) ? ident(`p_${f}`) : `NULL::${SQL_TYPES[t]}`
  );
  await store.run(
    `INSERT INTO ${ident(`accepted_${table.name}`)} SELECT ${fields.join(", ")}, $source, _row FROM _checked WHERE _reason IS NULL ORDER BY _row`,
    {source: raw.name}
  );
  const counts = await store.all<{reason: Reason; n: number}>(
    "SELECT reason, count(*)::INTEGER AS n FROM quarantine WHERE source = $source GROUP BY reason ORDER BY reason",
    {source: raw.name}
  );
  const accepted = await store.one<{n: number}>(
    `SELECT count(*)::INTEGER AS n FROM _checked WHERE _reason IS NULL`
  );
  const cleared = await store.one<{n: number}>(
    "SELECT count(*)::INTEGER AS n FROM cleared_values WHERE source = $source",
    {source: raw.name}
  );
  // The source's text and staging are spent: accepted rows and the quarantine hold it all now.
  await store.run("DROP TABLE _checked");
  await store.run(`DROP TABLE ${stageTable}`);
  await store.run(`DROP TABLE ${ident(raw.rawTable)}`);
  const quarantined = counts.reduce((sum, c) => sum + c.n, 0);
  return {
    source: raw.name,
    table: table.name,
    read: raw.rows,
    accepted: accepted?.n ?? 0,
    quarantined,
    byReason: Object.fromEntries(counts.map((c) => [c.reason, c.n])),
    cleared: cleared?.n ?? 0,
    mappings
  };
}

function rejectShareProblems(config: PortraitConfig, results: SourceValidation[]): string[] {
  const limitOf = (r: SourceValidation) =>
    sourceValidation(config, config.sources[r.source]).maxRejectShare;
  return results
    .filter((r) => r.read > 0 && r.quarantined / r.read > limitOf(r))
    .map((r) => {
      const limit = limitOf(r);
      const top = Object.entries(r.byReason).sort((a, b) => b[1] - a[1])[0];
      return `sources.${r.source}: ${r.quarantined.toLocaleString("en-US")} of ${r.read.toLocaleString("en-US")} rows (${percent(r.quarantined / r.read)}) were quarantined, more than ${config.sources[r.source].validation?.maxRejectShare === undefined ? "validation" : `sources.${r.source}.validation`}.maxRejectShare (${percent(limit)}); most for ${top[0]} (${top[1].toLocaleString("en-US")}). Fix the source or its mapping (npm run check lists the rows), or raise the limit.`;
    });
}

function percent(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)} %`;
}
