/**
 * Sources: each configured source lands in the store as `src_<name>`, text exactly as the source
 * wrote it (every column VARCHAR), with `_row` (1-based data row within its file) and `_file`.
 * Validation reads these; nothing is typed or dropped here. Lines a CSV reader cannot split into
 * the header's columns go to the quarantine with their line number.
 *
 * The raw text is only an intermediate that validation reads a few times, a column or a few at
 * a time, so each file is written once to a Parquet file (compressed, columnar, in file order)
 * in the store's private folder (core/scratch.ts: beside the store, mode 0700, cleared of what a
 * build that died left there at the next start), and `src_<name>` is a temporary view over it
 * that numbers the rows. Nothing then holds the text in memory, however large the source, and nothing
 * writes it into the profile store. Sources of several files, or with malformed lines (whose rows
 * are numbered around the lines left out), and PostgreSQL sources become temporary tables.
 */
import {closeSync, openSync, readSync, rmSync, statSync} from "node:fs";
import {dirname, extname, isAbsolute, join, relative, resolve} from "node:path";
import type {
  CsvOptions,
  PortraitConfig,
  ReferenceConfig,
  RelatedConfig,
  SourceConfig
} from "../config/project.ts";
import {scratchFolder} from "../core/scratch.ts";
import {structValue} from "@duckdb/node-api";
import {type Store} from "../core/store.ts";
import {ident, join as joinSql, sql, val, literal, type SQL} from "../core/sql.ts";

export type FileFormat = "csv" | "tsv" | "parquet" | "json" | "ndjson";

export interface RawSource {
  name: string;
  /** The store table holding the text. */
  rawTable: string;
  /** Source columns in their order (without _row and _file). */
  columns: string[];
  /** Rows read, malformed lines included. */
  rows: number;
  /** Lines that could not be read (quarantined as malformed_line). */
  malformed: number;
  /** Where the rows came from, for messages (relative file paths or postgresql:…). */
  locations: string[];
  /** The columns lookups in related files read as keys (ingest/related.ts). */
  lookupKeys?: string[];
  /** What a person should look at, e.g. a header that names two columns alike. */
  warnings?: string[];
}

/** The quarantine: every row a source sent that did not make it, with why. */
export const QUARANTINE_DDL = sql`CREATE TABLE IF NOT EXISTS quarantine (
  source VARCHAR, "table" VARCHAR, "row" BIGINT, file VARCHAR, "column" VARCHAR,
  reason VARCHAR, message VARCHAR, reasons VARCHAR[], record JSON)`;

const EXTENSIONS: Record<string, FileFormat> = {
  ".csv": "csv",
  ".tsv": "tsv",
  ".tab": "tsv",
  ".txt": "csv",
  ".parquet": "parquet",
  ".json": "json",
  ".ndjson": "ndjson",
  ".jsonl": "ndjson"
};

/** Reads every configured source into src_<name>; returns them in config order. */
export async function readSources(store: Store, config: PortraitConfig): Promise<RawSource[]> {
  await store.run(QUARANTINE_DDL);
  const sources: RawSource[] = [];
  for (const [name, source] of Object.entries(config.sources)) {
    sources.push(await readSource(store, config, name, source));
  }
  return sources;
}

/**
 * Reads one source into src_<name>, or a related file into the table and under the config key
 * `as` names (its malformed lines quarantined under that table).
 */
