/**
 * The build's privacy check (DESIGN.md, "Privacy"): after Framework and the exports have
 * written the site, every published file is read back and the build fails when
 *
 * - a direct identifier of a customer appears in it while the config does not allow them
 *   (`privacy.identifiers` false): an e-mail address (compared case-insensitively), a phone
 *   number (compared on its digits, in any of the ways it is written), a full name ("first
 *   last", or a record holding a customer's first and last name), or a street address (with its
 *   house number). The identifiers come from the store's `customers` table and the quarantined
 *   customer rows; a first name alone, a street name without its number or a number that merely
 *   shares digits with a phone number is not a match;
 * - a published aggregate covers fewer than `privacy.minGroupSize` customers: in JSON under
 *   `_file/` (loader output) and `exports/`, a count of customers is a property named
 *   `customers` or ending in `_customers`; `0 < n < minGroupSize` is a violation, null is a
 *   suppressed count and fine. Customer rows (CUSTOMER_LEVEL_OUTPUT in
 *   loaders/site/published.ts) are not aggregates.
 *
 * The identifiers are read once into sets (the millions of e-mails and phone numbers as 53-bit
 * digests DuckDB computes); each published file is then read once, token by token, with a set
 * lookup per candidate token: no pattern per customer, so the scan's cost grows with the size of
 * the site, not with the number of customers. A customer-level file over PIECE_BYTES (a million
 * customers' exports) is read in pieces of whole lines, each line a record.
 */
import {createHash} from "node:crypto";
import {createReadStream, existsSync} from "node:fs";
import {readFile, readdir, rm, writeFile} from "node:fs/promises";
import {extname, join, relative, sep} from "node:path";
import {listValue} from "@duckdb/node-api";
import {fromArrow} from "arquero";
import {normalise} from "../core/closest.ts";
import type {PortraitConfig} from "../config/project.ts";
import {COUNTRIES} from "../clean/countries.ts";
import {type Store} from "../core/store.ts";
import {ident} from "../core/sql.ts";
import {CUSTOMER_LEVEL_OUTPUT, isOutput} from "../site/published.ts";

/** Files the check reads as text (HTML entities decoded for .html). */
const TEXT_EXTENSIONS = new Set([
  ".html",
  ".htm",
  ".js",
  ".mjs",
  ".css",
  ".json",
  ".csv",
  ".tsv",
  ".txt",
  ".md",
  ".svg",
  ".xml",
  ".map"
]);

/** Files that cannot carry customer data as text: code and media the site needs. */
const BINARY_EXTENSIONS = new Set([
  ".wasm",
  ".png",
  ".jpg",
  ".jpeg",
  ".gif",
  ".webp",
  ".ico",
  ".woff",
  ".woff2",
  ".ttf",
  ".otf",
  ".pdf"
]);

/** Phone numbers are compared on 7 to 15 digits (E.164 allows 15): shorter runs are too common. */
const MIN_PHONE_DIGITS = 7;
const MAX_PHONE_DIGITS = 15;

/** Values of at most this many words take part in a record's name check (JSON, Arrow). */
const RECORD_VALUE_WORDS = 4;

/** Violations listed per file before the rest are counted only. */
const SHOWN_PER_FILE = 5;

export type IdentifierKind = "email" | "phone" | "name" | "street";

/** The customers' direct identifiers, normalised, in sets the scan looks tokens up in. */
export interface IdentifierIndex {
  /** E-mail keys and phone digit forms, as digests (there is one or more per customer). */
  emails: DigestSet;
  phones: DigestSet;
  /** The lengths of the phone forms, so most digit runs are dismissed without hashing. */
  phoneLengths: Set<number>;
  /** Full names and street lines as token sequences, by their first two tokens. */
  phrases: Map<string, {tokens: string[]; kind: "name" | "street"}[]>;
  phraseStarts: Set<string>;
  phraseTexts: Set<string>;
  /** "first last" by the first name's first token and the last name's last token. */
  namePairs: Set<string>;
  firstTokens: Set<string>;
  lastTokens: Set<string>;
  /** Customers (store rows and quarantined rows) the identifiers come from. */
  customers: number;
  /** Distinct identifiers: e-mails, phone forms, names and street lines. */
  size: number;
}

/** The direct identifiers of one customer, as the store holds them. */
interface CustomerIdentifiers {
  customer_id: string | null;
  /** How messages name a customer without an id (a quarantined row). */
  who?: string;
  email: string | null;
  phone: string | null;
  phone_key: string | null;
  country: string | null;
  first_name: string | null;
  last_name: string | null;
  street: string | null;
}

const IDENTIFIER_FIELDS = ["email", "phone", "first_name", "last_name", "street"] as const;

/** A problem found in a published file. */
export interface Violation {
  /** The file, relative to the output folder. */
  file: string;
  /** Where in it: a line and column, a JSON path, a row and column. */
  where: string;
  kind: IdentifierKind | "count" | "file";
  /** What leaked (identifiers masked, so the build log does not spread them). */
  what: string;
  /** What to do. */
  fix: string;
  /** The normalised identifier, to name its customer; never printed. */
  value?: string;
}

