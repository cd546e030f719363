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
import {ident} from "../core/sql.ts";

/** The columns of `derived_values`: one row per value standardisation or enrichment filled or changed. */
export const DERIVED_VALUES_COLUMNS =
  '"table" VARCHAR, customer_id VARCHAR, _source VARCHAR, _row BIGINT, field VARCHAR, method VARCHAR, value VARCHAR, original VARCHAR';

/** Creates `derived_values` when missing (standardise starts it afresh; enrichment appends). */
export async function ensureDerivedValues(store: Store): Promise<void> {
  await store.run(`CREATE TABLE IF NOT EXISTS derived_values (${DERIVED_VALUES_COLUMNS})`);
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
export function foldSql(expr: string): string {
  return `NULLIF(lower(trim(regexp_replace(${expr}, '\\s+', ' ', 'g'))), '')`;
}

/** The e-mail matching key: lower case with every space removed; empty → NULL. */
export function emailKeySql(expr: string): string {
  // Most addresses hold no space: testing for one is cheaper than rewriting every address.
  return `NULLIF(lower(CASE WHEN regexp_matches(${expr}, '\\s') THEN regexp_replace(${expr}, '\\s', '', 'g') ELSE ${expr} END), '')`;
}

/** The digits of a phone number, without a "(0)" written after the calling code. */
export function phoneDigitsSql(phone: string): string {
  return `regexp_replace(replace(${phone}, '(0)', ''), '[^0-9]', '', 'g')`;
}

/** The phone matching key (see the module doc) from a phone, its digits and its country's plan. */
export function phoneKeySql(
  phone: string,
  digits: string,
  callingCode: string,
  trunk: string
): string {
  return `CASE
    WHEN ${digits} = '' THEN NULL
    WHEN starts_with(trim(${phone}), '+') THEN ${digits}
    WHEN starts_with(${digits}, '00') THEN NULLIF(substr(${digits}, 3), '')
    WHEN ${callingCode} = '1' AND starts_with(${digits}, '011') THEN NULLIF(substr(${digits}, 4), '')
    WHEN ${callingCode} = '1' AND length(${digits}) = 10 THEN '1' || ${digits}
    WHEN ${callingCode} IS NULL OR ${callingCode} = '1' THEN ${digits}
    WHEN ${trunk} <> '' AND starts_with(${digits}, ${trunk}) THEN ${callingCode} || substr(${digits}, length(${trunk}) + 1)
    ELSE ${callingCode} || ${digits} END`;
}

/** Whole years from a date to the as-of date (bound as `$asOf`). */
function yearsSql(date: string): string {
  return `(year($asOf::DATE) - year(${date}) - CASE WHEN month($asOf::DATE) * 100 + day($asOf::DATE) < month(${date}) * 100 + day(${date}) THEN 1 ELSE 0 END)`;
}

/** Standardises the accepted_* tables in place and fills gaps; see the module doc. */
export async function standardise(
  store: Store,
  options: StandardiseOptions
): Promise<StandardiseSummary> {
  if (options.asOf !== null && !/^\d{4}-\d{2}-\d{2}$/.test(options.asOf)) {
    throw new Error(`invalid asOf: ${options.asOf} (write it as YYYY-MM-DD)`);
  }
  await store.run(`CREATE OR REPLACE TABLE derived_values (${DERIVED_VALUES_COLUMNS})`);
  await store.run(
    `CREATE OR REPLACE TABLE standardise_issues ("table" VARCHAR, _source VARCHAR, _row BIGINT, field VARCHAR, value VARCHAR, reason VARCHAR)`
  );
  const tables: string[] = [];
  if (await store.has("accepted_customers")) {
    await standardiseCustomers(store, options.asOf);
    tables.push("accepted_customers");
  }
  for (const [table, fields] of Object.entries(CATEGORY_FIELDS)) {
    if (table === "customers" || !(await store.has(`accepted_${table}`))) continue;
    await foldCategories(store, table, fields);
    tables.push(`accepted_${table}`);
  }
  const derived = await store.all<StandardiseSummary["derived"][number]>(
    `SELECT "table", field, method, count(*)::INTEGER AS "values" FROM derived_values GROUP BY ALL ORDER BY ALL`
  );
  const cleared = await store.all<StandardiseSummary["cleared"][number]>(
    `SELECT "table", field, reason, count(*)::INTEGER AS "values" FROM standardise_issues GROUP BY ALL ORDER BY ALL`
  );
  return {asOf: options.asOf, tables, derived, cleared};
}

/** A field standardised through a map from each written value to its standard value. */
interface Mapped {
  field: string;
  method: string;
  /** A temporary table (v, standard). */
  map: string;
}

async function standardiseCustomers(store: Store, asOf: string | null): Promise<void> {
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
    `CREATE OR REPLACE TEMP TABLE _std_country AS
     SELECT c.v, k.alpha2 AS standard, d.calling_code, d.trunk
     FROM (SELECT DISTINCT country AS v FROM accepted_customers WHERE country IS NOT NULL) c
     LEFT JOIN _country_keys k ON k.key = ${countryKeySql("c.v")}
     LEFT JOIN (SELECT unnest($codes) AS alpha2, unnest($calling) AS calling_code, unnest($trunks) AS trunk) d
       ON d.alpha2 = k.alpha2`,
    {
      codes: listValue(COUNTRIES.map((c) => c.alpha2)),
      calling: listValue(COUNTRIES.map((c) => c.callingCode)),
      trunks: listValue(COUNTRIES.map((c) => c.trunkPrefix))
    }
  );
  await store.run(
    `CREATE OR REPLACE TEMP TABLE _std_gender AS
     SELECT v, CASE WHEN list_contains($female, f) THEN 'F' WHEN list_contains($male, f) THEN 'M'
                    WHEN list_contains($other, f) THEN 'X' END AS standard
     FROM (SELECT v, ${foldSql("v")} AS f FROM (SELECT DISTINCT gender AS v FROM accepted_customers WHERE gender IS NOT NULL))`,
    {
      female: listValue([...GENDER_CODES.F]),
      male: listValue([...GENDER_CODES.M]),
      other: listValue([...GENDER_CODES.X])
    }
  );
  const categories = CATEGORY_FIELDS.customers;
  await foldMap(store, "accepted_customers", categories);
  const mapped: Mapped[] = [
    {field: "country", method: "country_iso", map: "_std_country"},
    {field: "gender", method: "gender_code", map: "_std_gender"},
    ...categories.map((field) => ({field, method: "category_casefold", map: "_std_fold"}))
  ];

  const years = yearsSql("birth_date");
  const birthValid = `(birth_date <= $asOf::DATE AND ${years} <= ${MAX_AGE})`;
  // Without an as-of date birth dates are kept unchecked (birthValid is NULL) and no age derived.
  const age = `CASE WHEN age BETWEEN 0 AND ${MAX_AGE} THEN age WHEN ${birthValid} THEN ${years} END`;

  await store.run(
    `INSERT INTO derived_values
     ${mapped
       .map(
         (m, i) =>
           `SELECT 'customers', c.customer_id, c._source, c._row, $field${i}, $method${i}, m.standard, c.${ident(m.field)}
            FROM accepted_customers c JOIN ${m.map} m ON m.v = c.${ident(m.field)} WHERE m.standard <> c.${ident(m.field)}`
       )
       .join(" UNION ALL ")}
     UNION ALL
     SELECT 'customers', customer_id, _source, _row, 'age', 'age_from_birth_date', CAST(derived AS VARCHAR), CAST(age AS VARCHAR)
     FROM (SELECT *, ${age} AS derived FROM accepted_customers) WHERE derived IS DISTINCT FROM age AND derived IS NOT NULL`,
    {
      asOf,
      ...Object.fromEntries(
        mapped.flatMap((m, i) => [
          [`field${i}`, m.field],
          [`method${i}`, m.method]
        ])
      )
    }
  );
  await store.run(
    `INSERT INTO standardise_issues
     SELECT 'customers', c._source, c._row, 'country', c.country, 'unrecognised country'
     FROM accepted_customers c JOIN _std_country m ON m.v = c.country WHERE m.standard IS NULL
     UNION ALL
     SELECT 'customers', c._source, c._row, 'gender', c.gender, 'unrecognised gender'
     FROM accepted_customers c JOIN _std_gender m ON m.v = c.gender WHERE m.standard IS NULL
     UNION ALL
     SELECT 'customers', _source, _row, 'birth_date', CAST(birth_date AS VARCHAR),
            CASE WHEN birth_date > $asOf::DATE THEN 'birth date after the as-of date' ELSE $tooOld END
     FROM accepted_customers WHERE NOT ${birthValid}
     UNION ALL
     SELECT 'customers', _source, _row, 'age', CAST(age AS VARCHAR), $badAge
     FROM accepted_customers WHERE NOT (age BETWEEN 0 AND ${MAX_AGE})`,
    {
      asOf,
      tooOld: `birth date more than ${MAX_AGE} years before the as-of date`,
      badAge: `age outside 0 to ${MAX_AGE}`
    }
  );

  // Updates rewrite only the columns they set, where a new table would copy every column.
  await store.run("ALTER TABLE accepted_customers ADD COLUMN IF NOT EXISTS email_key VARCHAR");
  await store.run("ALTER TABLE accepted_customers ADD COLUMN IF NOT EXISTS phone_key VARCHAR");
  await store.run(
    `UPDATE accepted_customers SET email_key = ${emailKeySql("email")}, phone_key = ${phoneDigitsSql("phone")}`
  );
  // The country map holds a NULL row too, so that every customer's phone key gets its rule.
  await store.run(
    `UPDATE accepted_customers AS c
     SET country = m.standard, phone_key = ${phoneKeySql("c.phone", "c.phone_key", "m.calling_code", "m.trunk")}
     FROM (SELECT * FROM _std_country UNION ALL SELECT NULL, NULL, NULL, NULL) m
     WHERE m.v IS NOT DISTINCT FROM c.country`
  );
  for (const m of mapped.filter((m) => m.field !== "country")) {
    await store.run(
      `UPDATE accepted_customers AS c SET ${ident(m.field)} = m.standard FROM ${m.map} m
       WHERE m.v = c.${ident(m.field)} AND m.standard IS DISTINCT FROM c.${ident(m.field)}`
    );
  }
  await store.run(`UPDATE accepted_customers SET age = ${age} WHERE ${age} IS DISTINCT FROM age`, {
    asOf
  });
  await store.run(`UPDATE accepted_customers SET birth_date = NULL WHERE NOT ${birthValid}`, {
    asOf
  });
}

