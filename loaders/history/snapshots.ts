/**
 * Snapshots: the customer base as it stood at the end of each past period (month or quarter,
 * counted back from the as-of date), computed by the same code as the current build and with
 * only the data known by then. At each snapshot the features are rebuilt as of that date
 * (buildFeatures), every customer who had joined is placed in the clustering space by the
 * current build's recipe and assigned to the nearest current profile (assignNearest), and value
 * and risk are refitted as of that date (buildCustomerValue). The profiles stay the current
 * build's: what moves is the customers, which is what the History page shows.
 *
 * Tables written (dates as DATE):
 * - `snapshots(snapshot, current, customers)`, oldest first; the current build is the last;
 * - `snapshot_skips(snapshot, reason)`: past snapshots left out and why (snapshot NULL when
 *   the build has none at all: no dated activity, or `history.periods` 0);
 * - `snapshot_customers(snapshot, customer_id, profile_id, at_risk, p_alive,
 *   expected_value_12m, spend_12m, engagement_change)`: at_risk NULL where risk was not
 *   assessed (the current build's backtest decides, and every snapshot applies its decision);
 * - `snapshot_positions(snapshot, profile_id, column, mean)`: members' mean position per
 *   clustering column, for the centroid shift;
 * - `snapshot_bins(snapshot, profile_id, feature, bin, customers)`: members per bin of every
 *   clustered feature (deciles of the current base; levels of a category), for the PSI;
 * - `snapshot_feature_means(snapshot, profile_id, feature, customers, mean)`: every measured
 *   number's mean over the profile's members, for "what changed" on the reports;
 * - `profile_flows(from_snapshot, to_snapshot, source, target, customers)`: customers moving
 *   between consecutive snapshots (source 'joined' for customers who had not joined yet);
 * - `profile_feature_psi` and `profile_drift`: drift per profile and consecutive pair;
 * - `at_risk_movers`: customers who moved into the at-risk state or whose trailing spend fell,
 *   between the snapshot `moversLookback` periods back and now, ranked by value at stake.
 */
import {CANONICAL_TABLES} from "../config/canonical.ts";
import {assignNearest} from "../profile/cluster.ts";
import type {PortraitConfig} from "../config/project.ts";
import {
  buildFeatures,
  featureOptions,
  storeActivity,
  type CatalogEntry
} from "../profile/features.ts";
import {matrixSelect, readColumns, type ClusterColumn} from "../profile/matrix.ts";
import {type Store} from "../core/store.ts";
import {byProfileId, ident, join, raw, sql, val, type SQL} from "../core/sql.ts";
import {buildCustomerValue, readDecision} from "../value/customer-value.ts";

/** Fewer customers than this at a snapshot make it too early to say anything: it is skipped. */
export const MIN_SNAPSHOT_CUSTOMERS = 100;
/** Drift is measured only where a profile has at least this many members on both sides. */
export const MIN_DRIFT_CUSTOMERS = 50;
/**
 * Features the PSI leaves out: time as a customer grows by the same days for everyone between
 * two snapshots, so its distribution always "shifts" and says nothing about the profile.
 */
const CLOCK_FEATURES = new Set(["tenure_days"]);
/** Deciles of the current base bin every number for the population stability index. */
const PSI_QUANTILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

export interface SnapshotSummary {
  /** Every snapshot recorded, oldest first, the current build last. */
  dates: string[];
  /** Past dates left out, and why; date null when no past snapshot was built at all. */
  skipped: {date: string | null; reason: string}[];
  /** The pair the at-risk movers compare, and how many moved. */
  movers: {since: string; until: string; customers: number} | null;
  /** Profiles whose drift in the latest pair passes a threshold. */
  alerts: string[];
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month + 1, 0)).getUTCDate();

/**
 * The past snapshot dates, oldest first: one per period back from the as-of date (each a month
 * or three months earlier). An as-of date at the end of its month gives month ends; another
 * day keeps its day of the month (the 31st becomes the month's last day).
 */
