/**
 * Identity resolution: the customer ids of one person merged into one customer.
 *
 * Reads `accepted_customers` after standardisation (so `email_key` and `phone_key` exist) and
 * writes two tables:
 * - `identity_map(customer_id, person_id, rule)`: every input customer id once, with the person
 *   it belongs to and the rule that linked it (`self` for the person's own id);
 * - `customers`: one row per person, its fields chosen by survivorship, `customer_id` the
 *   person id and `merged_ids` the number of input ids it combines (1: no duplicate).
 *
 * Rows with the same customer_id are always one customer (sources sharing ids). The configured
 * rules link different ids: equal e-mail keys, equal phone keys of 7 digits or more, equal
 * values of a named field. Persons are the connected components of all links, found by label
 * propagation in DuckDB over the linked ids only (usually a few percent of them), so a million
 * customers resolve in seconds.
 *
 * A person's id is the id of its earliest signup (ties: the smallest id). Ids are never reused
 * and a new account signs up after the accounts already known, so a person keeps its id when a
 * later build brings another duplicate; the smallest id would not, where ids are not issued in
 * signup order (two CRMs, random ids). With `id` (a key rule's field), a person's id is instead
 * the smallest value of that key among its rows, where it has one that no other person has.
 *
 * `identity_aliases(alias, person_id, via)` lists every other id a person can be found by: the
 * customer ids merged into it and the values of its keys, for the customer card.
 */
import {listValue} from "@duckdb/node-api";
import {type Store} from "../core/store.ts";
import {ident, join, sql, val, type SQL} from "../core/sql.ts";
import {formatShare} from "../../src/contracts/share.ts";

/** A linking rule: equal e-mail keys, equal phone keys, or equal values of a named field. */
export type IdentityRule = {rule: "email"} | {rule: "phone"} | {rule: "key"; field: string};

/** How a person's field is chosen when its ids disagree. */
export type Strategy = "most_recent" | "oldest" | "most_frequent" | "max" | "min";
/** Every survivorship strategy. */
export const STRATEGIES: readonly Strategy[] = [
  "most_recent",
  "oldest",
  "most_frequent",
  "max",
  "min"
];

/**
 * Survivorship unless the config says otherwise: a person has been a customer since the first
 * signup of any of its accounts, and was acquired through that first account's channel.
 */
export const DEFAULT_SURVIVORSHIP: Readonly<Record<string, Strategy>> = {
  signup_date: "min",
  acquisition_channel: "oldest"
};

/** Phone keys shorter than this are extensions or fragments, too common to identify anyone. */
export const MIN_PHONE_DIGITS = 7;

export interface IdentityOptions {
  /** Linking rules, in order of trust: the first that links an id names it in identity_map. */
  rules: readonly IdentityRule[];
  /** Field → strategy (most_recent, oldest, most_frequent, max, min); default most_recent. */
  survivorship?: Readonly<Record<string, string>>;
  /** A key rule's field whose value becomes the person's id (see the module doc). */
  id?: string;
}

export interface IdentitySummary {
  /** Rows of accepted_customers. */
  rows: number;
  /** Distinct input customer ids. */
  ids: number;
  /** Persons (rows of customers). */
  persons: number;
  /** Persons combining more than one id. */
  mergedPersons: number;
  /** Ids merged into another id's person, by the rule that linked them. */
  merges: Record<string, number>;
  /** Rounds of label propagation until the components were stable. */
  rounds: number;
}

const SOURCE_TABLE = "accepted_customers";
const SOURCE = sql`accepted_customers`;
const MAX_ROUNDS = 100;

/** The name a rule goes by in identity_map and the summary. */
export function ruleName(rule: IdentityRule): string {
  return rule.rule === "key" ? `key:${rule.field}` : rule.rule;
}

