/**
 * Column mapping: which source column or SQL expression feeds each canonical field. Mistakes
 * are config errors that name the key, list the source's real columns and the closest match.
 */
import {ORDER_LINES, type CanonicalTable} from "../config/canonical.ts";
import {closest, findColumn, suggest} from "../core/closest.ts";
import {ConfigError, type SourceConfig} from "../config/project.ts";
import {type Store} from "../core/store.ts";
import {ident, raw, sql, val, type SQL} from "../core/sql.ts";
import {isLookup, lookupColumn} from "./related.ts";

export interface FieldMapping {
  field: string;
  /** A source column taken as is, or a SQL expression over the source's columns. */
  kind: "column" | "sql";
  /** The SQL that produces the value. */
  sql: SQL;
  /** How the user wrote it, for messages. */
  label: string;
  /** An expression whose value is already a date or timestamp (no date format applies to it). */
  temporal?: boolean;
  /** An expression that reads `_row`: rows it tells apart are not duplicates of one another. */
  usesRow?: boolean;
  /** Whether the value was looked up in a related file (its column is named after the lookup). */
  lookup?: boolean;
  /** For a flag: the values (case-folded) that read as yes and as no. */
  flag?: FlagWords;
  /** The config key it comes from, for messages; default `sources.<name>.columns.<field>`. */
  key?: string;
}

export interface FlagWords {
  yes: readonly string[];
  no: readonly string[];
}

/** How flags are written when the config does not say: compared trimmed and in lower case. */
export const FLAG_WORDS: FlagWords = {
  yes: ["1", "1.0", "true", "t", "yes", "y"],
  no: ["0", "0.0", "false", "f", "no", "n"]
};

/** DuckDB types whose values are dates already. */
const TEMPORAL = /^(DATE|TIMESTAMP.*)$/;

/** A string that names a column rather than computing something: no operators or calls. */
const NAME = /^[\p{L}\p{N}_ .#$@]+$/u;

/** Resolves a source's mapping against its columns; throws ConfigError naming the key. */
export function resolveColumns(
  configPath: string,
  sourceName: string,
  source: SourceConfig,
  table: CanonicalTable,
  columns: readonly string[]
): FieldMapping[] {
  const key = `sources.${sourceName}.columns`;
  const fields = Object.keys(table.fields);
  const mappings = new Map<string, FieldMapping>();
  for (const [field, spec] of Object.entries(source.columns ?? {})) {
    if (!fields.includes(field)) {
      // price and product belong to order lines: the likely slip is a missing `lines: true`.
      const ofLines = table.name === "orders" && field in ORDER_LINES.fields;
      throw new ConfigError(
        configPath,
        `${key}.${field}`,
        ofLines
          ? `orders has no field ${field}: ${field} is a field of order lines. If each row of this source is one line of an order, set sources.${sourceName}.lines: true (README, Line items)`
          : `${table.name} has no field ${field}${suggest(field, fields)} Its fields: ${fields.join(", ")}`
      );
    }
    if (isLookup(spec)) {
      // resolveRelated added the lookup's column to the source's text.
      const column = lookupColumn(spec);
      mappings.set(field, {field, kind: "column", sql: ident(column), label: column, lookup: true});
      continue;
    }
    if (typeof spec === "object" && "sql" in spec) {
      mappings.set(field, {field, kind: "sql", sql: userSql(spec.sql), label: spec.sql});
      continue;
    }
    const name = typeof spec === "string" ? spec : spec.column;
    const column = findColumn(name, columns);
    if (column !== undefined) {
      mappings.set(field, {field, kind: "column", sql: ident(column), label: column});
    } else if (typeof spec === "object" || NAME.test(name)) {
      throw new ConfigError(
        configPath,
        `${key}.${field}`,
        `no column ${JSON.stringify(name)} in this source${suggest(name, columns)} Its columns: ${columns.join(", ")}`
      );
    } else {
      mappings.set(field, {field, kind: "sql", sql: userSql(name), label: name});
    }
  }
  if (source.autoColumns ?? true) {
    for (const field of fields) {
      if (mappings.has(field)) continue;
      const column = findColumn(field, columns);
      if (column !== undefined)
        mappings.set(field, {field, kind: "column", sql: ident(column), label: column});
    }
  }
  const missing = table.required.filter((f) => !mappings.has(f));
  if (missing.length > 0) {
    throw new ConfigError(
      configPath,
      key,
      `the ${table.name} table needs ${missing.join(", ")}, and this source has no column of ${missing.length > 1 ? "those names" : "that name"}: map ${missing.length > 1 ? "them" : "it"}, e.g. ${missing[0]}: "${closest(missing[0], columns) ?? "SourceColumn"}". Its columns: ${columns.join(", ")}`
    );
  }
  return fields.filter((f) => mappings.has(f)).map((f) => mappings.get(f)!);
}

/**
 * The person keys (identity rules' fields that are source columns) a customers source has, as
 * id mappings: a source without the column has no such key, which another source may give.
 */
export function resolveKeys(fields: readonly string[], columns: readonly string[]): FieldMapping[] {
  return fields.flatMap((field): FieldMapping[] => {
    const column = findColumn(field, columns);
    return column === undefined ? [] : [{field, kind: "column", sql: ident(column), label: column}];
  });
}

/**
 * A customers source's attributes and outcomes as mappings: each from the column it names
 * (default its own name, found as canonical fields are) or its SQL.
 */
export function resolveAttributes(
  configPath: string,
  sourceName: string,
  source: SourceConfig,
  columns: readonly string[]
): FieldMapping[] {
  const declared = [
    ...Object.entries(source.attributes ?? {}).map(([f, s]) => ["attributes", f, s] as const),
    ...Object.entries(source.outcomes ?? {}).map(([f, s]) => ["outcomes", f, s] as const)
  ];
  return declared.map(([kind, field, spec]) => {
    const key = `sources.${sourceName}.${kind}.${field}`;
    const flag =
      spec.type === "flag"
        ? {
            yes: (spec.yes ?? FLAG_WORDS.yes).map(foldWord),
            no: (spec.no ?? FLAG_WORDS.no).map(foldWord)
          }
        : undefined;
    if (spec.sql !== undefined)
      return {field, kind: "sql", sql: userSql(spec.sql), label: spec.sql, flag, key};
    const name = spec.column ?? field;
    const column = findColumn(name, columns);
    if (column === undefined) {
      throw new ConfigError(
        configPath,
        spec.column === undefined ? key : `${key}.column`,
        `no column ${JSON.stringify(name)} in this source${suggest(name, columns)}${spec.column === undefined ? ` Name it with column: "...".` : ""} Its columns: ${columns.join(", ")}`
      );
    }
    return {field, kind: "column", sql: ident(column), label: column, flag, key};
  });
}

/** A flag word as values are compared with it: trimmed, lower case. */
function foldWord(word: string): string {
  return word.trim().toLowerCase();
}

/**
 * The source columns a source's mappings read, in the source's order: a column mapping's column,
 * and every column an expression names (DuckDB's own parser says which, not a pattern).
 */
export async function usedColumns(
  store: Store,
  columns: readonly string[],
  mappings: readonly FieldMapping[]
): Promise<string[]> {
  const used = new Set<string>();
  for (const m of mappings) {
    if (m.kind === "column") used.add(m.label.toLowerCase());
    else for (const name of await columnRefs(store, m.label)) used.add(name.toLowerCase());
  }
  return columns.filter((c) => used.has(c.toLowerCase()));
}

/** The column names a config's expression refers to (the last part of each reference). */
async function columnRefs(store: Store, expression: string): Promise<string[]> {
  const row = await store.one<{tree: string}>(
    sql`SELECT json_serialize_sql(${val(`SELECT ${expression}`)}::VARCHAR) AS tree`
  );
  const names: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === "object") {
      const n = node as {class?: string; column_names?: string[]};
      if (n.class === "COLUMN_REF" && n.column_names) names.push(n.column_names.at(-1)!);
      Object.values(node).forEach(walk);
    }
  };
  walk(JSON.parse(row?.tree ?? "{}"));
  return names;
}