export async function readSource(
  store: Store,
  config: PortraitConfig,
  name: string,
  source: SourceConfig | RelatedConfig,
  as: {rawTable: string; table: string; key: string} = {
    rawTable: `src_${name}`,
    table: "table" in source ? source.table : "related",
    key: `sources.${name}`
  }
): Promise<RawSource> {
  const {rawTable} = as;
  await dropRawSource(store, rawTable);
  if ("postgres" in source) {
    // Loaded on demand: file-only projects never load the PostgreSQL client.
    const {connectionFromEnv, readPostgres} = await import("./postgres.ts");
    const {env, table, query} = source.postgres;
    const description = `postgresql:${table ?? "query"}`;
    const {rows, columns, names} = await readPostgres(store, {
      connectionString: connectionFromEnv(env, process.env),
      table,
      query,
      target: rawTable,
      description
    });
    const repeated = repeatedOf(names, columns);
    const rename = table === undefined ? "in the query (AS another_name)" : "in the table";
    return {
      name,
      rawTable,
      columns,
      rows,
      malformed: 0,
      locations: [description],
      warnings: repeated.length > 0 ? [repeatedWarning(description, repeated, rename)] : []
    };
  }
  const files = await expandFiles(store, config, `${as.key}.file`, source.file);
  let columns: string[] | undefined;
  let rows = 0;
  let malformed = 0;
  const warnings: string[] = [];
  for (const file of files) {
    const location = relative(config.dir, file) || file;
    const read = await readFile(store, file, formatOf(source, file), source.csv, location);
    if (columns !== undefined) {
      const missing = columns.filter((c) => !read.columns.includes(c));
      if (missing.length > 0) {
        discard(read.path);
        throw new Error(
          `${location}: lacks the column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} that ${relative(config.dir, files[0])} has; every file of ${as.key}.file must share one header`
        );
      }
    }
    const numbered = read.columns.some((c) => c.toLowerCase() === "file_row_number");
    if (files.length === 1 && read.rejects.length === 0 && !numbered) {
      // A view binds no parameter: its file's name and path are written into it (literal).
      await store.run(
        sql`CREATE TEMP VIEW ${ident(rawTable)} AS
         SELECT * EXCLUDE (file_row_number), (file_row_number + 1)::BIGINT AS _row, ${literal(location)} AS _file
         FROM read_parquet(${literal(read.path)}, file_row_number = true)`
      );
      await store.run(sql`CREATE TEMP TABLE IF NOT EXISTS _raw_files (raw VARCHAR, path VARCHAR)`);
      await store.run(sql`INSERT INTO _raw_files VALUES (${val(rawTable)}, ${val(read.path)})`);
    } else {
      // The Parquet file keeps the file's order, and so does the table's rowid.
      await store.run(
        sql`CREATE TEMP TABLE _file_text AS SELECT * FROM read_parquet(${val(read.path)})`
      );
      discard(read.path);
      await numberRows(store, read.rejects, location);
      if (columns === undefined) {
        await store.run(sql`ALTER TABLE _file_rows RENAME TO ${ident(rawTable)}`);
      } else {
        await store.run(sql`INSERT INTO ${ident(rawTable)} BY NAME SELECT * FROM _file_rows`);
        await store.run(sql`DROP TABLE _file_rows`);
      }
    }
    columns ??= read.columns;
    for (const reject of read.rejects) {
      await store.run(
        sql`INSERT INTO quarantine VALUES (${val(name)}, ${val(as.table)}, ${reject.row}, ${val(location)}, NULL, 'malformed_line', ${val(reject.message)}, ['malformed_line'], to_json({line: ${val(reject.text)}}))`
      );
    }
    rows += read.rows + read.rejects.length;
    malformed += read.rejects.length;
    if (read.repeated.length > 0) warnings.push(repeatedWarning(location, read.repeated));
  }
  return {
    name,
    rawTable,
    columns: columns ?? [],
    rows,
    malformed,
    locations: files.map((f) => relative(config.dir, f)),
    warnings
  };
}

/** Reads a reference table (e.g. postal codes) into ref_<name>, all text. */
export async function readReference(
  store: Store,
  config: PortraitConfig,
  name: string,
  reference: ReferenceConfig
): Promise<{table: string; rows: number}> {
  const files = await expandFiles(store, config, `references.${name}.file`, reference.file);
  const table = `ref_${name}`;
  await store.run(sql`DROP TABLE IF EXISTS ${ident(table)}`);
  for (const [i, file] of files.entries()) {
    const read = await readFile(
      store,
      file,
      formatOf(reference, file),
      reference.csv,
      relative(config.dir, file)
    );
    if (read.rejects.length > 0) {
      discard(read.path);
      throw new Error(
        `${relative(config.dir, file)}: ${read.rejects[0].message} (reference tables must be well formed)`
      );
    }
    const text = sql`SELECT * FROM read_parquet(${val(read.path)})`;
    try {
      await store.run(
        i === 0
          ? sql`CREATE TABLE ${ident(table)} AS ${text}`
          : sql`INSERT INTO ${ident(table)} BY NAME ${text}`
      );
    } finally {
      discard(read.path);
    }
  }
  const count = await store.one<{n: number}>(
    sql`SELECT count(*)::INTEGER AS n FROM ${ident(table)}`
  );
  return {table, rows: count?.n ?? 0};
}

