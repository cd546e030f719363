/**
 * The data-quality page (data/quality.json): per source, rows read, accepted and quarantined
 * by reason, and the first quarantined rows (direct identifiers masked unless the config allows
 * them); values cleared; identities merged; fields filled; coverage of every canonical field.
 */

/** One source's rows: read, accepted, quarantined (with reasons and samples), values cleared. */
export interface SourceQuality {
  source: string;
  table: string;
  location: string;
  read: number;
  accepted: number;
  quarantined: number;
  cleared: number;
  /** The values cleared, by field and reason, most first (their sum is `cleared`). */
  clearedBy: {column: string; reason: string; rows: number}[];
  /** Columns of the source that nothing reads (map them, or declare them as attributes). */
  ignored: string[];
  reasons: {reason: string; column: string | null; rows: number}[];
  samples: {
    row: number;
    file: string;
    column: string | null;
    reason: string;
    message: string;
    /** The row's columns; a value is "(hidden)" unless it identifies no one and a mapping reads it. */
    record: Record<string, string | null>;
  }[];
  /** An orders source of lines (`lines: true`): the orders its lines made. */
  lines?: LinesSummary;
  /** An orders source: its orders per status as written, and what each status counts as. */
  statuses?: StatusCount[];
}

/** What an orders source's lines made: orders, and credit lines netted or left unmatched. */
export interface LinesSummary {
  source: string;
  /** Lines accepted by validation (credits included). */
  lines: number;
  orders: number;
  credits: number;
  creditsByProduct: number;
  creditsByCustomer: number;
  /** Credits with no order to net against, quarantined as unmatched_credit. */
  unmatchedCredits: number;
  /** Orders netted to zero by credits (cancelled), and in part (returned). */
  cancelledByCredits: number;
  returnedByCredits: number;
}

/** Orders of one status: a purchase, cancelled (kept apart), returned, or in no list (a purchase). */
export type StatusCount = {
  status: string | null;
  countsAs: "purchase" | "cancelled" | "returned" | "unlisted";
  orders: number;
};

/** A related file: rows read, matched, unmatched (with the first few), keys on several rows. */
export interface RelatedQuality {
  name: string;
  location: string;
  key: string;
  read: number;
  matched: number;
  unmatched: number;
  /** Lines that could not be read (quarantined as malformed_line). */
  malformed: number;
  duplicateKeys: number;
  duplicateRows: number;
  /** Each lookup into the file: who looked, for which field, and the rows that found nothing. */
  lookups: {user: string; field: string; column: string; rows: number; missed: number}[];
  /** The first unmatched rows, as read. */
  samples: {row: number; file: string; key: string | null; record: Record<string, string | null>}[];
  /** The first rows of each lookup that found nothing. */
  misses: {user: string; field: string; row: number; file: string; key: string | null}[];
}

/** data/quality.json. */
export interface QualityReport {
  asOf: string | null;
  sources: SourceQuality[];
  /** Files sources look values up in (`related`); empty without any. */
  related: RelatedQuality[];
  identity: {
    ids: number;
    persons: number;
    merged: number;
    byRule: {rule: string; ids: number}[];
  } | null;
  filled: {table: string; field: string; method: string; rows: number}[];
  issues: {table: string; field: string; reason: string; rows: number}[];
  coverage: {table: string; field: string; rows: number; present: number}[];
}
