/**
 * Exports for the tools teams already use (CRM, support desk): one row per customer with their
 * profile, the profile's brief for agents, segment, value and risk, as CSV and as JSON; the
 * customers whose profile or risk changed since the previous build; and one JSON document with
 * every profile. All are written from the store, sorted and rounded, so the same store gives the
 * same bytes. Each file has a versioned JSON Schema in schemas/ (copied to exports/schemas/).
 * The CSV files' text cells that a spreadsheet would run as a formula begin with a single quote
 * (./spreadsheet.ts); the JSON files hold every value exactly.
 *
 *   exports/customers.csv   customer_id, profile_id, profile_name, segment, p_alive,
 *                           expected_value_12m, at_risk, preferred_channel, profile_brief,
 *                           p_lapse
 *   exports/customers.json  {$schema, schema_version, as_of, customers: [{customer_id, …}]}
 *   exports/changes.csv     customer_id, previous_profile_id, profile_id, previous_at_risk,
 *                           at_risk, change, previous_as_of, as_of
 *   exports/profiles.json   {$schema, schema_version, as_of, k, silhouette, profiles: [{id, …}]}
 */
import {copyFile, mkdir, open, readdir, rm, stat, writeFile} from "node:fs/promises";
import {createReadStream} from "node:fs";
import {join} from "node:path";
import {listValue} from "@duckdb/node-api";
import {CHANGE_COLUMNS, customerChangesQuery} from "./changes.ts";
import {PROJECT_DIR} from "../core/paths.ts";
import {ident, join as joinSql, sql, val, type SQL} from "../core/sql.ts";
import type {Store} from "../core/store.ts";
import {profileBriefs, profilesDocument} from "../site/profiles.ts";
import {neutralisedQuery} from "./spreadsheet.ts";
import {DIGITS, roundDeep} from "../site/published.ts";

/** Where the exports' JSON Schemas live in the repository. */
export const SCHEMAS_DIR = join(PROJECT_DIR, "schemas");

/** Each export's schema file in schemas/ and the version of it the export is written in. */
export const EXPORT_SCHEMAS = {
  customers: {file: "customers.v2.json", version: "2.0.0"},
  profiles: {file: "profiles.v1.json", version: "1.2.0"},
  changes: {file: "changes.v2.json", version: "2.0.0"}
} as const;

/** The members a JSON export opens with: its schema, relative to it, and the schema's version. */
function schemaHeader({file, version}: {file: string; version: string}) {
  return {$schema: `./schemas/${file}`, schema_version: version};
}

/** A document with the currency of its amounts after its as-of date. */
function withCurrency<T extends {as_of: string | null}>(doc: T, currency: string | null) {
  const {as_of, ...rest} = doc;
  return {as_of, currency, ...rest};
}

/** The segmentation the customer export names: the first of the config's that was built. */
async function exportSegment(store: Store, order: string[]): Promise<string | null> {
  const built = new Set(
    (
      await store.all<{segment: string}>(
        sql`SELECT DISTINCT segment FROM customer_segments ORDER BY 1`
      )
    ).map((r) => r.segment)
  );
  return order.find((s) => built.has(s)) ?? null;
}

/** What the customer exports can read: the segment exported and the optional tables. */
interface CustomerSource {
  segment: string | null;
  hasValue: boolean;
  hasPreferred: boolean;
  briefs: Map<string, string>;
}

async function customerSource(store: Store, segments: string[]): Promise<CustomerSource> {
  return {
    segment: await exportSegment(store, segments),
    hasValue: await store.has("customer_value"),
    hasPreferred: (await store.tableColumns("features")).has("preferred_channel"),
    briefs: await profileBriefs(store)
  };
}

/**
 * The columns of customers.csv, in order: the first eight as before, then what was appended
 * since (the brief, the probability of lapsing).
 */
export const CUSTOMER_CSV_COLUMNS = [
  "customer_id",
  "profile_id",
  "profile_name",
  "segment",
  "p_alive",
  "expected_value_12m",
  "at_risk",
  "preferred_channel",
  "profile_brief",
  "p_lapse"
] as const;

/** The fields of each customer in customers.json, in order. */
export const CUSTOMER_JSON_FIELDS = [
  "customer_id",
  "profile_id",
  "profile_name",
  "profile_brief",
  "segment",
  "p_alive",
  "expected_value_12m",
  "at_risk",
  "p_lapse",
  "preferred_channel"
] as const;

/**
 * One row per customer with the given columns, sorted by id; values bound, never spliced. Risk
 * is as the value stage left it: at_risk and p_lapse are NULL where risk was not assessed, never
 * false or 0.
 */