/** The format a file is read as: the config's, else its extension's. */
export function formatOf(source: {format?: FileFormat; file: string}, file: string): FileFormat {
  if (source.format) return source.format;
  const format = EXTENSIONS[extname(file).toLowerCase()];
  if (!format) {
    throw new Error(
      `${file}: cannot tell the format from the extension "${extname(file)}": set format to one of csv, tsv, parquet, json, ndjson`
    );
  }
  return format;
}

async function expandFiles(
  store: Store,
  config: PortraitConfig,
  key: string,
  pattern: string
): Promise<string[]> {
  const absolute = isAbsolute(pattern) ? pattern : resolve(config.dir, pattern);
  const files = (
    await store.all<{file: string}>(sql`SELECT file FROM glob(${val(absolute)}) ORDER BY file`)
  ).map((f) => f.file);
  if (files.length === 0) {
    throw new Error(`${config.path}: ${key}: no file matches ${pattern} (looked in ${config.dir})`);
  }
  return files;
}

interface FileRead {
  columns: string[];
  rows: number;
  rejects: {row: number; message: string; text: string | null}[];
  /** Header names written more than once, with the names each copy is read under. */
  repeated: Repeated[];
  /** The private Parquet file holding the text, in file order (see the module doc). */
  path: string;
}

/** Folders of raw text not yet discarded, removed at the latest when the process exits. */
const rawFolders = new Set<string>();
process.once("exit", () => rawFolders.forEach(removeFolder));

/** A new folder for one file's text, in the store's private folder. */
function rawFolder(store: Store): string {
  const folder = scratchFolder(store.scratch, "raw");
  rawFolders.add(folder);
  return folder;
}

function removeFolder(folder: string): void {
  rmSync(folder, {recursive: true, force: true});
  rawFolders.delete(folder);
}

/** Removes a file's text (its Parquet file and folder). */
function discard(path: string): void {
  removeFolder(dirname(path));
}

/** The longest CSV line DuckDB reads by default; a longer line is quarantined, not read. */
const MAX_LINE_BYTES = 2_000_000;

/** DuckDB's error when a line is longer than it reads, from the sniffer or the reader. */
const LINE_TOO_LONG = /Maximum line size of \d+ bytes exceeded/;

/** A header name written more than once: where (1-based columns) and what each copy is read as. */
export interface Repeated {
  name: string;
  positions: number[];
  readAs: string[];
}

