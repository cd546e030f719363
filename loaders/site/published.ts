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

/** What a piece of customer-level output is (CUSTOMER_LEVEL_OUTPUT). */
export interface CustomerLevelOutput {
  /**
   * Where it is under the output folder, as its page or export names it: a loader's output
   * without Framework's content hash (`_file/data/explore.arrow` stands for
   * `_file/data/explore.1a2b3c4d.arrow`); `*` matches within a name, a final `/` a whole folder.
   */
  path: string;
  /**
   * A customer-level page; data only such a page reads (its summary, its index); or customer
   * rows, a file of one row per customer: not an aggregate, so the small-count rule does not
   * hold it (the identifier scan does, each line a record).
   */
  kind: "page" | "page data" | "customer rows";
  /** A page's name in the navigation. */
  title?: string;
  /** The customer-level page that reads it: left out of an aggregates-only build with the page. */
  of?: string;
  /**
   * Customer rows drawn for analysis rather than to look a customer up: every combination of
   * their quasi-identifiers covers at least privacy.minGroupSize customers (the check verifies it).
   */
  sample?: boolean;
}

/**
 * The customer-level output of a built site, the one list of it: a build with
 * privacy.customerLevel false leaves out the pages and what they read (the exports it never
 * writes), and the privacy check exempts customer rows from the small-count rule. A page that
 * publishes customer-level data names its files here.
 */
export const CUSTOMER_LEVEL_OUTPUT: readonly CustomerLevelOutput[] = [
  {path: "explore.html", kind: "page", title: "Explore"},
  {path: "customer.html", kind: "page", title: "Customer card"},
  // the card shards, fetched at run time (so not under _file/), and their index
  {path: "data/cards/", kind: "customer rows", of: "customer.html"},
  {path: "_file/data/cards/", kind: "customer rows", of: "customer.html"},
  {path: "_file/data/cards.json", kind: "page data", of: "customer.html"},
  // the explore scatter (one point per customer) and its summary
  {path: "_file/data/explore.arrow", kind: "customer rows", of: "explore.html", sample: true},
  {path: "_file/data/explore.json", kind: "page data", of: "explore.html"},
  // customer tables for the browser (Arrow, JSON, CSV)
  {path: "_file/data/customers.*", kind: "customer rows"},
  {path: "_file/data/customers/", kind: "customer rows"},
  // the CRM export, the same as JSON for support tools, the customers whose profile or risk changed
  {path: "exports/customers.csv", kind: "customer rows"},
  {path: "exports/customers.json", kind: "customer rows"},
  {path: "exports/changes.csv", kind: "customer rows"}
];

/**
 * Whether a published path (relative to the output folder, `/` between names, with or without
 * Framework's content hash) is the output an entry names, or lies in the folder it names.
 */
export function isOutput(entry: CustomerLevelOutput, path: string): boolean {
  const folder = entry.path.endsWith("/");
  const pattern = (folder ? entry.path.slice(0, -1) : entry.path)
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join("[^/]*");
  const unhashed = path.replace(/\.[0-9a-f]{8}(?=\.[^./]+$)/, "");
  return new RegExp(`^${pattern}${folder ? "(?:/.*)?" : ""}$`).test(unhashed);
}
