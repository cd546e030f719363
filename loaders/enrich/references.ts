/**
 * Enrichment: joins a reference table (postal codes, company domains, ...) onto the customers.
 *
 * Keys are normalised the same way on both sides before the join: trimmed, upper case, inner
 * spaces removed; a `country` key goes through the ISO 3166 spellings to its alpha-2 code; a
 * `postal_code` key also loses the marks spreadsheets and forms add to it (see `postalKeySql`).
 * A reference field whose target column exists fills that column where it is missing, and every
 * filled value is recorded in `derived_values`; any other reference field becomes a new column.
 */
import {countryCodeSql, ensureCountryKeys} from "../clean/countries.ts";
import {ensureDerivedValues} from "../clean/standardise.ts";
import {type Store} from "../core/store.ts";
import {ident, join, raw, sql, val, type SQL} from "../core/sql.ts";

export interface EnrichOptions {
  /** The reference table in the store (plain VARCHAR columns, loaded by the caller). */
  table: string;
  /** Join keys: target field → reference field. */
  on: Record<string, string>;
  /** Fields to bring: target field → reference field. */
  fields: Record<string, string>;
  /** The table enriched in place (default `customers`). */
  target?: string;
  /** Types of added columns; by default numeric when every reference value reads as a number. */
  types?: Record<string, "text" | "number" | "integer">;
  /** The `derived_values` method of filled values (default `<field>_from_<keys>`). */
  method?: string;
  /**
   * How the rows of a key that has several combine, for every field or per field: their mean,
   * their commonest value, or the first row's. Default: a field they disagree on stays empty.
   */
  combine?: Combine | Record<string, Combine>;
}

/** How several reference rows of one key make one value. */
export type Combine = "mean" | "mode" | "first";

export interface EnrichSummary {
  /** The enriched table. */
  target: string;
  /** The reference table joined onto it. */
  reference: string;
  /** Rows of the target table. */
  rows: number;
  /** Rows whose keys found a reference row. */
  matched: number;
  /** Rows with every key given that found no reference row (or whose country is unknown). */
  unmatched: number;
  /** Rows missing at least one key. */
  missingKey: number;
  /** Reference keys held by several rows. */
  repeatedKeys: number;
  /** Of those, keys whose rows disagree on a field that has no `combine` (it is left empty). */
  ambiguousKeys: number;
  /** Columns added to the target. */
  added: string[];
  /** Existing columns filled where missing: field → values filled. */
  filled: Record<string, number>;
}

/** A generic join key: trimmed, upper case, inner spaces removed; empty → NULL. */
export function textKeySql(expr: SQL): SQL {
  return sql`NULLIF(regexp_replace(upper(trim(CAST(${expr} AS VARCHAR))), '\\s+', '', 'g'), '')`;
}

/**
 * A postal-code key: the text key without a spreadsheet's ".0" ("2000.0"), a country letter
 * prefix ("D-10115", "F-75001") or a US ZIP+4 extension ("10188-1234"). Lost leading zeros are
 * restored in the join, from the width of the reference's codes of the same country.
 */
export function postalKeySql(expr: SQL): SQL {
  const key = textKeySql(expr);
  return sql`regexp_replace(regexp_replace(regexp_replace(${key}, '^(\\d+)\\.0+$', '\\1'), '^[A-Z]{1,3}-(\\d)', '\\1'), '^(\\d{5})-\\d{4}$', '\\1')`;
}

type KeyKind = "country" | "postal_code" | "text";

export interface Key {
  target: string;
  reference: string;
  kind: KeyKind;
  /** The normalised key's column. */
  alias: SQL;
  /** The written key's column in `_enrich_map`. */
  raw: SQL;
}

export interface Field {
  target: string;
  reference: string;
  alias: SQL;
  /** The target column's SQL type when it exists (the field fills it), else undefined. */
  existing: string | undefined;
}

