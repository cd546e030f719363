import {readFileSync} from "node:fs";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {MemorySink} from "../../../loaders/demo/csv.ts";
import {generateDemo} from "../../../loaders/demo/generate.ts";
import {TABLES} from "../../../loaders/demo/schema.ts";
import {cleanup, demo, fresh, SMALL} from "./fixture.ts";
import {readTable} from "./read-csv.ts";

const FILES = [...Object.values(TABLES).map((t) => t.file), "truth/manifest.json"];
/** Reference tables do not depend on the seed. */
const SEEDED = [
  "customers.csv",
  "orders.csv",
  "tickets.csv",
  "email_events.csv",
  "web_sessions.csv",
  "survey_responses.csv"
];

afterAll(cleanup);

function bytes(dir: string, file: string): Buffer {
  return readFileSync(join(dir, file));
}

describe("writeDemo({customers, seed, end, out})", () => {
  it("writes identical bytes in every file for the same options", () => {
    const a = demo(SMALL).dir;
    const b = fresh(SMALL).dir;
    for (const file of FILES) {
      expect(bytes(a, file).length, file).toBeGreaterThan(0);
      expect(bytes(a, file).equals(bytes(b, file)), file).toBe(true);
    }
  });

  it("writes different customer data for a different seed", () => {
    const a = demo(SMALL).dir;
    const b = demo({...SMALL, seed: SMALL.seed + 1}).dir;
    for (const file of SEEDED) expect(bytes(a, file).equals(bytes(b, file)), file).toBe(false);
  });

  it("keeps the manifest free of run times", () => {
    const manifest = JSON.parse(bytes(demo(SMALL).dir, "truth/manifest.json").toString("utf8"));
    expect(manifest.seed).toBe(SMALL.seed);
    expect(manifest.end).toBe(SMALL.end);
    expect(manifest.start).toBe("2024-01-01");
    expect(JSON.stringify(manifest)).not.toMatch(/T\d{2}:\d{2}/);
  });
});

describe("generateDemo(options, sinks)", () => {
  it("streams the same rows to any sink as writeDemo writes to files", () => {
    const sinks = {
      customers: new MemorySink(),
      orders: new MemorySink(),
      tickets: new MemorySink(),
      email_events: new MemorySink(),
      web_sessions: new MemorySink(),
      survey_responses: new MemorySink(),
      truth_customers: new MemorySink(),
      truth_defects: new MemorySink()
    };
    const summary = generateDemo(SMALL, sinks);
    const {dir} = demo(SMALL);
    for (const table of ["customers", "orders", "tickets"] as const) {
      expect(sinks[table].rows, table).toEqual(readTable(join(dir, TABLES[table].file)).rows);
      expect(summary.rows[table], table).toBe(sinks[table].rows.length);
    }
  });

  it("writes about as many customers as asked for at the default end date", () => {
    const {result} = demo(SMALL);
    expect(result.summary.persons).toBe(SMALL.customers);
    expect(result.summary.customerIds / SMALL.customers).toBeLessThan(1.05);
  });
});
