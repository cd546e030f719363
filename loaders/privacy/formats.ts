/**
 * Each published format read as the privacy check reads it: HTML as its text (character
 * references decoded), CSV and TSV line by line (a line is a record, its fields named by the
 * header), JSON parsed (an object or array is a record, customer counts reported), Arrow IPC
 * row by row, and a customer-level file too large for one string in pieces of whole lines.
 * Each scan returns what it found and where, in the words of the format.
 */
import {fromArrow} from "arquero";
import {isCustomerCount} from "./group-size.ts";
import type {IdentifierIndex} from "./identifiers.ts";
import {dedupe, type Hit, recordNames, scanDigits, scanText, type Token} from "./matching.ts";

/** An identifier found in a file and where: a line and column, a JSON path, a row and column. */
export interface Found {
  hit: Hit;
  where: string;
}

const ENTITIES: Record<string, string> = {amp: "&", lt: "<", gt: ">", quot: '"', apos: "'"};

/** HTML text as a reader sees it: character references decoded (offsets may shift slightly). */
function decodeEntities(html: string): string {
  return html.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] !== "#") return ENTITIES[ref.toLowerCase()] ?? whole;
    const code =
      ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function lineAndColumn(text: string, offset: number): {line: number; column: number} {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return {line, column: offset - start + 1};
}

/** The header name of the CSV field at an offset of a line (quotes respected), for messages. */
function csvColumn(header: string[], line: string, offset: number, delimiter: string): string {
  let field = 0;
  let quoted = false;
  for (let i = 0; i < offset; i++) {
    const ch = line[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) field++;
  }
  return header[field] ?? `field ${field + 1}`;
}

/** The fields of one CSV line (quotes respected). */
export function parseCsvLine(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      out.push(field);
      field = "";
    } else if (ch !== "\r") field += ch;
  }
  out.push(field);
  return out;
}

/** Scans a text file; CSV lines are records (a first and a last name anywhere in a row match). */
export function scanTextFile(text: string, ext: string, index: IdentifierIndex): Found[] {
  if (ext === ".csv" || ext === ".tsv") return scanTable(text, ext === ".tsv" ? "\t" : ",", index);
  const readable = ext === ".html" || ext === ".htm" ? decodeEntities(text) : text;
  const hits: Hit[] = [];
  scanText(readable, index, hits);
  return dedupe(hits).map((hit) => {
    const {line, column} = lineAndColumn(readable, hit.offset);
    return {hit, where: `line ${line}, column ${column}`};
  });
}

/** The lines of text with their numbers, the first numbered firstLine. */
function* linesOf(text: string, firstLine: number): Generator<[string, number]> {
  let n = firstLine - 1;
  for (let start = 0; start < text.length;) {
    const end = text.indexOf("\n", start);
    n++;
    yield [text.slice(start, end === -1 ? undefined : end), n];
    start = end === -1 ? text.length : end + 1;
  }
}

/** The fields of a text's first line: a CSV's header. */
function headerOf(text: string, delimiter: string): string[] {
  const firstBreak = text.indexOf("\n");
  return parseCsvLine(text.slice(0, firstBreak === -1 ? undefined : firstBreak), delimiter);
}

/**
 * Scans a CSV or TSV line by line: each line is a record, so its fields may pair up as a name.
 * A piece of a larger file gives its header and the number of its first line.
 */
function scanTable(
  text: string,
  delimiter: string,
  index: IdentifierIndex,
  {header = headerOf(text, delimiter), firstLine = 1}: {header?: string[]; firstLine?: number} = {}
) {
  const out: Found[] = [];
  for (const [line, n] of linesOf(text, firstLine)) {
    const hits: Hit[] = [];
    const names: Token[] = [];
    scanText(line, index, hits, names, Infinity);
    recordNames(names, index, hits);
    for (const hit of dedupe(hits))
      out.push({
        hit,
        where: `line ${n}, column ${JSON.stringify(csvColumn(header, line, hit.offset, delimiter))}`
      });
  }
  return out;
}

/** Scans JSON line by line: the JSON value on a line is a record, other lines are text. */
function scanJsonLines(text: string, index: IdentifierIndex, firstLine: number) {
  const out: Found[] = [];
  for (const [line, n] of linesOf(text, firstLine)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line.trim().replace(/,$/, ""));
    } catch {
      parsed = undefined;
    }
    if (parsed !== null && typeof parsed === "object") {
      walkJson(parsed, "", {
        index,
        countCustomers: false,
        onHit: (hit, where) =>
          out.push({hit, where: where === "(top level)" ? `line ${n}` : `line ${n}, at ${where}`}),
        onCount: () => {}
      });
      continue;
    }
    const hits: Hit[] = [];
    scanText(line, index, hits);
    for (const hit of dedupe(hits)) out.push({hit, where: `line ${n}`});
  }
  return out;
}

/** Customer-level files larger than this are read in pieces (V8's strings stop at 512 MiB). */
export const PIECE_BYTES = 256 * 2 ** 20;

/**
 * Scans a customer-level file too large for one string in pieces of whole lines, each line a
 * record: a CSV's with its header's column names, a JSON file's as the value on the line (the
 * customer exports hold one customer a line).
 */
