/**
 * CSV files are opened in spreadsheets, and a spreadsheet runs a cell that begins with `=`, `+`,
 * `-` or `@` as a formula (`=HYPERLINK(…)` sends what it names to another site; a tab or a
 * carriage return first can hide such a start). Every CSV the build writes neutralises those
 * cells as OWASP recommends: a single quote before the text, which a spreadsheet reads as "this
 * is text" and does not show. The rule is decided per column type: text columns are neutralised;
 * numbers, booleans and dates are written as they are, since their values are the database's own
 * rendering of a number or a date (so -0.5 stays a negative number a spreadsheet can add up).
 * JSON exports are exact: no reader of JSON runs formulas.
 */
import {ident, join, sql, val, valueList, type SQL} from "../core/sql.ts";
import type {Store} from "../core/store.ts";

/** The first characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection). */
export const FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"] as const;

/** What a text cell is prefixed with when it begins like a formula. */
export const TEXT_MARK = "'";

/** Whether a text cell would be read as a formula. */
export function formulaLike(text: string): boolean {
  return (FORMULA_STARTS as readonly string[]).includes(text.charAt(0));
}

/** A text cell a spreadsheet reads as text: the single quote before one that starts a formula. */
export function neutralise(text: string): string {
  return formulaLike(text) ? `${TEXT_MARK}${text}` : text;
}

/** A row's values for CSV: text neutralised, numbers, booleans, dates and nulls as they are. */
export function neutraliseRow<T extends object>(row: T): T {
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [
      key,
      typeof value === "string" ? neutralise(value) : value
    ])
  ) as T;
}

/**
 * Column types DuckDB writes as a number, a boolean or a date and time: kept as they are. Every
 * other column (text, enums, lists, intervals…) is written as its text, neutralised.
 */
const KEPT =
  /^(BOOLEAN|U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|DECIMAL\(\d+,\d+\)|DATE|TIME|TIMESTAMP( WITH TIME ZONE)?|TIMESTAMP_(S|MS|NS))$/;

/** The SQL expression of a column as text, neutralised: the same rule as `neutralise`. */
function neutralisedColumn(name: string, type: string): SQL {
  const column = ident(name);
  const text = type === "VARCHAR" ? column : sql`CAST(${column} AS VARCHAR)`;
  return sql`CASE WHEN left(${text}, 1) IN (${valueList(FORMULA_STARTS)}) THEN ${val(TEXT_MARK)} || ${text} ELSE ${text} END AS ${column}`;
}

/**
 * The query's rows with every text column neutralised, in the query's column order and row order
 * (the outer SELECT keeps the inner ORDER BY's order, as preserve_insertion_order does for COPY).
 */
export async function neutralisedQuery(store: Store, query: SQL): Promise<SQL> {
  const columns = await store.all<{column_name: string; column_type: string}>(
    sql`DESCRIBE (${query})`
  );
  const select = columns.map(({column_name, column_type}) =>
    KEPT.test(column_type) ? ident(column_name) : neutralisedColumn(column_name, column_type)
  );
  return sql`SELECT ${join(select)} FROM (${query})`;
}