/** Joins a reference table onto a table of customers, adding and filling fields; see the module doc. */
export async function enrich(store: Store, options: EnrichOptions): Promise<EnrichSummary> {
  const target = options.target ?? "customers";
  const targetColumns = await existingColumns(store, target);
  const referenceColumns = await existingColumns(store, options.table);
  const keys = Object.entries(options.on).map(([t, r], i): Key => ({
    target: t,
    reference: r,
    kind: keyKind(t),
    alias: ident(`__key${i}`),
    raw: ident(`__written${i}`)
  }));
  const fields = Object.entries(options.fields).map(([t, r], i): Field => ({
    target: t,
    reference: r,
    alias: ident(`__ref${i}`),
    existing: targetColumns.get(t)
  }));
  checkColumns(
    target,
    targetColumns,
    keys.map((k) => k.target),
    "join key"
  );
  checkColumns(
    options.table,
    referenceColumns,
    [...keys, ...fields].map((k) => k.reference),
    "reference field"
  );
  if (keys.length === 0)
    throw new Error(`enrich ${target} with ${options.table}: name at least one join key in \`on\``);
  await ensureCountryKeys(store);

  const combine = (f: Field) =>
    typeof options.combine === "string" ? options.combine : options.combine?.[f.target];
  const ordered = referenceColumns.has("_row") ? sql`_row` : null;
  await store.run(referenceSql(options.table, keys, fields, combine, ordered));
  const country = keys.find((k) => k.kind === "country");
  const postal = keys.find((k) => k.kind === "postal_code");
  await store.run(
    country && postal
      ? sql`CREATE OR REPLACE TEMP TABLE _enrich_width AS
         SELECT ${country.alias} AS country, max(length(${postal.alias})) AS width FROM _enrich_ref
         GROUP BY 1 HAVING bool_and(regexp_full_match(${postal.alias}, '\\d+')) AND min(length(${postal.alias})) = max(length(${postal.alias}))`
      : sql`CREATE OR REPLACE TEMP TABLE _enrich_width (country VARCHAR, width BIGINT)`
  );
  await store.run(mapSql(target, keys, fields, country?.alias));

  const on = join(
    keys.map((k) => sql`m.${k.raw} = t.${ident(k.target)}`),
    " AND "
  );
  const nonCountry = keys.filter((k) => k.kind !== "country").map((k) => k.target);
  const methodOf = (field: string) =>
    options.method ?? `${field}_from_${nonCountry.join("_") || options.table}`;
  const filled: Record<string, number> = {};
  await ensureDerivedValues(store);
  const canonical = target.replace(/^accepted_/, "");
  // Updates rewrite only the columns they set, where a new table would copy every column.
  for (const f of fields.filter((f) => f.existing !== undefined)) {
    // The target column's type as the store's catalogue writes it (tableColumns).
    const value = sql`TRY_CAST(m.${f.alias} AS ${raw(f.existing!)})`;
    const where = sql`${on} AND t.${ident(f.target)} IS NULL AND ${value} IS NOT NULL`;
    const count = await store.one<{n: number}>(
      sql`SELECT count(*)::INTEGER AS n FROM ${ident(target)} t JOIN _enrich_map m ON ${where}`
    );
    filled[f.target] = count?.n ?? 0;
    await store.run(
      sql`INSERT INTO derived_values
       SELECT ${val(canonical)}, ${optional(targetColumns, "customer_id")}, ${optional(targetColumns, "_source")}, ${optional(targetColumns, "_row")}, ${val(f.target)}, ${val(methodOf(f.target))}, CAST(${value} AS VARCHAR), NULL
       FROM ${ident(target)} t JOIN _enrich_map m ON ${where}`
    );
    await store.run(
      sql`UPDATE ${ident(target)} AS t SET ${ident(f.target)} = ${value} FROM _enrich_map m WHERE ${where}`
    );
  }

  const added = fields.filter((f) => f.existing === undefined);
  const types = await addedTypes(store, added, options.types ?? {});
  for (const f of added) {
    await store.run(
      sql`ALTER TABLE ${ident(target)} ADD COLUMN ${ident(f.target)} ${types.get(f.target)!}`
    );
  }
  if (added.length > 0) {
    const set = added.map(
      (f) => sql`${ident(f.target)} = TRY_CAST(m.${f.alias} AS ${types.get(f.target)!})`
    );
    await store.run(
      sql`UPDATE ${ident(target)} AS t
       SET ${join(set)}
       FROM _enrich_map m WHERE ${on} AND m.__matched`
    );
  }
  const stats = await store.one<{rows: number; keyed: number; matched: number}>(
    sql`SELECT (SELECT count(*) FROM ${ident(target)})::INTEGER AS rows,
            coalesce(sum(__rows), 0)::INTEGER AS keyed,
            coalesce(sum(__rows) FILTER (WHERE __matched), 0)::INTEGER AS matched
     FROM _enrich_map`
  );
  const ambiguous = await store.one<{n: number; repeated: number}>(
    sql`SELECT count(*) FILTER (WHERE __ambiguous)::INTEGER AS n,
       count(*) FILTER (WHERE __rows > 1)::INTEGER AS repeated FROM _enrich_ref`
  );
  const rows = stats?.rows ?? 0;
  const matched = stats?.matched ?? 0;
  const missingKey = rows - (stats?.keyed ?? 0);
  return {
    target,
    reference: options.table,
    rows,
    matched,
    unmatched: rows - matched - missingKey,
    missingKey,
    repeatedKeys: ambiguous?.repeated ?? 0,
    ambiguousKeys: ambiguous?.n ?? 0,
    added: added.map((f) => f.target),
    filled
  };
}