/** What the check did: the summary line and the violations. */
export interface PrivacyReport {
  files: number;
  bytes: number;
  /** Distinct identifiers checked; null when the config allows identifiers. */
  identifiers: number | null;
  customers: number;
  counts: number;
  minGroupSize: number;
  violations: Violation[];
  elapsedMs: number;
  /** True when the files were the ones a clean check of the same store already read. */
  reused?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Normalisation: the same functions build the index and read the published text.

const NON_ASCII = /[^ -~\t\n\r]/;
const MARKS = /\p{M}+/gu;
const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu;
const EMAIL = /[\p{L}\p{N}._+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
const PHONE_RUN = /\d[\d \t\u00a0.()/-]{5,}\d/g;

/** Lower case without accents: "Müller" and "MULLER" read the same. */
export function fold(text: string): string {
  const lower = text.toLowerCase();
  return NON_ASCII.test(lower) ? lower.normalize("NFD").replace(MARKS, "") : lower;
}

/** The words of a text, folded: "O'Brien-Smith" → ["o", "brien", "smith"]. */
export function words(text: string): string[] {
  return (text.match(WORD) ?? []).map(fold);
}

/** An e-mail address as compared: trimmed, lower case, without spaces (as identity's key). */
export function emailKey(email: string): string {
  return email.replace(/\s+/g, "").toLowerCase();
}

function digitsOf(text: string): string {
  return text.replace(/\D+/g, "");
}

const CALLING_CODES = new Map(
  COUNTRIES.filter((c) => c.callingCode).map((c) => [c.alpha2, c.callingCode!])
);

/**
 * The digit forms a customer's phone number is published in: its international key (E.164
 * digits), the national number without the calling code, and the digits as the data wrote
 * them. The scan adds the forms dialled with a prefix (00, 011, a trunk 0).
 */
export function phoneForms(
  phone: string | null,
  key: string | null,
  country: string | null
): string[] {
  const forms = new Set<string>();
  if (key) {
    forms.add(key);
    const code = country ? CALLING_CODES.get(country) : undefined;
    if (code && key.startsWith(code)) forms.add(key.slice(code.length));
  }
  if (phone) forms.add(digitsOf(phone.replaceAll("(0)", "")));
  return [...forms].filter((f) => f.length >= MIN_PHONE_DIGITS && f.length <= MAX_PHONE_DIGITS);
}

/** The digit strings a published run of digits may stand for: as written, and without a prefix. */
function phoneCandidates(digits: string): string[] {
  const out = [digits];
  if (digits.startsWith("00")) out.push(digits.slice(2));
  else if (digits.startsWith("011")) out.push(digits.slice(3));
  else if (digits.startsWith("0")) out.push(digits.slice(1));
  return out;
}

/**
 * A street line as tokens, or none when it does not identify a place: it needs a house number
 * and a name ("53 Main Street", "Schulstraße 135"); "Main Street" alone is no address. The part
 * before a comma when it is complete ("39 Elm Street" of "39 Elm Street, Apt 9").
 */
export function streetTokens(street: string): string[] | null {
  const complete = (tokens: string[]) =>
    tokens.length >= 2 && tokens.some((t) => /\d/.test(t)) && tokens.some((t) => /\D/.test(t));
  const line = words(street.split(",")[0]);
  if (complete(line)) return line;
  const whole = words(street);
  return complete(whole) ? whole : null;
}

// ---------------------------------------------------------------------------------------------
// The index

/**
 * A 53-bit digest of an identifier: the upper half of its MD5, the same number in JS and in
 * DuckDB (digestSql). Two identifiers share one with a chance of about 1 in 10^15; a hit is then
 * traced to its customer by the identifier itself, for the message.
 */
export function identifierDigest(text: string): number {
  const md5 = createHash("md5").update(text, "utf8").digest();
  return md5.readUInt32LE(4) * 2 ** 21 + Math.floor(md5.readUInt32LE(0) / 2 ** 11);
}

/** identifierDigest in SQL. */
export function digestSql(expr: string): string {
  return `(md5_number_upper(${expr}) >> 11)::BIGINT`;
}

/**
 * A set of digests in one typed array (open addressing, linear probing): millions of entries
 * in 8 bytes each, which the garbage collector never has to walk.
 */
export class DigestSet {
  private table: Float64Array;
  private count = 0;

  constructor(digests: readonly number[] = []) {
    this.table = new Float64Array(capacityFor(digests.length)).fill(-1);
    for (const d of digests) this.add(d);
  }

  get size(): number {
    return this.count;
  }

  /** Adds a digest; whether it was new. */
  add(digest: number): boolean {
    if ((this.count + 1) * 2 > this.table.length) this.grow();
    const mask = this.table.length - 1;
    for (let i = digest % this.table.length; ; i = (i + 1) & mask) {
      if (this.table[i] === digest) return false;
      if (this.table[i] === -1) {
        this.table[i] = digest;
        this.count++;
        return true;
      }
    }
  }

  has(digest: number): boolean {
    const mask = this.table.length - 1;
    for (let i = digest % this.table.length; ; i = (i + 1) & mask) {
      if (this.table[i] === digest) return true;
      if (this.table[i] === -1) return false;
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Float64Array(old.length * 2).fill(-1);
    this.count = 0;
    for (const d of old) if (d !== -1) this.add(d);
  }
}

/** A power of two at least twice n (a table at most half full stays fast). */
function capacityFor(n: number): number {
  let capacity = 16;
  while (capacity < n * 2) capacity *= 2;
  return capacity;
}

/** An empty index, filled by addCustomer. */
export function emptyIndex(): IdentifierIndex {
  return {
    emails: new DigestSet(),
    phones: new DigestSet(),
    phoneLengths: new Set(),
    phrases: new Map(),
    phraseStarts: new Set(),
    phraseTexts: new Set(),
    namePairs: new Set(),
    firstTokens: new Set(),
    lastTokens: new Set(),
    customers: 0,
    size: 0
  };
}

function addPhrase(index: IdentifierIndex, tokens: string[], kind: "name" | "street"): void {
  const text = tokens.join(" ");
  if (index.phraseTexts.has(text)) return;
  index.phraseTexts.add(text);
  index.size++;
  const key = `${tokens[0]} ${tokens[1]}`;
  const list = index.phrases.get(key);
  if (list) list.push({tokens, kind});
  else index.phrases.set(key, [{tokens, kind}]);
  index.phraseStarts.add(tokens[0]);
}

function addEmail(index: IdentifierIndex, key: string): void {
  if (index.emails.add(identifierDigest(key))) index.size++;
}

function addPhone(index: IdentifierIndex, digits: string): void {
  index.phoneLengths.add(digits.length);
  if (index.phones.add(identifierDigest(digits))) index.size++;
}

/** Adds a full name: the phrase "first last" and the pair a record may hold in two fields. */
function addName(index: IdentifierIndex, firstName: string, lastName: string): void {
  const first = words(firstName);
  const last = words(lastName);
  if (first.length === 0 || last.length === 0) return;
  addPhrase(index, [...first, ...last], "name");
  index.firstTokens.add(first[0]);
  index.lastTokens.add(last[last.length - 1]);
  index.namePairs.add(`${first[0]} ${last[last.length - 1]}`);
}

function addStreet(index: IdentifierIndex, street: string): void {
  const tokens = streetTokens(street);
  if (tokens) addPhrase(index, tokens, "street");
}

/** Adds one customer's identifiers to the index. */
export function addCustomer(index: IdentifierIndex, c: Omit<CustomerIdentifiers, "customer_id">) {
  index.customers++;
  if (c.email && c.email.includes("@")) addEmail(index, emailKey(c.email));
  for (const form of phoneForms(c.phone, c.phone_key, c.country)) addPhone(index, form);
  if (c.first_name && c.last_name) addName(index, c.first_name, c.last_name);
  if (c.street) addStreet(index, c.street);
}

/** The customers table's columns. */
async function customerColumnNames(store: Store): Promise<Set<string>> {
  return new Set(
    (
      await store.all<{name: string}>(
        "SELECT column_name AS name FROM duckdb_columns() WHERE table_name = 'customers' AND schema_name = 'main' ORDER BY 1"
      )
    ).map((r) => r.name)
  );
}

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
  const rows = await store.all<{source: string; row: number; record: string}>(
    `SELECT source, "row", record::VARCHAR AS record FROM quarantine
     WHERE "table" = 'customers' AND record IS NOT NULL ORDER BY source, "row"`
  );
  return rows.map(({source, row, record}) => {
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
    for (const [column, value] of Object.entries(JSON.parse(record) as Record<string, unknown>)) {
      const field = fields.get(normalise(column)) as keyof CustomerIdentifiers | undefined;
      if (field && typeof value === "string") out[field] = value;
    }
    // The key a raw row would have had: its digits as written.
    if (out.phone) out.phone_key = digitsOf(out.phone);
    return out;
  });
}

/** SQL for a column the customers table may lack. */
function column(present: Set<string>, name: string): string {
  return present.has(name) ? `${ident(name)}::VARCHAR` : "NULL::VARCHAR";
}

/** Calling codes by country, for the national form of a phone key. */
async function callingCodesTable(store: Store): Promise<void> {
  const codes = [...CALLING_CODES];
  await store.run(
    `CREATE OR REPLACE TEMP TABLE _privacy_codes AS
     SELECT unnest($countries) AS country, unnest($codes) AS code`,
    {countries: listValue(codes.map((c) => c[0])), codes: listValue(codes.map((c) => c[1]))}
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
    const present = await customerColumnNames(store);
    const email = column(present, "email");
    const phone = column(present, "phone");
    const key = column(present, "phone_key");
    const country = column(present, "country");
    index.customers =
      (await store.one<{n: number}>("SELECT count(*)::INTEGER AS n FROM customers"))?.n ?? 0;
    // Digests computed by DuckDB: a million numbers cross over far faster than a million strings.
    const [emails] = await store.columns(
      `SELECT DISTINCT ${digestSql(`lower(regexp_replace(${email}, '\\s+', '', 'g'))`)}
       FROM customers WHERE contains(${email}, '@')`
    );
    index.emails = new DigestSet(emails as number[]);
    index.size += index.emails.size;
    await callingCodesTable(store);
    // The key and the national number; the digits as written only without a key (with one, they
    // are the key or the national number after a prefix, which the scan strips).
    await store.run(
      `CREATE OR REPLACE TEMP TABLE _privacy_phones AS
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
    const [phones] = await store.columns(`SELECT ${digestSql("f")} FROM _privacy_phones`);
    index.phones = new DigestSet(phones as number[]);
    index.size += index.phones.size;
    const [lengths] = await store.columns(
      "SELECT DISTINCT length(f)::INTEGER FROM _privacy_phones ORDER BY 1"
    );
    for (const n of lengths as number[]) index.phoneLengths.add(n);
    await store.run("DROP TABLE _privacy_phones");
    const [firsts, lasts] = await store.columns(
      `SELECT DISTINCT ${column(present, "first_name")} AS f, ${column(present, "last_name")} AS l
       FROM customers WHERE f IS NOT NULL AND l IS NOT NULL`
    );
    for (let i = 0; i < firsts.length; i++) addName(index, firsts[i] as string, lasts[i] as string);
    const [streets] = await store.columns(
      `SELECT DISTINCT ${column(present, "street")} AS s FROM customers WHERE s IS NOT NULL`
    );
    for (const s of streets as string[]) addStreet(index, s);
  }
  for (const c of await quarantinedCustomers(store, config)) addCustomer(index, c);
  return index;
}

/** The keys a customer's identifiers are looked up by, as the scan reports them. */
function customerKeys(c: CustomerIdentifiers): string[] {
  const keys: string[] = [];
  if (c.email?.includes("@")) keys.push(`email ${emailKey(c.email)}`);
  for (const f of phoneForms(c.phone, c.phone_key, c.country)) keys.push(`phone ${f}`);
  const first = c.first_name ? words(c.first_name) : [];
  const last = c.last_name ? words(c.last_name) : [];
  if (first.length > 0 && last.length > 0) {
    keys.push(`name ${[...first, ...last].join(" ")}`, `name ${first[0]} ${last[last.length - 1]}`);
  }
  const street = c.street ? streetTokens(c.street) : null;
  if (street) keys.push(`street ${street.join(" ")}`);
  return keys;
}

/** Names the customer behind each leaked identifier: a second pass, only when something leaked. */
async function nameCustomers(store: Store, config: PortraitConfig, report: PrivacyReport) {
  // The first customer with the identifier, and how many more share it (a name, a street).
  const wanted = new Map<string, {who: string | null; others: number}>();
  for (const v of report.violations)
    if (v.value !== undefined) wanted.set(`${v.kind} ${v.value}`, {who: null, others: 0});
  const look = (c: CustomerIdentifiers) => {
    for (const key of new Set(customerKeys(c))) {
      const found = wanted.get(key);
      if (!found) continue;
      if (found.who === null) found.who = c.who ?? `customer ${c.customer_id}`;
      else found.others++;
    }
  };
  if (await store.has("customers")) {
    const present = await customerColumnNames(store);
    const names = ["customer_id", ...IDENTIFIER_FIELDS, "phone_key", "country"] as const;
    const cols = await store.columns(
      `SELECT ${names.map((n) => column(present, n)).join(", ")} FROM customers ORDER BY customer_id`
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

// ---------------------------------------------------------------------------------------------
// The scan

interface Hit {
  kind: IdentifierKind;
  value: string;
  offset: number;
}

interface Token {
  word: string;
  offset: number;
}

/** The identifiers in one text, with their offsets, and the tokens that may be part of a name. */
function scanText(
  text: string,
  index: IdentifierIndex,
  hits: Hit[],
  nameTokens?: Token[],
  recordWords = RECORD_VALUE_WORDS
): void {
  if (text.includes("@")) {
    for (const m of text.matchAll(EMAIL)) {
      const value = m[0].replace(/\.+$/, "").toLowerCase();
      if (index.emails.has(identifierDigest(value)))
        hits.push({kind: "email", value, offset: m.index});
    }
  }
  if (index.phones.size > 0) {
    for (const m of text.matchAll(PHONE_RUN)) scanDigits(m[0], m.index, index, hits);
  }
  if (index.phrases.size === 0 && !nameTokens) return;
  const tokens: Token[] = [];
  for (const m of text.matchAll(WORD)) tokens.push({word: fold(m[0]), offset: m.index});
  // A record's name fields are short values: words in a sentence do not make a name.
  if (nameTokens && tokens.length <= recordWords)
    for (const t of tokens)
      if (index.firstTokens.has(t.word) || index.lastTokens.has(t.word)) nameTokens.push(t);
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i].word;
    if (!index.phraseStarts.has(t)) continue;
    const candidates = index.phrases.get(`${t} ${tokens[i + 1].word}`);
    if (!candidates) continue;
    for (const {tokens: phrase, kind} of candidates) {
      let k = 2;
      while (k < phrase.length && tokens[i + k]?.word === phrase[k]) k++;
      if (k === phrase.length) hits.push({kind, value: phrase.join(" "), offset: tokens[i].offset});
    }
  }
}

/**
 * Checks a run of digit groups ("+1 (212) 565-4438", "2024-01-02 4438") against the phone
 * forms: every span of consecutive groups of 7 to 15 digits, so a number next to another is
 * still found, and only whole groups, so a number that shares some digits is not.
 */
function scanDigits(run: string, offset: number, index: IdentifierIndex, hits: Hit[]): void {
  // "+44 (0)20 …": the 0 is dialled only from inside the country.
  if (run.includes("(0)")) scanDigits(run.replace("(0)", " "), offset, index, hits);
  const groups = run.split(/\D+/);
  const separators = run.match(/\D+/g) ?? [];
  for (let i = 0; i < groups.length; i++) {
    let digits = "";
    for (let j = i; j < groups.length; j++) {
      digits += groups[j];
      if (digits.length > MAX_PHONE_DIGITS + 3) break;
      if (digits.length < MIN_PHONE_DIGITS) continue;
      // Two groups around one point are a decimal number (an amount), not a phone number.
      if (j === i + 1 && separators[i] === ".") continue;
      const match = phoneCandidates(digits).find(
        (d) => index.phoneLengths.has(d.length) && index.phones.has(identifierDigest(d))
      );
      if (match) {
        hits.push({kind: "phone", value: match, offset});
        return;
      }
    }
  }
}

/** The name pairs among a record's tokens: a customer's first and last name in one record. */
function recordNames(tokens: Token[], index: IdentifierIndex, hits: Hit[]): void {
  if (tokens.length < 2) return;
  for (const a of tokens) {
    if (!index.firstTokens.has(a.word)) continue;
    for (const b of tokens) {
      if (b !== a && index.namePairs.has(`${a.word} ${b.word}`)) {
        hits.push({kind: "name", value: `${a.word} ${b.word}`, offset: a.offset});
        return;
      }
    }
  }
}

const ENTITIES: Record<string, string> = {amp: "&", lt: "<", gt: ">", quot: '"', apos: "'"};

/** HTML text as a reader sees it: character references decoded (offsets may shift slightly). */
function decodeEntities(html: string): string {
  return html.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] !== "#") return ENTITIES[ref.toLowerCase()] ?? whole;
    const code =
      ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function lineAndColumn(text: string, offset: number): {line: number; column: number} {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return {line, column: offset - start + 1};
}

/** The header name of the CSV field at an offset of a line (quotes respected), for messages. */
function csvColumn(header: string[], line: string, offset: number, delimiter: string): string {
  let field = 0;
  let quoted = false;
  for (let i = 0; i < offset; i++) {
    const ch = line[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) field++;
  }
  return header[field] ?? `field ${field + 1}`;
}

function parseCsvLine(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      out.push(field);
      field = "";
    } else if (ch !== "\r") field += ch;
  }
  out.push(field);
  return out;
}

/** Scans a text file; CSV lines are records (a first and a last name anywhere in a row match). */
function scanTextFile(
  text: string,
  ext: string,
  index: IdentifierIndex
): {hit: Hit; where: string}[] {
  if (ext === ".csv" || ext === ".tsv") return scanTable(text, ext === ".tsv" ? "\t" : ",", index);
  const readable = ext === ".html" || ext === ".htm" ? decodeEntities(text) : text;
  const hits: Hit[] = [];
  scanText(readable, index, hits);
  return dedupe(hits).map((hit) => {
    const {line, column} = lineAndColumn(readable, hit.offset);
    return {hit, where: `line ${line}, column ${column}`};
  });
}

/** The lines of text with their numbers, the first numbered firstLine. */
function* linesOf(text: string, firstLine: number): Generator<[string, number]> {
  let n = firstLine - 1;
  for (let start = 0; start < text.length;) {
    const end = text.indexOf("\n", start);
    n++;
    yield [text.slice(start, end === -1 ? undefined : end), n];
    start = end === -1 ? text.length : end + 1;
  }
}

/** The fields of a text's first line: a CSV's header. */
function headerOf(text: string, delimiter: string): string[] {
  const firstBreak = text.indexOf("\n");
  return parseCsvLine(text.slice(0, firstBreak === -1 ? undefined : firstBreak), delimiter);
}

/**
 * Scans a CSV or TSV line by line: each line is a record, so its fields may pair up as a name.
 * A piece of a larger file gives its header and the number of its first line.
 */
function scanTable(
  text: string,
  delimiter: string,
  index: IdentifierIndex,
  {header = headerOf(text, delimiter), firstLine = 1}: {header?: string[]; firstLine?: number} = {}
) {
  const out: {hit: Hit; where: string}[] = [];
  for (const [line, n] of linesOf(text, firstLine)) {
    const hits: Hit[] = [];
    const names: Token[] = [];
    scanText(line, index, hits, names, Infinity);
    recordNames(names, index, hits);
    for (const hit of dedupe(hits))
      out.push({
        hit,
        where: `line ${n}, column ${JSON.stringify(csvColumn(header, line, hit.offset, delimiter))}`
      });
  }
  return out;
}

/** Scans JSON line by line: the JSON value on a line is a record, other lines are text. */
function scanJsonLines(text: string, index: IdentifierIndex, firstLine: number) {
  const out: {hit: Hit; where: string}[] = [];
  for (const [line, n] of linesOf(text, firstLine)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line.trim().replace(/,$/, ""));
    } catch {
      parsed = undefined;
    }
    if (parsed !== null && typeof parsed === "object") {
      walkJson(parsed, "", {
        index,
        countCustomers: false,
        minGroupSize: 0,
        onHit: (hit, where) =>
          out.push({hit, where: where === "(top level)" ? `line ${n}` : `line ${n}, at ${where}`}),
        onCount: () => {}
      });
      continue;
    }
    const hits: Hit[] = [];
    scanText(line, index, hits);
    for (const hit of dedupe(hits)) out.push({hit, where: `line ${n}`});
  }
  return out;
}

/** Customer-level files larger than this are read in pieces (V8's strings stop at 512 MiB). */
export const PIECE_BYTES = 256 * 2 ** 20;

/**
 * Scans a customer-level file too large for one string in pieces of whole lines, each line a
 * record: a CSV's with its header's column names, a JSON file's as the value on the line (the
 * customer exports hold one customer a line).
 */
function scanInPieces(
  bytes: Buffer,
  ext: string,
  index: IdentifierIndex,
  pieceBytes: number
): {hit: Hit; where: string}[] {
  const out: {hit: Hit; where: string}[] = [];
  const delimiter = ext === ".tsv" ? "\t" : ",";
  let header: string[] | undefined;
  let firstLine = 1;
  for (let start = 0; start < bytes.length;) {
    const newline = bytes.indexOf(0x0a, Math.min(start + pieceBytes, bytes.length) - 1);
    const end = newline === -1 ? bytes.length : newline + 1;
    const text = bytes.subarray(start, end).toString("utf8");
    if (ext === ".csv" || ext === ".tsv") {
      header ??= headerOf(text, delimiter);
      out.push(...scanTable(text, delimiter, index, {header, firstLine}));
    } else out.push(...scanJsonLines(text, index, firstLine));
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) firstLine++;
    start = end;
  }
  return out;
}

/** One hit per identifier and place: a phrase also matched by a record check counts once. */
function dedupe(hits: Hit[]): Hit[] {
  const seen = new Set<string>();
  return hits
    .sort((a, b) => a.offset - b.offset)
    .filter((h) => {
      const key = `${h.kind} ${h.value} ${h.offset}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
}

function jsonPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key)
    ? path
      ? `${path}.${key}`
      : key
    : `${path}[${JSON.stringify(key)}]`;
}

/** Integers long enough to be a phone number, written as digits. */
function longInteger(value: unknown): string | null {
  if (typeof value === "bigint") return value >= 1_000_000n ? String(value) : null;
  if (typeof value === "number" && Number.isInteger(value) && Math.abs(value) >= 1e6)
    return String(Math.abs(value));
  return null;
}

interface JsonVisit {
  index: IdentifierIndex | null;
  countCustomers: boolean;
  minGroupSize: number;
  onHit: (hit: Hit, where: string) => void;
  onCount: (path: string, n: number | null) => void;
}

/** What scanText found in each long string of an index's scans, kept while there are few. */
const SCANNED = new WeakMap<IdentifierIndex, Map<string, {hits: Hit[]; names: Token[]}>>();

/**
 * scanText for a JSON value, once per distinct long string: a customer export repeats the
 * profile's name and brief on every record, and scanning them a million times is the scan's
 * cost. The result depends on the text and the index alone.
 */
function scanValue(text: string, index: IdentifierIndex, hits: Hit[], names: Token[]): void {
  if (text.length < 32) return scanText(text, index, hits, names);
  let cache = SCANNED.get(index);
  if (!cache) SCANNED.set(index, (cache = new Map()));
  let found = cache.get(text);
  if (!found) {
    found = {hits: [], names: []};
    scanText(text, index, found.hits, found.names);
    if (cache.size >= 10_000) cache.clear();
    cache.set(text, found);
  }
  hits.push(...found.hits);
  names.push(...found.names);
}

/** Walks parsed JSON: strings and keys scanned, objects and arrays as records, customer counts. */
function walkJson(value: unknown, path: string, visit: JsonVisit): void {
  if (value === null || typeof value !== "object") return;
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  const names: Token[] = [];
  const {index} = visit;
  for (const [key, child] of entries) {
    const where = jsonPath(path, key);
    if (index) {
      const hits: Hit[] = [];
      if (typeof key === "string") scanText(key, index, hits);
      if (typeof child === "string") scanValue(child, index, hits, names);
      const digits = longInteger(child);
      if (digits) scanDigits(digits, 0, index, hits);
      for (const hit of dedupe(hits)) visit.onHit(hit, where);
    }
    if (visit.countCustomers && typeof key === "string" && isCustomerCount(key))
      for (const n of Array.isArray(child) ? child : [child])
        if (typeof n === "number" || n === null) visit.onCount(where, n);
    walkJson(child, where, visit);
  }
  if (index && names.length > 1) {
    const hits: Hit[] = [];
    recordNames(names, index, hits);
    for (const hit of hits) visit.onHit(hit, path || "(top level)");
  }
}

/** A property that counts customers, by the project's convention. */
export function isCustomerCount(key: string): boolean {
  return key === "customers" || key.endsWith("_customers");
}

/** Scans an Arrow IPC file column by column; a row is a record. */
function scanArrow(bytes: Uint8Array, index: IdentifierIndex): {hit: Hit; where: string}[] {
  const table = fromArrow(bytes);
  const out: {hit: Hit; where: string}[] = [];
  const names = new Map<number, Token[]>();
  for (const name of table.columnNames()) {
    const values = table.array(name) as ArrayLike<unknown>;
    const at = (row: number) => `row ${row + 1}, column ${JSON.stringify(name)}`;
    for (let row = 0; row < values.length; row++) {
      const value = values[row];
      const hits: Hit[] = [];
      if (typeof value === "string") {
        const tokens: Token[] = [];
        scanText(value, index, hits, tokens);
        if (tokens.length > 0) names.set(row, [...(names.get(row) ?? []), ...tokens]);
      } else {
        const digits = longInteger(value);
        if (digits) scanDigits(digits, 0, index, hits);
      }
      for (const hit of dedupe(hits)) out.push({hit, where: at(row)});
    }
  }
  for (const [row, tokens] of [...names].sort((a, b) => a[0] - b[0])) {
    const hits: Hit[] = [];
    recordNames(tokens, index, hits);
    for (const hit of hits) out.push({hit, where: `row ${row + 1}`});
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Files

/** Whether a published file (relative to the output folder) holds one row per customer. */
export function isCustomerLevel(path: string): boolean {
  const p = path.split(sep).join("/");
  return CUSTOMER_LEVEL_OUTPUT.some(
    (entry) => entry.kind === "customer rows" && isOutput(entry, p)
  );
}

/** Whether a published JSON file is an aggregate the group-size rule covers: loader output and exports. */
function countsApply(path: string): boolean {
  return (path.startsWith("_file/") || path.startsWith("exports/")) && !isCustomerLevel(path);
}

const KIND_LABELS: Record<IdentifierKind, string> = {
  email: "the e-mail address",
  phone: "the phone number",
  name: "the full name",
  street: "the street address"
};

/** An identifier as the message shows it: enough to find it, too little to re-publish it. */
export function masked(kind: IdentifierKind, value: string): string {
  switch (kind) {
    case "email": {
      const [local, domain] = value.split("@");
      return `${local.slice(0, 1)}…@${domain}`;
    }
    case "phone":
      return `…${value.slice(-4)}`;
    case "name":
      return value
        .split(" ")
        .map((w) => `${w.slice(0, 1).toUpperCase()}.`)
        .join(" ");
    case "street":
      return `${value.split(" ")[0]} …`;
  }
}

const IDENTIFIER_FIX =
  "Remove the field from what the page or loader publishes (publish the pseudonymous customer id instead), or set privacy.identifiers: true in the config for an internal build.";

/**
 * Checks every file under dir against the store's customers and the config's privacy settings.
 * Returns the report; the build fails when it holds violations.
 */
export async function checkPrivacy(
  store: Store,
  dir: string,
  config: PortraitConfig
): Promise<PrivacyReport> {
  const start = performance.now();
  const index = config.privacy.identifiers ? null : await identifierIndex(store, config);
  const report = await scanPublished(dir, index, config.privacy.minGroupSize);
  if (report.violations.some((v) => v.value !== undefined))
    await nameCustomers(store, config, report);
  report.elapsedMs = performance.now() - start;
  return report;
}

/** Every file under dir, as sorted paths relative to it with forward slashes. */
async function publishedFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, {recursive: true, withFileTypes: true}))
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join("/"))
    .sort();
}

