/**
 * E-mail addresses and phone numbers. Both embed a number that is a bijection of the slot, so
 * two different persons never share an address or a number by accident: every shared
 * identifier in the demo data is a planted duplicate.
 */

import type {Country} from "./geography.ts";
import {asciiSlug} from "./names.ts";
import type {Random} from "./random.ts";

/** A number unique to the slot, with as many digits as the population needs (at least 4). */
export function personalNumber(slot: number, slots: number): number {
  const digits = Math.max(4, String(slots).length);
  const modulus = 10 ** digits;
  // 3141593 is coprime with every power of ten, so this is a permutation of [0, modulus).
  return (slot * 3141593 + 271828) % modulus;
}

/** A personal e-mail address (always lower case) at a domain. */
export function emailAddress(
  random: Random,
  first: string,
  last: string,
  domain: string,
  n: number
): string {
  const f = asciiSlug(first) || "x";
  const l = asciiSlug(last) || "x";
  const patterns = [
    `${f}.${l}${n}`,
    `${f}${l}${n}`,
    `${f[0]}${l}${n}`,
    `${f}_${l}${n}`,
    `${l}.${f}${n}`
  ];
  return `${random.pick(patterns)}@${domain}`;
}

/** A national significant number: a lead (area code or mobile prefix) and 7 unique digits. */
export function nationalNumber(
  random: Random,
  country: Country,
  areaCode: string,
  slot: number
): string {
  const lead = country.phone.lead(random, areaCode);
  if (country.phone.callingCode === "1") {
    // North American subscriber numbers cannot start with 0 or 1.
    return lead + String(2_000_000 + ((slot * 7654321 + 1234567) % 8_000_000));
  }
  return lead + String((slot * 7654321 + 1234567) % 10_000_000).padStart(7, "0");
}

/** How a phone number is written: +4915512345678, +49 155 12345678, 0155 12345678, 015512345678. */
export type PhoneStyle = "e164" | "international" | "national" | "digits";
/** Every phone style, in the order accounts draw from. */
export const PHONE_STYLES: readonly PhoneStyle[] = ["e164", "international", "national", "digits"];

function grouped(national: string, groups: readonly number[], separator: string): string {
  const parts: string[] = [];
  let i = 0;
  for (const g of groups) {
    parts.push(national.slice(i, i + g));
    i += g;
  }
  if (i < national.length) parts[parts.length - 1] += national.slice(i);
  return parts.join(separator);
}

/** Writes a phone number in one of the styles seen in real exports. */
export function formatPhone(country: Country, national: string, style: PhoneStyle): string {
  const {callingCode, trunk, groups} = country.phone;
  const nanp = callingCode === "1";
  switch (style) {
    case "e164":
      return `+${callingCode}${national}`;
    case "international":
      return `+${callingCode} ${grouped(national, groups, nanp ? "-" : " ")}`;
    case "national":
      return nanp
        ? `(${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}`
        : `${trunk}${grouped(national, groups, " ")}`;
    case "digits":
      return `${trunk}${national}`;
  }
}
