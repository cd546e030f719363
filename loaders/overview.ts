/**
 * The data overview: per canonical table, how many rows and customers, the span of time it
 * covers, rows whose time could not be read, and monthly activity.
 */
import {CANONICAL_TABLES, type CanonicalTable} from "./canonical.ts";
import {ident, type Store} from "./store.ts";

export interface TableOverview {
  table: string;
  label: string;
  rows: number;
  customers: number;
  first: string | null;
  last: string | null;
  /** Rows whose time field holds text that is not a date. */
  unreadableTime: number;
  /** Rows with no time at all. */
  missingTime: number;
}

export interface MonthlyActivity {
  table: string;
  label: string;
  month: string;
  rows: number;
}

export interface Overview {
  tables: TableOverview[];
  monthly: MonthlyActivity[];
}

/** SQL summarising one canonical table (in the store as <table> and raw_<table>). */
export function tableOverviewSql(table: CanonicalTable): string {
  const t = ident(table.name);
  const raw = ident(`raw_${table.name}`);
  const time = ident(table.time);
  return `INSERT INTO overview_tables SELECT
    $position, $table, $label,
    (SELECT count(*) FROM ${t}),
    (SELECT count(DISTINCT customer_id) FROM ${t}),
    (SELECT strftime(min(${time}), '%Y-%m-%d') FROM ${t}),
    (SELECT strftime(max(${time}), '%Y-%m-%d') FROM ${t}),
    (SELECT count(*) FROM ${raw} WHERE NULLIF(trim(${time}), '') IS NOT NULL
        AND TRY_CAST(trim(${time}) AS TIMESTAMP) IS NULL),
    (SELECT count(*) FROM ${raw} WHERE NULLIF(trim(${time}), '') IS NULL)`;
}

/** SQL counting one table's rows per calendar month. */
export function monthlySql(table: CanonicalTable): string {
  const time = ident(table.time);
  return `INSERT INTO overview_monthly
    SELECT $table, date_trunc('month', ${time})::DATE AS month, count(*)
    FROM ${ident(table.name)} WHERE ${time} IS NOT NULL GROUP BY month`;
}

/** Writes overview_tables and overview_monthly for the canonical tables present in the store. */
export async function buildOverview(store: Store): Promise<void> {
  await store.run(`CREATE OR REPLACE TABLE overview_tables (
    position INTEGER, "table" VARCHAR, label VARCHAR, rows INTEGER, customers INTEGER,
    first VARCHAR, last VARCHAR, unreadable_time INTEGER, missing_time INTEGER)`);
  await store.run(
    `CREATE OR REPLACE TABLE overview_monthly ("table" VARCHAR, month DATE, rows INTEGER)`
  );
  for (const [position, table] of CANONICAL_TABLES.entries()) {
    if (!(await store.has(table.name))) continue;
    await store.run(tableOverviewSql(table), {position, table: table.name, label: table.label});
    await store.run(monthlySql(table), {table: table.name});
  }
}

/** Reads the overview back, in a stable order, for the pages. */
export async function readOverview(store: Store): Promise<Overview> {
  const tables = await store.all(
    `SELECT "table", label, rows, customers, first, last, unreadable_time, missing_time
     FROM overview_tables ORDER BY position`
  );
  const monthly = await store.all(
    `SELECT m."table", t.label, strftime(m.month, '%Y-%m') AS month, m.rows
     FROM overview_monthly m JOIN overview_tables t USING ("table")
     ORDER BY t.position, m.month`
  );
  return {
    tables: tables.map((r) => ({
      table: String(r.table),
      label: String(r.label),
      rows: Number(r.rows),
      customers: Number(r.customers),
      first: (r.first as string | null) ?? null,
      last: (r.last as string | null) ?? null,
      unreadableTime: Number(r.unreadable_time),
      missingTime: Number(r.missing_time)
    })),
    monthly: monthly.map((r) => ({
      table: String(r.table),
      label: String(r.label),
      month: String(r.month),
      rows: Number(r.rows)
    }))
  };
}
