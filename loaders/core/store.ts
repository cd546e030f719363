/**
 * The profile store: one DuckDB file holding every table the pages need. This module owns the
 * DuckDB connection; everything else hands it SQL text and bound values.
 */
import {rmSync} from "node:fs";
import {totalmem} from "node:os";
import {join} from "node:path";
import {
  DuckDBDataChunk,
  DuckDBInstance,
  DuckDBTypeId,
  type DuckDBConnection,
  DuckDBVector,
  type DuckDBValue
} from "@duckdb/node-api";
import {ensureScratch, scratchDir} from "./scratch.ts";
import {literal, sql, val, type SQL} from "./sql.ts";

export type Row = Record<string, unknown>;

/** The text and positional parameters DuckDB runs for a fragment. */
function prepared(query: SQL): {text: string; params?: DuckDBValue[]} {
  const {text, params} = query.render();
  return {text, params: params.length > 0 ? params : undefined};
}

export interface StoreOptions {
  readOnly?: boolean;
  /** DuckDB's memory limit (e.g. "4GB"); past it DuckDB spills to its temporary folder. */
  memoryLimit?: string;
  /**
   * The private folder (core/scratch.ts) for what DuckDB spills and the sources' raw text;
   * scratchDir(path) unless given.
   */
  scratch?: string;
}

/**
 * The memory limit unless one is given: PORTRAIT_MEMORY_LIMIT, else a quarter of the machine's
 * memory, at least 1 GiB and at most 6 GiB. DuckDB's own default (80 %) leaves too little for
 * anything else: the build, the site's loaders, the rest of the machine.
 */
export function memoryLimitOf(env: Record<string, string | undefined>): string {
  const given = env.PORTRAIT_MEMORY_LIMIT?.trim();
  if (given) {
    if (!/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(given)) {
      throw new Error(
        `invalid PORTRAIT_MEMORY_LIMIT: ${JSON.stringify(given)} (write a size such as 4GB or 512MB)`
      );
    }
    return given;
  }
  const quarter = totalmem() / 4 / 2 ** 20;
  return `${Math.round(Math.min(Math.max(quarter, 1024), 6 * 1024))}MiB`;
}

