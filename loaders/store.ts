/**
 * The profile store: one DuckDB file holding every table the pages need. This module owns the
 * DuckDB connection; everything else hands it SQL text and bound values.
 */
import {tmpdir} from "node:os";
import {join} from "node:path";
import {DuckDBInstance, type DuckDBConnection, type DuckDBValue} from "@duckdb/node-api";

export type Row = Record<string, unknown>;
export type Params = Record<string, DuckDBValue> | DuckDBValue[];

export class Store {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    /** Where the store lives (":memory:" for tests). */
    readonly path: string
  ) {}

  /** Opens (or creates) a store; open it read-only from page loaders so several can share it. */
  static async open(path: string, {readOnly = false} = {}): Promise<Store> {
    const options: Record<string, string> = {autoinstall_known_extensions: "false"};
    // An in-memory store spills to disk past its memory limit: into the system's temporary
    // folder, not a .tmp folder in whatever directory the build runs from.
    if (path === ":memory:")
      options.temp_directory = join(tmpdir(), `portrait-duckdb-${process.pid}`);
    if (readOnly) options.access_mode = "READ_ONLY";
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, options);
    } catch (error) {
      throw new Error(
        `cannot open the profile store ${path}: ${(error as Error).message}` +
          (readOnly ? "\nRun `npm run build` (or `npm run engine`) to create it." : "")
      );
    }
    return new Store(instance, await instance.connect(), path);
  }

  /** Runs a statement for its effect. */
  async run(sql: string, params?: Params): Promise<void> {
    try {
      await this.connection.run(sql, params);
    } catch (error) {
      throw queryError(error, sql);
    }
  }

  /** Runs a query and returns its rows as plain objects (BIGINT converted to number). */
  async all<T extends Row = Row>(sql: string, params?: Params): Promise<T[]> {
    try {
      const reader = await this.connection.runAndReadAll(sql, params);
      return reader.getRowObjectsJS().map((row) => plain(row) as T);
    } catch (error) {
      throw queryError(error, sql);
    }
  }

  /** The first row of a query, or undefined. */
  async one<T extends Row = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /** Whether a table or view exists. */
  async has(table: string): Promise<boolean> {
    const row = await this.one<{n: number}>(
      "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = $name AND schema_name = 'main'",
      {name: table}
    );
    return (row?.n ?? 0) > 0;
  }

  /** Writes every table of this store into a new database file at path. */
  async saveTo(path: string): Promise<void> {
    const file = `'${path.replaceAll("'", "''")}'`; // ATTACH takes no bound parameters
    await this.run(`ATTACH ${file} AS saved`);
    try {
      await this.run("COPY FROM DATABASE memory TO saved");
    } finally {
      await this.run("DETACH saved");
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** Quotes an identifier for SQL text (identifiers cannot be bound as values). */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function plain(row: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) out[key] = toPlain(value);
  return out;
}

function toPlain(value: unknown): unknown {
  if (typeof value === "bigint") {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new Error(
        `integer ${value} exceeds the safe range: cast it to VARCHAR or DOUBLE in SQL`
      );
    }
    return Number(value);
  }
  if (Array.isArray(value)) return value.map(toPlain);
  return value;
}

function queryError(error: unknown, sql: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`${message}\n-- while running:\n${sql.trim()}`, {cause: error});
}

/** Opens a store read-only, hands it to fn, and closes it: the shape of every page loader. */
export async function withStore<T>(path: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await Store.open(path, {readOnly: true});
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}