/** Resolves customer ids into persons, writing identity_map and customers; see the module doc. */
export async function resolveIdentities(
  store: Store,
  options: IdentityOptions
): Promise<IdentitySummary> {
  const columns = await store.tableColumns(SOURCE_TABLE);
  const strategies = survivorship(columns, options.survivorship ?? {});
  const keys = options.rules.map((rule) => ruleKey(rule, columns));

  // Each id of a shared key links to the key's smallest id: a star per key, enough for components.
  const keyed =
    keys.length === 0
      ? sql`SELECT NULL::INTEGER AS rule, NULL::VARCHAR AS k, NULL::VARCHAR AS id WHERE false`
      : join(
          keys.map(
            (key, i) =>
              sql`SELECT ${i} AS rule, ${key} AS k, customer_id AS id FROM ${SOURCE} WHERE customer_id IS NOT NULL AND ${key} IS NOT NULL`
          ),
          " UNION ALL "
        );
  await store.run(
    sql`CREATE OR REPLACE TEMP TABLE _id_edges AS
     WITH keyed AS (${keyed}),
     shared AS (SELECT rule, k, min(id) AS root FROM keyed GROUP BY rule, k HAVING min(id) <> max(id))
     SELECT DISTINCT x.id AS a, s.root AS b, x.rule FROM keyed x JOIN shared s USING (rule, k)`
  );
  await store.run(
    sql`CREATE OR REPLACE TEMP TABLE _id_adjacent AS
     SELECT a, b FROM _id_edges UNION SELECT b, a FROM _id_edges UNION SELECT a, a FROM _id_edges`
  );
  await store.run(
    sql`CREATE OR REPLACE TEMP TABLE _id_label AS SELECT a AS id, min(b) AS label FROM _id_adjacent GROUP BY a`
  );
  const rounds = await propagate(store);

  await store.run(
    sql`CREATE OR REPLACE TEMP TABLE _id_signup AS
     SELECT customer_id AS id, min(signup_date) AS signup FROM ${SOURCE} WHERE customer_id IS NOT NULL GROUP BY customer_id`
  );
  await store.run(
    sql`CREATE OR REPLACE TEMP TABLE _id_person AS
     SELECT l.label, first(l.id ORDER BY s.signup ASC NULLS LAST, l.id) AS person_id
     FROM _id_label l JOIN _id_signup s USING (id) GROUP BY l.label`
  );
  // Every id with its label: its component's, or itself when nothing links it.
  await store.run(
    sql`CREATE OR REPLACE TEMP TABLE _id_label_all AS
     SELECT s.id, coalesce(l.label, s.id) AS label FROM _id_signup s LEFT JOIN _id_label l USING (id)`
  );
  if (options.id !== undefined) await keyAsPersonId(store, keyOf(options.id, options.rules, keys));
  // "self" leads the list so that it is never empty (an empty list cannot be bound).
  const names = listValue(["self", ...options.rules.map(ruleName)]);
  await store.run(
    sql`CREATE OR REPLACE TABLE identity_map AS
     WITH linked AS (SELECT a AS id, min(rule) AS rule FROM _id_edges GROUP BY a)
     SELECT s.id AS customer_id, coalesce(p.person_id, s.id) AS person_id,
            CASE WHEN coalesce(p.person_id, s.id) = s.id OR r.rule IS NULL THEN 'self' ELSE list_extract(${names}, r.rule + 2) END AS rule
     FROM _id_signup s
     LEFT JOIN _id_label_all l USING (id)
     LEFT JOIN _id_person p ON p.label = l.label
     LEFT JOIN linked r ON r.id = s.id
     ORDER BY customer_id`
  );
  // Only persons of several rows need survivorship; the others are copied as they are.
  await store.run(
    sql`CREATE OR REPLACE TEMP TABLE _id_shared AS
     SELECT customer_id, person_id FROM identity_map WHERE person_id IN (
       SELECT person_id FROM identity_map GROUP BY person_id HAVING count(*) > 1
       UNION
       SELECT person_id FROM identity_map WHERE person_id <> customer_id
       UNION
       SELECT m.person_id FROM identity_map m
       JOIN (SELECT customer_id FROM ${SOURCE} GROUP BY customer_id HAVING count(*) > 1) d USING (customer_id))`
  );
  for (const statement of customersSql(columns, strategies)) await store.run(statement);
  await store.run(aliasesSql(options.rules, keys));

  const counts = await store.one<{rows: number; ids: number; persons: number; merged: number}>(
    sql`SELECT (SELECT count(*) FROM ${SOURCE})::INTEGER AS rows,
            (SELECT count(*) FROM identity_map)::INTEGER AS ids,
            (SELECT count(*) FROM customers)::INTEGER AS persons,
            (SELECT count(*) FROM customers WHERE merged_ids > 1)::INTEGER AS merged`
  );
  const merges = Object.fromEntries(options.rules.map((rule) => [ruleName(rule), 0]));
  for (const row of await store.all<{rule: string; n: number}>(
    sql`SELECT rule, count(*)::INTEGER AS n FROM identity_map WHERE rule <> 'self' GROUP BY rule ORDER BY rule`
  )) {
    merges[row.rule] = row.n;
  }
  for (const t of ["_id_edges", "_id_adjacent", "_id_label", "_id_label_all", "_id_signup"]) {
    await store.run(sql`DROP TABLE IF EXISTS ${ident(t)}`);
  }
  await store.run(sql`DROP TABLE IF EXISTS _id_person`);
  await store.run(sql`DROP TABLE IF EXISTS _id_shared`);
  return {
    rows: counts?.rows ?? 0,
    ids: counts?.ids ?? 0,
    persons: counts?.persons ?? 0,
    mergedPersons: counts?.merged ?? 0,
    merges,
    rounds
  };
}

