/**
 * What changed since the previous build: the engine copies a summary of the store it replaces
 * (as-of date, customers, each profile's size, value and risk) and each customer's profile and
 * at-risk flag into the new store; the overview states the few differences that matter and
 * exports/changes.csv lists the customers who moved. Profiles are compared by id, which the
 * state file keeps stable from build to build (loaders/identities.ts).
 */
import {existsSync} from "node:fs";
import {Store} from "./store.ts";

export type ProfileSummary = {
  profile_id: string;
  name: string;
  customers: number;
  share: number;
  revenue_share: number | null;
  value_12m: number | null;
  at_risk_share: number | null;
};

export interface BuildSummary {
  as_of: string | null;
  customers: number;
  profiles: ProfileSummary[];
}

/** One fact for the overview, with how much it matters (larger first). */
export interface Change {
  text: string;
  weight: number;
  profile_id: string | null;
}

/** The summary of a store's build, or undefined when it has no profiles. */
export async function buildSummary(store: Store): Promise<BuildSummary | undefined> {
  if (!(await store.has("profiles")) || !(await store.has("overview_as_of"))) return undefined;
  const meta = await store.one<{as_of: string | null; customers: number}>(
    `SELECT strftime(as_of, '%Y-%m-%d') AS as_of,
       (SELECT count(*)::INTEGER FROM customer_profiles) AS customers
     FROM overview_as_of`
  );
  const profiles = await store.all<ProfileSummary>(
    `SELECT profile_id, name, customers, share, revenue_share, value_12m, at_risk_share
     FROM profiles ORDER BY profile_id`
  );
  return {as_of: meta?.as_of ?? null, customers: meta?.customers ?? 0, profiles};
}

/** The summary of the store at path before it is replaced; undefined when there is none. */
export async function readPreviousSummary(path: string): Promise<BuildSummary | undefined> {
  if (!existsSync(path)) return undefined;
  let store: Store | undefined;
  try {
    store = await Store.open(path, {readOnly: true});
    return await buildSummary(store);
  } catch {
    return undefined; // an unreadable or older store has nothing to compare with
  } finally {
    store?.close();
  }
}

/** Keeps the previous build's summary in the new store (tables previous_build, previous_profiles). */
export async function writePreviousSummary(store: Store, previous: BuildSummary): Promise<void> {
  await store.run("CREATE OR REPLACE TABLE previous_build (as_of DATE, customers INTEGER)");
  await store.run("INSERT INTO previous_build VALUES ($as_of::DATE, $customers)", {
    as_of: previous.as_of,
    customers: previous.customers
  });
  await store.run(
    `CREATE OR REPLACE TABLE previous_profiles (profile_id VARCHAR, name VARCHAR,
       customers INTEGER, share DOUBLE, revenue_share DOUBLE, value_12m DOUBLE,
       at_risk_share DOUBLE)`
  );
  for (const p of previous.profiles)
    await store.run(
      `INSERT INTO previous_profiles VALUES ($profile_id, $name, $customers, $share,
         $revenue_share, $value_12m, $at_risk_share)`,
      {...p}
    );
}

/**
 * Copies each customer's profile and at-risk flag from the store at path (the build being
 * replaced) into this store's previous_customers, in DuckDB alone: the old store is attached
 * read-only. Returns the customers copied, or an explanation when there is nothing to copy (no
 * store, one that cannot be read, or one without profiles).
 */
