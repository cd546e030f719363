/**
 * The scan of a published site: every file under the output folder listed and read once, each
 * by its format (formats.ts), for the identifiers of the index and, in aggregates, for counts of
 * customers below the group size. A customer-level file larger than PIECE_BYTES (a million
 * customers' exports) is read in pieces of whole lines.
 */
import {readdir, readFile} from "node:fs/promises";
import {extname, join, relative, sep} from "node:path";
import {leaked, type PrivacyReport, unreadable} from "./findings.ts";
import {
  type Found,
  PIECE_BYTES,
  scanArrow,
  scanInPieces,
  scanTextFile,
  walkJson
} from "./formats.ts";
import {countsApply, isCustomerLevel, smallCount} from "./group-size.ts";
import type {IdentifierIndex} from "./identifiers.ts";
import type {Hit} from "./matching.ts";

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

/** Where Framework writes the libraries a site bundles (npm packages, its own runtime). */
const LIBRARY_FOLDERS = ["_npm/", "_node/", "_observablehq/"];

/** Every file under dir, as sorted paths relative to it with forward slashes. */
export async function publishedFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, {recursive: true, withFileTypes: true}))
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join("/"))
    .sort();
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
  // Libraries' code holds addresses and numbers of its own (authors, constants): only the
  // customers' identifiers are looked for there.
  const library = index && {...index, shapes: false};
  for (const file of await publishedFiles(dir)) {
    const ext = extname(file).toLowerCase();
    if (BINARY_EXTENSIONS.has(ext)) continue;
    const bytes = await readFile(join(dir, file));
    report.files++;
    report.bytes += bytes.length;
    const lookup = LIBRARY_FOLDERS.some((f) => file.startsWith(f)) ? library : index;
    scanFile(file, ext, bytes, lookup, {minGroupSize, pieceBytes}, report);
  }
  report.elapsedMs = performance.now() - start;
  return report;
}

/** The scan of one published file, by its format: adds its violations and counts to report. */
function scanFile(
  file: string,
  ext: string,
  bytes: Buffer,
  index: IdentifierIndex | null,
  {minGroupSize, pieceBytes}: {minGroupSize: number; pieceBytes: number},
  report: PrivacyReport
): void {
  // Each identifier once per file: where it first appears is enough to find the field.
  const reported = new Set<string>();
  const found = (where: string, hit: Hit) =>
    !reported.has(`${hit.kind} ${hit.value}`) &&
    reported.add(`${hit.kind} ${hit.value}`) &&
    report.violations.push(leaked(file, where, hit));
  if (ext === ".arrow") {
    if (!index) return;
    let hits: Found[];
    try {
      hits = scanArrow(bytes, index);
    } catch (error) {
      report.violations.push(
        unreadable(file, `not readable as Arrow IPC (${(error as Error).message})`)
      );
      return;
    }
    for (const {hit, where} of hits) found(where, hit);
    return;
  }
  if (!TEXT_EXTENSIONS.has(ext)) {
    report.violations.push(
      unreadable(file, `a ${ext || "extensionless"} file the check cannot read`)
    );
    return;
  }
  // A customer-level file has no counts to check, and may be too large to read whole.
  if (bytes.length > pieceBytes && isCustomerLevel(file)) {
    if (index)
      for (const {hit, where} of scanInPieces(bytes, ext, index, pieceBytes)) found(where, hit);
    return;
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
        onHit: (hit, where) => found(`at ${where}`, hit),
        onCount: (path, n) => {
          report.counts++;
          const small = smallCount(file, `at ${path}`, n, minGroupSize);
          if (small) report.violations.push(small);
        }
      });
      return;
    }
  }
  if (index) for (const {hit, where} of scanTextFile(text, ext, index)) found(where, hit);
}
