/**
 * Standardisation: the accepted_* tables written one way, before identities are resolved.
 *
 * Works in place: `accepted_customers` keeps its rows, gets standard values and two matching keys
 * (`email_key`, `phone_key`) appended; the category fields of the other accepted_* tables are
 * updated where their case or spacing differs. Every later stage then reads accepted_* whether
 * or not this one ran, and the store holds no second copy of the customers. Originals
 * stay recoverable: each changed or filled value is a row of `derived_values` (with the original),
 * each value cleared for lack of a valid reading a row of `standardise_issues`. Nothing is
 * invented where the data gives no basis: an unknown value becomes NULL, never a guess.
 *
 * Phone keys (`phone_key`) are international digits without "+" (E.164 digits):
 * - "+" or "00" before the number: the digits after it, as written;
 * - a North American country (calling code 1): 10 digits get a leading 1, "011" is dropped;
 * - otherwise, with a known country: its trunk prefix (usually "0") is dropped once and its
 *   calling code put in front ("030 1234567" in DE → "49301234567");
 * - without a known country: the digits as written.
 * A "(0)" written after the calling code ("+44 (0)20 ...") is dropped first.
 */
import {listValue} from "@duckdb/node-api";
import {CUSTOMERS} from "../config/canonical.ts";
import {COUNTRIES, countryKeySql, ensureCountryKeys} from "./countries.ts";
import {type Store} from "../core/store.ts";
import {ident, join, sql, val, type SQL} from "../core/sql.ts";

/** The columns of `derived_values`: one row per value standardisation or enrichment filled or changed. */
export const DERIVED_VALUES_COLUMNS = sql`"table" VARCHAR, customer_id VARCHAR, _source VARCHAR, _row BIGINT, field VARCHAR, method VARCHAR, value VARCHAR, original VARCHAR`;

/** Creates `derived_values` when missing (standardise starts it afresh; enrichment appends). */
export async function ensureDerivedValues(store: Store): Promise<void> {
  await store.run(sql`CREATE TABLE IF NOT EXISTS derived_values (${DERIVED_VALUES_COLUMNS})`);
}

/** Category-like text fields per canonical table: lower case, single spaces. */
export const CATEGORY_FIELDS: Readonly<Record<string, readonly string[]>> = {
  customers: [
    "education",
    "occupation",
    "marital_status",
    "acquisition_channel",
    "preferred_channel",
    "industry"
  ],
  orders: ["channel", "category", "status"],
  tickets: ["topic", "channel", "priority"],
  email_events: ["event"],
  web_sessions: ["device", "source"]
};

/** How gender is written, after case folding, by the code it stands for. */
export const GENDER_CODES: Readonly<Record<"F" | "M" | "X", readonly string[]>> = {
  F: ["f", "female", "w", "woman", "women", "weiblich", "femme", "femenino", "vrouw"],
  M: ["m", "male", "man", "men", "männlich", "mannlich", "homme", "masculino", "h"],
  X: ["x", "other", "diverse", "divers", "nonbinary", "non-binary", "non binary", "nb", "d"]
};

/** A birth date further back than this many years before the as-of date is not believed. */
export const MAX_AGE = 120;

export interface StandardiseOptions {
  /** The date ages are computed at (YYYY-MM-DD), normally the data's as-of date; without one
   * (data with no dates) ages are not derived and birth dates not checked. */
  asOf: string | null;
  /** The project's own category fields of customers (its category attributes), folded too. */
  categories?: readonly string[];
}

export interface StandardiseSummary {
  asOf: string | null;
  /** The accepted_* tables standardised. */
  tables: string[];
  /** Values filled or changed, by table, field and method. */
  derived: {table: string; field: string; method: string; values: number}[];
  /** Values cleared, by table, field and reason. */
  cleared: {table: string; field: string; reason: string; values: number}[];
}

/** Case-folds a category: trimmed, lower case, inner whitespace collapsed; empty → NULL. */
export function foldSql(expr: SQL): SQL {
  return sql`NULLIF(lower(trim(regexp_replace(${expr}, '\\s+', ' ', 'g'))), '')`;
}