/**
 * Checks that each SQL expression binds against the source (unknown columns get a hint), and
 * returns the mappings with the expressions whose value is a date or timestamp marked temporal.
 */
export async function checkExpressions(
  store: Store,
  configPath: string,
  sourceName: string,
  rawTable: string,
  columns: readonly string[],
  mappings: readonly FieldMapping[]
): Promise<FieldMapping[]> {
  const checked: FieldMapping[] = [];
  for (const mapping of mappings) {
    if (mapping.kind !== "sql") {
      checked.push(mapping);
      continue;
    }
    try {
      const [described] = await store.all<{column_type: string}>(
        sql`DESCRIBE SELECT ${mapping.sql} AS v FROM ${ident(rawTable)} LIMIT 0`
      );
      checked.push({
        ...mapping,
        temporal: TEMPORAL.test(described?.column_type ?? ""),
        usesRow: !(await binds(
          store,
          mapping.sql,
          sql`(SELECT * EXCLUDE (_row) FROM ${ident(rawTable)})`
        ))
      });
    } catch (error) {
      const message = (error as Error).message;
      const unknown = /Referenced column "?([^"\n]+?)"? not found/.exec(message);
      const problem = unknown
        ? `${JSON.stringify(mapping.label)}: no column ${unknown[1]} in this source${suggest(unknown[1], columns)} Its columns: ${columns.join(", ")}`
        : `${JSON.stringify(mapping.label)} is not a valid expression: ${message.split("\n")[0]}`;
      throw new ConfigError(
        configPath,
        mapping.key ?? `sources.${sourceName}.columns.${mapping.field}`,
        problem
      );
    }
  }
  return checked;
}

/** Whether an expression binds against a relation (no query runs: LIMIT 0). */
async function binds(store: Store, expression: SQL, relation: SQL): Promise<boolean> {
  try {
    await store.run(sql`SELECT ${expression} FROM ${relation} LIMIT 0`);
    return true;
  } catch {
    return false;
  }
}

/**
 * An expression the user wrote in the config as SQL over the source's columns: taken as SQL on
 * purpose (it is the config's code, not data), in parentheses so it composes as one value.
 * checkExpressions binds it against the source before anything reads it.
 */
function userSql(expression: string): SQL {
  return sql`(${raw(expression)})`;
}