export function snapshotDates(
  asOf: string,
  period: "month" | "quarter",
  periods: number
): string[] {
  const [year, month, day] = asOf.split("-").map(Number);
  const monthEnd = day === daysIn(year, month - 1);
  const step = period === "quarter" ? 3 : 1;
  const dates: string[] = [];
  for (let i = periods; i >= 1; i--) {
    const index = year * 12 + (month - 1) - i * step;
    const y = Math.floor(index / 12);
    const m = index - y * 12;
    const d = monthEnd ? daysIn(y, m) : Math.min(day, daysIn(y, m));
    dates.push(`${y}-${String(m + 1).padStart(2, "0")}-${String(d).padStart(2, "0")}`);
  }
  return dates;
}

/** The tables one snapshot is read from: its features, its assignments and its value. */
interface SnapshotTables {
  features: string;
  assignments: string;
  value: string;
}

/** A feature's PSI bin over the matrix: -1 for a missing value, else 0, 1, …. */
export interface Bin {
  feature: string;
  sql: SQL;
}

/** The PSI bin of each clustered feature over the matrix, with the bin edges measured on it. */
async function binExpressions(
  store: Store,
  columns: ClusterColumn[],
  matrix: string
): Promise<Bin[]> {
  const numbers = columns.filter((c) => c.level === null && !CLOCK_FEATURES.has(c.feature));
  const quantiles = raw(`[${PSI_QUANTILES.join(", ")}]`);
  const edges = numbers.length
    ? await store.one<Record<string, number[] | null>>(
        sql`SELECT ${join(numbers.map((c) => sql`quantile_cont(${ident(c.column)}, ${quantiles}) AS ${ident(c.column)}`))}
            FROM ${ident(matrix)}`
      )
    : undefined;
  return binSql(columns, (c) => edges?.[c.column] ?? []);
}

/**
 * The PSI bins of the clustered features (clock features aside): a number by the edges given
 * (the count of edges it exceeds, edges bound as values), a category by its level columns.
 */
export function binSql(
  columns: ClusterColumn[],
  edgesOf: (column: ClusterColumn) => readonly number[]
): Bin[] {
  const bins: Bin[] = [];
  for (const c of columns.filter((c) => c.level === null && !CLOCK_FEATURES.has(c.feature))) {
    const x = ident(c.column);
    const cuts = [...new Set(edgesOf(c))].sort((a, b) => a - b);
    const sum = cuts.length
      ? join(
          cuts.map((e) => sql`(${x} > ${edgeSql(e)})::INTEGER`),
          " + "
        )
      : sql`0`;
    bins.push({feature: c.feature, sql: sql`CASE WHEN ${x} IS NULL THEN -1 ELSE ${sum} END`});
  }
  const categories = [...new Set(columns.filter((c) => c.level !== null).map((c) => c.feature))];
  for (const feature of categories) {
    const levels = columns.filter((c) => c.feature === feature && c.level !== null);
    const cases = levels.map((c, i) => sql`WHEN ${ident(c.column)} > 0 THEN ${i}`);
    bins.push({feature, sql: sql`CASE ${join(cases, " ")} ELSE -1 END`});
  }
  return bins;
}

/**
 * A bin edge, bound as the build has always compared with it. Edges were once written into the
 * SQL with 17 significant digits, which DuckDB reads as a DECIMAL and converts to DOUBLE at times
 * an ulp off the quantile, and customers tied at an edge (winsorised and zero values often are)
 * fall on the side that reading gives: so the digits are bound and cast to that same DECIMAL.
 */
export function edgeSql(edge: number): SQL {
  const text = Number.isFinite(edge) ? edge.toPrecision(17) : "0";
  const [whole, fraction] = text.replace("-", "").split(".");
  // No fraction (1e16 and up) or an exponent (below 1e-6): DuckDB read a number it compares exactly.
  if (fraction === undefined || fraction.includes("e")) return sql`${val(text)}::DOUBLE`;
  return sql`${val(text)}::${raw(`DECIMAL(${whole.length + fraction.length}, ${fraction.length})`)}`;
}