/** The key SQL of the rule whose field is `field` (the config checks that there is one). */
function keyOf(field: string, rules: readonly IdentityRule[], keys: readonly SQL[]): SQL {
  const i = rules.findIndex((r) => r.rule === "key" && r.field === field);
  if (i < 0) throw new Error(`identity id: ${field} is not the field of a key rule`);
  return keys[i];
}

/**
 * Renames persons in `_id_person` to their key: the smallest value of `key` among the person's
 * rows. A person with no value keeps its id, and so does any person whose key value is another
 * person's id or key value, so that person ids stay unique.
 */
async function keyAsPersonId(store: Store, key: SQL): Promise<void> {
  await store.run(
    sql`CREATE OR REPLACE TEMP TABLE _id_keyed AS
     WITH persons AS (
       SELECT a.label, coalesce(p.person_id, a.label) AS own
       FROM (SELECT DISTINCT label FROM _id_label_all) a LEFT JOIN _id_person p USING (label)),
     candidate AS (
       SELECT a.label, min(${key}) AS key_id
       FROM ${SOURCE} c JOIN _id_label_all a ON a.id = c.customer_id
       WHERE ${key} IS NOT NULL GROUP BY a.label)
     SELECT p.label, p.own, coalesce(c.key_id, p.own) AS person_id
     FROM persons p LEFT JOIN candidate c USING (label)`
  );
  // A shared id goes back to the persons' own ids (unique), until none is shared.
  for (;;) {
    const clash = await store.one<{n: number}>(
      sql`SELECT count(*)::INTEGER AS n FROM (
         SELECT label FROM _id_keyed
         QUALIFY count(*) OVER (PARTITION BY person_id) > 1 AND person_id <> own)`
    );
    if ((clash?.n ?? 0) === 0) break;
    await store.run(
      sql`UPDATE _id_keyed SET person_id = own WHERE label IN (
         SELECT label FROM _id_keyed
         QUALIFY count(*) OVER (PARTITION BY person_id) > 1 AND person_id <> own)`
    );
  }
  await store.run(sql`DROP TABLE _id_person`);
  await store.run(sql`CREATE TEMP TABLE _id_person AS SELECT label, person_id FROM _id_keyed`);
  await store.run(sql`DROP TABLE _id_keyed`);
}