/** `_std_fold(v, standard)`: every value of the fields of a table, case-folded. */
async function foldMap(store: Store, table: string, fields: readonly string[]): Promise<void> {
  await store.run(
    `CREATE OR REPLACE TEMP TABLE _std_fold AS
     SELECT v, ${foldSql("v")} AS standard FROM (${fields
       .map((f) => `SELECT DISTINCT ${ident(f)} AS v FROM ${ident(table)}`)
       .join(" UNION ")}) WHERE v IS NOT NULL`
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
  const col = (c: string) => (columns.has(c) ? `t.${ident(c)}` : "NULL");
  await store.run(
    `INSERT INTO derived_values ${fields
      .map(
        (f, i) =>
          `SELECT $table, ${col("customer_id")}, ${col("_source")}, ${col("_row")}, $field${i}, 'category_casefold', m.standard, t.${ident(f)}
           FROM ${ident(name)} t JOIN _std_fold m ON m.v = t.${ident(f)} WHERE m.standard <> t.${ident(f)}`
      )
      .join(" UNION ALL ")}`,
    {table, ...Object.fromEntries(fields.map((f, i) => [`field${i}`, f]))}
  );
  // Few values change, so updating them in place beats rewriting a table of events.
  for (const f of fields) {
    await store.run(
      `UPDATE ${ident(name)} SET ${ident(f)} = m.standard FROM _std_fold m
       WHERE m.v = ${ident(name)}.${ident(f)} AND m.standard <> ${ident(name)}.${ident(f)}`
    );
  }
}