export async function copyPreviousCustomers(
  store: Store,
  path: string
): Promise<{customers: number} | {missing: string}> {
  if (!existsSync(path)) return {missing: "no previous store"};
  const file = `'${path.replaceAll("'", "''")}'`; // ATTACH takes no bound parameters
  try {
    await store.run(`ATTACH ${file} AS previous_store (READ_ONLY)`);
  } catch (error) {
    return {missing: `the previous store cannot be read (${firstLine(error)})`};
  }
  try {
    const columns = new Set(
      (
        await store.all<{name: string}>(
          `SELECT table_name || '.' || column_name AS name FROM duckdb_columns()
           WHERE database_name = 'previous_store' AND schema_name = 'main'
             AND table_name IN ('customer_profiles', 'customer_value') ORDER BY name`
        )
      ).map((r) => r.name)
    );
    if (!columns.has("customer_profiles.profile_id"))
      return {missing: "the previous store has no profiles"};
    const risk = columns.has("customer_value.at_risk");
    await store.run(
      `CREATE OR REPLACE TABLE previous_customers AS
       SELECT p.customer_id, p.profile_id, ${risk ? "coalesce(v.at_risk, false)" : "false"} AS at_risk
       FROM previous_store.customer_profiles p
       ${risk ? "LEFT JOIN previous_store.customer_value v USING (customer_id)" : ""}
       ORDER BY p.customer_id`
    );
    const row = await store.one<{n: number}>(
      "SELECT count(*)::INTEGER AS n FROM previous_customers"
    );
    return {customers: row?.n ?? 0};
  } catch (error) {
    await store.run("DROP TABLE IF EXISTS previous_customers");
    return {missing: `the previous store cannot be read (${firstLine(error)})`};
  } finally {
    await store.run("DETACH previous_store");
  }
}

const firstLine = (error: unknown) => String((error as Error)?.message ?? error).split("\n")[0];

/** How a customer changed between two builds, as exports/changes.csv names it. */
export const CUSTOMER_CHANGES = [
  "joined", // new since the previous build
  "left", // in the previous build, not in this one
  "moved", // another profile, the same at-risk flag
  "into_risk", // the same profile, newly at risk
  "out_of_risk", // the same profile, no longer at risk
  "moved_into_risk", // another profile and newly at risk
  "moved_out_of_risk" // another profile and no longer at risk
] as const;
export type CustomerChange = (typeof CUSTOMER_CHANGES)[number];

/** The columns of exports/changes.csv, in order. */
export const CHANGE_COLUMNS = [
  "customer_id",
  "previous_profile_id",
  "profile_id",
  "previous_at_risk",
  "at_risk",
  "change",
  "previous_as_of",
  "as_of"
] as const;

/**
 * The customers whose profile or at-risk flag differs between previous_customers and this
 * build, one row each (CHANGE_COLUMNS) sorted by id. Without customer_value nobody is at risk.
 */
export function customerChangesQuery({hasValue}: {hasValue: boolean}): string {
  const into = "NOT b.at_risk AND n.at_risk";
  const out = "b.at_risk AND NOT n.at_risk";
  return `WITH now AS (
       SELECT p.customer_id, p.profile_id, ${hasValue ? "coalesce(v.at_risk, false)" : "false"} AS at_risk
       FROM customer_profiles p
       ${hasValue ? "LEFT JOIN customer_value v USING (customer_id)" : ""}
     ),
     pairs AS (
       SELECT coalesce(n.customer_id, b.customer_id) AS customer_id,
         b.profile_id AS previous_profile_id, n.profile_id,
         b.at_risk AS previous_at_risk, n.at_risk,
         CASE
           WHEN b.customer_id IS NULL THEN 'joined'
           WHEN n.customer_id IS NULL THEN 'left'
           WHEN b.profile_id IS DISTINCT FROM n.profile_id THEN
             CASE WHEN ${into} THEN 'moved_into_risk' WHEN ${out} THEN 'moved_out_of_risk' ELSE 'moved' END
           WHEN ${into} THEN 'into_risk'
           WHEN ${out} THEN 'out_of_risk'
         END AS change
       FROM now n FULL OUTER JOIN previous_customers b ON b.customer_id = n.customer_id
     )
     SELECT customer_id, previous_profile_id, profile_id, previous_at_risk, at_risk, change,
       (SELECT strftime(as_of, '%Y-%m-%d') FROM previous_build) AS previous_as_of,
       (SELECT strftime(as_of, '%Y-%m-%d') FROM overview_as_of) AS as_of
     FROM pairs WHERE change IS NOT NULL
     ORDER BY customer_id`;
}