/** `identity_aliases`: merged customer ids and key values, each with the person it finds. */
function aliasesSql(rules: readonly IdentityRule[], keys: readonly SQL[]): SQL {
  const byKey = rules.flatMap((rule, i) =>
    rule.rule === "key"
      ? [
          sql`SELECT ${keys[i]} AS alias, m.person_id, ${val(ruleName(rule))} AS via
           FROM ${SOURCE} c JOIN identity_map m USING (customer_id) WHERE ${keys[i]} IS NOT NULL`
        ]
      : []
  );
  return sql`CREATE OR REPLACE TABLE identity_aliases AS
     SELECT DISTINCT alias, person_id, via FROM (
       SELECT customer_id AS alias, person_id, 'customer_id' AS via FROM identity_map
       ${join(
         byKey.map((q) => sql` UNION ALL ${q}`),
         ""
       )})
     WHERE alias <> person_id
     ORDER BY alias, via`;
}

/**
 * Label propagation to a fixed point: each id takes the smallest label among itself and its
 * neighbours, then the label of its label (pointer jumping), which halves long chains each round.
 */
async function propagate(store: Store): Promise<number> {
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    await store.run(
      sql`CREATE OR REPLACE TEMP TABLE _id_next AS
       WITH hop AS (
         SELECT j.a AS id, min(l.label) AS label FROM _id_adjacent j JOIN _id_label l ON l.id = j.b GROUP BY j.a)
       SELECT h.id, least(h.label, coalesce(p.label, h.label)) AS label
       FROM hop h LEFT JOIN _id_label p ON p.id = h.label`
    );
    const changed = await store.one<{n: number}>(
      sql`SELECT count(*)::INTEGER AS n FROM _id_next n JOIN _id_label l USING (id) WHERE n.label <> l.label`
    );
    await store.run(sql`DROP TABLE _id_label`);
    await store.run(sql`ALTER TABLE _id_next RENAME TO _id_label`);
    if ((changed?.n ?? 0) === 0) return round;
  }
  throw new Error(
    `identity resolution did not settle in ${MAX_ROUNDS} rounds of label propagation: report this with the data's shape`
  );
}

/** The SQL of a rule's matching key over accepted_customers. */
function ruleKey(rule: IdentityRule, columns: Map<string, string>): SQL {
  const need = (column: string, hint: string) => {
    if (!columns.has(column)) {
      throw new Error(
        `identity rule ${ruleName(rule)}: ${SOURCE_TABLE} has no column ${column}. ${hint}`
      );
    }
  };
  switch (rule.rule) {
    case "email":
      need("email_key", "Run standardise before resolveIdentities.");
      return sql`email_key`;
    case "phone":
      need("phone_key", "Run standardise before resolveIdentities.");
      return sql`CASE WHEN length(phone_key) >= ${MIN_PHONE_DIGITS} THEN phone_key END`;
    case "key":
      need(rule.field, `Name one of: ${[...columns.keys()].join(", ")}.`);
      return sql`CAST(${ident(rule.field)} AS VARCHAR)`;
    default:
      throw new Error(
        `invalid identity rule: ${JSON.stringify(rule)} (use email, phone or key with a field)`
      );
  }
}

