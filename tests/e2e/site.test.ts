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
import {serveStatic, type StaticServer} from "../../scripts/serve.ts";
import {launchBrowser, watchedPage, type PageProblems} from "../support/browser.ts";

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
    const customers =
      readFileSync(join(dir, "data", "customers.csv"), "utf8")
        .trimEnd()
        .split("\n").length - 1;
    const card = await page.locator("#card-customers .big").textContent();
    expect(Number(card?.replaceAll(",", ""))).toBe(customers);
    expect(await page.locator("#card-orders").count()).toBe(1);
    expect(await page.locator("table").count()).toBeGreaterThan(0);
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

  it("never serves stale loader output after the data changes", async () => {
    const file = join(dir, "data", "customers.csv");
    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    const header = lines[0].split(",");
    const extra = header.map((column) => (column === "customer_id" ? "C9999999" : "")).join(",");
    appendFileSync(file, `${extra}\n`);
    const log = build();
    expect(log).toMatch(/engine built the store/);
    const {page, problems} = await watchedPage(browser, server.url);
    await page.goto(`${server.url}/`, {waitUntil: "networkidle"});
    const card = await page.locator("#card-customers .big").textContent();
    expect(Number(card?.replaceAll(",", ""))).toBe(lines.length);
    expectClean(problems);
    await page.close();
  });
});
