/**
 * Related files: files a source looks values up in by key (payments per order, items per order,
 * the order a review is about, a product's category). Each is declared once under `related`,
 * read as text like a source (into rel_<name>), given its own derived columns (SQL over its
 * columns, or lookups in other related files), and then each lookup a source's `columns` names
 * becomes a column of that source's text, named after the lookup (`payments.sum(payment_value)`),
 * which the mapping takes like any column. A row with no related row gets NULL, never 0.
 *
 * Every related file is accounted for: rows read = matched (their key is looked up by some row)
 * + unmatched (kept in related_unmatched with the row as read) + malformed lines (quarantined);
 * keys on several rows are counted; and every lookup counts the rows that found nothing
 * (lookup_misses), so 775 orders without items show as 775 misses, not as quantity 0.
 */
import {
  ConfigError,
  LOOKUP_AGGREGATES,
  type ColumnSpec,
  type LookupAggregate,
  type LookupSpec,
  type PortraitConfig
} from "../config/project.ts";
import {findColumn, suggest} from "../core/closest.ts";
import {ident, raw, sql, val, type SQL} from "../core/sql.ts";
import {type Store} from "../core/store.ts";
import {dropRawSource, readSource, type RawSource} from "./sources.ts";
import type {RelatedQuality} from "../../src/contracts/quality.ts";

/** What the data-quality page says of one related file, before its samples. */
export type RelatedSummary = Omit<RelatedQuality, "samples" | "misses">;

/** One lookup into a related file, as the summary counts it. */
type Lookup = RelatedSummary["lookups"][number] & {related: string};

/** Whether a column spec is a lookup in a related file. */
export function isLookup(spec: ColumnSpec): spec is LookupSpec {
  return typeof spec === "object" && "from" in spec;
}

/** A lookup's aggregate and the related column it reads (null for count). */
export function lookupAggregate(spec: LookupSpec): {
  aggregate: LookupAggregate;
  column: string | null;
} {
  const aggregate = LOOKUP_AGGREGATES.find((a) => spec[a] !== undefined)!;
  const column = aggregate === "count" ? null : (spec[aggregate] as string);
  return {aggregate, column};
}

/**
 * The column a lookup adds to its source's text, named after what it computes, so the
 * quarantine's rows and messages read `payments.sum(payment_value)`.
 */
export function lookupColumn(spec: LookupSpec): string {
  const {aggregate, column} = lookupAggregate(spec);
  const on = spec.on === undefined ? "" : ` on ${spec.on}`;
  return `${spec.from}.${aggregate}(${column ?? ""})${on}`;
}

/** The related file's text table. */
export const relatedTable = (name: string) => `rel_${name}`;

/** A key as compared: trimmed text, empty as NULL. */
function keyOf(column: SQL): SQL {
  return sql`NULLIF(trim(CAST(${column} AS VARCHAR)), '')`;
}

/**
 * SQL for one lookup's values: per key of the related table, the aggregate over its rows, as
 * text (`_key`, `_value`). Numbers that do not parse are left out of sum, mean, min and max.
 */
export function lookupValuesSql(table: string, key: string, spec: LookupSpec): SQL {
  const {aggregate, column} = lookupAggregate(spec);
  const t = ident(table);
  const k = keyOf(ident(key));
  if (aggregate === "count")
    return sql`SELECT ${k} AS _key, count(*)::VARCHAR AS _value FROM ${t} GROUP BY _key`;
  const c = ident(column!);
  const number = sql`TRY_CAST(${c} AS DOUBLE)`;
  if (aggregate === "mode") {
    return sql`SELECT _key, first(_v ORDER BY _n DESC, _v) AS _value FROM (
        SELECT ${k} AS _key, ${c} AS _v, count(*) AS _n FROM ${t} WHERE ${c} IS NOT NULL GROUP BY ALL)
      GROUP BY _key`;
  }
  const value: Record<Exclude<LookupAggregate, "count" | "mode">, SQL> = {
    value: sql`first(${c} ORDER BY _file, _row)`,
    sum: sql`sum(${number})::VARCHAR`,
    mean: sql`avg(${number})::VARCHAR`,
    // Numbers compare as numbers, anything else (ISO dates) as text.
    min: sql`CASE WHEN count(${number}) = count(${c}) THEN min(${number})::VARCHAR ELSE min(${c}) END`,
    max: sql`CASE WHEN count(${number}) = count(${c}) THEN max(${number})::VARCHAR ELSE max(${c}) END`
  };
  return sql`SELECT ${k} AS _key, ${value[aggregate]} AS _value FROM ${t} GROUP BY _key`;
}