/** Appends one snapshot's rows to the snapshot tables. */
async function recordSnapshot(
  store: Store,
  date: string,
  tables: SnapshotTables,
  {
    columns,
    bins,
    numbers,
    spend
  }: {
    columns: ClusterColumn[];
    bins: Bin[];
    numbers: string[];
    spend: boolean;
  }
): Promise<number> {
  const {features, assignments, value} = tables;
  const day = sql`${val(date)}::DATE`;
  await store.run(
    sql`INSERT INTO snapshot_customers
        SELECT ${day}, a.customer_id, a.profile_id, v.at_risk,
          v.p_alive, v.expected_value_12m, ${spend ? sql`f.spend_12m` : sql`NULL::DOUBLE`},
          v.engagement_change
        FROM ${ident(assignments)} a
        LEFT JOIN ${ident(value)} v USING (customer_id)
        LEFT JOIN ${ident(features)} f USING (customer_id)
        ORDER BY a.customer_id`
  );
  const members = sql`snapshot_matrix m JOIN ${ident(assignments)} a USING (customer_id)`;
  const matrixColumns = columns.map((c) => ident(c.column));
  await store.run(
    sql`INSERT INTO snapshot_positions
        SELECT ${day}, profile_id, "column", mean FROM (
          UNPIVOT (SELECT a.profile_id, ${join(matrixColumns.map((x) => sql`avg(m.${x}) AS ${x}`))}
                   FROM ${members} GROUP BY a.profile_id)
          ON ${join(matrixColumns)} INTO NAME "column" VALUE mean)
        ORDER BY profile_id, "column"`
  );
  if (bins.length > 0) {
    await store.run(
      sql`INSERT INTO snapshot_bins
          SELECT ${day}, profile_id, feature, bin, count(*)::INTEGER FROM (
            UNPIVOT (SELECT a.profile_id, ${join(bins.map((b) => sql`${b.sql} AS ${ident(b.feature)}`))}
                     FROM ${members})
            ON ${join(bins.map((b) => ident(b.feature)))} INTO NAME feature VALUE bin)
          GROUP BY ALL ORDER BY ALL`
    );
  }
  if (numbers.length > 0) {
    const means = numbers.map(ident);
    await store.run(
      sql`INSERT INTO snapshot_feature_means
          SELECT ${day}, profile_id, feature, customers, mean FROM (
            UNPIVOT (SELECT a.profile_id, count(*)::INTEGER AS customers,
                       ${join(means.map((x) => sql`avg(f.${x})::DOUBLE AS ${x}`))}
                     FROM ${ident(features)} f JOIN ${ident(assignments)} a USING (customer_id)
                     GROUP BY a.profile_id)
            ON ${join(means)} INTO NAME feature VALUE mean)
          ORDER BY profile_id, feature`
    );
  }
  const n = await store.one<{n: number}>(
    sql`SELECT count(*)::INTEGER AS n FROM ${ident(assignments)}`
  );
  return n?.n ?? 0;
}

/** Places the customers of a features table in the clustering space as `snapshot_matrix`. */
async function placeInMatrix(store: Store, features: string, columns: ClusterColumn[]) {
  await store.run(
    sql`CREATE OR REPLACE TEMP TABLE snapshot_matrix AS
        SELECT customer_id, ${matrixSelect(columns)} FROM ${ident(features)}`
  );
}

async function createTables(store: Store): Promise<void> {
  await store.run(sql`CREATE OR REPLACE TABLE snapshot_customers (snapshot DATE, customer_id VARCHAR,
    profile_id VARCHAR, at_risk BOOLEAN, p_alive DOUBLE,
    expected_value_12m DOUBLE, spend_12m DOUBLE, engagement_change DOUBLE)`);
  await store.run(sql`CREATE OR REPLACE TABLE snapshot_positions (snapshot DATE, profile_id VARCHAR,
    "column" VARCHAR, mean DOUBLE)`);
  await store.run(sql`CREATE OR REPLACE TABLE snapshot_bins (snapshot DATE, profile_id VARCHAR,
    feature VARCHAR, bin INTEGER, customers INTEGER)`);
  await store.run(sql`CREATE OR REPLACE TABLE snapshot_feature_means (snapshot DATE,
    profile_id VARCHAR, feature VARCHAR, customers INTEGER, mean DOUBLE)`);
}

/**
 * Whether any activity table (orders, tickets, e-mail events, web sessions, survey answers) has
 * a dated row. Without one, a past snapshot would be today's data written under an old date:
 * customer rows carry their values as of the export, not as of then.
 */
export async function hasDatedActivity(store: Store): Promise<boolean> {
  for (const table of CANONICAL_TABLES.filter((t) => t.name !== "customers")) {
    if (!(await store.has(table.name))) continue;
    const row = await store.one<{dated: boolean}>(
      sql`SELECT EXISTS (SELECT 1 FROM ${ident(table.name)} WHERE ${ident(table.time)} IS NOT NULL) AS dated`
    );
    if (row?.dated) return true;
  }
  return false;
}

