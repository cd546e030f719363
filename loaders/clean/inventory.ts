/**
 * The data overview: per canonical table, how many rows and customers, the span of time it
 * covers, how many rows validation quarantined, and monthly activity.
 */
import {CANONICAL_TABLES, ORDER_LINES, ORDERS, type CanonicalTable} from "../config/canonical.ts";
import {type Store} from "../core/store.ts";
import {ident, sql, val, type SQL} from "../core/sql.ts";
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
    SELECT ${val(table.name)}, date_trunc('month', ${time})::DATE AS month, count(*)
    FROM ${ident(table.name)} WHERE ${time} IS NOT NULL GROUP BY month`;
}

/** Writes overview_as_of, overview_tables and overview_monthly for the tables in the store. */
export async function buildOverview(store: Store, asOf: string | null): Promise<void> {
  await store.run(
    sql`CREATE OR REPLACE TABLE overview_as_of AS SELECT ${val(asOf)}::DATE AS as_of`
  );
  await store.run(sql`CREATE OR REPLACE TABLE overview_tables (
    position INTEGER, "table" VARCHAR, label VARCHAR, rows INTEGER, customers INTEGER,
    first VARCHAR, last VARCHAR, quarantined INTEGER)`);
  await store.run(
    sql`CREATE OR REPLACE TABLE overview_monthly ("table" VARCHAR, month DATE, rows INTEGER)`
  );
  for (const [position, table] of CANONICAL_TABLES.entries()) {
    if (!(await store.has(table.name))) continue;
    await store.run(tableOverviewSql(table, position));
    await store.run(monthlySql(table));
  }
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
    sql`SELECT m."table", t.label, strftime(m.month, '%Y-%m') AS month, m.rows
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
      rows: Number(r.rows)
    }))
  };
}
