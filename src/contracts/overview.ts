/**
 * The data overview: per canonical table, how many rows and customers, the span of time it
 * covers and how many rows validation quarantined (data/overview.json, the Sources page, and
 * data/tables.csv), and monthly activity per table (also data/activity.arrow's rows, the
 * Activity explorer).
 */

/** One canonical table's summary: a row of data/tables.csv. */
export interface TableOverview {
  table: string;
  label: string;
  rows: number;
  customers: number;
  /** First and last date (YYYY-MM-DD). */
  first: string | null;
  last: string | null;
  /** Rows the sources sent for this table that validation quarantined. */
  quarantined: number;
}

/** Rows per table and month: a row of data/activity.arrow. */
export interface MonthlyActivity {
  table: string;
  label: string;
  month: string;
  /** Null when suppressed: a month of fewer than min_group_size customers, or next to one. */
  rows: number | null;
}

/** data/overview.json. */
export interface Overview {
  /** The date the data describes (YYYY-MM-DD): the config's, or derived by validation. */
  asOf: string | null;
  tables: TableOverview[];
  monthly: MonthlyActivity[];
}

/** data/activity.json: the Activity explorer's first view, computed when the site is built. */
export interface ActivitySummary {
  /** The query the page's SQL editor starts with, over the `activity` table. */
  query: string;
  /** Its result, as the build's DuckDB gave it. */
  busiest: {Table: string; Month: string; Rows: number}[];
  /** Rows per table and calendar year, for the bars. */
  yearly: {label: string; year: number; rows: number | null}[];
  /** The tables' labels, in the Sources page's order. */
  labels: string[];
}
