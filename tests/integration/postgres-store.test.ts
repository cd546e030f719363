/**
 * A PostgreSQL source gives the same store as the same data in CSV: the demo's customers, orders
 * and tickets, loaded into a real PostgreSQL server, go through the whole pipeline and come out
 * identical to the CSV build, quarantine included.
 */
import {mkdtemp, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import pg from "pg";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {parseConfig, type PortraitConfigInput} from "../../loaders/config/project.ts";
import {writeDemo} from "../../loaders/demo/write.ts";
import {runPipeline} from "../../loaders/engine.ts";
import {Store} from "../../loaders/core/store.ts";
import {startPostgres, type PostgresServer} from "../support/postgres.ts";
import {ident, sql, val, type SQL} from "../../loaders/core/sql.ts";

const TABLES = {crm: "customers", shop: "orders", helpdesk: "tickets"} as const;

let dir: string;
let server: PostgresServer;
let csvStore: Store;
let pgStore: Store;

/** Copies a CSV file into a PostgreSQL table of text columns, row order kept by a key. */
async function load(
  client: pg.Client,
  store: Store,
  file: string,
  table: string
): Promise<string[]> {
  const rows = await store.all<Record<string, string | null>>(
    sql`SELECT * FROM read_csv(${val(file)}, all_varchar = true, header = true)`
  );
  const columns = Object.keys(rows[0]);
  await client.query(
    `CREATE TABLE ${table} (_order serial PRIMARY KEY, ${columns.map((c) => `"${c}" text`).join(", ")})`
  );
  for (let i = 0; i < rows.length; i += 1000) {
    const batch = rows.slice(i, i + 1000);
    const values = columns.map((c) => batch.map((r) => r[c]));
    await client.query(
      `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(", ")}) SELECT * FROM unnest(${columns.map((_, j) => `$${j + 1}::text[]`).join(", ")})`,
      values
    );
  }
  return columns;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "portrait-pg-store-"));
  writeDemo({customers: 400, seed: 11, end: "2026-10-31", out: dir});
  server = await startPostgres();
  const client = new pg.Client({connectionString: server.url});
  await client.connect();
  const scratch = await Store.open(":memory:");
  const columns: Record<string, string[]> = {};
  try {
    for (const table of Object.values(TABLES)) {
      columns[table] = await load(client, scratch, join(dir, `${table}.csv`), table);
    }
  } finally {
    scratch.close();
    await client.end();
  }
  process.env.PORTRAIT_TEST_PG = server.url;
  const build = async (sources: PortraitConfigInput["sources"]) => {
    const store = await Store.open(":memory:");
    await runPipeline(
      store,
      parseConfig({sources, validation: {maxRejectShare: 0.2}}, join(dir, "portrait.config.ts"))
    );
    return store;
  };
  csvStore = await build(
    Object.fromEntries(
      Object.entries(TABLES).map(([name, table]) => [name, {table, file: `${table}.csv`}])
    )
  );
  // The row-order key is not part of the export: the query leaves it out, as a CSV would.
  pgStore = await build(
    Object.fromEntries(
      Object.entries(TABLES).map(([name, table]) => [
        name,
        {
          table,
          postgres: {
            env: "PORTRAIT_TEST_PG",
            query: `SELECT ${columns[table].map((c) => `"${c}"`).join(", ")} FROM ${table} ORDER BY _order`
          }
        }
      ])
    ) as PortraitConfigInput["sources"]
  );
});

afterAll(async () => {
  csvStore?.close();
  pgStore?.close();
  await server?.stop();
  delete process.env.PORTRAIT_TEST_PG;
  await rm(dir, {recursive: true, force: true});
});

async function rows(store: Store, query: SQL): Promise<unknown[]> {
  return (await store.all(query)).map((r) => JSON.stringify(r));
}

describe("a PostgreSQL source", () => {
  for (const table of [...Object.values(TABLES), "identity_map", "derived_values"]) {
    it(`gives the same ${table} table as the same data in CSV`, async () => {
      const query = sql`SELECT * FROM ${ident(table)} ORDER BY ALL`;
      const fromPg = await rows(pgStore, query);
      expect(fromPg.length).toBeGreaterThan(0);
      expect(fromPg).toEqual(await rows(csvStore, query));
    });
  }

  it("quarantines the same rows for the same reasons", async () => {
    const query = sql`SELECT source, "table", "row", "column", reason, message FROM quarantine ORDER BY ALL`;
    const fromPg = await rows(pgStore, query);
    expect(fromPg.length).toBeGreaterThan(10);
    expect(fromPg).toEqual(await rows(csvStore, query));
  });
});