/** One digest of every file under dir, their paths and their bytes, read as streams. */
export async function siteDigest(dir: string): Promise<string> {
  const files = await publishedFiles(dir);
  const digest = createHash("sha256");
  for (const file of files) {
    const hash = createHash("sha256");
    for await (const chunk of createReadStream(join(dir, file))) hash.update(chunk);
    digest.update(`${file}\0${hash.digest("hex")}\n`);
  }
  return digest.digest("hex");
}

/**
 * checkPrivacy, unless the very same files were found clean against the same store and privacy
 * settings: the check reads every published byte (a minute for a million customers' site), and a
 * rebuild with unchanged inputs publishes the same bytes. Only a clean report is kept (in
 * `cache`, a small JSON file beside the store); a failed one is always recomputed.
 */
export async function checkPrivacyReusing(
  store: Store,
  dir: string,
  config: PortraitConfig,
  {
    cache,
    storeFingerprint,
    code
  }: {
    cache: string;
    storeFingerprint: string | undefined;
    /** The check's own code: a changed check reads everything again. */
    code?: string;
  }
): Promise<PrivacyReport> {
  const start = performance.now();
  const key =
    storeFingerprint === undefined
      ? undefined
      : JSON.stringify({
          store: storeFingerprint,
          code,
          privacy: config.privacy,
          site: await siteDigest(dir)
        });
  const saved = existsSync(cache) ? JSON.parse(await readFile(cache, "utf8")) : undefined;
  if (key !== undefined && saved?.key === key)
    return {...(saved.report as PrivacyReport), reused: true, elapsedMs: performance.now() - start};
  const report = await checkPrivacy(store, dir, config);
  if (key !== undefined && report.violations.length === 0)
    await writeFile(cache, JSON.stringify({key, report}));
  else await rm(cache, {force: true});
  report.elapsedMs = performance.now() - start;
  return report;
}