/** Reads one file, as text in file order, into a private Parquet file (see the module doc). */
async function readFile(
  store: Store,
  file: string,
  format: FileFormat,
  csv: CsvOptions | undefined,
  location: string
): Promise<FileRead> {
  if (statSync(file).size === 0) {
    throw new Error(
      `${location}: is empty (0 bytes): it has no header and no rows. Export it again, or leave it out of the config`
    );
  }
  const folder = store.scratch;
  let rejects: FileRead["rejects"] = [];
  let path = "";
  const copy = (select: SQL) => sql`COPY (${select}) TO ${val(path)} (FORMAT parquet)`;
  const isCsv = format === "csv" || format === "tsv";
  const header = csv?.header ?? true;
  const dialect = isCsv ? csvDialect(format, csv) : [];
  try {
    path = join(rawFolder(store), "text.parquet");
    if (isCsv) {
      const options = [sql`all_varchar = true`, sql`header = ${header}`, ...dialect];
      const rejected = [
        sql`store_rejects = true`,
        sql`rejects_table = '_rejects'`,
        sql`rejects_scan = '_reject_scans'`
      ];
      await dropRejects(store);
      try {
        await store.run(
          copy(sql`SELECT * FROM read_csv(${val(file)}, ${joinSql([...options, ...rejected])})`)
        );
      } catch (error) {
        if (!LINE_TOO_LONG.test((error as Error).message)) throw error;
        // DuckDB tells the dialect from the first lines, and a line over its limit there stops
        // it: tell it with room for that line, then read with what it found, so that the line is
        // rejected as a later one would be.
        const told = await sniffed(store, file, options, (error as Error).message);
        await dropRejects(store);
        await store.run(
          copy(sql`SELECT * FROM read_csv(${val(file)}, ${joinSql([...told, ...rejected])})`)
        );
      }
      // A rejected line's data row: its line less the header and skipped lines (exact unless
      // quoted fields span lines).
      const offset = (header ? 1 : 0) + (csv?.skip ?? 0);
      rejects = (
        await store.all<{line: number; type: string; error: string; text: string}>(
          sql`SELECT min(line)::BIGINT AS line, first(error_type::VARCHAR) AS type, first(error_message) AS error, first(csv_line) AS text
           FROM _rejects GROUP BY line ORDER BY line`
        )
      ).map((r) => ({
        row: Number(r.line) - offset,
        message: rejectMessage(Number(r.line), r.type, r.error),
        // A line over the limit is not read: DuckDB's first 10,000 characters of it are no row.
        text: r.type === "LINE SIZE OVER MAXIMUM" ? null : r.text
      }));
    } else if (format === "parquet") {
      await store.run(copy(sql`SELECT COLUMNS(*)::VARCHAR FROM read_parquet(${val(file)})`));
    } else {
      const shape = format === "ndjson" ? "newline_delimited" : "auto";
      await store.run(
        copy(sql`SELECT COLUMNS(*)::VARCHAR FROM read_json(${val(file)}, format = ${val(shape)})`)
      );
    }
  } catch (error) {
    if (path) discard(path);
    throw readError(error, location, format, folder);
  }
  const columns = (
    await store.all<{name: string}>(
      sql`SELECT column_name AS name FROM (DESCRIBE SELECT * FROM read_parquet(${val(path)}))`
    )
  ).map((c) => c.name);
  const clash = columns.find((c) => c === "_row" || c === "_file");
  if (clash) {
    discard(path);
    throw new Error(
      `${location}: has a column named ${clash}, which Portrait reserves: rename it in the file`
    );
  }
  const count = await store.one<{n: number}>(
    sql`SELECT count(*)::INTEGER AS n FROM read_parquet(${val(path)})`
  );
  const rows = count?.n ?? 0;
  if (isCsv && header && rows === 0 && rejects.length === 0 && columns.join() === "column0") {
    // What DuckDB makes of a file whose first line is no header it can read.
    discard(path);
    throw new Error(
      `${location}: has no header: ${firstLineOf(file)}, where a CSV file names its columns. Check that this is the export you meant (one long line is often JSON, or an export cut short), and export it again`
    );
  }
  const repeated = isCsv && header ? await repeatedNames(store, file, dialect, csv, columns) : [];
  return {columns, rows, rejects, repeated, path};
}

/** The dialect options the config sets for a CSV or TSV file. */
function csvDialect(format: FileFormat, csv: CsvOptions | undefined): SQL[] {
  const chosen: [SQL, string | number | undefined][] = [
    [sql`delim`, csv?.delimiter ?? (format === "tsv" ? "\t" : undefined)],
    [sql`quote`, csv?.quote],
    [sql`escape`, csv?.escape],
    [sql`encoding`, csv?.encoding],
    [sql`skip`, csv?.skip]
  ];
  return chosen.flatMap(([option, value]) =>
    value === undefined ? [] : [sql`${option} = ${typeof value === "string" ? val(value) : value}`]
  );
}

async function dropRejects(store: Store): Promise<void> {
  await store.run(sql`DROP TABLE IF EXISTS _rejects`);
  await store.run(sql`DROP TABLE IF EXISTS _reject_scans`);
}

/**
 * read_csv's options for a file whose first lines hold one over the line limit: DuckDB sniffs
 * the dialect and header with room for that line (reading past lines that do not fit the
 * header, as the read does), and the read then takes them as given, every column as text.
 */
async function sniffed(
  store: Store,
  file: string,
  options: SQL[],
  failure: string
): Promise<SQL[]> {
  // Room for the longest line DuckDB met: it says how long; a longer one further on says again.
  let error = failure;
  for (let tries = 0; ; tries++) {
    const size = Number(/Actual Size:\s*(\d+)/.exec(error)?.[1] ?? statSync(file).size);
    try {
      return await sniffedWith(store, file, options, size + 2);
    } catch (next) {
      error = (next as Error).message;
      if (tries === 4 || !LINE_TOO_LONG.test(error)) throw next;
    }
  }
}

