/**
 * The people whose identifiers the privacy check protects: every customer of the store's
 * `customers` table and every quarantined customer row (real people too, though the store keeps
 * no customer for them). Read once into the identifier index for the scan, and once more, only
 * when something leaked, to name whose identifier it was.
 */
import {closeSync, openSync, readSync} from "node:fs";
import {join as joinPath} from "node:path";
import {listValue} from "@duckdb/node-api";
import {normalise} from "../core/closest.ts";
import {redact} from "../core/redact.ts";
import type {CsvOptions, PortraitConfig} from "../config/project.ts";
import {ident, join, sql, type SQL} from "../core/sql.ts";
import {type Store} from "../core/store.ts";
import {digestSql, DigestSet} from "./digests.ts";
import {formatOf} from "../ingest/sources.ts";
import type {PrivacyReport} from "./findings.ts";
import {parseCsvLine} from "./formats.ts";
import {
  addCustomer,
  addName,
  addStreet,
  CALLING_CODES,
  customerKeys,
  type CustomerIdentifiers,
  digitsOf,
  emptyIndex,
  IDENTIFIER_FIELDS,
  type IdentifierIndex,
  MAX_PHONE_DIGITS,
  MIN_PHONE_DIGITS
} from "./identifiers.ts";

/**
 * The source columns of a quarantined customer row that hold identifiers: the config's explicit
 * column names, else the columns named like the field ("E-mail" for email, "FirstName" for
 * first_name), as the engine maps them.
 */
function quarantineFields(config: PortraitConfig, source: string): Map<string, string> {
  const spec = config.sources[source]?.columns ?? {};
  const byField = new Map<string, string>();
  for (const field of [...IDENTIFIER_FIELDS, "country"]) {
    const given = spec[field];
    if (typeof given === "string") byField.set(normalise(given), field);
    else if (given && "column" in given) byField.set(normalise(given.column), field);
    else byField.set(normalise(field), field);
  }
  return byField;
}

/** The quarantined customer rows' identifiers: real people too, though the store keeps no customer for them. */
async function quarantinedCustomers(
  store: Store,
  config: PortraitConfig
): Promise<CustomerIdentifiers[]> {
  if (!(await store.has("quarantine"))) return [];
  const rows = await store.all<{
    source: string;
    row: number;
    file: string;
    reason: string;
    record: string;
  }>(
    sql`SELECT source, "row", file, reason, record::VARCHAR AS record FROM quarantine
        WHERE "table" = 'customers' AND record IS NOT NULL ORDER BY source, "row"`
  );
  const headers = new Map<string, string[]>();
  return rows.map(({source, row, file, reason, record}) => {
    const parsed = JSON.parse(record) as Record<string, unknown>;
    const values =
      reason === "malformed_line" && typeof parsed.line === "string"
        ? lineFields(config, source, file, parsed.line, headers)
        : parsed;
    const fields = quarantineFields(config, source);
    const out: CustomerIdentifiers = {
      customer_id: null,
      who: `the customer in quarantined row ${row} of source ${source}`,
      email: null,
      phone: null,
      phone_key: null,
      country: null,
      first_name: null,
      last_name: null,
      street: null
    };
    for (const [column, value] of Object.entries(values)) {
      const field = fields.get(normalise(column)) as keyof CustomerIdentifiers | undefined;
      if (field && typeof value === "string") out[field] = value;
    }
    // The key a raw row would have had: its digits as written.
    if (out.phone) out.phone_key = digitsOf(out.phone);
    return out;
  });
}

/**
 * A line that did not split into its file's columns, split as well as it goes and named by the
 * file's header from the first field on: it still holds a person's details, mostly in their
 * places (a line with fields too many at its end, or a name with a comma late in it). Nothing
 * when the header cannot be read (the file gone), so the scan still finds the line's e-mail
 * addresses and phone numbers by their shape.
 */
function lineFields(
  config: PortraitConfig,
  source: string,
  file: string,
  line: string,
  headers: Map<string, string[]>
): Record<string, string> {
  const spec = config.sources[source];
  if (!spec || !("file" in spec)) return {};
  const delimiter = spec.csv?.delimiter ?? (formatOf(spec, file) === "tsv" ? "\t" : ",");
  if (!headers.has(file))
    headers.set(file, headerLine(joinPath(config.dir, file), spec.csv, delimiter));
  const header = headers.get(file)!;
  const values = parseCsvLine(line, delimiter);
  return Object.fromEntries(header.flatMap((h, i) => (i < values.length ? [[h, values[i]]] : [])));
}

/** The column names of a delimited file, from its first 64 KiB (none when it cannot be read). */
function headerLine(path: string, csv: CsvOptions | undefined, delimiter: string): string[] {
  let text: string;
  try {
    const fd = openSync(path, "r");
    try {
      const buffer = Buffer.alloc(2 ** 16);
      const n = readSync(fd, buffer, 0, buffer.length, 0);
      text = buffer.subarray(0, n).toString(csv?.encoding === "latin-1" ? "latin1" : "utf8");
    } finally {
      closeSync(fd);
    }
  } catch {
    return [];
  }
  const first = text.replace(/^\ufeff/, "").split(/\r?\n/)[csv?.skip ?? 0] ?? "";
  const names = parseCsvLine(first, delimiter);
  return csv?.header === false ? names.map((_, i) => `column${i}`) : names;
}

/** SQL for a column the customers table may lack. */
function column(present: Map<string, string>, name: string): SQL {
  return present.has(name) ? sql`${ident(name)}::VARCHAR` : sql`NULL::VARCHAR`;
}