/** The previous build's summary kept in this store, if any. */
export async function previousSummary(store: Store): Promise<BuildSummary | undefined> {
  if (!(await store.has("previous_build"))) return undefined;
  const meta = await store.one<{as_of: string | null; customers: number}>(
    "SELECT strftime(as_of, '%Y-%m-%d') AS as_of, customers FROM previous_build"
  );
  const profiles = await store.all<ProfileSummary>(
    `SELECT profile_id, name, customers, share, revenue_share, value_12m, at_risk_share
     FROM previous_profiles ORDER BY profile_id`
  );
  return {as_of: meta?.as_of ?? null, customers: meta?.customers ?? 0, profiles};
}

const pct = (x: number) => `${(x * 100).toFixed(Math.abs(x) < 0.1 ? 1 : 0)} %`;
const points = (x: number) => `${x > 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(1)} points`;
const count = (n: number) => n.toLocaleString("en-US");

/**
 * The facts that changed between two builds, largest first: customers, profiles that appeared
 * or vanished, and per profile a shift in size (≥ 1 point of the base), at-risk share
 * (≥ 2 points) or expected value (≥ 10 %). Nothing when there is no previous build.
 */
export function compareBuilds(
  current: BuildSummary,
  previous: BuildSummary | undefined,
  /** Profile id → the profile it split from or merged into (profile_matches). */
  related: Map<string, {status: string; related_id: string | null}> = new Map()
): Change[] {
  if (!previous) return [];
  const changes: Change[] = [];
  const since = previous.as_of
    ? `the build with data as of ${previous.as_of}`
    : "the previous build";
  const delta = current.customers - previous.customers;
  if (delta !== 0)
    changes.push({
      text: `${count(current.customers)} customers, ${delta > 0 ? "+" : "−"}${count(Math.abs(delta))} since ${since}.`,
      weight: 10_000, // always first: the base itself
      profile_id: null
    });
  const before = new Map(previous.profiles.map((p) => [p.profile_id, p]));
  const now = new Set(current.profiles.map((p) => p.profile_id));
  for (const p of current.profiles) {
    const old = before.get(p.profile_id);
    if (!old) {
      const from = related.get(p.profile_id);
      const parent = from?.status === "split" ? before.get(from.related_id ?? "") : undefined;
      changes.push({
        text: parent
          ? `New profile: ${p.name}, ${pct(p.share)} of customers, split from ${parent.name}.`
          : `New profile: ${p.name}, ${pct(p.share)} of customers.`,
        weight: 50 + p.share * 100,
        profile_id: p.profile_id
      });
      continue;
    }
    const size = p.share - old.share;
    if (Math.abs(size) >= 0.01)
      changes.push({
        text: `${p.name}: ${pct(p.share)} of customers (${points(size)}).`,
        weight: Math.abs(size) * 1000,
        profile_id: p.profile_id
      });
    if (p.at_risk_share !== null && old.at_risk_share !== null) {
      const risk = p.at_risk_share - old.at_risk_share;
      if (Math.abs(risk) >= 0.02)
        changes.push({
          text: `${p.name}: ${pct(p.at_risk_share)} at risk (${points(risk)}).`,
          weight: Math.abs(risk) * 800,
          profile_id: p.profile_id
        });
    }
    if (p.value_12m !== null && old.value_12m !== null && old.value_12m > 0) {
      const ratio = p.value_12m / old.value_12m - 1;
      if (Math.abs(ratio) >= 0.1)
        changes.push({
          text: `${p.name}: expected value ${Math.round(p.value_12m).toLocaleString("en-US")} per customer (${ratio > 0 ? "+" : "−"}${Math.round(Math.abs(ratio) * 100)} %).`,
          weight: Math.abs(ratio) * 300,
          profile_id: p.profile_id
        });
    }
  }
  for (const old of previous.profiles)
    if (!now.has(old.profile_id)) {
      const to = related.get(old.profile_id);
      const into =
        to?.status === "merged"
          ? current.profiles.find((p) => p.profile_id === to.related_id)
          : undefined;
      changes.push({
        text: into
          ? `${old.name} (was ${pct(old.share)} of customers) merged into ${into.name}.`
          : `No longer found: ${old.name} (was ${pct(old.share)} of customers).`,
        weight: 50 + old.share * 100,
        profile_id: null
      });
    }
  return changes.sort((a, b) => b.weight - a.weight || a.text.localeCompare(b.text));
}