/** Why a build makes no past snapshots at all, or null when it tries. */
async function noHistoryReason(store: Store, periods: number): Promise<string | null> {
  if (periods === 0) return "history.periods is 0 in the config";
  if (!(await hasDatedActivity(store)))
    return "no dated activity: no orders, tickets, e-mail events, web sessions or survey answers with a date, so the data cannot say how customers stood at an earlier date";
  return null;
}

/** Records every snapshot and derives flows, drift and at-risk movers from them. */
export async function buildSnapshots(
  store: Store,
  config: PortraitConfig,
  catalog: CatalogEntry[],
  asOf: string,
  log: (line: string) => void = () => {}
): Promise<SnapshotSummary> {
  const history = config.history;
  const columns = await readColumns(store);
  const measured = new Set(catalog.filter((f) => f.measured).map((f) => f.id));
  const numbers = catalog.filter((f) => f.measured && f.kind === "number").map((f) => f.id);
  const spend = measured.has("spend_12m");
  await createTables(store);

  // The current build first: its matrix fixes the PSI bins every snapshot shares.
  await placeInMatrix(store, "features", columns);
  const bins = await binExpressions(store, columns, "snapshot_matrix");
  const options = {columns, bins, numbers, spend};
  const decision = await readDecision(store);
  const current = await recordSnapshot(
    store,
    asOf,
    {features: "features", assignments: "customer_profiles", value: "customer_value"},
    options
  );
  const recorded = [{date: asOf, current: true, customers: current}];
  const skipped: SnapshotSummary["skipped"] = [];
  const none = await noHistoryReason(store, history.periods);
  if (none !== null) {
    skipped.push({date: null, reason: none});
    log(`history: no past snapshots: ${none}`);
  }

  for (const date of none === null
    ? snapshotDates(asOf, history.period, history.periods).reverse()
    : []) {
    await buildFeatures(store, {
      ...featureOptions(config, date),
      snapshotTable: "snapshot_features"
    });
    const population =
      (await store.one<{n: number}>(sql`SELECT count(*)::INTEGER AS n FROM snapshot_features`))
        ?.n ?? 0;
    if (population < MIN_SNAPSHOT_CUSTOMERS) {
      const reason = `${population} customers had joined by then (snapshots need ${MIN_SNAPSHOT_CUSTOMERS})`;
      skipped.push({date, reason});
      log(`history: ${date} left out: ${reason}`);
      break; // earlier dates have fewer customers still
    }
    await placeInMatrix(store, "snapshot_features", columns);
    await assignNearest(store, columns.length, {
      matrix: "snapshot_matrix",
      into: "snapshot_assignments",
      temporary: true
    });
    await buildCustomerValue(store, {
      asOf: date,
      ...config.churn,
      snapshot: {features: "snapshot_features", table: "snapshot_value", decision}
    });
    const n = await recordSnapshot(
      store,
      date,
      {features: "snapshot_features", assignments: "snapshot_assignments", value: "snapshot_value"},
      options
    );
    recorded.push({date, current: false, customers: n});
    for (const table of ["snapshot_features", "snapshot_value", "snapshot_assignments"])
      await store.run(sql`DROP TABLE IF EXISTS ${ident(table)}`);
  }
  await store.run(sql`DROP TABLE IF EXISTS snapshot_matrix`);

  recorded.sort((a, b) => a.date.localeCompare(b.date));
  await store.run(
    sql`CREATE OR REPLACE TABLE snapshots (snapshot DATE, current BOOLEAN, customers INTEGER)`
  );
  for (const r of recorded)
    await store.run(
      sql`INSERT INTO snapshots VALUES (${val(r.date)}::DATE, ${r.current}, ${r.customers})`
    );
  await store.run(sql`CREATE OR REPLACE TABLE snapshot_skips (snapshot DATE, reason VARCHAR)`);
  for (const s of skipped)
    await store.run(
      sql`INSERT INTO snapshot_skips VALUES (${val(s.date)}::DATE, ${val(s.reason)})`
    );
  const dates = recorded.map((r) => r.date);
  log(
    `history: ${dates.length} snapshots (${history.period}ly) ${dates[0]} … ${dates.at(-1)}, ` +
      recorded.map((r) => r.customers.toLocaleString("en-US")).join(" → ") +
      " customers"
  );

  await buildFlows(store);
  const alerts = await buildDrift(store, history.drift);
  const lookback = Math.min(history.moversLookback, dates.length - 1);
  const moverOptions = {
    drop: history.activityDropAbove,
    significance: history.dropSignificance,
    activity: await storeActivity(store)
  };
  let movers: SnapshotSummary["movers"] = null;
  if (lookback >= 1) {
    const since = dates[dates.length - 1 - lookback];
    const customers = await buildMovers(store, {...moverOptions, since, until: asOf});
    movers = {since, until: asOf, customers};
    log(`history: ${customers.toLocaleString("en-US")} customers moved into risk since ${since}`);
  } else {
    await buildMovers(store, {...moverOptions, since: asOf, until: asOf});
  }
  for (const id of alerts) log(`history: drift alert for ${id}`);
  return {dates, skipped, movers, alerts};
}

