/**
 * The demo config against the demo's ground truth: every row the generator made dirty on
 * purpose is quarantined for that reason, and no other row is.
 */
import {mkdtemp, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {loadConfig} from "../../loaders/config/project.ts";
import {writeDemo} from "../../loaders/demo/write.ts";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {runPipeline, type PipelineResult} from "../../loaders/engine.ts";
import {Store} from "../../loaders/core/store.ts";
import {REJECTING, rejectingDefects} from "../support/truth.ts";

const FILES: Record<string, string> = {
  orders: "shop",
  tickets: "helpdesk",
  email_events: "email",
  customers: "crm"
};

let dir: string;
let store: Store;
let result: PipelineResult;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "portrait-demo-quality-"));
  writeDemo({customers: 1500, seed: 7, end: "2026-10-31", out: dir});
  process.env.PORTRAIT_DATA = dir;
  const config = await loadConfig(join(PROJECT_DIR, "portrait.config.ts"));
  store = await Store.open(":memory:");
  result = await runPipeline(store, config);
});

afterAll(async () => {
  store?.close();
  delete process.env.PORTRAIT_DATA;
  await rm(dir, {recursive: true, force: true});
});

describe("the demo config on the demo data", () => {
  it("quarantines exactly the rows the generator corrupted, for the planted reason", async () => {
    const truth = rejectingDefects(dir).map(
      (d) => `${FILES[d.table]} ${d.row} ${REJECTING[d.kind]}`
    );
    const quarantined = (
      await store.all<{source: string; row: number; reason: string}>(
        `SELECT source, "row", reason FROM quarantine`
      )
    ).map((q) => `${q.source} ${q.row} ${q.reason}`);
    expect(truth.length).toBeGreaterThan(100);
    expect(new Set(quarantined)).toEqual(new Set(truth));
    expect(quarantined.length).toBe(truth.length);
  });

  it("stays within the demo's reject limits and accounts for every row", () => {
    expect(result.validation.problems).toEqual([]);
    for (const s of result.validation.sources)
      expect(s.accepted + s.quarantined, s.source).toBe(s.read);
  });

  it("standardises every spelling of a country to an ISO code", async () => {
    const countries = await store.all<{country: string}>(
      "SELECT DISTINCT country FROM customers WHERE country IS NOT NULL ORDER BY 1"
    );
    expect(countries.map((c) => c.country)).toEqual([
      "AU",
      "CA",
      "DE",
      "ES",
      "FR",
      "GB",
      "NL",
      "US"
    ]);
  });

  it("enriches customers with urbanicity and area income from the postal-code reference", async () => {
    const row = await store.one<{share: number}>(
      "SELECT avg((urbanicity IS NOT NULL)::INTEGER) AS share FROM customers"
    );
    expect(row?.share).toBeGreaterThan(0.9);
  });
});
