import {execFile} from "node:child_process";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {promisify} from "node:util";
import {Client} from "pg";
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from "vitest";
import {readPostgres} from "../../loaders/ingest/postgres.ts";
import {Store} from "../../loaders/core/store.ts";
import {ident, sql, val} from "../../loaders/core/sql.ts";
import {freePort, startPostgres, type PostgresServer} from "../support/postgres.ts";
import {importOf, withFullFolder} from "../support/full-folder.ts";

const run = promisify(execFile);

/** The demo's shapes, with the values that trip exports up: quotes, commas, newlines, unicode. */
const FIXTURE = String.raw`
CREATE TABLE customers (
  customer_id text PRIMARY KEY,
  email text,
  name text,
  birth_date date,
  signup_at timestamp,
  last_seen timestamptz,
  income numeric(12, 2),
  employees integer,
  score double precision,
  vip boolean,
  "Postal Code" text,
  notes text
);
INSERT INTO customers VALUES
  ('C2', ' Zoë@Example.com ', 'Zoë "Zed" Ødegård', '1990-02-28', '2024-01-15 09:30:00',
   '2024-06-01 12:00:00.5+02', 52000.5, 12, 0.1, true, '0150', E'likes, commas\nand "quotes"'),
  ('C1', 'ann@example.com', 'Ann, Lee', '1985-12-01', '2023-11-30 23:59:59.999999', NULL,
   1234567890, NULL, 1e-7, false, NULL, ''),
  ('C3', NULL, '東京 😀', NULL, 'infinity', '2025-01-01 00:00:00+00', -0.05, 0, 'NaN', NULL,
   ' 42 ', E'crlf\r\nline');
CREATE TABLE orders (
  order_id integer PRIMARY KEY,
  customer_id text NOT NULL,
  ordered_at timestamp,
  amount numeric(10, 2),
  quantity smallint,
  channel text
);
INSERT INTO orders VALUES
  (3, 'C2', '2025-03-02 08:15:00', 19.9, 1, 'web'),
  (1, 'C1', '2025-01-05 10:00:00', 120, 2, 'store'),
  (2, 'C1', '2025-02-10 17:45:30.25', -5, NULL, NULL),
  (10, 'C3', '2025-04-01 00:00:00', 0, 3, 'phone, app');
CREATE TABLE events (customer_id text, event text, event_at timestamp);
INSERT INTO events VALUES ('C3', 'open', '2025-01-03'), ('C1', 'sent', '2025-01-01'),
  ('C2', 'click', '2025-01-02 12:00');
`;

/** A database whose defaults would change the text, were the session not pinned. */
const ELSEWHERE = [
  "CREATE DATABASE elsewhere",
  "ALTER DATABASE elsewhere SET TimeZone = 'Asia/Kolkata'",
  "ALTER DATABASE elsewhere SET DateStyle = 'SQL, DMY'",
  "ALTER DATABASE elsewhere SET extra_float_digits = 0"
];

const JOIN_QUERY = `SELECT o.customer_id, c.customer_id, c.name, o.amount * 2 AS double_amount
  FROM orders o JOIN customers c ON c.customer_id = o.customer_id
 ORDER BY o.amount DESC`;

let pg: PostgresServer;
let store: Store;

