/**
 * The small-count rule: every published aggregate covers at least `privacy.minGroupSize`
 * customers. In JSON under `_file/` (loader output) and `exports/`, a count of customers is a
 * property named `customers` or ending in `_customers`; `0 < n < minGroupSize` is a violation,
 * null is a suppressed count and fine. Customer rows (CUSTOMER_LEVEL_OUTPUT in
 * loaders/site/published.ts) are not aggregates.
 */
import {sep} from "node:path";
import {CUSTOMER_LEVEL_OUTPUT, isOutput} from "../site/published.ts";
import type {Violation} from "./findings.ts";

/** A property that counts customers, by the project's convention. */
export function isCustomerCount(key: string): boolean {
  return key === "customers" || key.endsWith("_customers");
}

/** Whether a published file (relative to the output folder) holds one row per customer. */
export function isCustomerLevel(path: string): boolean {
  const p = path.split(sep).join("/");
  return CUSTOMER_LEVEL_OUTPUT.some(
    (entry) => entry.kind === "customer rows" && isOutput(entry, p)
  );
}

/** Whether a published JSON file is an aggregate the rule covers: loader output and exports. */
export function countsApply(path: string): boolean {
  return (path.startsWith("_file/") || path.startsWith("exports/")) && !isCustomerLevel(path);
}

/** The violation a published count of n customers at a place in a file makes, if any. */
export function smallCount(
  file: string,
  where: string,
  n: number | null,
  minGroupSize: number
): Violation | null {
  if (n === null || n <= 0 || n >= minGroupSize) return null;
  return {
    file,
    where,
    kind: "count",
    what: `a count of ${n} customer${n === 1 ? "" : "s"}, below privacy.minGroupSize (${minGroupSize})`,
    fix: `Raise the suppression: publish null for any count under ${minGroupSize} (and say "fewer than ${minGroupSize}" on the page). If the file holds one row per customer, add its path to CUSTOMER_LEVEL_OUTPUT in loaders/site/published.ts as customer rows.`
  };
}