/** The strategy of every output field: config, then defaults, then most_recent. */
function survivorship(
  columns: Map<string, string>,
  config: Readonly<Record<string, string>>
): Map<string, Strategy> {
  for (const [field, strategy] of Object.entries(config)) {
    if (!columns.has(field) || field === "customer_id" || field.startsWith("_")) {
      throw new Error(
        `identity survivorship: unknown customers field ${field}. Name one of: ${fieldsOf(columns).join(", ")}.`
      );
    }
    if (!STRATEGIES.includes(strategy as Strategy)) {
      throw new Error(
        `identity survivorship: invalid strategy ${strategy} for ${field} (use ${STRATEGIES.join(", ")})`
      );
    }
  }
  // The matching keys follow the field they were made from unless configured themselves.
  const follows: Record<string, string> = {email_key: "email", phone_key: "phone"};
  const chosen = (field: string): Strategy =>
    (config[field] as Strategy | undefined) ??
    DEFAULT_SURVIVORSHIP[field] ??
    (follows[field] ? chosen(follows[field]) : "most_recent");
  return new Map(fieldsOf(columns).map((field) => [field, chosen(field)]));
}

function fieldsOf(columns: Map<string, string>): string[] {
  return [...columns.keys()].filter((c) => c !== "customer_id" && !c.startsWith("_"));
}

/** The aggregate choosing a field's value for a person of several rows. */
function survivorSql(field: string, strategy: Strategy, i: number): SQL {
  const f = ident(field);
  switch (strategy) {
    case "most_recent":
      return sql`arg_max(${f}, __recency) FILTER (WHERE ${f} IS NOT NULL)`;
    case "oldest":
      return sql`arg_min(${f}, __recency) FILTER (WHERE ${f} IS NOT NULL)`;
    // Ties go to the most recent of the equally frequent values.
    case "most_frequent":
      return sql`arg_max(${f}, ${countOf(i)} * 4294967296 + __recency) FILTER (WHERE ${f} IS NOT NULL)`;
    case "max":
      return sql`max(${f})`;
    case "min":
      return sql`min(${f})`;
  }
}

/** The column counting a most_frequent field's value among its person's rows. */
function countOf(i: number): SQL {
  return ident(`__count${i}`);
}

/**
 * customers: every row copied, then the rows of persons of several rows replaced by one row
 * each, aggregated field by field (a plain copy and a small change cost less than a join of
 * every row). Recency orders a person's rows by signup date, then data row (later is more
 * recent). The table is not sorted (sorting a million wide rows costs more than the rest).
 */
function customersSql(columns: Map<string, string>, strategies: Map<string, Strategy>): SQL[] {
  const fields = [...strategies.keys()];
  const counts = join(
    fields.map((f, i) =>
      strategies.get(f) === "most_frequent"
        ? sql`, count(*) OVER (PARTITION BY __person, ${ident(f)}) AS ${countOf(i)}`
        : sql``
    ),
    ""
  );
  const order = ["signup_date", "_row", "_source"].filter((c) => columns.has(c));
  const recency = sql`row_number() OVER (PARTITION BY s.person_id ORDER BY ${join([...order.map((c) => sql`c.${ident(c)} ASC NULLS FIRST`), sql`c.customer_id`])})`;
  const single = join(fields.map((f) => sql`c.${ident(f)}`));
  const merged = join(
    fields.map((f, i) => sql`${survivorSql(f, strategies.get(f)!, i)} AS ${ident(f)}`)
  );
  return [
    sql`CREATE OR REPLACE TABLE customers AS
     SELECT c.customer_id, ${single}, 1::INTEGER AS merged_ids
     FROM ${SOURCE} c WHERE c.customer_id IS NOT NULL`,
    sql`DELETE FROM customers WHERE customer_id IN (SELECT customer_id FROM _id_shared)`,
    sql`INSERT INTO customers
     WITH person_rows AS (
       SELECT c.*, s.person_id AS __person, ${recency} AS __recency
       FROM ${SOURCE} c JOIN _id_shared s ON s.customer_id = c.customer_id),
     many AS (SELECT *${counts} FROM person_rows)
     SELECT __person, ${merged}, count(DISTINCT customer_id)::INTEGER FROM many GROUP BY __person`
  ];
}

/** A customer id holds an implausible share of a table when it passes all three of these. */
export const CROWDED = {rows: 100, share: 0.01, timesMedian: 50};

