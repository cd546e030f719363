/**
 * The Method page of a small demo (300 customers, as of 2026-10-31): its backtest has a bucket of
 * fewer than 10 customers (7 with one repeat purchase), which method.json publishes as null with
 * its complement, and the published file passes the privacy check's small-count rule and its
 * differencing test. The clustering is fixed at one k without bootstrap: the backtest does not
 * depend on how k was chosen.
 */
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {writeDemo} from "../../loaders/demo/write.ts";
import {runPipeline, runProfiling} from "../../loaders/engine.ts";
import {loadConfig} from "../../loaders/config/project.ts";
import {pageSettings} from "../../loaders/config/settings.ts";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {sql} from "../../loaders/core/sql.ts";
import {Store} from "../../loaders/core/store.ts";
import {differencing} from "../../loaders/privacy/differencing.ts";
import {publishedFiles, scanPublished} from "../../loaders/privacy/scan.ts";
import {methodDocument} from "../../loaders/site/method.ts";
import type {MethodDocument} from "../../src/contracts/method.ts";

const dir = mkdtempSync(join(tmpdir(), "portrait-method-"));
const site = join(dir, "site");
let raw: {model: string; frequency: string; customers: number}[];
let method: MethodDocument;

beforeAll(async () => {
  const data = join(dir, "data");
  process.env.PORTRAIT_DATA = data;
  writeDemo({customers: 300, seed: 42, end: "2026-10-31", out: data});
  const configPath = join(dir, "portrait.config.ts");
  writeFileSync(
    configPath,
    `import base from ${JSON.stringify(join(PROJECT_DIR, "portrait.config.ts"))};
     export default {...base, clustering: {k: {min: 4, max: 4}, bootstrap: 0, restarts: 3}};`
  );
  const config = await loadConfig(configPath);
  const store = await Store.open(":memory:");
  try {
    const result = await runPipeline(store, config);
    await runProfiling(store, config, result.validation.asOf);
    raw = await store.all(
      sql`SELECT model, frequency, customers FROM value_backtest_frequency ORDER BY position, bucket`
    );
    method = await methodDocument(store, pageSettings(config));
  } finally {
    store.close();
  }
  mkdirSync(join(site, "_file", "data"), {recursive: true});
  writeFileSync(join(site, "_file", "data", "method.0a1b2c3d.json"), JSON.stringify(method));
}, 300_000);

afterAll(() => {
  delete process.env.PORTRAIT_DATA;
  rmSync(dir, {recursive: true, force: true});
});

describe("method.json of a 300-customer demo", () => {
  it("publishes null for each small backtest bucket and its complement, with neither mean", () => {
    const small = raw.filter((r) => r.customers > 0 && r.customers < 10);
    expect(small.length).toBeGreaterThan(0);
    for (const r of small) {
      const shown = method.backtest.frequency.find(
        (f) => f.model === r.model && f.frequency === r.frequency
      );
      expect(shown).toMatchObject({customers: null, predicted: null, actual: null});
    }
    for (const model of new Set(small.map((r) => r.model)))
      expect(
        method.backtest.frequency.filter((f) => f.model === model && f.customers === null).length
      ).toBeGreaterThanOrEqual(2);
  });

  it("passes the privacy check's small-count rule and recovers nothing by subtraction", async () => {
    const files = await publishedFiles(site);
    const scan = await scanPublished(site, null, 10);
    expect(scan.violations).toEqual([]);
    expect(scan.counts).toBeGreaterThan(0);
    const {violations, tables} = await differencing(site, files, 10);
    expect(violations).toEqual([]);
    expect(tables).toBeGreaterThan(0);
  });
});
