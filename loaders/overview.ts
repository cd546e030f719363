/**
 * The data overview: per canonical table, how many rows and customers, the span of time it
 * covers, rows whose time could not be read or lies after the data's as-of date, and monthly
 * activity.
 */
import {CANONICAL_TABLES, type CanonicalTable} from "./canonical.ts";
import {ident, type Store} from "./store.ts";

export interface TableOverview {
  table: string;
  label: string;
  rows: number;
  customers: number;
  /** First and last date up to the as-of date (YYYY-MM-DD). */
  first: string | null;
  last: string | null;
  /** Rows whose time field holds text that is not a date. */
  unreadableTime: number;
  /** Rows with no time at all. */
  missingTime: number;
  /** Rows dated after the as-of date: typos or clock errors, left out of the activity. */
  futureTime: number;
}

export interface MonthlyActivity {
  table: string;
  label: string;
  month: string;
  rows: number;
}

export interface Overview {
  /** The date the data describes (YYYY-MM-DD); null when no table has dates. */
  asOf: string | null;
  tables: TableOverview[];
  monthly: MonthlyActivity[];
}

/** Share of a table's dated rows that must fall on or before the as-of month's end. */
export const AS_OF_QUANTILE = 0.999;

/**
 * SQL for the data's as-of date: the end of the month by which 99.9 % of every table's dated
 * rows have happened. A stray typo dated decades ahead cannot move it; a real export's last
 * month does.
 */
export function asOfSql(tables: readonly CanonicalTable[]): string {
  const quantiles = tables.map(
    (t) => `SELECT quantile_disc(${ident(t.time)}, ${AS_OF_QUANTILE}) AS q FROM ${ident(t.name)}`
  );
  return `CREATE OR REPLACE TABLE overview_as_of AS
    SELECT last_day(max(q))::DATE AS as_of FROM (${quantiles.join(" UNION ALL ")})`;
}

/** SQL summarising one canonical table (in the store as <table> and raw_<table>). */
export function tableOverviewSql(table: CanonicalTable): string {
  const t = ident(table.name);
  const raw = ident(`raw_${table.name}`);
  const time = ident(table.time);
  const inRange = `${time} < (SELECT as_of FROM overview_as_of) + INTERVAL 1 DAY`;
  return `INSERT INTO overview_tables SELECT
    $position, $table, $label,
    (SELECT count(*) FROM ${t}),
    (SELECT count(DISTINCT customer_id) FROM ${t}),
    (SELECT strftime(min(${time}), '%Y-%m-%d') FROM ${t} WHERE ${inRange}),
    (SELECT strftime(max(${time}), '%Y-%m-%d') FROM ${t} WHERE ${inRange}),
    (SELECT count(*) FROM ${raw} WHERE NULLIF(trim(${time}), '') IS NOT NULL
        AND TRY_CAST(trim(${time}) AS TIMESTAMP) IS NULL),
    (SELECT count(*) FROM ${raw} WHERE NULLIF(trim(${time}), '') IS NULL),
    (SELECT count(*) FROM ${t} WHERE NOT (${inRange}))`;
}

/** SQL counting one table's rows per calendar month, up to the as-of date. */
export function monthlySql(table: CanonicalTable): string {
  const time = ident(table.time);
  return `INSERT INTO overview_monthly
    SELECT $table, date_trunc('month', ${time})::DATE AS month, count(*)
    FROM ${ident(table.name)}
    WHERE ${time} < (SELECT as_of FROM overview_as_of) + INTERVAL 1 DAY
    GROUP BY month`;
}

/** Writes overview_as_of, overview_tables and overview_monthly for the tables in the store. */
export async function buildOverview(store: Store): Promise<void> {
  const present: [number, CanonicalTable][] = [];
  for (const [position, table] of CANONICAL_TABLES.entries()) {
    if (await store.has(table.name)) present.push([position, table]);
  }
  await store.run(asOfSql(present.map(([, table]) => table)));
  await store.run(`CREATE OR REPLACE TABLE overview_tables (
    position INTEGER, "table" VARCHAR, label VARCHAR, rows INTEGER, customers INTEGER,
    first VARCHAR, last VARCHAR, unreadable_time INTEGER, missing_time INTEGER,
    future_time INTEGER)`);
  await store.run(
    `CREATE OR REPLACE TABLE overview_monthly ("table" VARCHAR, month DATE, rows INTEGER)`
  );
  for (const [position, table] of present) {
    await store.run(tableOverviewSql(table), {position, table: table.name, label: table.label});
    await store.run(monthlySql(table), {table: table.name});
  }
}

/** Reads the overview back, in a stable order, for the pages. */
export async function readOverview(store: Store): Promise<Overview> {
  const asOf = await store.one<{as_of: string | null}>(
    "SELECT strftime(as_of, '%Y-%m-%d') AS as_of FROM overview_as_of"
  );
  const tables = await store.all(
    `SELECT "table", label, rows, customers, first, last, unreadable_time, missing_time, future_time
     FROM overview_tables ORDER BY position`
  );
  const monthly = await store.all(
    `SELECT m."table", t.label, strftime(m.month, '%Y-%m') AS month, m.rows
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
      unreadableTime: Number(r.unreadable_time),
      missingTime: Number(r.missing_time),
      futureTime: Number(r.future_time)
    })),
    monthly: monthly.map((r) => ({
      table: String(r.table),
      label: String(r.label),
      month: String(r.month),
      rows: Number(r.rows)
    }))
  };
}