/** The e-mail matching key: lower case with every space removed; empty → NULL. */
export function emailKeySql(expr: SQL): SQL {
  // Most addresses hold no space: testing for one is cheaper than rewriting every address.
  return sql`NULLIF(lower(CASE WHEN regexp_matches(${expr}, '\\s') THEN regexp_replace(${expr}, '\\s', '', 'g') ELSE ${expr} END), '')`;
}

/** The digits of a phone number, without a "(0)" written after the calling code. */
export function phoneDigitsSql(phone: SQL): SQL {
  return sql`regexp_replace(replace(${phone}, '(0)', ''), '[^0-9]', '', 'g')`;
}

/** The phone matching key (see the module doc) from a phone, its digits and its country's plan. */
export function phoneKeySql(phone: SQL, digits: SQL, callingCode: SQL, trunk: SQL): SQL {
  return sql`CASE
    WHEN ${digits} = '' THEN NULL
    WHEN starts_with(trim(${phone}), '+') THEN ${digits}
    WHEN starts_with(${digits}, '00') THEN NULLIF(substr(${digits}, 3), '')
    WHEN ${callingCode} = '1' AND starts_with(${digits}, '011') THEN NULLIF(substr(${digits}, 4), '')
    WHEN ${callingCode} = '1' AND length(${digits}) = 10 THEN '1' || ${digits}
    WHEN ${callingCode} IS NULL OR ${callingCode} = '1' THEN ${digits}
    WHEN ${trunk} <> '' AND starts_with(${digits}, ${trunk}) THEN ${callingCode} || substr(${digits}, length(${trunk}) + 1)
    ELSE ${callingCode} || ${digits} END`;
}

/** Whole years from a date to the as-of date. */
function yearsSql(date: SQL, asOf: SQL): SQL {
  return sql`(year(${asOf}) - year(${date}) - CASE WHEN month(${asOf}) * 100 + day(${asOf}) < month(${date}) * 100 + day(${date}) THEN 1 ELSE 0 END)`;
}

/** Standardises the accepted_* tables in place and fills gaps; see the module doc. */
export async function standardise(
  store: Store,
  options: StandardiseOptions
): Promise<StandardiseSummary> {
  if (options.asOf !== null && !/^\d{4}-\d{2}-\d{2}$/.test(options.asOf)) {
    throw new Error(`invalid asOf: ${options.asOf} (write it as YYYY-MM-DD)`);
  }
  await store.run(sql`CREATE OR REPLACE TABLE derived_values (${DERIVED_VALUES_COLUMNS})`);
  await store.run(
    sql`CREATE OR REPLACE TABLE standardise_issues ("table" VARCHAR, _source VARCHAR, _row BIGINT, field VARCHAR, value VARCHAR, reason VARCHAR)`
  );
  const tables: string[] = [];
  if (await store.has("accepted_customers")) {
    await standardiseCustomers(store, options.asOf, options.categories ?? []);
    tables.push("accepted_customers");
  }
  for (const [table, fields] of Object.entries(CATEGORY_FIELDS)) {
    if (table === "customers" || !(await store.has(`accepted_${table}`))) continue;
    await foldCategories(store, table, fields);
    tables.push(`accepted_${table}`);
  }
  const derived = await store.all<StandardiseSummary["derived"][number]>(
    sql`SELECT "table", field, method, count(*)::INTEGER AS "values" FROM derived_values GROUP BY ALL ORDER BY ALL`
  );
  const cleared = await store.all<StandardiseSummary["cleared"][number]>(
    sql`SELECT "table", field, reason, count(*)::INTEGER AS "values" FROM standardise_issues GROUP BY ALL ORDER BY ALL`
  );
  return {asOf: options.asOf, tables, derived, cleared};
}

/** A field standardised through a map from each written value to its standard value. */
interface Mapped {
  field: string;
  method: string;
  /** A temporary table (v, standard). */
  map: SQL;
}