export function customerExportQuery(
  {segment, hasValue, hasPreferred, briefs}: CustomerSource,
  columns: readonly string[]
): SQL {
  const briefTable =
    briefs.size > 0
      ? sql`SELECT unnest(${listValue([...briefs.keys()])}::VARCHAR[]) AS profile_id, unnest(${listValue([...briefs.values()])}::VARCHAR[]) AS profile_brief`
      : sql`SELECT NULL::VARCHAR AS profile_id, NULL::VARCHAR AS profile_brief WHERE false`;
  return sql`WITH briefs AS (${briefTable}),
     exported AS (
       SELECT p.customer_id, p.profile_id, pr.name AS profile_name, b.profile_brief,
         s.value AS segment,
         ${hasValue ? sql`round(v.p_alive, 4) AS p_alive, round(v.expected_value_12m, 2) AS expected_value_12m, v.at_risk, round(v.p_lapse, 4) AS p_lapse` : sql`NULL::DOUBLE AS p_alive, NULL::DOUBLE AS expected_value_12m, NULL::BOOLEAN AS at_risk, NULL::DOUBLE AS p_lapse`},
         ${hasPreferred ? sql`f.preferred_channel` : sql`NULL::VARCHAR AS preferred_channel`}
       FROM customer_profiles p
       JOIN profiles pr USING (profile_id)
       LEFT JOIN briefs b ON b.profile_id = p.profile_id
       LEFT JOIN customer_segments s ON s.customer_id = p.customer_id AND s.segment = ${segment === null ? sql`NULL` : val(segment)}
       ${hasValue ? sql`LEFT JOIN customer_value v ON v.customer_id = p.customer_id` : sql``}
       LEFT JOIN features f ON f.customer_id = p.customer_id
     )
     SELECT ${joinSql(columns.map(ident))} FROM exported ORDER BY customer_id`;
}

/**
 * Writes a JSON document whose last member is a large array DuckDB writes itself: the header
 * members, then the array streamed from DuckDB's file, so a million customers never become one
 * JavaScript string.
 */
async function writeJsonWithArray(
  store: Store,
  path: string,
  header: Record<string, unknown>,
  member: string,
  query: SQL
): Promise<void> {
  const part = `${path}.part`;
  try {
    await store.run(sql`COPY (${query}) TO ${val(part)} (FORMAT JSON, ARRAY true)`);
    // DuckDB writes "[\n\t{…},\n\t{…}\n]\n": the array goes in whole, and the document closes
    // where its final newline was.
    const {size} = await stat(part);
    const out = await open(path, "w");
    try {
      const head = JSON.stringify({...header, [member]: null}).slice(0, -"null}".length);
      await out.write(head);
      for await (const chunk of createReadStream(part, {end: size - 2})) await out.write(chunk);
      await out.write("}\n");
    } finally {
      await out.close();
    }
  } finally {
    await rm(part, {force: true});
  }
}

/** Copies the exports' JSON Schemas beside them, so each file's $schema resolves on the host. */
export async function copySchemas(out: string): Promise<string[]> {
  const target = join(out, "schemas");
  await mkdir(target, {recursive: true});
  const files = (await readdir(SCHEMAS_DIR)).filter((f) => f.endsWith(".json")).sort();
  for (const file of files) await copyFile(join(SCHEMAS_DIR, file), join(target, file));
  return files.map((f) => join(target, f));
}

/**
 * Writes changes.csv: the customers whose profile or at-risk flag changed since the previous
 * build (the store's previous_customers); the header alone when there was none. Returns how
 * many customers changed, or null without a previous build.
 */
async function writeChanges(store: Store, path: string, hasValue: boolean): Promise<number | null> {
  if (!(await store.has("previous_customers")) || !(await store.has("previous_build"))) {
    await writeFile(path, `${CHANGE_COLUMNS.join(",")}\n`);
    return null;
  }
  // COPY answers with the rows it wrote: the join runs once.
  const row = await store.one<{Count: number | bigint}>(
    sql`COPY (${await neutralisedQuery(store, customerChangesQuery({hasValue}))}) TO ${val(path)} (HEADER, DELIMITER ',')`
  );
  return Number(row?.Count ?? 0);
}

export interface ExportOptions {
  /** The config's segmentations in order: the first built is the customers' segment. */
  segments: string[];
  /** False leaves every customer-level file out (privacy.customerLevel). */
  customerLevel?: boolean;
  /** The currency amounts are in (config `currency`), named in the JSON exports; null: none. */
  currency?: string | null;
  log?: (line: string) => void;
}

/**
 * Writes the exports under dir/exports: profiles.json always, customers.csv, customers.json
 * and changes.csv unless customer-level output is left out, and the schemas beside them.
 * Returns the exports' paths (not the schemas').
 */
export async function writeExports(
  store: Store,
  dir: string,
  {segments, customerLevel = true, currency = null, log = () => {}}: ExportOptions
): Promise<string[]> {
  if (!(await store.has("profiles"))) return [];
  const out = join(dir, "exports");
  await mkdir(out, {recursive: true});
  await copySchemas(out);
  const doc = await profilesDocument(store);
  const profiles = join(out, "profiles.json");
  await writeFile(
    profiles,
    `${JSON.stringify(roundDeep({...schemaHeader(EXPORT_SCHEMAS.profiles), ...withCurrency(doc, currency)}, DIGITS.export), null, 2)}\n`
  );
  if (!customerLevel) return [profiles];
  const source = await customerSource(store, segments);

  const csv = join(out, "customers.csv");
  const rows = await neutralisedQuery(store, customerExportQuery(source, CUSTOMER_CSV_COLUMNS));
  await store.run(sql`COPY (${rows}) TO ${val(csv)} (HEADER, DELIMITER ',')`);

  const json = join(out, "customers.json");
  await writeJsonWithArray(
    store,
    json,
    {...schemaHeader(EXPORT_SCHEMAS.customers), as_of: doc.as_of, currency},
    "customers",
    customerExportQuery(source, CUSTOMER_JSON_FIELDS)
  );

  const changes = join(out, "changes.csv");
  const changed = await writeChanges(store, changes, source.hasValue);
  log(
    changed === null
      ? "changes.csv: no previous build to compare with, so the header only"
      : `changes.csv: ${changed.toLocaleString("en-US")} customers whose profile or risk changed since the previous build`
  );
  return [csv, json, changes, profiles];
}
