/**
 * PostgreSQL source: reads a table or a query with the `pg` client into a raw table of text in
 * the store, the same raw table the CSV the server would export (`COPY ... TO STDOUT WITH (FORMAT
 * csv, HEADER)`) gives when read with `read_csv(all_varchar = true)`.
 *
 * - Values are PostgreSQL's own text output (every type parser is the identity), so numbers keep
 *   their written scale (`12.50`), booleans are `t`/`f`, dates `YYYY-MM-DD`, timestamps
 *   `YYYY-MM-DD HH:MM:SS[.ffffff]` (timestamptz with `+00`): exactly what COPY writes.
 * - The session pins DateStyle ISO, TimeZone UTC, IntervalStyle postgres, extra_float_digits 1 and
 *   bytea_output hex, so the server's configuration cannot change the text. TimeZone matters:
 *   DuckDB ignores an offset when it casts text to TIMESTAMP, so every offset must be `+00`.
 * - SQL NULL and the empty string both become NULL, as CSV fields do (`read_csv` reads `""` as
 *   NULL); column names the CSV header would repeat are renamed as `read_csv` renames them.
 * - Rows come in source order, numbered in `_row`: a table's primary key order, else its physical
 *   order (ctid, the order a plain `COPY table TO` writes); a query's own ORDER BY.
 * - Rows are streamed with pg-cursor in batches; each batch goes through a private temporary CSV
 *   file and `read_csv`, while the next batch is fetched. The store does not expose DuckDB's
 *   appender; of what it does allow, this measured fastest (200k rows x 8 columns: 2 s, against
 *   2.6-3.4 s for a bound JSON list, 6.6 s for bound lists, 46 s for bound `VALUES`). The load is
 *   one transaction on both sides: a failed read leaves the previous raw table in place.
 */