export function scanInPieces(
  bytes: Buffer,
  ext: string,
  index: IdentifierIndex,
  pieceBytes: number
): Found[] {
  const out: Found[] = [];
  const delimiter = ext === ".tsv" ? "\t" : ",";
  let header: string[] | undefined;
  let firstLine = 1;
  for (let start = 0; start < bytes.length;) {
    const newline = bytes.indexOf(0x0a, Math.min(start + pieceBytes, bytes.length) - 1);
    const end = newline === -1 ? bytes.length : newline + 1;
    const text = bytes.subarray(start, end).toString("utf8");
    if (ext === ".csv" || ext === ".tsv") {
      header ??= headerOf(text, delimiter);
      out.push(...scanTable(text, delimiter, index, {header, firstLine}));
    } else out.push(...scanJsonLines(text, index, firstLine));
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) firstLine++;
    start = end;
  }
  return out;
}

function jsonPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key)
    ? path
      ? `${path}.${key}`
      : key
    : `${path}[${JSON.stringify(key)}]`;
}

/** Integers long enough to be a phone number, written as digits. */
function longInteger(value: unknown): string | null {
  if (typeof value === "bigint") return value >= 1_000_000n ? String(value) : null;
  if (typeof value === "number" && Number.isInteger(value) && Math.abs(value) >= 1e6)
    return String(Math.abs(value));
  return null;
}

/** What walkJson looks for (identifiers of the index, customer counts) and whom it tells. */
export interface JsonVisit {
  index: IdentifierIndex | null;
  countCustomers: boolean;
  onHit: (hit: Hit, where: string) => void;
  onCount: (path: string, n: number | null) => void;
}

/** What scanText found in each long string of an index's scans, kept while there are few. */
const SCANNED = new WeakMap<IdentifierIndex, Map<string, {hits: Hit[]; names: Token[]}>>();

/**
 * scanText for a JSON value, once per distinct long string: a customer export repeats the
 * profile's name and brief on every record, and scanning them a million times is the scan's
 * cost. The result depends on the text and the index alone.
 */
function scanValue(text: string, index: IdentifierIndex, hits: Hit[], names: Token[]): void {
  if (text.length < 32) return scanText(text, index, hits, names);
  let cache = SCANNED.get(index);
  if (!cache) SCANNED.set(index, (cache = new Map()));
  let found = cache.get(text);
  if (!found) {
    found = {hits: [], names: []};
    scanText(text, index, found.hits, found.names);
    if (cache.size >= 10_000) cache.clear();
    cache.set(text, found);
  }
  hits.push(...found.hits);
  names.push(...found.names);
}

/** Walks parsed JSON: strings and keys scanned, objects and arrays as records, customer counts. */
export function walkJson(value: unknown, path: string, visit: JsonVisit): void {
  if (value === null || typeof value !== "object") return;
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  const names: Token[] = [];
  const {index} = visit;
  for (const [key, child] of entries) {
    const where = jsonPath(path, key);
    if (index) {
      const hits: Hit[] = [];
      if (typeof key === "string") scanText(key, index, hits);
      if (typeof child === "string") scanValue(child, index, hits, names);
      const digits = longInteger(child);
      if (digits) scanDigits(digits, 0, index, hits);
      for (const hit of dedupe(hits)) visit.onHit(hit, where);
    }
    if (visit.countCustomers && typeof key === "string" && isCustomerCount(key))
      for (const n of Array.isArray(child) ? child : [child])
        if (typeof n === "number" || n === null) visit.onCount(where, n);
    walkJson(child, where, visit);
  }
  if (index && names.length > 1) {
    const hits: Hit[] = [];
    recordNames(names, index, hits);
    for (const hit of hits) visit.onHit(hit, path || "(top level)");
  }
}

/** Scans an Arrow IPC file column by column; a row is a record. */
export function scanArrow(bytes: Uint8Array, index: IdentifierIndex): Found[] {
  const table = fromArrow(bytes);
  const out: Found[] = [];
  const names = new Map<number, Token[]>();
  for (const name of table.columnNames()) {
    const values = table.array(name) as ArrayLike<unknown>;
    const at = (row: number) => `row ${row + 1}, column ${JSON.stringify(name)}`;
    for (let row = 0; row < values.length; row++) {
      const value = values[row];
      const hits: Hit[] = [];
      if (typeof value === "string") {
        const tokens: Token[] = [];
        scanText(value, index, hits, tokens);
        if (tokens.length > 0) names.set(row, [...(names.get(row) ?? []), ...tokens]);
      } else {
        const digits = longInteger(value);
        if (digits) scanDigits(digits, 0, index, hits);
      }
      for (const hit of dedupe(hits)) out.push({hit, where: at(row)});
    }
  }
  for (const [row, tokens] of [...names].sort((a, b) => a[0] - b[0])) {
    const hits: Hit[] = [];
    recordNames(tokens, index, hits);
    for (const hit of hits) out.push({hit, where: `row ${row + 1}`});
  }
  return out;
}