/**
 * SQL rewriting a text table with one more column: `column` computed per row by `value`, a
 * lookup joined on `on` or an expression over the row. Rows keep their file order.
 */
export function addColumnSql(
  target: string,
  from: string,
  column: string,
  value: {lookup: SQL; on: string} | {expression: SQL}
): SQL {
  if ("expression" in value) {
    return sql`CREATE OR REPLACE TEMP TABLE ${ident(target)} AS
      SELECT *, ${value.expression} AS ${ident(column)} FROM ${ident(from)} ORDER BY _file, _row`;
  }
  return sql`CREATE OR REPLACE TEMP TABLE ${ident(target)} AS
    SELECT u.*, l._value AS ${ident(column)}
    FROM ${ident(from)} u LEFT JOIN (${value.lookup}) l ON l._key = ${keyOf(sql`u.${ident(value.on)}`)}
    ORDER BY u._file, u._row`;
}

const ACCOUNTING_DDL = [
  sql`CREATE OR REPLACE TABLE related_unmatched (related VARCHAR, "row" BIGINT, file VARCHAR, "key" VARCHAR, record JSON)`,
  sql`CREATE OR REPLACE TABLE lookup_misses (related VARCHAR, "user" VARCHAR, field VARCHAR, "row" BIGINT, file VARCHAR, "key" VARCHAR)`,
  sql`CREATE OR REPLACE TEMP TABLE _related_keys (related VARCHAR, "key" VARCHAR)`
];

/**
 * Reads every related file, adds their derived columns in dependency order, adds each source's
 * lookups to its text, and accounts for every related row. Runs after readSources, before
 * validation; the related text is dropped at the end.
 */
export async function resolveRelated(
  store: Store,
  config: PortraitConfig,
  sources: RawSource[],
  warnings: string[] = []
): Promise<RelatedSummary[]> {
  const names = Object.keys(config.related);
  const sourceLookups = sources.filter((s) =>
    Object.values(config.sources[s.name].columns ?? {}).some(isLookup)
  );
  if (names.length === 0 && sourceLookups.length === 0) return [];
  for (const statement of ACCOUNTING_DDL) await store.run(statement);
  const lookups: Lookup[] = [];
  const read = new Map<string, RawSource>();
  for (const name of dependencyOrder(config)) {
    const r = config.related[name];
    const rawSource = await readSource(store, config, name, r, {
      rawTable: relatedTable(name),
      table: "related",
      key: `related.${name}`
    });
    warnings.push(...(rawSource.warnings ?? []));
    keyColumn(config, name, r.key, rawSource.columns);
    const columns = [...rawSource.columns];
    for (const [column, spec] of Object.entries(r.columns ?? {})) {
      const key = `related.${name}.columns.${column}`;
      if (findColumn(column, columns) !== undefined)
        throw new ConfigError(
          config.path,
          key,
          `related.${name} has a column ${column} already: name the new one differently`
        );
      if (isLookup(spec)) {
        lookups.push(
          await addLookup(
            store,
            config,
            read,
            {table: rawSource.rawTable, user: `related.${name}`, columns, keys: new Set()},
            column,
            spec,
            key
          )
        );
      } else {
        const text = typeof spec === "string" ? spec : "sql" in spec ? spec.sql : spec.column;
        const named = findColumn(text, columns);
        const expression = named !== undefined ? ident(named) : sql`(${raw(text)})`;
        await replaceWith(store, rawSource.rawTable, (target) =>
          addColumnSql(target, rawSource.rawTable, column, {expression})
        ).catch((error: Error) => {
          throw new ConfigError(
            config.path,
            key,
            `${JSON.stringify(text)} is not a valid expression over related.${name}: ${error.message.split("\n")[0]}`
          );
        });
      }
      columns.push(column);
    }
    read.set(name, {...rawSource, columns});
  }
  for (const s of sourceLookups) {
    const columns = [...s.columns];
    const keys = new Set<string>();
    for (const [field, spec] of Object.entries(config.sources[s.name].columns ?? {})) {
      if (!isLookup(spec)) continue;
      const column = lookupColumn(spec);
      if (columns.includes(column)) continue;
      const key = `sources.${s.name}.columns.${field}`;
      lookups.push(
        await addLookup(
          store,
          config,
          read,
          {table: s.rawTable, user: s.name, columns, keys},
          field,
          spec,
          key,
          column
        )
      );
      columns.push(column);
    }
    s.columns = columns;
    s.lookupKeys = [...keys];
  }
  const summaries: RelatedSummary[] = [];
  for (const name of names) {
    const r = read.get(name)!;
    summaries.push({
      ...(await account(store, name, config.related[name].key, r)),
      lookups: lookups.filter((l) => l.related === name).map(({related: _, ...l}) => l)
    });
    await dropRawSource(store, r.rawTable);
  }
  await store.run(sql`DROP TABLE _related_keys`);
  await storeSummaries(store, summaries);
  return summaries;
}

