/** A small RFC 4180 reader for checking the generated files in tests. */

import {readFileSync} from "node:fs";

/** Parses CSV text into rows of fields (quoted fields may hold commas, quotes and newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export interface Table {
  readonly columns: string[];
  /** Data rows, header excluded; `rows[0]` is data row 1. */
  readonly rows: string[][];
  /** The value of a column in a data row. */
  get(row: string[], column: string): string;
}

/** Reads a CSV file with a header row. */
export function readTable(path: string): Table {
  const [columns, ...rows] = parseCsv(readFileSync(path, "utf8"));
  const index = new Map(columns.map((c, i) => [c, i]));
  return {
    columns,
    rows,
    get(row, column) {
      const i = index.get(column);
      if (i === undefined) throw new Error(`no column ${column} in ${path}`);
      return row[i];
    }
  };
}

/** True for a real `YYYY-MM-DD HH:MM:SS` timestamp (no 13th months, no 31 June). */
export function isTimestamp(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return (
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo - 1 &&
    date.getUTCDate() === d &&
    h < 24 &&
    mi < 60 &&
    s < 60
  );
}