/** Consecutive pairs of snapshots, as SQL. */
const PAIRS = sql`(SELECT * FROM (SELECT lag(snapshot) OVER (ORDER BY snapshot) AS from_snapshot,
    snapshot AS to_snapshot FROM snapshots) WHERE from_snapshot IS NOT NULL)`;

async function buildFlows(store: Store): Promise<void> {
  await store.run(
    sql`CREATE OR REPLACE TABLE profile_flows AS
     SELECT p.from_snapshot, p.to_snapshot, coalesce(a.profile_id, 'joined') AS source,
       b.profile_id AS target, count(*)::INTEGER AS customers
     FROM ${PAIRS} p
     JOIN snapshot_customers b ON b.snapshot = p.to_snapshot
     LEFT JOIN snapshot_customers a ON a.snapshot = p.from_snapshot AND a.customer_id = b.customer_id
     GROUP BY ALL ORDER BY ALL`
  );
}

/**
 * Drift per profile and consecutive pair: the centroid shift (distance between the members'
 * mean positions, in the clustering's standard-deviation units) and the population stability
 * index of every clustered feature, PSI = Σ (q − p) ln(q / p) over bins, shares smoothed by half
 * a customer per bin so an empty bin stays finite. Returns the profiles alerted in the latest
 * pair.
 */