/** Related files ordered so that each comes after the files its own lookups read. */
export function dependencyOrder(config: PortraitConfig): string[] {
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string, path: string[]) => {
    if (order.includes(name)) return;
    if (visiting.has(name)) {
      throw new ConfigError(
        config.path,
        `related.${name}.columns`,
        `the lookups go round in a circle: ${[...path, name].join(" → ")}`
      );
    }
    visiting.add(name);
    for (const spec of Object.values(config.related[name].columns ?? {}))
      if (isLookup(spec)) visit(spec.from, [...path, name]);
    visiting.delete(name);
    order.push(name);
  };
  for (const name of Object.keys(config.related)) visit(name, []);
  return order;
}

/** Adds one lookup's column to a text table; records the keys it asked for and its misses. */
async function addLookup(
  store: Store,
  config: PortraitConfig,
  read: Map<string, RawSource>,
  user: {table: string; user: string; columns: string[]; keys: Set<string>},
  field: string,
  spec: LookupSpec,
  key: string,
  column = field
): Promise<Lookup> {
  const related = read.get(spec.from)!;
  const keyName = config.related[spec.from].key;
  const relatedKey = keyColumn(config, spec.from, keyName, related.columns);
  const onName = spec.on ?? keyName;
  const on = findColumn(onName, user.columns);
  if (on === undefined) {
    throw new ConfigError(
      config.path,
      spec.on === undefined ? key : `${key}.on`,
      `no column ${JSON.stringify(onName)} in ${user.user} to look ${spec.from} up by${suggest(onName, user.columns)} Name the column holding the ${spec.from} key with on. Its columns: ${user.columns.join(", ")}`
    );
  }
  const {column: valueColumn} = lookupAggregate(spec);
  if (valueColumn !== null && findColumn(valueColumn, related.columns) === undefined) {
    throw new ConfigError(
      config.path,
      key,
      `no column ${JSON.stringify(valueColumn)} in related.${spec.from}${suggest(valueColumn, related.columns)} Its columns: ${related.columns.join(", ")}`
    );
  }
  const exact: LookupSpec =
    valueColumn === null
      ? spec
      : {...spec, [lookupAggregate(spec).aggregate]: findColumn(valueColumn, related.columns)};
  const lookup = lookupValuesSql(related.rawTable, relatedKey, exact);
  const userKey = keyOf(ident(on));
  await store.run(
    sql`INSERT INTO _related_keys SELECT DISTINCT ${val(spec.from)}, ${userKey} FROM ${ident(user.table)} WHERE ${userKey} IS NOT NULL`
  );
  await store.run(
    sql`INSERT INTO lookup_misses SELECT ${val(spec.from)}, ${val(user.user)}, ${val(field)}, _row, _file, ${userKey}
      FROM ${ident(user.table)} u WHERE NOT EXISTS (
        SELECT 1 FROM ${ident(related.rawTable)} r WHERE ${keyOf(sql`r.${ident(relatedKey)}`)} = ${keyOf(sql`u.${ident(on)}`)})
      ORDER BY _file, _row`
  );
  await replaceWith(store, user.table, (target) =>
    addColumnSql(target, user.table, column, {lookup, on})
  );
  user.keys.add(on);
  const counts = await store.one<{rows: number; missed: number}>(
    sql`SELECT (SELECT count(*) FROM ${ident(user.table)})::INTEGER AS rows,
      (SELECT count(*) FROM lookup_misses WHERE related = ${val(spec.from)} AND "user" = ${val(user.user)} AND field = ${val(field)})::INTEGER AS missed`
  );
  return {
    related: spec.from,
    user: user.user,
    field,
    column,
    rows: counts?.rows ?? 0,
    missed: counts?.missed ?? 0
  };
}

