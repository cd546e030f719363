import {mkdtemp, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {parseConfig, type PortraitConfigInput} from "../../loaders/config/project.ts";
import {
  readSources,
  repeatedOf,
  repeatedWarning,
  type RawSource
} from "../../loaders/ingest/sources.ts";
import {Store} from "../../loaders/core/store.ts";
import {validate} from "../../loaders/clean/validate.ts";
import {sql} from "../../loaders/core/sql.ts";
import {importOf, withFullFolder} from "../support/full-folder.ts";

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "portrait-sources-"));
  store = await Store.open(":memory:");
});

afterEach(async () => {
  store.close();
  await rm(dir, {recursive: true, force: true});
});

const crm = {sources: {crm: {table: "customers", file: "customers.csv"}}} as const;

/** Writes the files and reads the config's sources. */
async function read(
  files: Record<string, string>,
  input: PortraitConfigInput = crm
): Promise<RawSource[]> {
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return readSources(store, parseConfig(input, join(dir, "portrait.config.ts")));
}

/** Three million characters of one value, on one line: past DuckDB's 2 MB line, as a 10 MB one. */
const LONG = "x".repeat(3_000_000);

describe("readSources(store, config): a file it cannot read says which, why and what to do", () => {
  it("says that an empty file is empty, not that it lacks customer_id", async () => {
    await expect(read({"customers.csv": ""})).rejects.toHaveProperty(
      "message",
      "customers.csv: is empty (0 bytes): it has no header and no rows. Export it again, or leave it out of the config"
    );
  });

  it("says that a file of one long line has no header, and quotes none of it", async () => {
    await expect(read({"customers.csv": LONG})).rejects.toHaveProperty(
      "message",
      "customers.csv: has no header: its first line runs past 2,000,000 bytes (the file has 3,000,000), where a CSV file names its columns. Check that this is the export you meant (one long line is often JSON, or an export cut short), and export it again"
    );
  });

  it("names the full private folder and how to move it", async () => {
    await writeFile(join(dir, "customers.csv"), "customer_id,email\nC1,a@x.example\n");
    const {full, stdout} = await withFullFolder(dir, [
      importOf("parseConfig", "loaders/config/project.ts"),
      importOf("readSources", "loaders/ingest/sources.ts"),
      importOf("Store", "loaders/core/store.ts"),
      `const store = await Store.open(":memory:", {scratch: FULL});`,
      `const config = parseConfig(${JSON.stringify(crm)}, ${JSON.stringify(join(dir, "portrait.config.ts"))});`,
      `await readSources(store, config).then(() => console.log("read"), (e) => console.log(e.message));`
    ]);
    expect(stdout).toBe(
      `customers.csv: cannot be read: the store's private folder ${full} is full (no space left on device). Reading a file writes its text there first, compressed. Free space on that disk, or put the store on a disk with room (PORTRAIT_STORE=/path/with/room/store.duckdb npm run build: the private folder sits beside it)`
    );
  });
});

describe("readSources(store, config): one line over the 2 MB limit", () => {
  it("is quarantined with its row number and size, the other rows read, and no message quotes it", async () => {
    const lines = [
      "customer_id,email,signup_date",
      "C1,a@x.example,2024-01-01",
      `C2,${LONG}`,
      "C3,c@x.example,2024-01-02"
    ];
    const config = parseConfig(
      {...crm, validation: {maxRejectShare: 1}},
      join(dir, "portrait.config.ts")
    );
    await writeFile(join(dir, "customers.csv"), `${lines.join("\n")}\n`);
    const raws = await readSources(store, config);
    expect(raws.map((r) => [r.rows, r.malformed])).toEqual([[3, 1]]);
    const v = await validate(store, config, raws, {today: "2026-12-05"});
    expect(v.sources.map((s) => [s.read, s.accepted, s.quarantined, s.byReason])).toEqual([
      [3, 2, 1, {malformed_line: 1}]
    ]);
    const rows = await store.all<{
      row: number;
      column: string | null;
      reason: string;
      message: string;
      record: string;
    }>(
      sql`SELECT "row"::INTEGER AS "row", "column", reason, message, record::VARCHAR AS record FROM quarantine`
    );
    expect(rows).toEqual([
      {
        row: 2,
        column: null,
        reason: "malformed_line",
        message:
          "line 3 is 3,000,003 bytes, over the 2,000,000 bytes a line may have (often a quote left open, or a document pasted into one field): fix that line in the file to read it",
        record: '{"line":null}'
      }
    ]);
  });
});

describe("readSources(store, config): repeated column names", () => {
  it("warns which columns of which file share a name, what each is read as, and what to do", async () => {
    const [raw] = await read({
      "customers.csv":
        "customer_id,email,Email,phone,email\nC1,a@x.example,b@x.example,1,c@x.example\n"
    });
    expect(raw.columns).toEqual(["customer_id", "email", "Email_1", "phone", "email_2"]);
    expect(raw.warnings).toEqual([
      'customers.csv: columns 2, 3 and 5 are all named "email" (read as email, Email_1 and email_2; a mapping by that name reads column 2). Rename them in the file so each name says what it holds, or map the one you mean by the name it is read as (e.g. "Email_1")'
    ]);
  });

  it("says nothing of a column whose name only looks like a copy", async () => {
    const [raw] = await read({"customers.csv": "customer_id,email,email_1\nC1,a@x.example,b\n"});
    expect(raw.warnings).toEqual([]);
  });

  it("says the same of a PostgreSQL query whose columns share a name, and how to rename them there", () => {
    const repeated = repeatedOf(
      ["customer_id", "customer_id", "name"],
      ["customer_id", "customer_id_1", "name"]
    );
    expect(repeatedWarning("postgresql:query", repeated, "in the query (AS another_name)")).toBe(
      'postgresql:query: columns 1 and 2 are both named "customer_id" (read as customer_id and customer_id_1; a mapping by that name reads column 1). Rename them in the query (AS another_name) so each name says what it holds, or map the one you mean by the name it is read as (e.g. "customer_id_1")'
    );
  });
});