async function standardiseCustomers(
  store: Store,
  asOf: string | null,
  ownCategories: readonly string[]
): Promise<void> {
  const columns = await store.tableColumns("accepted_customers");
  const missing = Object.keys(CUSTOMERS.fields).filter((f) => !columns.has(f));
  if (missing.length > 0) {
    throw new Error(
      `accepted_customers lacks the canonical field${missing.length > 1 ? "s" : ""} ${missing.join(", ")}: validation writes every field, NULL when a source has none`
    );
  }
  await ensureCountryKeys(store);
  // Countries, genders and categories take few distinct values: each value is standardised once,
  // into a map the customers are joined to, rather than once per customer.
  await store.run(
    sql`CREATE OR REPLACE TEMP TABLE _std_country AS
     SELECT c.v, k.alpha2 AS standard, d.calling_code, d.trunk
     FROM (SELECT DISTINCT country AS v FROM accepted_customers WHERE country IS NOT NULL) c
     LEFT JOIN _country_keys k ON k.key = ${countryKeySql(sql`c.v`)}
     LEFT JOIN (SELECT unnest(${listValue(COUNTRIES.map((c) => c.alpha2))}) AS alpha2, unnest(${listValue(COUNTRIES.map((c) => c.callingCode))}) AS calling_code, unnest(${listValue(COUNTRIES.map((c) => c.trunkPrefix))}) AS trunk) d
       ON d.alpha2 = k.alpha2`
  );
  await store.run(
    sql`CREATE OR REPLACE TEMP TABLE _std_gender AS
     SELECT v, CASE WHEN list_contains(${listValue([...GENDER_CODES.F])}, f) THEN 'F' WHEN list_contains(${listValue([...GENDER_CODES.M])}, f) THEN 'M'
                    WHEN list_contains(${listValue([...GENDER_CODES.X])}, f) THEN 'X' END AS standard
     FROM (SELECT v, ${foldSql(sql`v`)} AS f FROM (SELECT DISTINCT gender AS v FROM accepted_customers WHERE gender IS NOT NULL))`
  );
  const categories = [...CATEGORY_FIELDS.customers, ...ownCategories];
  await foldMap(store, "accepted_customers", categories);
  const mapped: Mapped[] = [
    {field: "country", method: "country_iso", map: sql`_std_country`},
    {field: "gender", method: "gender_code", map: sql`_std_gender`},
    ...categories.map((field) => ({field, method: "category_casefold", map: sql`_std_fold`}))
  ];

  const asOfDate = sql`${val(asOf)}::DATE`;
  const years = yearsSql(sql`birth_date`, asOfDate);
  const birthValid = sql`(birth_date <= ${asOfDate} AND ${years} <= ${MAX_AGE})`;
  // Without an as-of date birth dates are kept unchecked (birthValid is NULL) and no age derived.
  const age = sql`CASE WHEN age BETWEEN 0 AND ${MAX_AGE} THEN age WHEN ${birthValid} THEN ${years} END`;

  const changed = mapped.map(
    (m) =>
      sql`SELECT 'customers', c.customer_id, c._source, c._row, ${val(m.field)}, ${val(m.method)}, m.standard, c.${ident(m.field)}
          FROM accepted_customers c JOIN ${m.map} m ON m.v = c.${ident(m.field)} WHERE m.standard <> c.${ident(m.field)}`
  );
  await store.run(
    sql`INSERT INTO derived_values
     ${join(changed, " UNION ALL ")}
     UNION ALL
     SELECT 'customers', customer_id, _source, _row, 'age', 'age_from_birth_date', CAST(derived AS VARCHAR), CAST(age AS VARCHAR)
     FROM (SELECT *, ${age} AS derived FROM accepted_customers) WHERE derived IS DISTINCT FROM age AND derived IS NOT NULL`
  );
  await store.run(
    sql`INSERT INTO standardise_issues
     SELECT 'customers', c._source, c._row, 'country', c.country, 'unrecognised country'
     FROM accepted_customers c JOIN _std_country m ON m.v = c.country WHERE m.standard IS NULL
     UNION ALL
     SELECT 'customers', c._source, c._row, 'gender', c.gender, 'unrecognised gender'
     FROM accepted_customers c JOIN _std_gender m ON m.v = c.gender WHERE m.standard IS NULL
     UNION ALL
     SELECT 'customers', _source, _row, 'birth_date', CAST(birth_date AS VARCHAR),
            CASE WHEN birth_date > ${asOfDate} THEN 'birth date after the as-of date' ELSE ${val(`birth date more than ${MAX_AGE} years before the as-of date`)} END
     FROM accepted_customers WHERE NOT ${birthValid}
     UNION ALL
     SELECT 'customers', _source, _row, 'age', CAST(age AS VARCHAR), ${val(`age outside 0 to ${MAX_AGE}`)}
     FROM accepted_customers WHERE NOT (age BETWEEN 0 AND ${MAX_AGE})`
  );

  // Updates rewrite only the columns they set, where a new table would copy every column.
  await store.run(sql`ALTER TABLE accepted_customers ADD COLUMN IF NOT EXISTS email_key VARCHAR`);
  await store.run(sql`ALTER TABLE accepted_customers ADD COLUMN IF NOT EXISTS phone_key VARCHAR`);
  await store.run(
    sql`UPDATE accepted_customers SET email_key = ${emailKeySql(sql`email`)}, phone_key = ${phoneDigitsSql(sql`phone`)}`
  );
  // The country map holds a NULL row too, so that every customer's phone key gets its rule.
  await store.run(
    sql`UPDATE accepted_customers AS c
     SET country = m.standard, phone_key = ${phoneKeySql(sql`c.phone`, sql`c.phone_key`, sql`m.calling_code`, sql`m.trunk`)}
     FROM (SELECT * FROM _std_country UNION ALL SELECT NULL, NULL, NULL, NULL) m
     WHERE m.v IS NOT DISTINCT FROM c.country`
  );
  for (const m of mapped.filter((m) => m.field !== "country")) {
    await store.run(
      sql`UPDATE accepted_customers AS c SET ${ident(m.field)} = m.standard FROM ${m.map} m
       WHERE m.v = c.${ident(m.field)} AND m.standard IS DISTINCT FROM c.${ident(m.field)}`
    );
  }
  await store.run(
    sql`UPDATE accepted_customers SET age = ${age} WHERE ${age} IS DISTINCT FROM age`
  );
  await store.run(sql`UPDATE accepted_customers SET birth_date = NULL WHERE NOT ${birthValid}`);
}

