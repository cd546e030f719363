/**
 * The ways real exports are dirty, with every rate in one place. Each row draws its own
 * defect from its own stream when it is generated, so a row is equally dirty in every run
 * that contains it.
 */

import {civilFromDays, daysInMonth, DAY, formatTimestamp, PAD2} from "./calendar.ts";
import type {Country} from "./geography.ts";
import type {Random} from "./random.ts";

export type DefectKind =
  | "malformed_date"
  | "future_date"
  | "negative_amount"
  | "non_numeric_amount"
  | "missing_value"
  | "unknown_customer"
  | "duplicate_row"
  | "country_variant"
  | "email_variant"
  | "postal_code_variant";

/** Chances per row of each row-level defect; at most one defect per row. */
export type RowDefectRates = Readonly<Partial<Record<RowDefectName, number>>>;

export type RowDefectName =
  | "malformed_date"
  | "missing_date"
  | "future_date"
  | "negative_amount"
  | "non_numeric_amount"
  | "missing_amount"
  | "unknown_customer"
  | "duplicate_row";

/** Every rate of planted dirt and missing data. */
export const DIRT = {
  /** Persons who open a second account (some only after the end date, so fewer show). */
  duplicatePersons: 0.036,
  /** Days after the first account (or history start) that the second one is opened. */
  secondAccountDelay: [20, 720] as const,
  /** Customer rows whose country is written as a name, a 3-letter code or with odd spacing. */
  countryVariant: 0.1,
  /** Customer rows whose e-mail has stray capitals or spaces. */
  emailVariant: 0.03,
  /** Second accounts whose e-mail is written with other capitals or spaces than the first's. */
  secondAccountEmailVariant: 0.7,
  /** Customer rows whose postal code lost a leading zero, its space or its case. */
  postalCodeVariant: 0.02,
  /** Customer rows with the country left blank (a planted missing value). */
  missingCountry: 0.005,
  /** Optional customer fields left blank (plain missing data, not recorded as defects). */
  blank: {
    email: 0.04,
    phone: 0.12,
    birth_date: 0.09,
    gender: 0.06,
    income: 0.2,
    education: 0.15,
    occupation: 0.12,
    household_size: 0.1,
    marital_status: 0.14,
    street: 0.03,
    city: 0.01,
    postal_code: 0.02,
    acquisition_channel: 0.05,
    preferred_channel: 0.05
  },
  orders: {
    malformed_date: 0.0017,
    missing_date: 0.0003,
    future_date: 0.0005,
    negative_amount: 0.001,
    non_numeric_amount: 0.0008,
    missing_amount: 0.0003,
    unknown_customer: 0.001,
    duplicate_row: 0.003
  } satisfies RowDefectRates,
  tickets: {malformed_date: 0.002, duplicate_row: 0.003} satisfies RowDefectRates,
  emailEvents: {duplicate_row: 0.003} satisfies RowDefectRates
} as const;

/** A defect drawn for one row: its name and a uniform number that picks its variant. */
export interface RowDefect {
  readonly name: RowDefectName;
  readonly u: number;
}

/** Draws a row's defect (or none); always two draws, so the stream stays aligned. */
export function drawRowDefect(random: Random, rates: RowDefectRates): RowDefect | null {
  let u = random.next();
  const variant = random.next();
  for (const name in rates) {
    const rate = rates[name as RowDefectName] ?? 0;
    if (u < rate) return {name: name as RowDefectName, u: variant};
    u -= rate;
  }
  return null;
}

/** A timestamp written wrongly: impossible month or day, another format, or not a date. */
export function malformedTimestamp(seconds: number, u: number): string {
  const [y, m, d] = civilFromDays(Math.floor(seconds / DAY));
  const time = formatTimestamp(seconds).slice(11);
  const variants = [
    `${y}-13-${PAD2[d]} ${time}`,
    `${y}-${PAD2[m]}-${daysInMonth(y, m) + 1} ${time}`,
    `${PAD2[d]}/${PAD2[m]}/${y}`,
    "not a date",
    `${y}${PAD2[m]}${PAD2[d]}`,
    "0000-00-00 00:00:00",
    `31/02/${y}`
  ];
  return variants[Math.floor(u * variants.length)];
}

/** A future-dated typo: the year's last two digits swapped (2025 -> 2052), always past any end. */
export function futureTimestamp(seconds: number): string {
  const text = formatTimestamp(seconds);
  return `${text.slice(0, 2)}${text[3]}${text[2]}${text.slice(4)}`;
}

/** An amount written so that it no longer parses as a plain decimal. */
export function nonNumericAmount(amount: string, u: number): string {
  const variants = [
    "N/A",
    amount.replace(".", ","),
    `$${amount}`,
    `${amount} EUR`,
    "n/a",
    "#VALUE!"
  ];
  return variants[Math.floor(u * variants.length)];
}

/** Another way of writing a country. */
export function countryVariant(random: Random, country: Country): string {
  return random.pick(country.variants);
}

/** An e-mail address with stray capitals and/or spaces; always differs from the clean form. */
export function emailVariant(random: Random, email: string): string {
  const [local, domain] = email.split("@");
  const u = random.next();
  if (u < 0.3) return email.toUpperCase();
  if (u < 0.55) return `${local.charAt(0).toUpperCase()}${local.slice(1)}@${domain}`;
  if (u < 0.7) return ` ${email}`;
  if (u < 0.85) return `${email} `;
  return ` ${local.replace(/(^|[._])([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase())}@${domain} `;
}

/** A postal code as spreadsheets and forms mangle them; returns null if no variant applies. */
export function postalCodeVariant(random: Random, code: string, country: Country): string | null {
  if (/^0\d+$/.test(code)) return code.replace(/^0+/, "");
  if (code.includes(" ")) return random.chance(0.5) ? code.replace(" ", "") : code.toLowerCase();
  switch (country.code) {
    case "US":
      return `${code}-${String(random.int(1000, 9999))}`;
    case "DE":
      return `D-${code}`;
    case "FR":
      return `F-${code}`;
    case "ES":
      return `E-${code}`;
    case "AU":
      return `${code}.0`;
    default:
      return null;
  }
}
