/**
 * What every published number obeys: one rounding rule (significant digits, so floating-point
 * noise never ships and two builds of the same store give the same bytes), small counts
 * suppressed below privacy.minGroupSize, and the one list of customer-level output.
 */

/** Significant digits: pages (charts and sentences), exports (other tools compute on them), cards. */
export const DIGITS = {page: 4, export: 6, card: 3} as const;

/** x rounded to `digits` significant digits; null when x is not a finite number. */
export function round(x: unknown, digits: number = DIGITS.page): number | null {
  return typeof x === "number" && Number.isFinite(x) ? Number(x.toPrecision(digits)) : null;
}

/** Money as published: to the cent; null when not a finite number. */
export function cents(x: unknown): number | null {
  return typeof x === "number" && Number.isFinite(x) ? Math.round(x * 100) / 100 : null;
}

/** A row with each of its own numbers rounded (nested values left as they are). */
export function roundRow<T extends object>(row: T, digits: number = DIGITS.page): T {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, typeof v === "number" ? round(v, digits) : v])
  ) as T;
}

/** Every number anywhere in a value (arrays and objects, however deep) rounded. */
export function roundDeep<T>(value: T, digits: number = DIGITS.page): T {
  if (typeof value === "number") return round(value, digits) as T;
  if (Array.isArray(value)) return value.map((v) => roundDeep(v, digits)) as T;
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, roundDeep(v, digits)])
    ) as T;
  return value;
}

/** A count as published: itself when zero or at least min, else null (suppressed). */
export function suppress(n: number, min: number): number | null {
  return n === 0 || n >= min ? n : null;
}

/**
 * The customer-level output of a built site (paths under the output folder; a loader's output
 * carries a content hash after the name): left out of a build with privacy.customerLevel false,
 * and scanned line by line by the privacy check.
 */
export const CUSTOMER_LEVEL_OUTPUT: readonly string[] = [
  "explore.html",
  "customer.html",
  "data/cards",
  "_file/data/cards",
  "_file/data/explore"
];