/**
 * Reads every file under dir: identifiers of the index (none when null: identifiers allowed),
 * customer counts in aggregates below minGroupSize, files the check cannot read.
 */
export async function scanPublished(
  dir: string,
  index: IdentifierIndex | null,
  minGroupSize: number,
  {pieceBytes = PIECE_BYTES}: {pieceBytes?: number} = {}
): Promise<PrivacyReport> {
  const start = performance.now();
  const report: PrivacyReport = {
    files: 0,
    bytes: 0,
    identifiers: index ? index.size : null,
    customers: index?.customers ?? 0,
    counts: 0,
    minGroupSize,
    violations: [],
    elapsedMs: 0
  };
  const files = await publishedFiles(dir);
  for (const file of files) {
    const ext = extname(file).toLowerCase();
    if (BINARY_EXTENSIONS.has(ext)) continue;
    const bytes = await readFile(join(dir, file));
    report.files++;
    report.bytes += bytes.length;
    // Each identifier once per file: where it first appears is enough to find the field.
    const reported = new Set<string>();
    const found = (where: string, hit: Hit) =>
      !reported.has(`${hit.kind} ${hit.value}`) &&
      reported.add(`${hit.kind} ${hit.value}`) &&
      report.violations.push({
        file,
        where,
        kind: hit.kind,
        what: `${KIND_LABELS[hit.kind]} ${masked(hit.kind, hit.value)}`,
        fix: IDENTIFIER_FIX,
        value: hit.value
      });
    if (ext === ".arrow") {
      if (!index) continue;
      let hits: {hit: Hit; where: string}[];
      try {
        hits = scanArrow(bytes, index);
      } catch (error) {
        report.violations.push(
          unreadable(file, `not readable as Arrow IPC (${(error as Error).message})`)
        );
        continue;
      }
      for (const {hit, where} of hits) found(where, hit);
      continue;
    }
    if (!TEXT_EXTENSIONS.has(ext)) {
      report.violations.push(
        unreadable(file, `a ${ext || "extensionless"} file the check cannot read`)
      );
      continue;
    }
    // A customer-level file has no counts to check, and may be too large to read whole.
    if (bytes.length > pieceBytes && isCustomerLevel(file)) {
      if (index)
        for (const {hit, where} of scanInPieces(bytes, ext, index, pieceBytes)) found(where, hit);
      continue;
    }
    const text = bytes.toString("utf8");
    if (ext === ".json") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      if (parsed !== undefined) {
        walkJson(parsed, "", {
          index,
          countCustomers: countsApply(file),
          minGroupSize,
          onHit: (hit, where) => found(`at ${where}`, hit),
          onCount: (path, n) => {
            report.counts++;
            if (n !== null && n > 0 && n < minGroupSize)
              report.violations.push({
                file,
                where: `at ${path}`,
                kind: "count",
                what: `a count of ${n} customer${n === 1 ? "" : "s"}, below privacy.minGroupSize (${minGroupSize})`,
                fix: `Raise the suppression: publish null for any count under ${minGroupSize} (and say "fewer than ${minGroupSize}" on the page). If the file holds one row per customer, add its path to CUSTOMER_LEVEL_OUTPUT in loaders/site/published.ts as customer rows.`
              });
          }
        });
        continue;
      }
    }
    if (index) for (const {hit, where} of scanTextFile(text, ext, index)) found(where, hit);
  }
  report.elapsedMs = performance.now() - start;
  return report;
}