/** The options DuckDB's sniffer finds with room for lines of `room` bytes. */
async function sniffedWith(
  store: Store,
  file: string,
  options: SQL[],
  room: number
): Promise<SQL[]> {
  const found = await store.one<{
    delim: string;
    quote: string;
    escape: string;
    skip: number;
    header: boolean;
    names: string[];
  }>(
    sql`SELECT Delimiter AS delim, Quote AS quote, Escape AS escape, SkipRows::INTEGER AS skip, HasHeader AS header,
       list_transform(Columns, c -> c.name) AS names
     FROM sniff_csv(${val(file)}, ${joinSql([...options, sql`ignore_errors = true`, sql`max_line_size = ${room}`, sql`buffer_size = ${2 * room}`])})`
  );
  if (!found) throw new Error("DuckDB could not tell the file's dialect");
  // sniff_csv writes "(empty)" for a quote or escape the sample did not use.
  const given = (text: string) => (text === "(empty)" ? '"' : text);
  const types = structValue(Object.fromEntries(found.names.map((n) => [n, "VARCHAR"])));
  return [
    sql`auto_detect = false`,
    sql`header = ${found.header}`,
    sql`delim = ${val(found.delim)}`,
    sql`quote = ${val(given(found.quote))}`,
    sql`escape = ${val(given(found.escape))}`,
    sql`skip = ${found.skip}`,
    sql`columns = ${types}`
  ];
}

/** A rejected line's message: DuckDB's, or for a line over the limit its size (never its text). */
function rejectMessage(line: number, type: string, error: string): string {
  if (type !== "LINE SIZE OVER MAXIMUM") return `line ${line}: ${error}`;
  const size = /Actual Size:\s*(\d+)/.exec(error)?.[1];
  const bytes = size === undefined ? "longer" : `${Number(size).toLocaleString("en-US")} bytes,`;
  return `line ${line} is ${bytes} over the ${MAX_LINE_BYTES.toLocaleString("en-US")} bytes a line may have (often a quote left open, or a document pasted into one field): fix that line in the file to read it`;
}

/** What the first line of a file is, for a message: how long, or that it never ends. */
function firstLineOf(file: string): string {
  const size = statSync(file).size;
  const buffer = Buffer.alloc(Math.min(size, MAX_LINE_BYTES + 1));
  const fd = openSync(file, "r");
  try {
    readSync(fd, buffer, 0, buffer.length, 0);
  } finally {
    closeSync(fd);
  }
  const end = buffer.indexOf(10);
  const n = (bytes: number) => bytes.toLocaleString("en-US");
  if (end < 0 && size <= MAX_LINE_BYTES) return `the file is one line of ${n(size)} bytes`;
  if (end < 0)
    return `its first line runs past ${n(MAX_LINE_BYTES)} bytes (the file has ${n(size)})`;
  return `its first line (${n(end)} bytes) is not one DuckDB can read as a header`;
}

/**
 * Header names written more than once (in any case), which DuckDB reads as name, name_1, …:
 * looked for only when a column is named like such a copy, by reading the header as a row.
 */
async function repeatedNames(
  store: Store,
  file: string,
  dialect: SQL[],
  csv: CsvOptions | undefined,
  columns: string[]
): Promise<Repeated[]> {
  const lower = new Set(columns.map((c) => c.toLowerCase()));
  const copies = columns.some((c) => {
    const base = /^(.+)_\d+$/.exec(c)?.[1];
    return base !== undefined && lower.has(base.toLowerCase());
  });
  if (!copies) return [];
  const row = await store.one<Record<string, string | null>>(
    sql`SELECT * FROM read_csv(${val(file)}, ${joinSql([sql`all_varchar = true`, sql`header = false`, ...dialect])}) LIMIT 1`
  );
  const names = Object.values(row ?? {}).map((n) => (n ?? "").trim());
  if (names.length !== columns.length || csv?.header === false) return [];
  return repeatedOf(names, columns);
}

