/**
 * The privacy check on the shared demo build (tests/e2e/setup.ts): the build ran it over
 * everything it published and it passed, and it passes again when run over the same folder.
 */
import {readdirSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {loadConfig} from "../../loaders/config/project.ts";
import {configPath} from "../../loaders/core/paths.ts";
import {checkPrivacy} from "../../loaders/privacy/check.ts";
import {differencing} from "../../loaders/privacy/differencing.ts";
import {publishedFiles} from "../../loaders/privacy/scan.ts";
import {readStore, useSite} from "../support/site.ts";

const {site} = useSite();

describe("the build's privacy check", () => {
  it("ran in the build over every published file and found nothing", () => {
    expect(site.log).toMatch(
      /privacy check: [\d,]+ files \(\d+\.\d MB\), [\d,]+ identifiers of [\d,]+ customers checked, [\d,]+ customer counts checked \(minimum 10\), [\d,]+ tables with totals differenced, 1 customer sample checked for quasi-identifiers \(smallest combination [\d,]+\): no violations in \d+\.\d s/
    );
  });

  it("reads the pages, the loader output and the exports, every file but code binaries", async () => {
    const out = join(site.dir, "site");
    const report = await readStore(site, async (store) =>
      checkPrivacy(store, out, await loadConfig(configPath()))
    );
    expect(report.violations).toEqual([]);
    const published = readdirSync(out, {recursive: true, withFileTypes: true}).filter(
      (e) => e.isFile() && !e.name.endsWith(".wasm")
    );
    expect(report.files).toBe(published.length);
    expect(report.customers).toBeGreaterThan(1000);
    // The profile documents and the overview count customers: each was checked.
    expect(report.counts).toBeGreaterThanOrEqual(7);
  });

  it("recovers no suppressed cell of any published table by subtraction from its totals", async () => {
    const out = join(site.dir, "site");
    const {violations, tables} = await differencing(out, await publishedFiles(out), 10);
    expect(violations).toEqual([]);
    // the segmentations, a histogram per feature, countries and regions, the flows, the months
    expect(tables).toBeGreaterThan(20);
  });
});
