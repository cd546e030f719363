/**
 * The previous build: the engine copies a summary of the last published build's store (as-of
 * date, customers, each profile's size, value and risk) and each customer's profile and at-risk
 * flag into the new store, so the overview can state what changed (site/briefing.ts) and
 * exports/changes.csv can list the customers who moved (publish/changes.ts). Profiles are
 * compared by id, which the state file keeps stable from build to build (profile/stable-ids.ts).
 */
import {existsSync, statSync} from "node:fs";
import {Store} from "../core/store.ts";
import {literal, sql, val, valueList} from "../core/sql.ts";

/**
 * Where `npm run build` keeps the store of the site it last published: a hard link to it
 * (publish/published-store.ts), which outlives the engine's renaming of a new store over
 * storePath. A build that failed left its store at storePath, but not here.
 */
export function publishedStore(storePath: string): string {
  return `${storePath}.published`;
}

/**
 * The store a new build compares with: the last published build's when one was kept, else the
 * store it replaces (an install from before stores were kept, or one that never published).
 */
export function previousStore(storePath: string): string {
  const published = publishedStore(storePath);
  return existsSync(published) ? published : storePath;
}

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

/** Whether two paths name one file (the same path, or a hard link to it). */
export function sameFile(a: string, b: string): boolean {
  if (a === b) return true;
  if (!existsSync(a) || !existsSync(b)) return false;
  const [x, y] = [statSync(a), statSync(b)];
  return x.dev === y.dev && x.ino === y.ino;
}

/** The summary of a store's build, or undefined when it has no profiles. */
export async function buildSummary(store: Store): Promise<BuildSummary | undefined> {
  if (!(await store.has("profiles")) || !(await store.has("overview_as_of"))) return undefined;
  const meta = await store.one<{as_of: string | null; customers: number}>(
    sql`SELECT strftime(as_of, '%Y-%m-%d') AS as_of,
          (SELECT count(*)::INTEGER FROM customer_profiles) AS customers
        FROM overview_as_of`
  );
  const profiles = await store.all<ProfileSummary>(
    sql`SELECT profile_id, name, customers, share, revenue_share, value_12m, at_risk_share
        FROM profiles ORDER BY profile_id`
  );
  return {as_of: meta?.as_of ?? null, customers: meta?.customers ?? 0, profiles};
}

/** The summary of the store at path (the previous build's); undefined when there is none. */
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
  await store.run(sql`CREATE OR REPLACE TABLE previous_build (as_of DATE, customers INTEGER)`);
  await store.run(
    sql`INSERT INTO previous_build VALUES (${val(previous.as_of)}::DATE, ${previous.customers})`
  );
  await store.run(
    sql`CREATE OR REPLACE TABLE previous_profiles (profile_id VARCHAR, name VARCHAR,
          customers INTEGER, share DOUBLE, revenue_share DOUBLE, value_12m DOUBLE,
          at_risk_share DOUBLE)`
  );
  for (const p of previous.profiles)
    await store.run(
      sql`INSERT INTO previous_profiles VALUES (${valueList([
        p.profile_id,
        p.name,
        p.customers,
        p.share,
        p.revenue_share,
        p.value_12m,
        p.at_risk_share
      ])})`
    );
}

/**
 * Copies each customer's profile and at-risk flag from the store at path (the previous build's,
 * see previousStore) into this store's previous_customers, in DuckDB alone: the old store is attached
 * read-only. Returns the customers copied, or an explanation when there is nothing to copy (no
 * store, one that cannot be read, or one without profiles).
 */
export async function copyPreviousCustomers(
  store: Store,
  path: string
): Promise<{customers: number} | {missing: string}> {
  if (!existsSync(path)) return {missing: "no previous store"};
  try {
    await store.run(sql`ATTACH ${literal(path)} AS previous_store (READ_ONLY)`);
  } catch (error) {
    return {missing: `the previous store cannot be read (${firstLine(error)})`};
  }
  try {
    const database = {database: "previous_store"};
    if (!(await store.tableColumns("customer_profiles", database)).has("profile_id"))
      return {missing: "the previous store has no profiles"};
    const risk = (await store.tableColumns("customer_value", database)).has("at_risk");
    await store.run(
      sql`CREATE OR REPLACE TABLE previous_customers AS
          SELECT p.customer_id, p.profile_id, ${risk ? sql`v.at_risk` : sql`NULL::BOOLEAN`} AS at_risk
          FROM previous_store.customer_profiles p
          ${risk ? sql`LEFT JOIN previous_store.customer_value v USING (customer_id)` : sql``}
          ORDER BY p.customer_id`
    );
    const row = await store.one<{n: number}>(
      sql`SELECT count(*)::INTEGER AS n FROM previous_customers`
    );
    return {customers: row?.n ?? 0};
  } catch (error) {
    await store.run(sql`DROP TABLE IF EXISTS previous_customers`);
    return {missing: `the previous store cannot be read (${firstLine(error)})`};
  } finally {
    await store.run(sql`DETACH previous_store`);
  }
}

const firstLine = (error: unknown) => String((error as Error)?.message ?? error).split("\n")[0];

/** The previous build's summary kept in this store, if any. */
export async function previousSummary(store: Store): Promise<BuildSummary | undefined> {
  if (!(await store.has("previous_build"))) return undefined;
  const meta = await store.one<{as_of: string | null; customers: number}>(
    sql`SELECT strftime(as_of, '%Y-%m-%d') AS as_of, customers FROM previous_build`
  );
  const profiles = await store.all<ProfileSummary>(
    sql`SELECT profile_id, name, customers, share, revenue_share, value_12m, at_risk_share
        FROM previous_profiles ORDER BY profile_id`
  );
  return {as_of: meta?.as_of ?? null, customers: meta?.customers ?? 0, profiles};
}