/** The names a source wrote more than once (in any case), given the names they are read as. */
export function repeatedOf(names: readonly string[], columns: readonly string[]): Repeated[] {
  const at = new Map<string, number[]>();
  names.forEach((n, i) => at.set(n.toLowerCase(), [...(at.get(n.toLowerCase()) ?? []), i]));
  return [...at.values()]
    .filter((positions) => positions.length > 1)
    .map((positions) => ({
      name: names[positions[0]],
      positions: positions.map((i) => i + 1),
      readAs: positions.map((i) => columns[i])
    }));
}

/** The warning for a file's repeated header names: which, where, and what to do. */
export function repeatedWarning(
  location: string,
  repeated: readonly Repeated[],
  rename = "in the file"
): string {
  const list = (items: readonly (string | number)[]) =>
    items.length <= 2
      ? items.join(" and ")
      : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
  const each = repeated.map(
    (r) =>
      `columns ${list(r.positions)} are ${r.positions.length === 2 ? "both" : "all"} named ${JSON.stringify(r.name)} (read as ${list(r.readAs)}; a mapping by that name reads column ${r.positions[0]})`
  );
  const example = repeated[0];
  return `${location}: ${each.join("; ")}. Rename them ${rename} so each name says what it holds, or map the one you mean by the name it is read as (e.g. ${JSON.stringify(example.readAs[1])})`;
}

/** A file that could not be read, said without its content: why, and what to do. */
function readError(error: unknown, location: string, format: FileFormat, folder: string): Error {
  const message = (error as Error).message;
  if (/No space left on device|ENOSPC|disk full/i.test(message)) {
    return new Error(
      `${location}: cannot be read: the store's private folder ${folder} is full (no space left on device). Reading a file writes its text there first, compressed. Free space on that disk, or put the store on a disk with room (PORTRAIT_STORE=/path/with/room/store.duckdb npm run build: the private folder sits beside it)`,
      {cause: error}
    );
  }
  return new Error(`${location}: cannot be read as ${format}: ${firstLine(message)}`, {
    cause: error
  });
}

/** Numbers the rows of _file_text into the temporary table _file_rows (text columns, _row, _file). */
async function numberRows(
  store: Store,
  rejects: FileRead["rejects"],
  location: string
): Promise<void> {
  // rowid is the insertion order, which is the file's order; rejected lines shift later rows.
  const rowNumber =
    rejects.length === 0
      ? sql`t.rowid + 1`
      : sql`t.rowid + 1 + (SELECT count(*) FROM (SELECT r - row_number() OVER (ORDER BY r) AS gap FROM _reject_rows) WHERE gap <= t.rowid)`;
  await store.run(sql`CREATE TEMP TABLE _reject_rows (r BIGINT)`);
  for (const reject of rejects)
    await store.run(sql`INSERT INTO _reject_rows VALUES (${reject.row})`);
  await store.run(
    sql`CREATE TEMP TABLE _file_rows AS
     SELECT t.*, (${rowNumber})::BIGINT AS _row, ${val(location)} AS _file
     FROM _file_text t ORDER BY t.rowid`
  );
  await store.run(sql`DROP TABLE _file_text`);
  await store.run(sql`DROP TABLE _reject_rows`);
}

/** Drops a raw source, whichever form it took: a view over its text, or a table. */
export async function dropRawSource(store: Store, rawTable: string): Promise<void> {
  const views = await store.all<{name: string}>(
    sql`SELECT view_name AS name FROM duckdb_views() WHERE view_name = ${val(rawTable)} AND NOT internal`
  );
  if (views.length > 0) await store.run(sql`DROP VIEW ${ident(rawTable)}`);
  await store.run(sql`DROP TABLE IF EXISTS ${ident(rawTable)}`);
  if (!(await store.has("_raw_files"))) return;
  const files = await store.all<{path: string}>(
    sql`SELECT path FROM _raw_files WHERE raw = ${val(rawTable)}`
  );
  for (const {path} of files) discard(path);
  await store.run(sql`DELETE FROM _raw_files WHERE raw = ${val(rawTable)}`);
}

/** The first two lines of DuckDB's message, without the line of data it quotes. */
function firstLine(message: string): string {
  const lines = message
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("Original Line:"));
  return lines
    .slice(0, 2)
    .map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l))
    .join(" ");
}
