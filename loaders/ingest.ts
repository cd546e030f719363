/**
 * Ingest: DuckDB reads each canonical table's file into the store, typed.
 *
 * This is the walking skeleton's ingest: one `<table>.csv` per canonical table in the data
 * folder. Values that do not parse become NULL here and are counted (`unreadable_time`), so the
 * overview stays honest about them.
 */
import {existsSync} from "node:fs";
import {join} from "node:path";
import {CANONICAL_TABLES, type CanonicalTable, type FieldType} from "./canonical.ts";
import {ident, type Store} from "./store.ts";

export interface IngestedTable {
  table: string;
  file: string;
  rows: number;
  columns: string[];
}

const SQL_TYPES: Record<FieldType, string> = {
  id: "VARCHAR",
  text: "VARCHAR",
  number: "DOUBLE",
  integer: "BIGINT",
  date: "DATE",
  timestamp: "TIMESTAMP"
};

/** Loads every canonical table found in dataDir; fails when customers.csv is missing. */
export async function ingest(store: Store, dataDir: string): Promise<IngestedTable[]> {
  const ingested: IngestedTable[] = [];
  for (const table of CANONICAL_TABLES) {
    const file = join(dataDir, `${table.name}.csv`);
    if (!existsSync(file)) {
      if (table.name === "customers") {
        throw new Error(
          `${file} not found: customers are required. Run \`npm run demo-data\` for the demo dataset, or point PORTRAIT_DATA at a folder holding customers.csv.`
        );
      }
      continue;
    }
    ingested.push(await ingestTable(store, table, file));
  }
  return ingested;
}

/** Reads one CSV as text into raw_<table>, then casts the canonical fields into <table>. */
export async function ingestTable(
  store: Store,
  table: CanonicalTable,
  file: string
): Promise<IngestedTable> {
  const raw = ident(`raw_${table.name}`);
  await store.run(
    `CREATE OR REPLACE TABLE ${raw} AS SELECT * FROM read_csv($file, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')`,
    {file}
  );
  const columns = (
    await store.all<{name: string}>(
      `SELECT name FROM pragma_table_info('raw_${table.name}') ORDER BY cid`
    )
  ).map((c) => c.name);
  const missing = table.required.filter((field) => !columns.includes(field));
  if (missing.length > 0) {
    throw new Error(
      `${file}: missing required column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} for the ${table.name} table. Its columns are: ${columns.join(", ")}.`
    );
  }
  await store.run(
    `CREATE OR REPLACE TABLE ${ident(table.name)} AS SELECT ${typedColumns(table, columns)} FROM ${raw}`
  );
  const count = await store.one<{n: number}>(`SELECT count(*)::INTEGER AS n FROM ${raw}`);
  return {table: table.name, file, rows: count?.n ?? 0, columns};
}

/** The SELECT list casting each canonical field; fields the file lacks are typed NULLs. */
export function typedColumns(table: CanonicalTable, columns: readonly string[]): string {
  return Object.entries(table.fields)
    .map(([field, type]) => {
      const sqlType = SQL_TYPES[type];
      if (!columns.includes(field)) return `NULL::${sqlType} AS ${ident(field)}`;
      const text = `NULLIF(trim(${ident(field)}), '')`;
      return `${sqlType === "VARCHAR" ? text : `TRY_CAST(${text} AS ${sqlType})`} AS ${ident(field)}`;
    })
    .join(", ");
}