/**
 * Warnings for customer ids that hold an implausible share of a table's rows (a placeholder such
 * as "0" or "guest" that is no person): at least CROWDED.rows rows, CROWDED.share of the table
 * and CROWDED.timesMedian times the median customer's rows.
 */
export async function crowdedIds(store: Store, tables: readonly string[]): Promise<string[]> {
  const warnings: string[] = [];
  const n = (x: number) => x.toLocaleString("en-US");
  for (const table of tables) {
    if (!(await store.has(table))) continue;
    const top = await store.one<{id: string; rows: number; total: number; median: number}>(
      sql`WITH per AS (SELECT customer_id AS id, count(*) AS rows FROM ${ident(table)}
                       WHERE customer_id IS NOT NULL GROUP BY customer_id)
       SELECT id, rows::INTEGER AS rows, (SELECT count(*) FROM ${ident(table)})::INTEGER AS total,
              (SELECT median(rows) FROM per)::DOUBLE AS median
       FROM per ORDER BY rows DESC, id LIMIT 1`
    );
    if (top === undefined || top.total === 0) continue;
    const share = top.rows / top.total;
    const times = top.rows / top.median;
    if (top.rows >= CROWDED.rows && share >= CROWDED.share && times >= CROWDED.timesMedian)
      warnings.push(
        `${table}: customer ${JSON.stringify(top.id)} holds ${n(top.rows)} of ${n(top.total)} rows (${formatShare(share)}), ${n(Math.round(times))} times the median customer's: a placeholder for a missing id? If so, add it to validation.missingValues.`
      );
  }
  return warnings;
}

/**
 * Copies a table with each customer_id rewritten to its person (ids not in identity_map stay),
 * so the orders of a merged duplicate count for the person; fromTable may be toTable (in
 * place). A stored fromTable is renamed rather than copied: the copy would write a table of
 * events a second time. Returns the rows and the rows moved to another id.
 */
export async function followIdentities(
  store: Store,
  fromTable: string,
  toTable: string
): Promise<{rows: number; moved: number}> {
  if (!(await store.has(fromTable))) return {rows: 0, moved: 0};
  // A plain copy and an update of the few moved rows beat a join of every row (events run to
  // tens of millions).
  await store.run(
    sql`CREATE OR REPLACE TEMP TABLE _id_moved AS SELECT customer_id, person_id FROM identity_map WHERE person_id <> customer_id`
  );
  const counts = await store.one<{rows: number; moved: number}>(
    sql`SELECT (SELECT count(*) FROM ${ident(fromTable)})::INTEGER AS rows,
            (SELECT count(*) FROM ${ident(fromTable)} f JOIN _id_moved m USING (customer_id))::INTEGER AS moved`
  );
  if (fromTable !== toTable && (await isStored(store, fromTable))) {
    await store.run(sql`DROP TABLE IF EXISTS ${ident(toTable)}`);
    await store.run(sql`ALTER TABLE ${ident(fromTable)} RENAME TO ${ident(toTable)}`);
  } else if (fromTable !== toTable) {
    await store.run(
      sql`CREATE OR REPLACE TABLE ${ident(toTable)} AS SELECT * FROM ${ident(fromTable)}`
    );
  }
  await store.run(
    sql`UPDATE ${ident(toTable)} AS t SET customer_id = m.person_id FROM _id_moved m WHERE m.customer_id = t.customer_id`
  );
  await store.run(sql`DROP TABLE _id_moved`);
  return {rows: counts?.rows ?? 0, moved: counts?.moved ?? 0};
}

/** Whether a table is one of the store's own (not a temporary one). */
async function isStored(store: Store, table: string): Promise<boolean> {
  const row = await store.one<{n: number}>(
    sql`SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = ${val(table)} AND schema_name = 'main' AND database_name = current_database()`
  );
  return (row?.n ?? 0) > 0;
}
