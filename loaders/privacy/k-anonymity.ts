/**
 * The quasi-identifier rule of customer samples (k-anonymity): a customer-level sample the site
 * publishes for analysis (CUSTOMER_LEVEL_OUTPUT entries marked `sample`, such as the Explore
 * page's) is read back, its quasi-identifier columns are told apart from its payload by the rule
 * the page builders follow (site/quasi-identifiers.ts, with the store's feature catalogue), and
 * the build fails when the rows sharing one combination of them are fewer than
 * privacy.minGroupSize: such a combination singles those customers out to anyone who knows their
 * age, region or when they joined.
 */
import {readFile} from "node:fs/promises";
import {extname, join} from "node:path";
import {fromArrow} from "arquero";
import {readCatalog} from "../profile/features.ts";
import {type Store} from "../core/store.ts";
import {
  type CataloguedColumn,
  equivalenceClasses,
  quasiIdentifiers,
  rowsInSmallClasses
} from "../site/quasi-identifiers.ts";
import {CUSTOMER_LEVEL_OUTPUT, isOutput} from "../site/published.ts";
import type {PrivacyReport, Violation} from "./findings.ts";
import {publishedFiles} from "./scan.ts";

/** Whether a published file (relative to the output folder) is a customer sample for analysis. */
export function isCustomerSample(path: string): boolean {
  return CUSTOMER_LEVEL_OUTPUT.some((entry) => entry.sample === true && isOutput(entry, path));
}

/** The quasi-identifier classes of one sample's columns. */
export interface SampleClasses {
  rows: number;
  /** The quasi-identifier columns, in the file's order. */
  columns: string[];
  /** The smallest class (0 for a file without rows). */
  smallest: number;
  /** Rows in classes under the group size. */
  exposed: number;
  /** Distinct values of each quasi-identifier, finest first. */
  distinct: {column: string; values: number}[];
}

/** The classes of a table's rows over its quasi-identifiers, against a group size. */
export function sampleClasses(
  table: {columnNames(): string[]; numRows(): number; array(name: string): ArrayLike<unknown>},
  catalogue: ReadonlyMap<string, CataloguedColumn>,
  minGroupSize: number
): SampleClasses {
  const columns = quasiIdentifiers(table.columnNames(), catalogue);
  const rows = table.numRows();
  const values = columns.map((c) => table.array(c));
  const classes = equivalenceClasses(values, rows);
  let smallest = rows > 0 ? Infinity : 0;
  for (const n of classes.sizes) if (n < smallest) smallest = n;
  return {
    rows,
    columns,
    smallest,
    exposed: rowsInSmallClasses(classes, minGroupSize).n,
    distinct: columns
      .map((column, j) => ({column, values: new Set(Array.from(values[j])).size}))
      .sort((a, b) => b.values - a.values || a.column.localeCompare(b.column))
  };
}

const n = (x: number) => x.toLocaleString("en-US");

/** The violation a sample whose smallest class is under the group size makes. */
export function exposedSample(file: string, c: SampleClasses, minGroupSize: number): Violation {
  const finest = c.distinct
    .slice(0, 3)
    .map((d) => `${d.column} (${n(d.values)} distinct values)`)
    .join(", ");
  return {
    file,
    where: `quasi-identifier columns ${c.columns.join(", ")}`,
    kind: "sample",
    what: `${n(c.exposed)} of ${n(c.rows)} customers share their combination of these columns with fewer than ${minGroupSize} customers (privacy.minGroupSize; the smallest combination: ${n(c.smallest)}), so anyone who knows them can single them out; the finest columns are ${finest}`,
    fix: `Coarsen these columns (age in bands, tenure in months, amounts in bands) or withhold the customers whose combination stays too small, as the Explore sample does (loaders/site/generalise.ts). A column that singles no one out (behaviour from the business's own records) is a catalogued feature of a behavioral or psychographic dimension.`
  };
}

/**
 * Checks every customer sample under dir: adds a violation to the report for each whose smallest
 * quasi-identifier class is under minGroupSize, and what it found to report.samples. A sample
 * that cannot be read is the scan's violation (scan.ts), not this rule's.
 */
export async function checkSamples(
  store: Store,
  dir: string,
  minGroupSize: number,
  report: PrivacyReport
): Promise<void> {
  const files = (await publishedFiles(dir)).filter(isCustomerSample);
  if (files.length === 0) return;
  const catalogue = new Map<string, CataloguedColumn>(
    (await store.has("feature_catalog")) ? (await readCatalog(store)).map((f) => [f.id, f]) : []
  );
  report.samples = [];
  for (const file of files) {
    if (extname(file) !== ".arrow") {
      report.violations.push({
        file,
        where: "whole file",
        kind: "file",
        what: "a customer sample the check cannot read for its quasi-identifiers",
        fix: "Publish customer samples as uncompressed Arrow IPC."
      });
      continue;
    }
    let table: ReturnType<typeof fromArrow>;
    try {
      table = fromArrow(await readFile(join(dir, file)));
    } catch {
      continue;
    }
    const classes = sampleClasses(table, catalogue, minGroupSize);
    report.samples.push({file, smallest: classes.smallest, columns: classes.columns.length});
    if (classes.rows > 0 && classes.smallest < minGroupSize)
      report.violations.push(exposedSample(file, classes, minGroupSize));
  }
}