function keyKind(field: string): KeyKind {
  return field === "country" ? "country" : field === "postal_code" ? "postal_code" : "text";
}

function keySql(key: Key, column: SQL): SQL {
  switch (key.kind) {
    case "country":
      return countryCodeSql(column);
    case "postal_code":
      return postalKeySql(column);
    case "text":
      return textKeySql(column);
  }
}

/**
 * One reference row per normalised key. A field the key's rows disagree on is combined as the
 * config says (mean, mode or the first row's, in file order when `order` is given), else NULL.
 */
export function referenceSql(
  table: string,
  keys: Key[],
  fields: Field[],
  combine: (f: Field) => Combine | undefined = () => undefined,
  order: SQL | null = null
): SQL {
  const inner = [
    ...keys.map((k) => sql`${keySql(k, ident(k.reference))} AS ${k.alias}`),
    ...fields.map(
      (f) => sql`NULLIF(trim(CAST(${ident(f.reference)} AS VARCHAR)), '') AS ${f.alias}`
    ),
    ...(order ? [sql`${order} AS __order`] : [])
  ];
  const combined = (f: Field): SQL => {
    switch (combine(f)) {
      case "mean":
        return sql`CAST(avg(TRY_CAST(${f.alias} AS DOUBLE)) AS VARCHAR)`;
      case "mode":
        // The commonest value; among equally common ones, the first in sort order.
        return sql`mode(${f.alias} ORDER BY ${f.alias})`;
      case "first":
        return order
          ? sql`arg_min(${f.alias}, __order) FILTER (WHERE ${f.alias} IS NOT NULL)`
          : sql`min(${f.alias})`;
      case undefined:
        return sql`CASE WHEN count(DISTINCT ${f.alias}) <= 1 THEN max(${f.alias}) END`;
    }
  };
  const agreed = fields.map((f) => sql`${combined(f)} AS ${f.alias}`);
  const open = fields.filter((f) => combine(f) === undefined);
  const disagree =
    open.length > 0
      ? join(
          open.map((f) => sql`count(DISTINCT ${f.alias}) > 1`),
          " OR "
        )
      : sql`false`;
  const aliases = join(keys.map((k) => k.alias));
  return sql`CREATE OR REPLACE TEMP TABLE _enrich_ref AS
    SELECT ${aliases}, ${join([...agreed, sql`(${disagree}) AS __ambiguous`, sql`count(*) AS __rows`])}
    FROM (SELECT ${join(inner)} FROM ${ident(table)})
    WHERE ${join(
      keys.map((k) => sql`${k.alias} IS NOT NULL`),
      " AND "
    )}
    GROUP BY ${aliases}`;
}

/**
 * `_enrich_map`: each distinct tuple of the target's written keys (few, next to the rows), its
 * normalised keys, its row count and the reference fields it matches (NULL when unmatched).
 */
