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
  /** Columns of the source that nothing reads (map them, or declare them as attributes). */
  ignored: string[];
  reasons: {reason: string; column: string | null; rows: number}[];
  samples: {
    row: number;
    file: string;
    column: string | null;
    reason: string;
    message: string;
    record: Record<string, string | null>;
  }[];
}

/** data/quality.json. */
export interface QualityReport {
  asOf: string | null;
  sources: SourceQuality[];
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
