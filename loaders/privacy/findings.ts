/**
 * What the privacy check found: each violation with where it is, what leaked (masked, so the
 * build log does not spread it) and what to do; the report of a whole check; the one line the
 * build prints, and its failure message.
 */
import {maskEmail, maskPhone} from "../core/redact.ts";
import type {IdentifierKind} from "./identifiers.ts";
import type {Hit} from "./matching.ts";

/** Violations listed per file before the rest are counted only. */
const SHOWN_PER_FILE = 5;

/** A problem found in a published file. */
export interface Violation {
  /** The file, relative to the output folder. */
  file: string;
  /** Where in it: a line and column, a JSON path, a row and column. */
  where: string;
  kind: IdentifierKind | "count" | "file" | "sample";
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
  /** Published tables with totals rebuilt by the differencing test (differencing.ts). */
  tables?: number;
  minGroupSize: number;
  violations: Violation[];
  elapsedMs: number;
  /** True when the files were the ones a clean check of the same store already read. */
  reused?: boolean;
  /** The customer samples' smallest quasi-identifier classes (k-anonymity.ts). */
  samples?: {file: string; smallest: number; columns: number}[];
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
    case "email":
      return maskEmail(value);
    case "phone":
      return maskPhone(value);
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
 * An identifier found in a published file: one of the index, or an e-mail address or phone
 * number by its shape, whoever it belongs to.
 */
export function leaked(file: string, where: string, {kind, value, shape}: Hit): Violation {
  const by = shape ? ", by its shape (an address or number of no customer in the store)" : "";
  return {
    file,
    where,
    kind,
    what: `${KIND_LABELS[kind]} ${masked(kind, value)}${by}`,
    fix: IDENTIFIER_FIX,
    value
  };
}

/** A published file the check cannot read. */
export function unreadable(file: string, what: string): Violation {
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
  const tables = r.tables === undefined ? "" : `, ${n(r.tables)} tables with totals differenced`;
  const samples = r.samples?.length
    ? `, ${r.samples.length} customer sample${r.samples.length === 1 ? "" : "s"} checked for quasi-identifiers (smallest combination ${n(Math.min(...r.samples.map((s) => s.smallest)))})`
    : "";
  return `privacy check: ${scanned}, ${ids}, ${n(r.counts)} customer counts checked (minimum ${r.minGroupSize})${tables}${samples}: ${verdict}${reused} in ${(r.elapsedMs / 1000).toFixed(1)} s`;
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
