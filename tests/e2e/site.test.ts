/**
 * The whole build, end to end: a small demo dataset, `npm run build` without network, then
 * every page in headless Chromium, failing on console errors, failed requests and any request
 * that leaves the site.
 */
import {spawnSync} from "node:child_process";
import {appendFileSync, readFileSync} from "node:fs";
import {mkdtemp, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {Browser} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {PROJECT_DIR} from "../../loaders/paths.ts";
import {withStore} from "../../loaders/store.ts";
import {serveStatic, type StaticServer} from "../../scripts/serve.ts";
import {launchBrowser, watchedPage, type PageProblems} from "../support/browser.ts";
import {rejectingDefects} from "../support/truth.ts";

const CUSTOMERS = 1200;
let dir: string;
let server: StaticServer;
let browser: Browser;
let buildLog: string;
let build: () => string = () => {
  throw new Error("the site was not built: see beforeAll");
};

/** Runs a command to completion, failing with its output. */
function sh(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(command, args, {
    cwd: PROJECT_DIR,
    env,
    encoding: "utf8",
    maxBuffer: 64 << 20
  });
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} failed (${result.status}):\n${output}`);
  return output;
}

/** Whether this process may make a network namespace (root may; others build with network). */
function canUnshare(): boolean {
  return spawnSync("unshare", ["-n", "true"]).status === 0;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "portrait-e2e-"));
  const tsx = [process.execPath, "--import", "tsx"];
  sh(tsx[0], [
    ...tsx.slice(1),
    "scripts/demo-data.ts",
    "--customers",
    String(CUSTOMERS),
    "--out",
    join(dir, "data")
  ]);
  const env = {
    ...process.env,
    PORTRAIT_DATA: join(dir, "data"),
    PORTRAIT_STORE: join(dir, "store.duckdb"),
    PORTRAIT_OUTPUT: join(dir, "site")
  };
  const command = [...tsx, "scripts/build.ts"];
  build = () =>
    canUnshare() ? sh("unshare", ["-n", ...command], env) : sh(command[0], command.slice(1), env);
  buildLog = build();
  server = await serveStatic(join(dir, "site"));
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) await rm(dir, {recursive: true, force: true});
});

/** Rows of a table in the store the test built. */
async function storeCount(table: string): Promise<number> {
  const row = await withStore(join(dir, "store.duckdb"), (s) =>
    s.one<{n: number}>(`SELECT count(*)::INTEGER AS n FROM ${table}`)
  );
  return row?.n ?? 0;
}

function expectClean(problems: PageProblems): void {
  expect(problems.pageErrors, "uncaught errors").toEqual([]);
  expect(problems.consoleErrors, "console errors").toEqual([]);
  expect(problems.failedRequests, "failed requests").toEqual([]);
  expect(problems.outsideRequests, "requests leaving the site").toEqual([]);
}

describe("the built site", () => {
  it("builds offline from the demo data", () => {
    expect(buildLog).toMatch(/built the site in/);
    if (canUnshare()) expect(buildLog).not.toMatch(/fetch|ENOTFOUND|EAI_AGAIN/i);
  });

  it("shows the data overview with its chart and the true customer count", async () => {
    const {page, problems} = await watchedPage(browser, server.url);
    await page.goto(`${server.url}/`, {waitUntil: "networkidle"});
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
    const {page, problems} = await watchedPage(browser, server.url);
    await page.goto(`${server.url}/profiles`, {waitUntil: "networkidle"});
    await page
      .locator('svg[aria-label="Bar chart of each profile\'s share of customers and revenue"]')
      .waitFor();
    const profiles = await withStore(join(dir, "store.duckdb"), (s) =>
      s.all<{profile_id: string; name: string}>(
        "SELECT profile_id, name FROM profiles ORDER BY customers DESC"
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

  it("runs SQL in the browser with DuckDB-Wasm on Arrow data", async () => {
    const {page, problems} = await watchedPage(browser, server.url);
    await page.goto(`${server.url}/activity`, {waitUntil: "networkidle"});
    const rows = page.locator(".card table tbody tr");
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThanOrEqual(5);
    expect(
      Number((await page.locator("#activity-size").textContent())?.replaceAll(",", ""))
    ).toBeGreaterThan(100);
    await page.locator('svg[aria-label="Bar chart of Orders rows per year"]').waitFor();
    await page.locator("select").selectOption("Support tickets");
    await page.locator('svg[aria-label="Bar chart of Support tickets rows per year"]').waitFor();
    expectClean(problems);
    await page.close();
  });

  it("shows the data-quality page with every planted defect quarantined", async () => {
    const {page, problems} = await watchedPage(browser, server.url);
    await page.goto(`${server.url}/quality`, {waitUntil: "networkidle"});
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
    const file = join(dir, "data", "customers.csv");
    const header = readFileSync(file, "utf8").split("\n")[0].split(",");
    const before = await storeCount("customers");
    const extra = header.map((column) => (column === "customer_id" ? "C9999999" : "")).join(",");
    appendFileSync(file, `${extra}\n`);
    const log = build();
    expect(log).toMatch(/engine built the store/);
    const {page, problems} = await watchedPage(browser, server.url);
    await page.goto(`${server.url}/`, {waitUntil: "networkidle"});
    const card = await page.locator("#card-customers .big").textContent();
    expect(Number(card?.replaceAll(",", ""))).toBe(before + 1);
    expectClean(problems);
    await page.close();
  }, 180_000);
});