/** Calling codes by country, for the national form of a phone key. */
async function callingCodesTable(store: Store): Promise<void> {
  const codes = [...CALLING_CODES];
  const countries = listValue(codes.map((c) => c[0]));
  const calling = listValue(codes.map((c) => c[1]));
  await store.run(
    sql`CREATE OR REPLACE TEMP TABLE _privacy_codes AS
        SELECT unnest(${countries}) AS country, unnest(${calling}) AS code`
  );
}

/**
 * Reads every customer's direct identifiers from the store into an index. DuckDB reduces them to
 * distinct values first (the same e-mail key and phone digits as phoneForms; names and streets
 * as written, folded here), so a million customers cost a few distinct-value queries.
 */
export async function identifierIndex(
  store: Store,
  config: PortraitConfig
): Promise<IdentifierIndex> {
  const index = emptyIndex();
  if (await store.has("customers")) {
    const present = await store.tableColumns("customers");
    const email = column(present, "email");
    const phone = column(present, "phone");
    const key = column(present, "phone_key");
    const country = column(present, "country");
    index.customers =
      (await store.one<{n: number}>(sql`SELECT count(*)::INTEGER AS n FROM customers`))?.n ?? 0;
    // Digests computed by DuckDB: a million numbers cross over far faster than a million strings.
    // A customer id that is an e-mail address is one too, with the e-mail column empty or not.
    const [emails] = await store.columns(
      sql`SELECT DISTINCT ${digestSql(sql`lower(regexp_replace(e, '\\s+', '', 'g'))`)}
          FROM (SELECT ${email} AS e FROM customers UNION ALL SELECT customer_id::VARCHAR FROM customers)
          WHERE contains(e, '@')`
    );
    index.emails = new DigestSet(emails as number[]);
    index.size += index.emails.size;
    await callingCodesTable(store);
    // The key and the national number; the digits as written only without a key (with one, they
    // are the key or the national number after a prefix, which the scan strips).
    await store.run(
      sql`CREATE OR REPLACE TEMP TABLE _privacy_phones AS
          WITH c AS (SELECT ${phone} AS phone, ${key} AS phone_key, ${country} AS country FROM customers
                     WHERE ${phone} IS NOT NULL OR ${key} IS NOT NULL),
          forms AS (
            SELECT phone_key AS f FROM c
            UNION ALL SELECT regexp_replace(replace(phone, '(0)', ''), '[^0-9]', '', 'g') FROM c
              WHERE phone_key IS NULL
            UNION ALL SELECT substr(c.phone_key, length(p.code) + 1) FROM c
              JOIN _privacy_codes p ON p.country = c.country WHERE starts_with(c.phone_key, p.code))
          SELECT DISTINCT f FROM forms WHERE length(f) BETWEEN ${MIN_PHONE_DIGITS} AND ${MAX_PHONE_DIGITS}`
    );
    const [phones] = await store.columns(sql`SELECT ${digestSql(sql`f`)} FROM _privacy_phones`);
    index.phones = new DigestSet(phones as number[]);
    index.size += index.phones.size;
    const [lengths] = await store.columns(
      sql`SELECT DISTINCT length(f)::INTEGER FROM _privacy_phones ORDER BY 1`
    );
    for (const n of lengths as number[]) index.phoneLengths.add(n);
    await store.run(sql`DROP TABLE _privacy_phones`);
    const [firsts, lasts] = await store.columns(
      sql`SELECT DISTINCT ${column(present, "first_name")} AS f, ${column(present, "last_name")} AS l
          FROM customers WHERE f IS NOT NULL AND l IS NOT NULL`
    );
    for (let i = 0; i < firsts.length; i++) addName(index, firsts[i] as string, lasts[i] as string);
    const [streets] = await store.columns(
      sql`SELECT DISTINCT ${column(present, "street")} AS s FROM customers WHERE s IS NOT NULL`
    );
    for (const s of streets as string[]) addStreet(index, s);
  }
  for (const c of await quarantinedCustomers(store, config)) addCustomer(index, c);
  return index;
}

/** Names the customer behind each leaked identifier: a second pass, only when something leaked. */
export async function nameCustomers(store: Store, config: PortraitConfig, report: PrivacyReport) {
  // The first customer with the identifier, and how many more share it (a name, a street).
  const wanted = new Map<string, {who: string | null; others: number}>();
  for (const v of report.violations)
    if (v.value !== undefined) wanted.set(`${v.kind} ${v.value}`, {who: null, others: 0});
  const look = (c: CustomerIdentifiers) => {
    for (const key of new Set(customerKeys(c))) {
      const found = wanted.get(key);
      if (!found) continue;
      // The id itself may be an identifier (an e-mail address): the log shows it masked.
      if (found.who === null) found.who = c.who ?? `customer ${redact(String(c.customer_id))}`;
      else found.others++;
    }
  };
  if (await store.has("customers")) {
    const present = await store.tableColumns("customers");
    const names = ["customer_id", ...IDENTIFIER_FIELDS, "phone_key", "country"] as const;
    const cols = await store.columns(
      sql`SELECT ${join(names.map((n) => column(present, n)))} FROM customers ORDER BY customer_id`
    );
    for (let i = 0; i < cols[0].length; i++) {
      const row = Object.fromEntries(
        names.map((n, j) => [n, cols[j][i]])
      ) as unknown as CustomerIdentifiers;
      look(row);
    }
  }
  for (const c of await quarantinedCustomers(store, config)) look(c);
  for (const v of report.violations) {
    const found = v.value === undefined ? undefined : wanted.get(`${v.kind} ${v.value}`);
    if (found?.who)
      v.what += ` of ${found.who}${found.others > 0 ? ` (and ${found.others} other${found.others === 1 ? "" : "s"})` : ""}`;
  }
}