/** Replaces a text table (a view over its file, or a table) by the table `build` writes. */
async function replaceWith(
  store: Store,
  table: string,
  build: (target: string) => SQL
): Promise<void> {
  await store.run(build("_related_next"));
  await dropRawSource(store, table);
  await store.run(sql`ALTER TABLE _related_next RENAME TO ${ident(table)}`);
}

/** The related file's key column, which must exist. */
function keyColumn(config: PortraitConfig, name: string, key: string, columns: string[]): string {
  const column = findColumn(key, columns);
  if (column === undefined) {
    throw new ConfigError(
      config.path,
      `related.${name}.key`,
      `no column ${JSON.stringify(key)} in this file${suggest(key, columns)} Its columns: ${columns.join(", ")}`
    );
  }
  return column;
}

/** Rows read, matched, unmatched (kept with the row as read) and keys on several rows. */
async function account(
  store: Store,
  name: string,
  key: string,
  r: RawSource
): Promise<Omit<RelatedSummary, "lookups">> {
  const t = ident(r.rawTable);
  const k = keyOf(ident(findColumn(key, r.columns)!));
  await store.run(
    sql`INSERT INTO related_unmatched
      SELECT ${val(name)}, _row, _file, ${k}, to_json(r) FROM ${t} r
      WHERE ${k} IS NULL OR ${k} NOT IN (SELECT "key" FROM _related_keys WHERE related = ${val(name)})
      ORDER BY _file, _row`
  );
  const counts = await store.one<{rows: number; unmatched: number; keys: number; rows_dup: number}>(
    sql`SELECT (SELECT count(*) FROM ${t})::INTEGER AS rows,
      (SELECT count(*) FROM related_unmatched WHERE related = ${val(name)})::INTEGER AS unmatched,
      count(*)::INTEGER AS keys, coalesce(sum(n), 0)::INTEGER AS rows_dup
      FROM (SELECT ${k} AS k, count(*) AS n FROM ${t} GROUP BY k HAVING k IS NOT NULL AND n > 1)`
  );
  const rows = counts?.rows ?? 0;
  const unmatched = counts?.unmatched ?? 0;
  return {
    name,
    location: r.locations.join(", "),
    key,
    read: r.rows,
    matched: rows - unmatched,
    unmatched,
    malformed: r.malformed,
    duplicateKeys: counts?.keys ?? 0,
    duplicateRows: counts?.rows_dup ?? 0
  };
}

/** related_files, for the data-quality report. */
async function storeSummaries(store: Store, summaries: RelatedSummary[]): Promise<void> {
  await store.run(sql`CREATE OR REPLACE TABLE related_files (position INTEGER, summary JSON)`);
  for (const [i, s] of summaries.entries())
    await store.run(sql`INSERT INTO related_files VALUES (${i}, ${val(JSON.stringify(s))})`);
}