export class Store {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    /** Where the store lives (":memory:" for tests). */
    readonly path: string,
    /** The private folder for temporary files holding raw rows (core/scratch.ts). */
    readonly scratch: string,
    /** DuckDB's spill folder in it, removed on close; undefined when read-only. */
    private readonly spill?: string
  ) {}

  private static opened = 0;

  /** Opens (or creates) a store; open it read-only from page loaders so several can share it. */
  static async open(
    path: string,
    {
      readOnly = false,
      memoryLimit = memoryLimitOf(process.env),
      scratch = scratchDir(path)
    }: StoreOptions = {}
  ): Promise<Store> {
    const options: Record<string, string> = {
      autoinstall_known_extensions: "false",
      memory_limit: memoryLimit,
      // Row numbers come from the order rows were inserted in: results must keep it.
      preserve_insertion_order: "true",
      // A build writes each large table once and then updates a few of its rows (standardised
      // values, merged identities): a checkpoint after every step would rewrite the same row
      // groups again and again, so the engine checkpoints once, when the store is complete.
      checkpoint_threshold: "1GiB"
    };
    // What DuckDB spills past its memory limit holds rows of the data: into the private folder,
    // named after this process so that the next start removes it if the process dies.
    let spill: string | undefined;
    if (readOnly) options.access_mode = "READ_ONLY";
    else {
      spill = join(ensureScratch(scratch), `${process.pid}-duckdb-${++Store.opened}`);
      options.temp_directory = spill;
    }
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, options);
    } catch (error) {
      throw new Error(
        `cannot open the profile store ${path}: ${(error as Error).message}` +
          (readOnly ? "\nRun `npm run build` (or `npm run engine`) to create it." : "")
      );
    }
    return new Store(instance, await instance.connect(), path, scratch, spill);
  }

  /** Runs a statement for its effect. */
  async run(query: SQL): Promise<void> {
    const q = prepared(query);
    try {
      await this.connection.run(q.text, q.params);
    } catch (error) {
      throw queryError(error, q.text);
    }
  }

  /** Runs a query and returns its rows as plain objects (BIGINT converted to number). */
  async all<T extends Row = Row>(query: SQL): Promise<T[]> {
    const q = prepared(query);
    try {
      const reader = await this.connection.runAndReadAll(q.text, q.params);
      return reader.getRowObjectsJS().map((row) => plain(row) as T);
    } catch (error) {
      throw queryError(error, q.text);
    }
  }

  /** Runs a query and returns its columns (in select order) as arrays: for large numeric reads. */
  async columns(query: SQL): Promise<unknown[][]> {
    const q = prepared(query);
    try {
      const reader = await this.connection.runAndReadAll(q.text, q.params);
      const columns = reader.getColumnsJS().map((column) => column.map(toPlain));
      // No rows come back as no columns at all: give each column its empty array.
      return columns.length > 0 ? columns : Array.from({length: reader.columnCount}, () => []);
    } catch (error) {
      throw queryError(error, q.text);
    }
  }

  /**
   * Appends rows given column by column (equal lengths, in the table's column order) to an
   * existing table through DuckDB's appender, one data chunk at a time: millions of numeric
   * values in well under a second, where INSERT goes row by row. Numeric columns only (INTEGER,
   * DOUBLE, ...: the types whose values are JS numbers); null and NaN are written as NULL.
   */
  async appendColumns(table: string, columns: readonly ArrayLike<number | null>[]): Promise<void> {
    const appender = await this.connection.createAppender(table);
    try {
      const types = Array.from({length: appender.columnCount}, (_, c) => appender.columnType(c));
      if (columns.length !== types.length)
        throw new Error(
          `appendColumns: ${table} has ${types.length} columns, got ${columns.length}`
        );
      types.forEach((type, c) => {
        if (!NUMBER_TYPES.has(type.typeId))
          throw new Error(`appendColumns: column ${c} of ${table} is ${type}, not a numeric type`);
      });
      const n = columns[0]?.length ?? 0;
      columns.forEach((column, c) => {
        if (column.length !== n)
          throw new Error(`appendColumns: column ${c} has ${column.length} values, expected ${n}`);
      });
      const size = DuckDBVector.standardSize(); // the most rows one data chunk holds
      for (let start = 0; start < n; start += size) {
        const count = Math.min(size, n - start);
        const chunk = DuckDBDataChunk.create(types, count);
        columns.forEach((column, c) => {
          const vector = chunk.getColumnVector(c) as DuckDBVector<number>;
          for (let i = 0; i < count; i++) {
            const value = column[start + i];
            vector.setItem(i, value === null || Number.isNaN(value) ? null : value);
          }
          vector.flush();
        });
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
    } catch (error) {
      throw new Error(`cannot append to ${table}: ${(error as Error).message}`, {cause: error});
    } finally {
      appender.closeSync();
    }
  }

  /** The first row of a query, or undefined. */
  async one<T extends Row = Row>(query: SQL): Promise<T | undefined> {
    return (await this.all<T>(query))[0];
  }

  /** Whether a table or view exists. */
  async has(table: string): Promise<boolean> {
    const row = await this.one<{n: number}>(
      sql`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = ${val(table)} AND schema_name = 'main'`
    );
    return (row?.n ?? 0) > 0;
  }

  /**
   * The columns of a table with their SQL types, in table order; empty when there is no such
   * table. A temporary table (a stage's intermediate) shadows a stored one of the same name, as
   * it does in queries; `database` reads an attached database's table instead.
   */
  async tableColumns(
    table: string,
    {database}: {database?: string} = {}
  ): Promise<Map<string, string>> {
    const rows = await this.all<{name: string; type: string; temporary: boolean}>(
      database === undefined
        ? sql`SELECT column_name AS name, data_type AS type, database_name = 'temp' AS temporary
              FROM duckdb_columns()
              WHERE table_name = ${val(table)} AND schema_name = 'main'
                AND database_name IN (current_database(), 'temp')
              ORDER BY column_index`
        : sql`SELECT column_name AS name, data_type AS type, false AS temporary
              FROM duckdb_columns()
              WHERE table_name = ${val(table)} AND schema_name = 'main' AND database_name = ${val(database)}
              ORDER BY column_index`
    );
    const temporary = rows.some((r) => r.temporary);
    return new Map(rows.filter((r) => r.temporary === temporary).map((r) => [r.name, r.type]));
  }

  /** Writes every table of this store into a new database file at path. */
  async saveTo(path: string): Promise<void> {
    await this.run(sql`ATTACH ${literal(path)} AS saved`);
    try {
      await this.run(sql`COPY FROM DATABASE memory TO saved`);
    } finally {
      await this.run(sql`DETACH saved`);
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
    if (this.spill) rmSync(this.spill, {recursive: true, force: true});
  }
}

/** Column types whose values are JS numbers (the ones appendColumns writes). */
const NUMBER_TYPES = new Set<DuckDBTypeId>([
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.FLOAT,
  DuckDBTypeId.DOUBLE
]);

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

function queryError(error: unknown, text: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`${message}\n-- while running:\n${text.trim()}`, {cause: error});
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
