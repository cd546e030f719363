/**
 * The data overview: per canonical table, how many rows and customers, the span of time it
 * covers, how many rows validation quarantined, and monthly activity. The customers table's
 * months count customers (sign-ups): a month or a year of fewer than privacy.minGroupSize, and
 * the months and years next to it that would give it away by subtraction from the year's or
 * all customers' count, are suppressed (core/margins.ts).
 */
import {CANONICAL_TABLES, ORDER_LINES, ORDERS, type CanonicalTable} from "../config/canonical.ts";
import {type Store} from "../core/store.ts";
import {ident, join, sql, val, type SQL} from "../core/sql.ts";
import {complement, type Sum} from "../core/margins.ts";
import type {MonthlyActivity, Overview, TableOverview} from "../../src/contracts/overview.ts";

export type {MonthlyActivity, Overview, TableOverview};

/**
 * SQL summarising one canonical table, listed at `position` among them: accepted rows, their
 * span, and what was quarantined.
 */
export function tableOverviewSql(table: CanonicalTable, position: number): SQL {
  const t = ident(table.name);
  const time = ident(table.time);
  return sql`INSERT INTO overview_tables SELECT
    ${position}, ${val(table.name)}, ${val(table.label)},
    (SELECT count(*) FROM ${t}),
    (SELECT count(DISTINCT customer_id) FROM ${t}),
    (SELECT strftime(min(${time}), '%Y-%m-%d') FROM ${t}),
    (SELECT strftime(max(${time}), '%Y-%m-%d') FROM ${t}),
    (SELECT count(*) FROM quarantine WHERE "table" = ${val(table.name)}${table.name === ORDERS.name ? sql` OR "table" = ${val(ORDER_LINES.name)}` : sql``})`;
}

/** SQL counting one table's rows per calendar month. */
export function monthlySql(table: CanonicalTable): SQL {
  const time = ident(table.time);
  return sql`INSERT INTO overview_monthly
    SELECT ${val(table.name)}, date_trunc('month', ${time})::DATE AS month, count(*), false
    FROM ${ident(table.name)} WHERE ${time} IS NOT NULL GROUP BY month`;
}

/** The tables whose rows are customers: their monthly counts are counts of customers. */
const CUSTOMER_ROWS = new Set(["customers"]);

/**
 * Which months and years of counts of customers to publish as suppressed: the small ones and
 * their complements, with each year the sum of its months and all customers the sum of the
 * years (published).
 */
export function calendarSuppression(
  months: readonly {month: string; rows: number}[],
  min: number
): {months: boolean[]; years: Map<number, boolean>} {
  const years = [...new Set(months.map((m) => Number(m.month.slice(0, 4))))].sort((a, b) => a - b);
  const yearCell = (y: number) => months.length + years.indexOf(y);
  const grand = months.length + years.length;
  const counts = new Array<number>(grand + 1).fill(0);
  months.forEach((m, i) => {
    counts[i] = m.rows;
    counts[yearCell(Number(m.month.slice(0, 4)))] += m.rows;
    counts[grand] += m.rows;
  });
  const sums: Sum[] = [
    ...years.map((y) => ({
      parts: months.flatMap((m, i) => (Number(m.month.slice(0, 4)) === y ? [i] : [])),
      total: yearCell(y)
    })),
    {parts: years.map(yearCell), total: grand}
  ];
  const small = counts.map((n, i) => i < grand && n > 0 && n < min);
  const out = complement(counts, small, sums, {fixed: new Set([grand])});
  return {
    months: out.slice(0, months.length),
    years: new Map(years.map((y) => [y, out[yearCell(y)]]))
  };
}

/** Marks the suppressed months of customer counts, and writes overview_suppressed_years. */
async function suppressCalendars(store: Store, min: number): Promise<void> {
  await store.run(
    sql`CREATE OR REPLACE TABLE overview_suppressed_years ("table" VARCHAR, year INTEGER)`
  );
  for (const table of CUSTOMER_ROWS) {
    const months = await store.all<{month: string; rows: number}>(
      sql`SELECT strftime(month, '%Y-%m') AS month, rows FROM overview_monthly
       WHERE "table" = ${val(table)} ORDER BY month`
    );
    const hidden = calendarSuppression(months, min);
    const shut = months.filter((_, i) => hidden.months[i]).map((m) => val(`${m.month}-01`));
    if (shut.length > 0)
      await store.run(
        sql`UPDATE overview_monthly SET suppressed = true
         WHERE "table" = ${val(table)} AND month IN (${join(shut.map((m) => sql`${m}::DATE`))})`
      );
    const years = [...hidden.years].filter(([, x]) => x).map(([y]) => y);
    if (years.length > 0)
      await store.run(
        sql`INSERT INTO overview_suppressed_years VALUES ${join(years.map((y) => sql`(${val(table)}, ${y})`))}`
      );
  }
}

/** Writes overview_as_of, overview_tables and overview_monthly for the tables in the store. */
export async function buildOverview(
  store: Store,
  asOf: string | null,
  {minGroupSize}: {minGroupSize: number} = {minGroupSize: 10}
): Promise<void> {
  await store.run(
    sql`CREATE OR REPLACE TABLE overview_as_of AS SELECT ${val(asOf)}::DATE AS as_of`
  );
  await store.run(sql`CREATE OR REPLACE TABLE overview_tables (
    position INTEGER, "table" VARCHAR, label VARCHAR, rows INTEGER, customers INTEGER,
    first VARCHAR, last VARCHAR, quarantined INTEGER)`);
  await store.run(
    sql`CREATE OR REPLACE TABLE overview_monthly ("table" VARCHAR, month DATE, rows INTEGER,
      suppressed BOOLEAN DEFAULT false)`
  );
  for (const [position, table] of CANONICAL_TABLES.entries()) {
    if (!(await store.has(table.name))) continue;
    await store.run(tableOverviewSql(table, position));
    await store.run(monthlySql(table));
  }
  await suppressCalendars(store, minGroupSize);
}

/** Reads the overview back, in a stable order, for the pages. */
export async function readOverview(store: Store): Promise<Overview> {
  const asOf = await store.one<{as_of: string | null}>(
    sql`SELECT strftime(as_of, '%Y-%m-%d') AS as_of FROM overview_as_of`
  );
  const tables = await store.all(
    sql`SELECT "table", label, rows, customers, first, last, quarantined
     FROM overview_tables ORDER BY position`
  );
  const monthly = await store.all(
    sql`SELECT m."table", t.label, strftime(m.month, '%Y-%m') AS month,
       CASE WHEN NOT m.suppressed THEN m.rows END AS rows
     FROM overview_monthly m JOIN overview_tables t USING ("table")
     ORDER BY t.position, m.month`
  );
  return {
    asOf: asOf?.as_of ?? null,
    tables: tables.map((r) => ({
      table: String(r.table),
      label: String(r.label),
      rows: Number(r.rows),
      customers: Number(r.customers),
      first: (r.first as string | null) ?? null,
      last: (r.last as string | null) ?? null,
      quarantined: Number(r.quarantined)
    })),
    monthly: monthly.map((r) => ({
      table: String(r.table),
      label: String(r.label),
      month: String(r.month),
      rows: r.rows === null ? null : Number(r.rows)
    }))
  };
}