/** `_std_fold(v, standard)`: every value of the fields of a table, case-folded. */
async function foldMap(store: Store, table: string, fields: readonly string[]): Promise<void> {
  const values = fields.map((f) => sql`SELECT DISTINCT ${ident(f)} AS v FROM ${ident(table)}`);
  await store.run(
    sql`CREATE OR REPLACE TEMP TABLE _std_fold AS
     SELECT v, ${foldSql(sql`v`)} AS standard FROM (${join(values, " UNION ")}) WHERE v IS NOT NULL`
  );
}

/** Folds the category fields of one accepted_* table in place, recording each changed value. */
async function foldCategories(
  store: Store,
  table: string,
  candidates: readonly string[]
): Promise<void> {
  const name = `accepted_${table}`;
  const columns = await store.tableColumns(name);
  const fields = candidates.filter((f) => columns.get(f) === "VARCHAR");
  if (fields.length === 0) return;
  await foldMap(store, name, fields);
  const col = (c: string) => (columns.has(c) ? sql`t.${ident(c)}` : sql`NULL`);
  const changed = fields.map(
    (f) =>
      sql`SELECT ${val(table)}, ${col("customer_id")}, ${col("_source")}, ${col("_row")}, ${val(f)}, 'category_casefold', m.standard, t.${ident(f)}
          FROM ${ident(name)} t JOIN _std_fold m ON m.v = t.${ident(f)} WHERE m.standard <> t.${ident(f)}`
  );
  await store.run(sql`INSERT INTO derived_values ${join(changed, " UNION ALL ")}`);
  // Few values change, so updating them in place beats rewriting a table of events.
  for (const f of fields) {
    await store.run(
      sql`UPDATE ${ident(name)} SET ${ident(f)} = m.standard FROM _std_fold m
       WHERE m.v = ${ident(name)}.${ident(f)} AND m.standard <> ${ident(name)}.${ident(f)}`
    );
  }
}