function unreadable(file: string, what: string): Violation {
  return {
    file,
    where: "whole file",
    kind: "file",
    what,
    fix: "Publish data as JSON, CSV or uncompressed Arrow IPC, which the privacy check reads, or keep this file out of the output folder."
  };
}

/** The one line the build prints. */
export function privacySummary(r: PrivacyReport): string {
  const n = (x: number) => x.toLocaleString("en-US");
  const scanned = `${n(r.files)} files (${(r.bytes / 1e6).toFixed(1)} MB)`;
  const ids =
    r.identifiers === null
      ? "identifiers allowed by privacy.identifiers"
      : `${n(r.identifiers)} identifiers of ${n(r.customers)} customers checked`;
  const verdict =
    r.violations.length === 0
      ? "no violations"
      : `${n(r.violations.length)} violation${r.violations.length === 1 ? "" : "s"}`;
  const reused = r.reused ? " (the same files as the last clean check of this store)" : "";
  return `privacy check: ${scanned}, ${ids}, ${n(r.counts)} customer counts checked (minimum ${r.minGroupSize}): ${verdict}${reused} in ${(r.elapsedMs / 1000).toFixed(1)} s`;
}

/** The build's failure message: each violation on its own lines, a few per file. */
export function privacyFailure(r: PrivacyReport, outputLabel = "the output folder"): string {
  const byFile = new Map<string, Violation[]>();
  for (const v of r.violations) byFile.set(v.file, [...(byFile.get(v.file) ?? []), v]);
  const lines = [
    `the privacy check found ${r.violations.length} problem${r.violations.length === 1 ? "" : "s"} in ${outputLabel}; nothing in it is fit to publish until they are fixed:`
  ];
  for (const [file, list] of byFile) {
    for (const v of list.slice(0, SHOWN_PER_FILE))
      lines.push(`- ${file}, ${v.where}: ${v.what}. ${v.fix}`);
    if (list.length > SHOWN_PER_FILE)
      lines.push(`- ${file}: ${list.length - SHOWN_PER_FILE} more not shown`);
  }
  return lines.join("\n");
}