function mapSql(target: string, keys: Key[], fields: Field[], countryAlias: SQL | undefined): SQL {
  const raws = join(keys.map((k) => k.raw));
  const keyed = keys.map((k) => sql`${keySql(k, k.raw)} AS ${k.alias}`);
  const padded = keys.map((k) =>
    k.kind === "postal_code" && countryAlias
      ? sql`CASE WHEN regexp_full_match(t.${k.alias}, '\\d+') AND length(t.${k.alias}) < w.width THEN lpad(t.${k.alias}, w.width::INTEGER, '0') ELSE t.${k.alias} END AS ${k.alias}`
      : sql`t.${k.alias}`
  );
  const on = join(
    keys.map((k) => sql`r.${k.alias} = p.${k.alias}`),
    " AND "
  );
  const width = countryAlias
    ? sql`LEFT JOIN _enrich_width w ON w.country = t.${countryAlias}`
    : sql``;
  const brought = [
    ...fields.map((f) => sql`r.${f.alias}`),
    sql`r.${keys[0].alias} IS NOT NULL AS __matched`
  ];
  return sql`CREATE OR REPLACE TEMP TABLE _enrich_map AS
    WITH written AS (
      SELECT ${join(keys.map((k) => sql`${ident(k.target)} AS ${k.raw}`))}, count(*) AS __rows
      FROM ${ident(target)} WHERE ${join(
        keys.map((k) => sql`${ident(k.target)} IS NOT NULL`),
        " AND "
      )}
      GROUP BY ${raws}),
    keyed AS (SELECT *, ${join(keyed)} FROM written),
    padded AS (
      SELECT ${raws}, __rows, ${join(padded)}
      FROM keyed t ${width})
    SELECT p.*, ${join(brought)}
    FROM padded p LEFT JOIN _enrich_ref r ON ${on}`;
}

/** SQL types of added columns: as asked, else numeric when every reference value is a number. */
async function addedTypes(
  store: Store,
  added: Field[],
  asked: Record<string, "text" | "number" | "integer">
): Promise<Map<string, SQL>> {
  const sqlType = {text: sql`VARCHAR`, number: sql`DOUBLE`, integer: sql`BIGINT`} as const;
  const types = new Map<string, SQL>();
  for (const f of added) {
    const kind = asked[f.target];
    if (kind !== undefined) {
      types.set(f.target, sqlType[kind]);
      continue;
    }
    // A leading zero marks a code ("02134"), not a quantity, so it stays text.
    const row = await store.one<{n: number; numeric: number; integral: number}>(
      sql`SELECT count(${f.alias})::INTEGER AS n,
              count(*) FILTER (WHERE regexp_full_match(${f.alias}, '[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?') AND NOT regexp_matches(${f.alias}, '^[+-]?0\\d'))::INTEGER AS numeric,
              count(*) FILTER (WHERE regexp_full_match(${f.alias}, '[+-]?\\d+') AND NOT regexp_matches(${f.alias}, '^[+-]?0\\d'))::INTEGER AS integral
       FROM _enrich_ref`
    );
    const n = row?.n ?? 0;
    types.set(
      f.target,
      n > 0 && row?.integral === n
        ? sqlType.integer
        : n > 0 && row?.numeric === n
          ? sqlType.number
          : sqlType.text
    );
  }
  return types;
}

/** The columns of a table with their SQL types, failing when the table is not in the store. */
async function existingColumns(store: Store, table: string): Promise<Map<string, string>> {
  const columns = await store.tableColumns(table);
  if (columns.size === 0) throw new Error(`table ${table} not found in the profile store`);
  return columns;
}

function checkColumns(
  table: string,
  columns: Map<string, string>,
  names: string[],
  what: string
): void {
  const missing = names.filter((n) => !columns.has(n));
  if (missing.length > 0) {
    throw new Error(
      `${table} has no column ${missing.join(", ")} (named as ${what}). Its columns are: ${[...columns.keys()].join(", ")}.`
    );
  }
}

function optional(columns: Map<string, string>, name: string): SQL {
  return columns.has(name) ? ident(name) : sql`NULL`;
}