/** Runs statements on the PostgreSQL server at url. */
async function onPostgres(url: string, ...statements: string[]): Promise<void> {
  const client = new Client({connectionString: url});
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A raw table's source columns and rows (without _row and _file), in _row order. */
async function raw(table: string): Promise<{columns: string[]; rows: unknown[]}> {
  const columns = [...(await store.tableColumns(table)).keys()];
  const rows = await store.all(
    sql`SELECT * EXCLUDE (_row, _file) FROM ${ident(table)} ORDER BY _row`
  );
  return {columns: columns.filter((c) => c !== "_row" && c !== "_file"), rows};
}

/** The server's own CSV export of a query, as psql's users make it, read back the way ingest reads CSV. */
async function exported(query: string): Promise<{columns: string[]; rows: unknown[]}> {
  const {stdout} = await run(
    join(pg.bin, "psql"),
    [
      "--no-psqlrc",
      "--quiet",
      "--set=ON_ERROR_STOP=1",
      `--dbname=${pg.url}`,
      `--command=COPY (${query}) TO STDOUT WITH (FORMAT csv, HEADER)`
    ],
    {env: {...process.env, PGCLIENTENCODING: "UTF8"}, encoding: "utf8"}
  );
  const path = join(pg.dir, `export-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(path, stdout);
  await store.run(
    sql`CREATE OR REPLACE TABLE csv_export AS SELECT * FROM read_csv(${val(path)}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')`
  );
  const columns = [...(await store.tableColumns("csv_export")).keys()];
  return {columns, rows: await store.all(sql`SELECT * FROM csv_export`)};
}

function withPassword(url: string, password: string): string {
  const u = new URL(url);
  u.password = password;
  return u.toString();
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The error readPostgres fails with. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a failure");
}

beforeAll(async () => {
  pg = await startPostgres();
  await onPostgres(pg.url, FIXTURE, ...ELSEWHERE);
  await onPostgres(
    withDatabase(pg.url, "elsewhere"),
    "CREATE TABLE moments (d date, ts timestamptz, x float8); INSERT INTO moments VALUES ('2025-03-04', '2025-03-04 10:00:00+00', 0.1::float8 + 0.2::float8)"
  );
});

afterAll(async () => {
  await pg?.stop();
});

beforeEach(async () => {
  store = await Store.open(":memory:");
});

afterEach(() => store.close());

describe("readPostgres(store, {connectionString, table | query, target})", () => {
  it("reads a table as PostgreSQL's text output, in primary key order, numbering rows and naming the source", async () => {
    const read = await readPostgres(store, {
      connectionString: pg.url,
      table: "customers",
      target: "raw_customers"
    });
    const columns = [
      "customer_id",
      "email",
      "name",
      "birth_date",
      "signup_at",
      "last_seen",
      "income",
      "employees",
      "score",
      "vip",
      "Postal Code",
      "notes"
    ];
    expect(read).toEqual({rows: 3, columns, names: columns});
    expect(await raw("raw_customers")).toEqual({
      columns,
      rows: [
        {
          customer_id: "C1",
          email: "ann@example.com",
          name: "Ann, Lee",
          birth_date: "1985-12-01",
          signup_at: "2023-11-30 23:59:59.999999",
          last_seen: null,
          income: "1234567890.00",
          employees: null,
          score: "1e-07",
          vip: "f",
          "Postal Code": null,
          notes: null
        },
        {
          customer_id: "C2",
          email: " Zoë@Example.com ",
          name: 'Zoë "Zed" Ødegård',
          birth_date: "1990-02-28",
          signup_at: "2024-01-15 09:30:00",
          last_seen: "2024-06-01 10:00:00.5+00",
          income: "52000.50",
          employees: "12",
          score: "0.1",
          vip: "t",
          "Postal Code": "0150",
          notes: 'likes, commas\nand "quotes"'
        },
        {
          customer_id: "C3",
          email: null,
          name: "東京 😀",
          birth_date: null,
          signup_at: "infinity",
          last_seen: "2025-01-01 00:00:00+00",
          income: "-0.05",
          employees: "0",
          score: "NaN",
          vip: null,
          "Postal Code": " 42 ",
          notes: "crlf\r\nline"
        }
      ]
    });
    expect(await store.all(sql`SELECT _row, _file FROM raw_customers ORDER BY _row`)).toEqual(
      [1, 2, 3].map((_row) => ({_row, _file: "postgresql:public.customers"}))
    );
    const types = await store.all<{type: string}>(
      sql`SELECT DISTINCT type FROM pragma_table_info('raw_customers') WHERE name NOT IN ('_row') ORDER BY type`
    );
    expect(types).toEqual([{type: "VARCHAR"}]);
  });

  it("orders a table by its primary key, numerically for a numeric key", async () => {
    await readPostgres(store, {connectionString: pg.url, table: "public.orders", target: "o"});
    expect(
      await store.all(sql`SELECT _row, order_id, amount, quantity FROM o ORDER BY _row`)
    ).toEqual([
      {_row: 1, order_id: "1", amount: "120.00", quantity: "2"},
      {_row: 2, order_id: "2", amount: "-5.00", quantity: null},
      {_row: 3, order_id: "3", amount: "19.90", quantity: "1"},
      {_row: 4, order_id: "10", amount: "0.00", quantity: "3"}
    ]);
  });

  it("reads a table without a primary key in its physical (insertion) order", async () => {
    await readPostgres(store, {connectionString: pg.url, table: '"public"."events"', target: "e"});
    expect((await raw("e")).rows).toEqual([
      {customer_id: "C3", event: "open", event_at: "2025-01-03 00:00:00"},
      {customer_id: "C1", event: "sent", event_at: "2025-01-01 00:00:00"},
      {customer_id: "C2", event: "click", event_at: "2025-01-02 12:00:00"}
    ]);
  });

  it("reads a query in its own order, in batches, renaming repeated columns as read_csv does", async () => {
    const read = await readPostgres(store, {
      connectionString: pg.url,
      query: JOIN_QUERY,
      target: "joined",
      description: "postgresql:shop orders",
      batchSize: 1
    });
    expect(read).toEqual({
      rows: 4,
      columns: ["customer_id", "customer_id_1", "name", "double_amount"],
      names: ["customer_id", "customer_id", "name", "double_amount"]
    });
    expect(await store.all(sql`SELECT * FROM joined ORDER BY _row`)).toEqual(
      [
        ["C1", "Ann, Lee", "240.00", 1],
        ["C2", 'Zoë "Zed" Ødegård', "39.80", 2],
        ["C3", "東京 😀", "0.00", 3],
        ["C1", "Ann, Lee", "-10.00", 4]
      ].map(([id, name, double_amount, _row]) => ({
        customer_id: id,
        customer_id_1: id,
        name,
        double_amount,
        _row,
        _file: "postgresql:shop orders"
      }))
    );
  });

  it("replaces the target table, and keeps the previous one when a read fails halfway", async () => {
    await readPostgres(store, {connectionString: pg.url, table: "orders", target: "raw"});
    const error = await failure(
      readPostgres(store, {
        connectionString: pg.url,
        query: "SELECT x, 10 / (3 - x) AS y FROM generate_series(1, 5) AS x",
        target: "raw",
        batchSize: 1
      })
    );
    expect(error.message).toBe("PostgreSQL could not run the query: division by zero.");
    expect((await raw("raw")).rows).toHaveLength(4);
    await readPostgres(store, {connectionString: pg.url, query: "SELECT 1 AS x", target: "raw"});
    expect(await raw("raw")).toEqual({columns: ["x"], rows: [{x: "1"}]});
  });

  it("reads a value longer than read_csv's default line limit (2 MB)", async () => {
    const read = await readPostgres(store, {
      connectionString: pg.url,
      query: "SELECT repeat('é', 1500000) AS long, 'short' AS short",
      target: "long"
    });
    expect(read).toEqual({rows: 1, columns: ["long", "short"], names: ["long", "short"]});
    expect(
      await store.all(sql`SELECT length(long) AS n, short, _row FROM long ORDER BY _row`)
    ).toEqual([{n: 1_500_000, short: "short", _row: 1}]);
  });

  it("pins DateStyle, TimeZone and float digits, whatever the server's defaults", async () => {
    await readPostgres(store, {
      connectionString: withDatabase(pg.url, "elsewhere"),
      table: "moments",
      target: "m"
    });
    expect((await raw("m")).rows).toEqual([
      {d: "2025-03-04", ts: "2025-03-04 10:00:00+00", x: "0.30000000000000004"}
    ]);
  });
});

describe("a PostgreSQL source and its CSV export (COPY ... TO STDOUT WITH (FORMAT csv, HEADER))", () => {
  const sources: [string, {table: string} | {query: string}, string][] = [
    ["customers", {table: "customers"}, "SELECT * FROM customers ORDER BY customer_id"],
    ["orders", {table: "orders"}, "SELECT * FROM orders ORDER BY order_id"],
    ["events", {table: "events"}, "SELECT * FROM events"],
    ["a query with repeated column names", {query: JOIN_QUERY}, JOIN_QUERY]
  ];
  for (const [name, source, query] of sources) {
    it(`give the same raw table, column for column and row for row: ${name}`, async () => {
      await readPostgres(store, {connectionString: pg.url, ...source, target: "from_pg"});
      const fromPostgres = await raw("from_pg");
      const fromCsv = await exported(query);
      expect(fromPostgres.columns).toEqual(fromCsv.columns);
      expect(fromPostgres.rows).toEqual(fromCsv.rows);
    });
  }
});

describe("readPostgres errors", () => {
  it("names the user, never the password, when the password is wrong", async () => {
    const error = await failure(
      readPostgres(store, {
        connectionString: withPassword(pg.url, "wrong-Secret"),
        table: "orders",
        target: "o"
      })
    );
    expect(error.message).toBe(
      `PostgreSQL at 127.0.0.1:${pg.port} refused the password for user "portrait": check the user and password in the connection string`
    );
    expect(error.message).not.toContain("wrong-Secret");
  });

  it("says when the connection string has no password and the server asks for one", async () => {
    const error = await failure(
      readPostgres(store, {
        connectionString: withPassword(pg.url, ""),
        table: "orders",
        target: "o"
      })
    );
    expect(error.message).toBe(
      `PostgreSQL at 127.0.0.1:${pg.port} asks for a password for user "portrait" and the connection string has none: write it as postgres://user:password@host:5432/db`
    );
  });

  it("lists the schema's tables and suggests the closest for an unknown table", async () => {
    const error = await failure(
      readPostgres(store, {connectionString: pg.url, table: "public.ordrs", target: "o"})
    );
    expect(error.message).toBe(
      `PostgreSQL table public.ordrs not found in database "postgres" at 127.0.0.1:${pg.port}. Did you mean public.orders? Tables in schema public: customers, events, orders.`
    );
    expect(await store.has("o")).toBe(false);
  });

  it("lists the schemas for an unknown schema", async () => {
    const error = await failure(
      readPostgres(store, {connectionString: pg.url, table: "sales.orders", target: "o"})
    );
    expect(error.message).toBe(
      `PostgreSQL schema sales not found in database "postgres" at 127.0.0.1:${pg.port}. Schemas: public.`
    );
  });

  it("gives PostgreSQL's message and points at the position of a syntax error", async () => {
    const error = await failure(
      readPostgres(store, {
        connectionString: pg.url,
        query: "SELECT *\n  FORM customers",
        target: "o"
      })
    );
    expect(error.message).toBe(
      'PostgreSQL could not run the query: syntax error at or near "FORM" (line 2, column 3).\n    FORM customers\n    ^'
    );
  });

  it("refuses a query that writes: the read is a read-only transaction", async () => {
    const error = await failure(
      readPostgres(store, {
        connectionString: pg.url,
        query: "DELETE FROM orders RETURNING *",
        target: "o"
      })
    );
    expect(error.message).toBe(
      "PostgreSQL could not run the query: cannot execute DELETE in a read-only transaction."
    );
  });

  it("names the database when it does not exist", async () => {
    const error = await failure(
      readPostgres(store, {
        connectionString: withDatabase(pg.url, "shop"),
        table: "orders",
        target: "o"
      })
    );
    expect(error.message).toBe(
      `PostgreSQL at 127.0.0.1:${pg.port} has no database "shop": check the database name at the end of the connection string`
    );
  });

  it("asks whether the server is running when the connection is refused", async () => {
    const port = await freePort();
    const error = await failure(
      readPostgres(store, {
        connectionString: `postgres://portrait:${pg.password}@127.0.0.1:${port}/postgres`,
        table: "orders",
        target: "o"
      })
    );
    expect(error.message).toBe(
      `cannot connect to PostgreSQL at 127.0.0.1:${port}: connection refused. Is the server running, and listening on that host and port?`
    );
  });

  it("never echoes a malformed connection string", async () => {
    const error = await failure(
      readPostgres(store, {
        connectionString: "postgres://u:p@ss%word@host/db",
        table: "t",
        target: "o"
      })
    );
    expect(error.message).not.toContain("p@ss");
    expect(error.message).toMatch(/percent-encod/);
  });

  it("names the full private folder and how to move it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "portrait-pg-full-"));
    try {
      const source = {
        connectionString: pg.url,
        table: "orders",
        target: "o",
        description: "postgresql:public.orders"
      };
      const {full, stdout} = await withFullFolder(dir, [
        importOf("readPostgres", "loaders/ingest/postgres.ts"),
        importOf("Store", "loaders/core/store.ts"),
        `const store = await Store.open(":memory:", {scratch: FULL});`,
        `await readPostgres(store, ${JSON.stringify(source)}).then(() => console.log("read"), (e) => console.log(e.message));`
      ]);
      expect(stdout).toBe(
        `postgresql:public.orders: cannot be read: the store's private folder ${full} is full (no space left on device). Reading from PostgreSQL writes each batch of rows there first. Free space on that disk, or put the store on a disk with room (PORTRAIT_STORE=/path/with/room/store.duckdb npm run build: the private folder sits beside it)`
      );
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });

  it("wants exactly one of table and query", async () => {
    await expect(
      readPostgres(store, {
        connectionString: pg.url,
        table: "orders",
        query: "SELECT 1",
        target: "o"
      })
    ).rejects.toThrow("a PostgreSQL source takes either table or query, not both: keep one");
    await expect(readPostgres(store, {connectionString: pg.url, target: "o"})).rejects.toThrow(
      "a PostgreSQL source needs a table"
    );
  });
});

describe("readPostgres when PostgreSQL stops in the middle of a read", () => {
  let own: PostgresServer;
  let holder: Client;

  beforeAll(async () => {
    own = await startPostgres();
  });

  afterAll(async () => {
    await holder?.end().catch(() => undefined);
    await own?.stop();
  });

  /**
   * Starts reading a query one row at a time whose third row waits for a lock the test holds,
   * and returns once the read waits there (two rows read): the process reading it, and the read.
   */
  async function stalledRead(): Promise<{pid: number; read: Promise<Error>}> {
    holder = new Client({connectionString: own.url});
    holder.on("error", () => undefined);
    await holder.connect();
    await holder.query("SELECT pg_advisory_lock(17)");
    const read = failure(
      readPostgres(store, {
        connectionString: own.url,
        query:
          "SELECT x, CASE WHEN x = 3 THEN pg_advisory_lock_shared(17 + 0 * x)::text END AS waited FROM generate_series(1, 5) AS x",
        target: "raw",
        batchSize: 1
      })
    );
    for (;;) {
      const waiting = await holder.query<{pid: number}>(
        "SELECT pid FROM pg_stat_activity WHERE application_name = 'portrait' AND wait_event_type = 'Lock'"
      );
      if (waiting.rows.length > 0) return {pid: waiting.rows[0].pid, read};
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The message, whatever words the server or the socket had for it (in parentheses). */
  const stopped = (port: number) =>
    new RegExp(
      `^PostgreSQL at 127\\.0\\.0\\.1:${port} stopped answering while Portrait read the query, after 2 rows \\(.+\\): the server shut down or restarted, or the connection was cut\\. Nothing of this read was kept\\. Check that the server is up \\(pg_isready -h 127\\.0\\.0\\.1 -p ${port}\\), then run the build again$`
    );

  it("names the server, how far it read and what to do when the reading process is killed", async () => {
    const {pid, read} = await stalledRead();
    process.kill(pid, "SIGKILL");
    const error = await read;
    expect(error.message).toMatch(stopped(own.port));
    expect(await store.has("raw")).toBe(false);
    // The server restarts its processes after one was killed: wait until it answers again.
    await holder.end().catch(() => undefined);
    for (;;) {
      const client = new Client({connectionString: own.url});
      client.on("error", () => undefined);
      const up = await client.connect().then(
        () => true,
        () => false
      );
      await client.end().catch(() => undefined);
      if (up) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it("says the same when the server is shut down", async () => {
    const {read} = await stalledRead();
    await own.stop();
    const error = await read;
    expect(error.message).toMatch(stopped(own.port));
    expect(await store.has("raw")).toBe(false);
  });
});
