/**
 * A customer's direct identifiers (e-mail, phone, name, street) as the privacy check compares
 * them, and the index it looks published text up in. The same normalisation builds the index
 * and reads the published text: an e-mail compared case-insensitively, a phone number on its
 * digits in any of the forms it is written in, a full name ("first last", or a first and a last
 * name in two fields of one record) and a street line with its house number as folded words. A
 * first name alone, a street name without its number or a number that merely shares digits with
 * a phone number is not a match.
 */
import {COUNTRIES} from "../clean/countries.ts";
import {DigestSet, identifierDigest} from "./digests.ts";

/** Phone numbers are compared on 7 to 15 digits (E.164 allows 15): shorter runs are too common. */
export const MIN_PHONE_DIGITS = 7;
export const MAX_PHONE_DIGITS = 15;

/** What an identifier is. */
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
  /**
   * Whether e-mail addresses and phone numbers are found by their shape too, whoever they
   * belong to (core/redact.ts); not in the code of libraries the site bundles.
   */
  shapes: boolean;
  /** Distinct identifiers: e-mails, phone forms, names and street lines. */
  size: number;
}

/** The direct identifiers of one customer, as the store holds them. */
export interface CustomerIdentifiers {
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

/** The fields of a customer that hold direct identifiers. */
export const IDENTIFIER_FIELDS = ["email", "phone", "first_name", "last_name", "street"] as const;

// ---------------------------------------------------------------------------------------------
// Normalisation

const NON_ASCII = /[^ -~\t\n\r]/;
const MARKS = /\p{M}+/gu;
/** A word: letters and digits, with their marks. */
export const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu;

/** Lower case without accents: "Müller" and "MULLER" read the same. */
export function fold(text: string): string {
  const lower = text.toLowerCase();
  return NON_ASCII.test(lower) ? lower.normalize("NFD").replace(MARKS, "") : lower;
}

/** Street types as one word, however a record writes them ("Street", "St", "Str."). */
const STREET_TYPES = new Map(
  Object.entries({
    st: ["street", "str"],
    ave: ["avenue", "av", "avn"],
    dr: ["drive", "drv"],
    rd: ["road"],
    ln: ["lane"],
    blvd: ["boulevard", "bd", "boul"],
    ct: ["court"],
    pl: ["place"],
    sq: ["square"],
    ter: ["terrace", "terr"],
    cres: ["crescent", "cr"],
    hwy: ["highway"],
    pkwy: ["parkway"],
    cir: ["circle"],
    cl: ["close"],
    gdns: ["gardens"],
    mt: ["mount"]
  }).flatMap(([short, long]) => [short, ...long].map((l): [string, string] => [l, short]))
);
/** "Schulstraße", "Schulstrasse" and "Schulstr" as one word. */
const STRASSE = /(?:straße|strasse)$/;

/** A folded word as compared: a street type abbreviated ("drive" as "dr", "schulstraße" as "schulstr"). */
export function token(word: string): string {
  const folded = fold(word);
  const type = STREET_TYPES.get(folded);
  if (type !== undefined) return type;
  return folded.endsWith("straße") || folded.endsWith("strasse")
    ? folded.replace(STRASSE, "str")
    : folded;
}

/** The words of a text, as compared: "O'Brien-Smith" → ["o", "brien", "smith"]. */
export function words(text: string): string[] {
  return (text.match(WORD) ?? []).map(token);
}

/** An e-mail address as compared: trimmed, lower case, without spaces (as identity's key). */
export function emailKey(email: string): string {
  return email.replace(/\s+/g, "").toLowerCase();
}

/** The digits of a text, as a phone number is compared. */
export function digitsOf(text: string): string {
  return text.replace(/\D+/g, "");
}

/** Calling codes by country (ISO alpha-2), for the national form of a phone key. */
export const CALLING_CODES = new Map(
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
export function phoneCandidates(digits: string): string[] {
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
    shapes: true,
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
export function addName(index: IdentifierIndex, firstName: string, lastName: string): void {
  const first = words(firstName);
  const last = words(lastName);
  if (first.length === 0 || last.length === 0) return;
  addPhrase(index, [...first, ...last], "name");
  index.firstTokens.add(first[0]);
  index.lastTokens.add(last[last.length - 1]);
  index.namePairs.add(`${first[0]} ${last[last.length - 1]}`);
}

/** Adds a street line, when it identifies a place (streetTokens). */
export function addStreet(index: IdentifierIndex, street: string): void {
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

/** The keys a customer's identifiers are looked up by, as the scan reports them. */
export function customerKeys(c: CustomerIdentifiers): string[] {
  const keys: string[] = [];
  if (c.email?.includes("@")) keys.push(`email ${emailKey(c.email)}`);
  if (c.customer_id?.includes("@")) keys.push(`email ${emailKey(c.customer_id)}`);
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