import {rmSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {structValue} from "@duckdb/node-api";
import {
  Client,
  DatabaseError,
  type CustomTypesConfig,
  type FieldDef,
  type QueryResult,
  type QueryResultRow,
  type Submittable
} from "pg";
// @ts-expect-error -- pg-cursor ships no type declarations; CursorClass types what is used here
import PgCursor from "pg-cursor";
import {closest} from "../core/closest.ts";
import {scratchFolder} from "../core/scratch.ts";
import {type Store} from "../core/store.ts";
import {ident, join as joinSql, raw, sql, val, type SQL} from "../core/sql.ts";

export interface PostgresSource {
  /** postgres://user:password@host:5432/db; never written into the store or into messages. */
  connectionString: string;
  /** A table or view, optionally schema-qualified (`sales.orders`, `"Odd.Schema"."Orders"`). */
  table?: string;
  /** A SELECT whose rows, in its own order, are the source. */
  query?: string;
  /** The raw table to (re)create in the store. */
  target: string;
  /** What `_file` says about each row; defaults to `postgresql:<schema>.<table>` or `postgresql:query`. */
  description?: string;
  /** Rows fetched from the server at a time. */
  batchSize?: number;
}

export interface PostgresRead {
  rows: number;
  /** The raw table's source columns, in source order (without `_row` and `_file`). */
  columns: string[];
  /** The columns' names as the source gave them (repeats not yet renamed). */
  names: string[];
}

type Text = string | null;

interface CursorBatch {
  rows: Text[][];
  fields: FieldDef[];
}

interface Cursor extends Submittable {
  read(
    rows: number,
    callback: (error: Error | undefined, rows: Text[][], result?: {fields: FieldDef[]}) => void
  ): void;
  close(): Promise<void>;
}

type CursorClass = new (
  text: string,
  values: unknown[],
  config: {rowMode: "array"; types: CustomTypesConfig}
) => Cursor;

const Cursor = PgCursor as CursorClass;

/** Every value as PostgreSQL's text output: no type is parsed in JavaScript. */
const TEXT_TYPES = {
  getTypeParser: () => (value: string) => value
} as unknown as CustomTypesConfig;

const SESSION = [
  sql`SET DateStyle = 'ISO, YMD'`,
  sql`SET TimeZone = 'UTC'`,
  sql`SET IntervalStyle = 'postgres'`,
  sql`SET extra_float_digits = 1`,
  sql`SET bytea_output = 'hex'`
];

const CONNECT_TIMEOUT_MS = 10_000;
const RESERVED = ["_row", "_file"];

/** Reads a PostgreSQL table or query into the store as a raw table of text. */
export async function readPostgres(store: Store, source: PostgresSource): Promise<PostgresRead> {
  const what = sourceKind(source);
  const batchSize = source.batchSize ?? 10_000;
  const client = await connect(source.connectionString);
  const server = serverName(client);
  let duckOpen = false;
  let dir: string | undefined;
  let rows = 0;
  try {
    dir = scratchFolder(store.scratch, "pg");
    await send(client, sql`BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY`);
    // A configured query is the user's own SQL, sent as they wrote it.
    const {query, description} =
      what.kind === "table"
        ? await tableQuery(client, what.table, server)
        : {query: raw(what.query), description: "postgresql:query"};
    const {text, params} = query.render();
    const cursor = client.query(new Cursor(text, params, {rowMode: "array", types: TEXT_TYPES}));
    const first = await readBatch(cursor, batchSize).catch((error: unknown) => {
      throw queryError(error, what, text);
    });
    const names = first.fields.map((field) => field.name);
    const columns = rawColumnNames(names);
    await store.run(sql`BEGIN TRANSACTION`);
    duckOpen = true;
    await store.run(createRawTable(source.target, columns));
    const writer = batchWriter(store, source.target, columns.length, {
      path: join(dir, "batch.csv"),
      file: source.description ?? description
    });
    let batch = first;
    while (batch.rows.length > 0) {
      const next = readBatch(cursor, batchSize);
      next.catch(() => undefined);
      await writer(batch.rows, rows);
      rows += batch.rows.length;
      batch = await next.catch((error: unknown) => {
        throw queryError(error, what, text);
      });
    }
    await cursor.close();
    await store.run(sql`COMMIT`);
    duckOpen = false;
    await send(client, sql`COMMIT`);
    return {rows, columns, names};
  } catch (error) {
    if (errorCode(error) === "ENOSPC") {
      const folder = store.scratch;
      throw new Error(
        `${source.description ?? "postgresql"}: cannot be read: the store's private folder ${folder} is full (no space left on device). Reading from PostgreSQL writes each batch of rows there first. Free space on that disk, or put the store on a disk with room (PORTRAIT_STORE=/path/with/room/store.duckdb npm run build: the private folder sits beside it)`,
        {cause: error}
      );
    }
    const lost = lostConnection(error);
    if (lost === undefined) throw error;
    const reading = what.kind === "table" ? `table ${what.table}` : "the query";
    throw new Error(
      `PostgreSQL at ${server} stopped answering while Portrait read ${reading}, after ${rows.toLocaleString("en-US")} rows (${lost}): the server shut down or restarted, or the connection was cut. Nothing of this read was kept. Check that the server is up (pg_isready -h ${client.host} -p ${client.port}), then run the build again`,
      {cause: error}
    );
  } finally {
    if (duckOpen) await store.run(sql`ROLLBACK`).catch(() => undefined);
    // Ending the session rolls back its transaction; a ROLLBACK would queue behind an open cursor.
    await client.end().catch(() => undefined);
    if (dir) rmSync(dir, {recursive: true, force: true});
  }
}

/** The connection string held by the environment variable the config names. */
export function connectionFromEnv(
  name: string,
  env: Record<string, string | undefined> = process.env
): string {
  const value = env[name]?.trim();
  if (!value) {
    throw new Error(
      `environment variable ${name} is not set: export it with the connection string (postgres://user:password@host:5432/db)`
    );
  }
  return value;
}

type SourceKind = {kind: "table"; table: string} | {kind: "query"; query: string};

function sourceKind({table, query}: PostgresSource): SourceKind {
  if (table !== undefined && query !== undefined) {
    throw new Error("a PostgreSQL source takes either table or query, not both: keep one");
  }
  if (table !== undefined && table.trim() !== "") return {kind: "table", table: table.trim()};
  if (query !== undefined && query.trim() !== "") return {kind: "query", query};
  throw new Error(
    "a PostgreSQL source needs a table (e.g. public.orders) or a query (e.g. SELECT * FROM orders ORDER BY order_id)"
  );
}

async function connect(connectionString: string): Promise<Client> {
  checkConnectionString(connectionString);
  const client = new Client({
    connectionString,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: "portrait",
    types: TEXT_TYPES
  });
  // A connection the server drops while idle must fail the read, not crash the process.
  client.on("error", () => undefined);
  try {
    await client.connect();
    for (const statement of SESSION) await send(client, statement);
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    throw connectError(error, client, connectionString);
  }
}

/** Rejects what `pg` would misread, without echoing the string (it holds the password). */
function checkConnectionString(connectionString: string): void {
  let url: URL | undefined;
  try {
    url = new URL(connectionString);
  } catch {
    url = undefined;
  }
  if (!url || !["postgres:", "postgresql:"].includes(url.protocol)) {
    throw new Error(
      "the PostgreSQL connection string is not a postgres:// URL: write it as postgres://user:password@host:5432/db (percent-encode special characters in the password)"
    );
  }
  try {
    decodeURIComponent(url.password);
    decodeURIComponent(url.username);
  } catch {
    throw new Error(
      "the PostgreSQL connection string has a malformed percent-encoding in its user or password: encode % as %25"
    );
  }
}

/**
 * Sends a fragment to PostgreSQL: the tag renders positional parameters ($1, $2, …), which is
 * PostgreSQL's own syntax, so the text and values go to `pg` as they are.
 */
function send<T extends QueryResultRow>(client: Client, query: SQL): Promise<QueryResult<T>> {
  const {text, params} = query.render();
  return client.query<T>(text, params);
}

/** A table's name as PostgreSQL reads it in a `regclass` value: each part quoted. */
function regclassName(parts: readonly string[]): string {
  return joinSql(parts.map(ident), ".").render().text;
}

function serverName(client: Client): string {
  return `${client.host}:${client.port}`;
}

function connectError(error: unknown, client: Client, connectionString: string): Error {
  const server = serverName(client);
  const user = client.user ?? "";
  const code = errorCode(error);
  const detail = redact(error instanceof Error ? error.message : String(error), connectionString);
  const cause = error instanceof DatabaseError ? {cause: error} : undefined;
  switch (code) {
    case "ECONNREFUSED":
      return new Error(
        `cannot connect to PostgreSQL at ${server}: connection refused. Is the server running, and listening on that host and port?`
      );
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new Error(
        `cannot connect to PostgreSQL at ${server}: host ${client.host} not found. Check the host in the connection string.`
      );
    case "28P01":
      return new Error(
        `PostgreSQL at ${server} refused the password for user "${user}": check the user and password in the connection string`,
        cause
      );
    case "28000":
      return new Error(
        `PostgreSQL at ${server} refused user "${user}": ${detail}. Check the user in the connection string, and that pg_hba.conf lets it connect.`,
        cause
      );
    case "3D000":
      return new Error(
        `PostgreSQL at ${server} has no database "${client.database}": check the database name at the end of the connection string`,
        cause
      );
  }
  if (/password must be a string/i.test(detail)) {
    return new Error(
      `PostgreSQL at ${server} asks for a password for user "${user}" and the connection string has none: write it as postgres://user:password@host:5432/db`
    );
  }
  if (/timeout/i.test(detail)) {
    return new Error(
      `cannot connect to PostgreSQL at ${server}: no answer within ${CONNECT_TIMEOUT_MS / 1000} s. Is the host reachable and the port right?`
    );
  }
  return new Error(`cannot connect to PostgreSQL at ${server}: ${detail}`, cause);
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const {code, errors} = error as {code?: unknown; errors?: unknown};
  if (typeof code === "string") return code;
  if (Array.isArray(errors)) return errors.map(errorCode).find((c) => c !== undefined);
  return undefined;
}

/** Removes the connection string and its password from a message. */
function redact(message: string, connectionString: string): string {
  let out = message.replaceAll(connectionString, "<connection string>");
  try {
    const password = new URL(connectionString).password;
    for (const secret of [password, safeDecode(password)]) {
      if (secret) out = out.replaceAll(secret, "<password>");
    }
  } catch {
    // checked before connecting
  }
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

interface ResolvedTable {
  schema: string;
  name: string;
  kind: string;
  children: string;
}

/** The SELECT reading a table in source order, and its description. */
async function tableQuery(
  client: Client,
  table: string,
  server: string
): Promise<{query: SQL; description: string}> {
  const parts = splitQualifiedName(table);
  const found = await send<ResolvedTable>(
    client,
    sql`SELECT n.nspname AS schema, c.relname AS name, c.relkind AS kind, c.relhassubclass AS children
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.oid = to_regclass(${val(regclassName(parts))})`
  );
  const resolved = found.rows[0];
  if (!resolved) throw await unknownTable(client, parts, server);
  const key = await send<{column: string}>(
    client,
    sql`SELECT a.attname AS column
       FROM pg_index i
       CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = ${val(regclassName([resolved.schema, resolved.name]))}::regclass AND i.indisprimary
      ORDER BY k.ord`
  );
  const order = orderBy(
    resolved,
    key.rows.map((row) => row.column)
  );
  return {
    query: sql`SELECT * FROM ${ident(resolved.schema)}.${ident(resolved.name)}${order}`,
    description: `postgresql:${resolved.schema}.${resolved.name}`
  };
}

/** Primary key order; else physical order for relations that have one; views keep theirs. */
function orderBy(table: ResolvedTable, key: string[]): SQL {
  if (key.length > 0) return sql` ORDER BY ${joinSql(key.map(ident))}`;
  if (!["r", "p", "m"].includes(table.kind)) return sql``;
  return table.kind === "p" || table.children === "t"
    ? sql` ORDER BY tableoid, ctid`
    : sql` ORDER BY ctid`;
}

/** Splits `schema.table` at dots outside double quotes; quoted parts keep dots and case. */
export function splitQualifiedName(name: string): string[] {
  const parts: string[] = [];
  let part = "";
  let quoted = false;
  for (let i = 0; i < name.length; i++) {
    const char = name[i];
    if (char === '"') {
      if (quoted && name[i + 1] === '"') {
        part += '"';
        i++;
      } else {
        quoted = !quoted;
      }
    } else if (char === "." && !quoted) {
      parts.push(part);
      part = "";
    } else {
      part += char;
    }
  }
  parts.push(part);
  if (quoted || parts.length > 2 || parts.some((p) => p === "")) {
    throw new Error(
      `invalid PostgreSQL table name ${name}: write table or schema.table, quoting names that hold dots ("odd.name")`
    );
  }
  return parts;
}

async function unknownTable(client: Client, parts: string[], server: string): Promise<Error> {
  const database = client.database ?? "";
  const schema =
    parts.length === 2
      ? parts[0]
      : (await send<{schema: string}>(client, sql`SELECT current_schema() AS schema`)).rows[0]
          ?.schema;
  const wanted = parts[parts.length - 1];
  const where = `database "${database}" at ${server}`;
  const schemas = (
    await send<{name: string}>(
      client,
      sql`SELECT nspname AS name FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY 1`
    )
  ).rows.map((row) => row.name);
  if (schema === undefined || !schemas.includes(schema)) {
    return new Error(
      `PostgreSQL schema ${schema ?? "(none on the search_path)"} not found in ${where}. Schemas: ${list(schemas)}.`
    );
  }
  const tables = (
    await send<{name: string}>(
      client,
      sql`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ${val(schema)} AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY 1`
    )
  ).rows.map((row) => row.name);
  const label = `${schema}.${wanted}`;
  if (tables.length === 0) {
    return new Error(
      `PostgreSQL table ${label} not found in ${where}: schema ${schema} has no tables.`
    );
  }
  const match = closest(wanted, tables);
  const suggestion = match === undefined ? "" : ` Did you mean ${schema}.${match}?`;
  return new Error(
    `PostgreSQL table ${label} not found in ${where}.${suggestion} Tables in schema ${schema}: ${list(tables)}.`
  );
}

function list(names: string[], max = 30): string {
  if (names.length === 0) return "(none)";
  const shown = names.slice(0, max).join(", ");
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

function readBatch(cursor: Cursor, size: number): Promise<CursorBatch> {
  return new Promise((resolve, reject) =>
    cursor.read(size, (error, rows, result) =>
      error ? reject(error) : resolve({rows, fields: result?.fields ?? []})
    )
  );
}

/**
 * Why the connection went away in the middle of a read, in PostgreSQL's or Node's words; undefined
 * for any other error. The server says so when it shuts down (57P01-57P03); a cut connection or a
 * killed server process leaves only the socket's error.
 */
function lostConnection(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = errorCode(error) ?? "";
  if (error instanceof DatabaseError)
    return /^57P0[123]$|^08/.test(code) ? error.message : undefined;
  if (
    ["ECONNRESET", "EPIPE", "ETIMEDOUT", "ECONNABORTED", "EHOSTUNREACH", "ENETUNREACH"].includes(
      code
    )
  )
    return error.message;
  return /Connection terminated/i.test(error.message) ? error.message : undefined;
}

function queryError(error: unknown, what: SourceKind, sql: string): Error {
  if (!(error instanceof DatabaseError) || lostConnection(error) !== undefined) {
    return error instanceof Error ? error : new Error(String(error));
  }
  const hint = error.hint ? ` Hint: ${error.hint}.` : "";
  if (what.kind === "table") {
    return new Error(`PostgreSQL could not read table ${what.table}: ${error.message}.${hint}`, {
      cause: error
    });
  }
  const position = Number(error.position);
  const place = Number.isInteger(position) && position > 0 ? pointAt(sql, position) : undefined;
  return new Error(
    `PostgreSQL could not run the query: ${error.message}${place ? ` (${place.at})` : ""}.${hint}${place ? `\n${place.excerpt}` : ""}`,
    {cause: error}
  );
}

/** Line and column of PostgreSQL's 1-based character position, and that line with a caret. */
function pointAt(sql: string, position: number): {at: string; excerpt: string} {
  const before = Array.from(sql)
    .slice(0, position - 1)
    .join("")
    .split(/\r?\n/);
  const line = before.length;
  const column = Array.from(before[line - 1]).length + 1;
  const text = sql.split(/\r?\n/)[line - 1] ?? "";
  return {
    at: `line ${line}, column ${column}`,
    excerpt: `  ${text}\n  ${" ".repeat(column - 1)}^`
  };
}

/** Source column names as `read_csv` names a header: repeats (any case) get `_1`, `_2`, … */
export function rawColumnNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  const out: string[] = [];
  for (const original of names) {
    let name = original;
    while (seen.has(name.toLowerCase())) {
      const count = (seen.get(name.toLowerCase()) ?? 0) + 1;
      seen.set(name.toLowerCase(), count);
      name = `${name}_${count}`;
    }
    seen.set(name.toLowerCase(), 0);
    out.push(name);
  }
  const clash = out.find((name) => RESERVED.includes(name.toLowerCase()));
  if (clash !== undefined) {
    throw new Error(
      `the source's column ${clash} clashes with Portrait's own ${clash.toLowerCase()} column: rename it in a query (SELECT ${clash} AS source${clash.toLowerCase()}, ...)`
    );
  }
  return out;
}

/**
 * CREATE OR REPLACE TEMP TABLE target: every source column VARCHAR, then _row and _file. Raw
 * text is an intermediate, so it stays out of the profile store's compressed storage.
 */
export function createRawTable(target: string, columns: readonly string[]): SQL {
  const list = [
    ...columns.map((column) => sql`${ident(column)} VARCHAR`),
    sql`_row BIGINT`,
    sql`_file VARCHAR`
  ];
  return sql`CREATE OR REPLACE TEMP TABLE ${ident(target)} (${joinSql(list)})`;
}

/** Appends batches to target through a private CSV file that `read_csv` reads back as text. */
function batchWriter(
  store: Store,
  target: string,
  width: number,
  {path, file}: {path: string; file: string}
): (rows: Text[][], offset: number) => Promise<void> {
  // read_csv's columns option, bound: c0, c1, … as text, then the row number.
  const columns = structValue(
    Object.fromEntries([
      ...Array.from({length: width}, (_, i) => [`c${i}`, "VARCHAR"]),
      ["_row", "BIGINT"]
    ])
  );
  return async (rows, offset) => {
    let longest = 0;
    const lines = rows.map((row, i) => {
      const line = `${row.map(csvField).join(",")}${width > 0 ? "," : ""}${offset + i + 1}\n`;
      longest = Math.max(longest, line.length);
      return line;
    });
    writeFileSync(path, lines.join(""), {mode: 0o600});
    // A UTF-16 unit is at most 3 UTF-8 bytes; read_csv refuses lines over 2 MB unless told.
    const maxLine = Math.max(2_097_152, longest * 3 + 1);
    const sizes =
      maxLine > 2_097_152 ? sql`, max_line_size = ${maxLine}, buffer_size = ${2 * maxLine}` : sql``;
    await store.run(
      sql`INSERT INTO ${ident(target)} SELECT *, ${val(file)} FROM read_csv(${val(path)}, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = ${columns}${sizes})`
    );
  };
}

function csvField(value: Text): string {
  if (value === null || value === "") return "";
  return `"${value.includes('"') ? value.replaceAll('"', '""') : value}"`;
}
