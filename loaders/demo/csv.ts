/** CSV output: RFC 4180 quoting and a buffered, synchronous file writer that counts rows. */

import {closeSync, openSync, writeSync} from "node:fs";

/** Where the generator sends a table's rows; `write` returns the 1-based data row number. */
export interface RowSink {
  write(fields: readonly string[]): number;
}

/** Quotes a field only when RFC 4180 requires it (comma, quote, CR or LF). */
export function csvField(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 44 || c === 34 || c === 10 || c === 13) return `"${value.replaceAll('"', '""')}"`;
  }
  return value;
}

/** One CSV line (without its line ending). */
export function csvLine(fields: readonly string[]): string {
  let line = csvField(fields[0]);
  for (let i = 1; i < fields.length; i++) line += "," + csvField(fields[i]);
  return line;
}

/** Flushing in large chunks keeps the system-call count low at a million customers. */
const FLUSH_LINES = 8192;

/** A CSV file written through a buffer: header first, `\n` line endings, UTF-8. */
export class CsvFileSink implements RowSink {
  rows = 0;
  private readonly fd: number;
  // Lines are joined once per flush: cheaper than growing one string line by line.
  private lines: string[] = [];

  constructor(path: string, header: readonly string[]) {
    this.fd = openSync(path, "w");
    this.lines.push(csvLine(header));
  }

  /** Appends one row and returns its 1-based data row number. */
  write(fields: readonly string[]): number {
    this.lines.push(csvLine(fields));
    if (this.lines.length >= FLUSH_LINES) this.flush();
    return ++this.rows;
  }

  /** Writes the buffered lines to the file. */
  flush(): void {
    if (this.lines.length > 0) writeSync(this.fd, this.lines.join("\n") + "\n");
    this.lines = [];
  }

  /** Flushes and closes the file. */
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** An in-memory sink, for tests and for small reference tables. */
export class MemorySink implements RowSink {
  readonly rows: string[][] = [];

  /** Keeps a copy of the row. */
  write(fields: readonly string[]): number {
    this.rows.push([...fields]);
    return this.rows.length;
  }
}