async function buildDrift(
  store: Store,
  thresholds: {centroidShift: number; psi: number}
): Promise<string[]> {
  await store.run(
    sql`CREATE OR REPLACE TABLE profile_feature_psi AS
     WITH keys AS (SELECT DISTINCT feature, bin FROM snapshot_bins),
     profiles AS (SELECT DISTINCT profile_id FROM snapshot_customers),
     grid AS (
       SELECT p.from_snapshot, p.to_snapshot, r.profile_id, k.feature, k.bin,
         coalesce(a.customers, 0) AS before, coalesce(b.customers, 0) AS after
       FROM ${PAIRS} p CROSS JOIN profiles r CROSS JOIN keys k
       LEFT JOIN snapshot_bins a ON a.snapshot = p.from_snapshot AND a.profile_id = r.profile_id
         AND a.feature = k.feature AND a.bin = k.bin
       LEFT JOIN snapshot_bins b ON b.snapshot = p.to_snapshot AND b.profile_id = r.profile_id
         AND b.feature = k.feature AND b.bin = k.bin),
     shares AS (
       SELECT *, sum(before) OVER w AS n_before, sum(after) OVER w AS n_after,
         (before + 0.5) / (sum(before) OVER w + 0.5 * count(*) OVER w) AS p,
         (after + 0.5) / (sum(after) OVER w + 0.5 * count(*) OVER w) AS q
       FROM grid WINDOW w AS (PARTITION BY from_snapshot, profile_id, feature))
     SELECT from_snapshot, to_snapshot, profile_id, feature,
       any_value(n_before)::INTEGER AS before_customers, any_value(n_after)::INTEGER AS after_customers,
       sum((q - p) * ln(q / p)) AS psi
     FROM shares GROUP BY ALL
     HAVING any_value(n_before) >= ${MIN_DRIFT_CUSTOMERS} AND any_value(n_after) >= ${MIN_DRIFT_CUSTOMERS}
     ORDER BY ALL`
  );
  await store.run(
    sql`CREATE OR REPLACE TABLE profile_drift AS
     WITH sizes AS (
       SELECT snapshot, profile_id, count(*)::INTEGER AS customers
       FROM snapshot_customers GROUP BY ALL),
     shift AS (
       SELECT p.from_snapshot, p.to_snapshot, a.profile_id,
         sqrt(sum((b.mean - a.mean) ** 2)) AS centroid_shift
       FROM ${PAIRS} p
       JOIN snapshot_positions a ON a.snapshot = p.from_snapshot
       JOIN snapshot_positions b ON b.snapshot = p.to_snapshot AND b.profile_id = a.profile_id
         AND b."column" = a."column"
       GROUP BY ALL),
     psi AS (
       SELECT from_snapshot, to_snapshot, profile_id, max(psi) AS psi_max,
         arg_max(feature, [psi, 0]) AS psi_feature
       FROM profile_feature_psi GROUP BY ALL)
     SELECT p.from_snapshot, p.to_snapshot, r.profile_id,
       coalesce(sb.customers, 0) AS before_customers, coalesce(sa.customers, 0) AS after_customers,
       CASE WHEN least(coalesce(sb.customers, 0), coalesce(sa.customers, 0)) >= ${MIN_DRIFT_CUSTOMERS}
         THEN s.centroid_shift END AS centroid_shift,
       q.psi_max, q.psi_feature,
       coalesce(least(sb.customers, sa.customers) >= ${MIN_DRIFT_CUSTOMERS}
         AND (s.centroid_shift > ${thresholds.centroidShift} OR q.psi_max > ${thresholds.psi}), false) AS alert
     FROM ${PAIRS} p CROSS JOIN (SELECT DISTINCT profile_id FROM snapshot_customers) r
     LEFT JOIN sizes sb ON sb.snapshot = p.from_snapshot AND sb.profile_id = r.profile_id
     LEFT JOIN sizes sa ON sa.snapshot = p.to_snapshot AND sa.profile_id = r.profile_id
     LEFT JOIN shift s ON s.from_snapshot = p.from_snapshot AND s.profile_id = r.profile_id
     LEFT JOIN psi q ON q.from_snapshot = p.from_snapshot AND q.profile_id = r.profile_id
     ORDER BY p.from_snapshot, ${byProfileId(sql`r.profile_id`)}`
  );
  const alerted = await store.all<{profile_id: string}>(
    sql`SELECT profile_id FROM profile_drift
        WHERE alert AND to_snapshot = (SELECT max(snapshot) FROM snapshots)
        ORDER BY ${byProfileId()}`
  );
  return alerted.map((r) => r.profile_id);
}

/**
 * P(X ≤ k) for X ~ Binomial(n, 1/2): how likely `k` or fewer of `n` events would fall in the
 * recent window if the customer's rate had not changed (both windows are equally long).
 */
export function binomialLowerTail(k: number, n: number): number {
  if (k >= n) return 1;
  const half = n * Math.log(0.5);
  let logChoose = 0;
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logChoose += Math.log(n - i + 1) - Math.log(i);
    sum += Math.exp(logChoose + half);
  }
  return Math.min(1, sum);
}

export interface MoverOptions {
  since: string;
  until: string;
  /** Activity fell by more than this share against the same days a year earlier… */
  drop: number;
  /** …with a one-sided binomial p-value below this. */
  significance: number;
  /** The activity queries (profile/features.ts `activity`) the data has. */
  activity: SQL[];
}

/**
 * The at-risk movers between `since` and `until`: customers at both dates who were not at risk
 * at `since` and are now (the build's at-risk rule), or whose activity (orders, sessions, e-mail
 * opens and clicks) since then fell by more than `drop` against the same days a year earlier,
 * significantly so (a one-sided binomial test: with an unchanged rate, the events of both
 * windows would split evenly), so that a customer with three events then and one now is not
 * listed. Customers with both signals have strong evidence and rank first; within each, by the
 * value at stake, their expected 12-month value at `since` (their trailing spend then when no
 * model had them). Returns the number of movers.
 */
