/**
 * Identifiers found by their shape, whoever they belong to: e-mail addresses and phone numbers
 * in any text, after the text is read as a person reads it (normaliseText: fullwidth forms,
 * zero-width characters, percent-encoding, spaces around @, dash and space variants). The
 * privacy check fails a build on them; the data-quality report and the build log mask them
 * (redact), so neither spreads what a source held.
 */

/** Characters that show nothing: zero-width spaces and joiners, soft hyphens, direction marks. */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
/** Dashes and minus signs a phone number may be written with. */
const DASHES = /[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g;
/** Spaces NFKC leaves alone or that may survive it. */
const SPACES = /[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/g;
/** Runs of percent-encoded bytes ("%40", "%E2%80%8B"). */
const PERCENT = /(?:%[0-9a-f]{2})+/gi;
/** Spaces around an @ between two parts of an address ("jane @ example.com"). */
const SPACED_AT = /(?<=[\p{L}\p{N}._%+-])[ \t]*@[ \t]*(?=[\p{L}\p{N}])/gu;
/** Text that normaliseText leaves as it is. */
const PLAIN = /^[\t\n\r\x20-\x24\x26-\x7e]*$/;

/**
 * Text as a reader sees it, so that no way of writing an identifier hides it from a match:
 * percent-encoding decoded, Unicode NFKC (fullwidth ＠ and digits as ASCII), invisible
 * characters removed, dashes as "-", spaces as " ", no spaces around @. Line breaks stay where
 * they are (a decoded one is a space), so lines keep their numbers.
 */
export function normaliseText(text: string): string {
  if (PLAIN.test(text) && !/[ \t]@|@[ \t]/.test(text)) return text;
  return text
    .replace(PERCENT, (run) => {
      try {
        return decodeURIComponent(run).replace(/\p{Cc}/gu, " ");
      } catch {
        return run;
      }
    })
    .normalize("NFKC")
    .replace(INVISIBLE, "")
    .replace(DASHES, "-")
    .replace(SPACES, " ")
    .replace(SPACED_AT, "@");
}

/** An e-mail address: a local part, @, a domain (the last part letters for a shape). */
export const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

/**
 * Whether an address found by EMAIL has the shape of a real one: a local part without leading,
 * trailing or doubled dots (a masked "j…@x.example" reads "j...@x.example" after NFKC) and a
 * domain ending in letters ("lib@1.2.3" is a version, not an address).
 */
export function emailShaped(address: string): boolean {
  const at = address.lastIndexOf("@");
  const local = address.slice(0, at);
  return (
    !local.startsWith(".") &&
    !local.endsWith(".") &&
    !local.includes("..") &&
    /\.\p{L}{2,}$/u.test(address.slice(at + 1))
  );
}

/**
 * A run that may be a phone number: an optional "+" and a code in brackets, then groups of
 * digits joined by one space, "-" or "." each, not inside a word or a longer number.
 */
const PHONE_SHAPE =
  /(?:(?<![\p{L}\p{N}_.])\+(?=\d)|(?<![\p{L}\p{N}_./+-]))(?:\(\d{1,5}\) ?)?\d{1,15}(?:[ .-]?\(\d{1,5}\)[ .-]?\d{1,8}|[ .-]\d{1,8})*(?![\p{L}\p{N}_/]|[.,-]\d)/gu;

/** A phone number found by its shape: its digits, where it starts and how long it is. */
export interface PhoneShape {
  digits: string;
  offset: number;
  length: number;
}

/**
 * Whether a run has the shape of a phone number: 8 to 15 digits written with a "+" or a code in
 * brackets, or in three or more groups. Not a date (2014-01-02, 31.12.2024), an IP address, a
 * list of years or a number grouped in thousands with points; a run without separators is any
 * number (an order id), so only "+" makes it a phone number.
 */
export function phoneShaped(run: string): boolean {
  const digits = run.replace(/\D/g, "");
  if (digits.length < 8 || digits.length > 15) return false;
  if (run.startsWith("+") || run.includes("(")) return true;
  const groups = run.split(/[ .-]/);
  // "3 4 5 6 7 8 9 10" is a list: after the first, a phone number's groups have two digits or more.
  if (groups.length < 3 || groups.slice(1).some((g) => g.length < 2)) return false;
  if (/^\d{4}-\d{1,2}-\d{1,2}\b/.test(run) || /^\d{1,2}[.-]\d{1,2}[.-]\d{2,4}$/.test(run))
    return false;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(run)) return false;
  if (groups.every((g) => /^(19|20)\d\d$/.test(g))) return false;
  // Points with spaces or dashes are decimals in a list ("52.37 4.90"), not one number.
  if (run.includes(".") && /[ -]/.test(run)) return false;
  if (/^\d{1,3}(\.\d{3})+$/.test(run)) return false;
  return true;
}

/** The phone numbers in a (normalised) text, by their shape. */
export function phoneShapes(text: string): PhoneShape[] {
  const out: PhoneShape[] = [];
  if (!/\d/.test(text)) return out;
  for (const m of text.matchAll(PHONE_SHAPE)) {
    const run = m[0].trimEnd();
    if (phoneShaped(run))
      out.push({digits: run.replace(/\D/g, ""), offset: m.index, length: run.length});
  }
  return out;
}

/** An e-mail address as a message shows it: its first letter and its domain. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf("@");
  return `${address.slice(0, 1)}…@${address.slice(at + 1)}`;
}

/** A phone number as a message shows it: its last four digits. */
export function maskPhone(digits: string): string {
  return `…${digits.slice(-4)}`;
}

/**
 * A text with every e-mail address and phone number in it masked (maskEmail, maskPhone), for
 * the build log and the data-quality report; the text as it was when it holds neither.
 */
export function redact(text: string): string {
  const readable = normaliseText(text);
  let found = false;
  const emails = readable.replace(EMAIL, (address) => {
    if (!emailShaped(address)) return address;
    found = true;
    return maskEmail(address.replace(/\.+$/, ""));
  });
  const shapes = phoneShapes(emails);
  if (!found && shapes.length === 0) return text;
  let out = "";
  let at = 0;
  for (const s of shapes) {
    out += emails.slice(at, s.offset) + maskPhone(s.digits);
    at = s.offset + s.length;
  }
  return out + emails.slice(at);
}
