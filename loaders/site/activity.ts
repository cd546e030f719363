/**
 * The Activity explorer's first view, computed when the site is built: the answer to the page's
 * starting query and every table's rows per year. The page draws them at once and loads
 * DuckDB-Wasm only when a reader runs a query of their own.
 */
import type {ActivitySummary} from "../../src/contracts/overview.ts";
import {raw, sql} from "../core/sql.ts";
import type {Store} from "../core/store.ts";

/** The starting query: the busiest month of each table (its text is the page's, too). */
export const BUSIEST_QUERY = `SELECT label AS "Table", month AS "Month", rows AS "Rows"
FROM activity
QUALIFY row_number() OVER (PARTITION BY label ORDER BY rows DESC, month) = 1
ORDER BY rows DESC, label`;

/**
 * The `activity` table the page queries (data/activity.arrow), as a query over the store; with
 * `hidden`, suppressed months are null, as they are published.
 */
const activity = (
  hidden: boolean
) => sql`SELECT m."table", t.label, strftime(m.month, '%Y-%m') AS month,
    ${hidden ? sql`CASE WHEN NOT m.suppressed THEN m.rows END` : sql`m.rows`} AS rows, t.position
  FROM overview_monthly m JOIN overview_tables t USING ("table")`;

/** The suppressed years of customer counts (clean/inventory.ts), none in an older store. */
async function suppressedYears(store: Store): Promise<Set<string>> {
  if (!(await store.has("overview_suppressed_years"))) return new Set();
  const rows = await store.all<{table: string; year: number}>(
    sql`SELECT "table", year FROM overview_suppressed_years ORDER BY ALL`
  );
  return new Set(rows.map((r) => `${r.table} ${r.year}`));
}

/** The busiest month of each table (by the page's own query) and each table's rows per year. */
export async function activitySummary(store: Store): Promise<ActivitySummary> {
  const busiest = await store.all<ActivitySummary["busiest"][number]>(
    sql`WITH activity AS (${activity(true)}) ${raw(BUSIEST_QUERY)}`
  );
  // a year's true sum, published unless it is suppressed itself
  const yearly = await store.all<ActivitySummary["yearly"][number] & {table: string}>(
    sql`WITH activity AS (${activity(false)})
     SELECT "table", label, CAST(substr(month, 1, 4) AS INTEGER) AS year, sum(rows)::INTEGER AS rows
     FROM activity GROUP BY "table", label, position, year ORDER BY position, year`
  );
  const hidden = await suppressedYears(store);
  const labels = await store.all<{label: string}>(
    sql`SELECT label FROM overview_tables ORDER BY position`
  );
  return {
    query: BUSIEST_QUERY,
    busiest: busiest.map((r) => ({Table: r.Table, Month: r.Month, Rows: Number(r.Rows)})),
    yearly: yearly.map((r) => ({
      label: r.label,
      year: Number(r.year),
      rows: hidden.has(`${r.table} ${r.year}`) ? null : Number(r.rows)
    })),
    labels: labels.map((r) => r.label)
  };
}