export async function buildMovers(store: Store, o: MoverOptions): Promise<number> {
  const since = sql`${val(o.since)}::DATE`;
  const until = sql`${val(o.until)}::DATE`;
  const yearBefore = (date: SQL) => sql`(${date} - INTERVAL 1 YEAR)`;
  const window = (start: SQL, end: SQL) =>
    sql`active_at >= ${start} + INTERVAL 1 DAY AND active_at < ${end} + INTERVAL 1 DAY`;
  await store.run(
    o.activity.length > 0
      ? sql`CREATE OR REPLACE TEMP TABLE mover_activity AS
            SELECT customer_id::VARCHAR AS customer_id,
              count(*) FILTER (WHERE ${window(since, until)})::INTEGER AS activity_now,
              count(*) FILTER (WHERE ${window(yearBefore(since), yearBefore(until))})::INTEGER AS activity_before
            FROM (${join(o.activity, " UNION ALL ")})
            WHERE active_at >= ${yearBefore(since)} AND active_at < ${until} + INTERVAL 1 DAY
            GROUP BY 1`
      : sql`CREATE OR REPLACE TEMP TABLE mover_activity (customer_id VARCHAR, activity_now INTEGER,
              activity_before INTEGER)`
  );
  // The test runs in process, over the customers whose activity fell enough to be candidates.
  await store.run(
    sql`CREATE OR REPLACE TEMP TABLE mover_candidates AS
        SELECT (row_number() OVER (ORDER BY customer_id) - 1)::INTEGER AS idx, *
        FROM mover_activity
        WHERE activity_before > 0 AND activity_now < (1 - ${o.drop}::DOUBLE) * activity_before`
  );
  const [idx, now, before] = (await store.columns(
    sql`SELECT idx, activity_now, activity_before FROM mover_candidates ORDER BY idx`
  )) as number[][];
  const p = Float64Array.from(idx, (_, i) => binomialLowerTail(now[i], now[i] + before[i]));
  await store.run(sql`CREATE OR REPLACE TEMP TABLE mover_tests (idx INTEGER, p DOUBLE)`);
  await store.appendColumns("mover_tests", [Int32Array.from(idx), p]);
  await store.run(
    sql`CREATE OR REPLACE TABLE at_risk_movers AS
     WITH m AS (
       SELECT n.customer_id, n.profile_id, b.profile_id AS previous_profile_id,
         coalesce(n.at_risk AND NOT b.at_risk, false) AS into_risk,
         coalesce(t.p < ${o.significance}, false) AS dropped,
         coalesce(b.expected_value_12m, b.spend_12m, 0) AS value_at_stake,
         b.p_alive AS p_alive_before, n.p_alive, coalesce(b.spend_12m, 0) AS spend_before,
         coalesce(n.spend_12m, 0) AS spend_now, coalesce(a.activity_before, 0) AS activity_before,
         coalesce(a.activity_now, 0) AS activity_now, t.p AS drop_p, n.engagement_change
       FROM snapshot_customers n
       JOIN snapshot_customers b ON b.customer_id = n.customer_id AND b.snapshot = ${since}
       LEFT JOIN mover_activity a ON a.customer_id = n.customer_id
       LEFT JOIN mover_candidates c ON c.customer_id = n.customer_id
       LEFT JOIN mover_tests t ON t.idx = c.idx
       WHERE n.snapshot = ${until} AND ${since} < ${until})
     SELECT row_number() OVER (
         ORDER BY (into_risk AND dropped) DESC, value_at_stake DESC, customer_id)::INTEGER AS rank,
       ${since} AS since, ${until} AS until, customer_id, profile_id, previous_profile_id,
       CASE WHEN into_risk AND dropped THEN 'both' WHEN into_risk THEN 'at_risk'
         ELSE 'engagement_drop' END AS reason,
       CASE WHEN into_risk AND dropped THEN 'strong' ELSE 'one signal' END AS evidence,
       value_at_stake, p_alive_before, p_alive, spend_before, spend_now, activity_before,
       activity_now, drop_p, engagement_change
     FROM m WHERE into_risk OR dropped
     ORDER BY rank`
  );
  for (const table of ["mover_activity", "mover_candidates", "mover_tests"])
    await store.run(sql`DROP TABLE IF EXISTS ${ident(table)}`);
  return (
    (await store.one<{n: number}>(sql`SELECT count(*)::INTEGER AS n FROM at_risk_movers`))?.n ?? 0
  );
}
