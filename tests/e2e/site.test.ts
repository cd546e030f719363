/**
 * The whole build, end to end: the shared small demo site (tests/e2e/setup.ts), built without
 * network, then its data pages in headless Chromium, failing on console errors, failed requests
 * and any request that leaves the site.
 */
import {appendFileSync, readFileSync} from "node:fs";
import {cp, mkdtemp, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {serveStatic} from "../../scripts/serve.ts";
import {watchedPage} from "../support/browser.ts";
import {buildSite, canUnshare, expectClean, readStore, useSite} from "../support/site.ts";
import {rejectingDefects} from "../support/truth.ts";
import {ident, sql} from "../../loaders/core/sql.ts";

const {site, url, browser} = useSite();
const dir = site.dir;

/** Rows of a table in the store the shared build made. */
async function storeCount(table: string): Promise<number> {
  const row = await readStore(site, (s) =>
    s.one<{n: number}>(sql`SELECT count(*)::INTEGER AS n FROM ${ident(table)}`)
  );
  return row?.n ?? 0;
}

describe("the built site", () => {
  it("builds offline from the demo data", () => {
    expect(site.log).toMatch(/built the site in/);
    if (canUnshare()) expect(site.log).not.toMatch(/fetch|ENOTFOUND|EAI_AGAIN/i);
  });

  it("shows the data overview with its chart and the true customer count", async () => {
    const {page, problems} = await watchedPage(browser(), url());
    await page.goto(`${url()}/sources`, {waitUntil: "networkidle"});
    await page.locator('svg[aria-label="Line chart of rows per month for each table"]').waitFor();
    const card = Number(
      (await page.locator("#card-customers .big").textContent())?.replaceAll(",", "")
    );
    expect(card).toBe(await storeCount("customers"));
    // Customers are persons, duplicates merged: the generator's persons, give or take a miss.
    const persons = new Set(
      readFileSync(join(dir, "data", "truth", "customers.csv"), "utf8")
        .trimEnd()
        .split("\n")
        .slice(1)
        .map((line) => line.split(",")[2])
    ).size;
    expect(Math.abs(card - persons)).toBeLessThanOrEqual(persons * 0.005);
    expect(await page.locator("#card-orders").count()).toBe(1);
    expect(await page.locator("table").count()).toBeGreaterThan(0);
    expectClean(problems);
    await page.close();
  });

  it("shows every profile with its name, size chart and narrative", async () => {
    const {page, problems} = await watchedPage(browser(), url());
    await page.goto(`${url()}/profiles`, {waitUntil: "networkidle"});
    await page
      .locator('svg[aria-label="Bar chart of each profile\'s share of customers and revenue"]')
      .waitFor();
    const profiles = await readStore(site, (s) =>
      s.all<{profile_id: string; name: string}>(
        sql`SELECT profile_id, name FROM profiles ORDER BY customers DESC`
      )
    );
    expect(profiles.length).toBeGreaterThanOrEqual(3);
    expect(await page.locator("section.profile").count()).toBe(profiles.length);
    for (const p of profiles) {
      const section = page.locator(`#profile-${p.profile_id}`);
      expect(await section.locator("h2").textContent()).toContain(p.name);
      expect(await section.locator("li").count()).toBeGreaterThanOrEqual(5);
    }
    expectClean(problems);
    await page.close();
  });

  it("draws the activity at once and runs the reader's SQL with DuckDB-Wasm, loaded once, on the first run", async () => {
    const {page, problems} = await watchedPage(browser(), url());
    const downloads: string[] = [];
    page.on("request", (request) => {
      if (/\.wasm$|\/activity\.[^/]*\.arrow$/.test(new URL(request.url()).pathname))
        downloads.push(new URL(request.url()).pathname);
    });
    await page.goto(`${url()}/activity`, {waitUntil: "networkidle"});
    const rows = page.locator(".card table tbody tr");
    await rows.first().waitFor();
    const tables = await rows.count();
    expect(tables).toBeGreaterThanOrEqual(5);
    await page.locator('svg[aria-label="Bar chart of Orders rows per year"]').waitFor();
    await page.locator("select").selectOption("Support tickets");
    await page.locator('svg[aria-label="Bar chart of Support tickets rows per year"]').waitFor();
    // Nothing of DuckDB's, nor the Arrow table, until a query runs.
    expect(downloads).toEqual([]);
    await page
      .locator("#sql-query")
      .fill(`SELECT label, sum("rows")::INTEGER AS n FROM activity GROUP BY label ORDER BY n DESC`);
    await page.locator("#sql-query").press("Control+Enter");
    await page.locator("#sql-output table").waitFor();
    expect(await page.locator("#sql-output table tbody tr").count()).toBe(tables);
    await page.locator("#sql-query").fill("SELECT no_such_column FROM activity");
    await page.locator("#sql-run").click();
    await page.locator("#sql-error").waitFor();
    await page.waitForLoadState("networkidle");
    // one DuckDB (whichever build the browser picked) and one copy of the data, for two runs
    expect(downloads.filter((p) => p.endsWith(".wasm"))).toHaveLength(1);
    expect(downloads.filter((p) => p.endsWith(".arrow"))).toHaveLength(1);
    expectClean(problems);
    await page.close();
  });

  it("shows the data-quality page with every planted defect quarantined", async () => {
    const {page, problems} = await watchedPage(browser(), url());
    await page.goto(`${url()}/quality`, {waitUntil: "networkidle"});
    await page
      .locator('svg[aria-label="Bar chart of rows accepted and quarantined per source"]')
      .waitFor();
    const total = await page.locator("#quarantined-total").textContent();
    expect(Number(total?.replaceAll(",", ""))).toBe(rejectingDefects(join(dir, "data")).length);
    expect(
      Number((await page.locator("#merged-total").textContent())?.replaceAll(",", ""))
    ).toBeGreaterThan(0);
    expectClean(problems);
    await page.close();
  });

  it("never serves stale loader output after the data changes", async () => {
    // A copy of the shared build, so the other browser tests keep reading theirs.
    const copy = await mkdtemp(join(tmpdir(), "portrait-e2e-stale-"));
    try {
      await cp(dir, copy, {recursive: true});
      const file = join(copy, "data", "customers.csv");
      const header = readFileSync(file, "utf8").split("\n")[0].split(",");
      const before = await storeCount("customers");
      const extra = header.map((c) => (c === "customer_id" ? "C9999999" : "")).join(",");
      appendFileSync(file, `${extra}\n`);
      const log = await buildSite(copy);
      expect(log).toMatch(/engine built the store/);
      const server = await serveStatic(join(copy, "site"));
      const {page, problems} = await watchedPage(browser(), server.url);
      await page.goto(`${server.url}/sources`, {waitUntil: "networkidle"});
      const card = await page.locator("#card-customers .big").textContent();
      expect(Number(card?.replaceAll(",", ""))).toBe(before + 1);
      // the overview compares the new build with the one it replaced
      await page.goto(`${server.url}/`, {waitUntil: "networkidle"});
      expect(await page.locator("ul.changes li").first().textContent()).toMatch(
        new RegExp(`^${(before + 1).toLocaleString("en-US")} customers, \\+1 since the build`)
      );
      expectClean(problems);
      await page.close();
      await server.close();
    } finally {
      await rm(copy, {recursive: true, force: true});
    }
  });
});
