/**
 * Risk that was not assessed is never shown as 0 % or "no" (issue 15): a site built from an
 * export with no orders and no subscription (tests/fixtures/marketing-campaign, one row per
 * customer) says "not assessed" in its files and on its pages where the at-risk figure goes;
 * the shared demo build, where the backtest set the flag, shows a percentage and the
 * backtest's evidence.
 */
import {existsSync, readdirSync, readFileSync} from "node:fs";
import {mkdtemp, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join, relative} from "node:path";
import type {Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {serveStatic, type StaticServer} from "../../scripts/serve.ts";
import type {RiskSummary} from "../../src/contracts/risk.ts";
import {parseCsv} from "../unit/demo/read-csv.ts";
import {watchedPage} from "../support/browser.ts";
import {buildSite, expectClean, useSite} from "../support/site.ts";

const FIXTURE = join(PROJECT_DIR, "tests", "fixtures", "marketing-campaign");
const {site, url, browser} = useSite();

/** Every file under root, by path relative to it. */
function filesUnder(root: string): string[] {
  return readdirSync(root, {recursive: true, withFileTypes: true})
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

/** The one published file of a data loader, whatever its content hash: "_file/data/site.*.json". */
function published(root: string, name: string, ext: string): string {
  const dir = join(root, "_file", "data");
  const file = readdirSync(dir).find((f) => f.startsWith(`${name}.`) && f.endsWith(`.${ext}`));
  if (!file) throw new Error(`no ${name}.*.${ext} in ${dir}`);
  return join(dir, file);
}

const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));
const siteRisk = (root: string): RiskSummary => readJson(published(root, "site", "json")).risk;

/**
 * Every member named at_risk… in a JSON document, with where it is; not at_risk_suppressed,
 * which says whether a share is withheld for privacy (false: not), not a figure of risk.
 */
function atRiskMembers(node: unknown, path = ""): [string, unknown][] {
  if (!node || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([key, child]) => [
    ...(/^at_risk(?!_suppressed)/.test(key)
      ? [[`${path}.${key}`, child] as [string, unknown]]
      : []),
    ...atRiskMembers(child, `${path}.${key}`)
  ]);
}

/** The text of each element labelled "At risk" (a heading, term or column) and of its card. */
function atRiskTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll("h2, dt, th")) {
      if (el.textContent?.trim() !== "At risk") continue;
      if (el.tagName === "TH" && el.closest("thead")) {
        // A column: every row's cell in it.
        const column = [...el.parentElement!.children].indexOf(el);
        for (const row of el.closest("table")!.querySelectorAll("tbody tr"))
          out.push(row.children[column]?.textContent?.trim() ?? "");
      } else if (el.tagName === "TH") {
        // A row: every cell after its header.
        for (const cell of [...el.parentElement!.children].slice(1))
          out.push(cell.textContent?.trim() ?? "");
      } else if (el.tagName === "DT") out.push(el.nextElementSibling?.textContent?.trim() ?? "");
      else out.push(el.parentElement?.querySelector(".big")?.textContent?.trim() ?? "");
    }
    return out;
  });
}

/** Opens a page of a served site and waits until its figures are drawn. */
async function open(origin: string, path: string) {
  const {page, problems} = await watchedPage(browser(), origin);
  await page.goto(`${origin}${path}`, {waitUntil: "networkidle"});
  return {page, problems};
}

/**
 * Opens a page, waits for its first "At risk" label, checks the figures beside every one of them
 * (at least one) and the page itself, then that the page did nothing wrong.
 */
async function checkAtRisk(
  origin: string,
  path: string,
  check: (texts: string[], page: Page) => Promise<void> | void
): Promise<void> {
  const {page, problems} = await open(origin, path);
  await page
    .locator("h2, dt, th", {hasText: /^At risk$/})
    .first()
    .waitFor();
  const texts = await atRiskTexts(page);
  expect(texts.length, path).toBeGreaterThan(0);
  await check(texts, page);
  expectClean(problems);
  await page.close();
}

describe("a build where risk was not assessed (no orders, no subscription)", () => {
  let dir: string;
  let root: string;
  let server: StaticServer;
  beforeAll(async () => {
    expect(
      existsSync(join(FIXTURE, "data", "marketing_campaign.csv")),
      "npm run fixtures draws tests/fixtures/*/data"
    ).toBe(true);
    dir = await mkdtemp(join(tmpdir(), "portrait-e2e-unassessed-"));
    // The fixture's README config, its data file named absolutely and its state kept here.
    const config = join(dir, "portrait.config.ts");
    await writeFile(
      config,
      `import config from ${JSON.stringify(join(FIXTURE, "portrait.config.ts"))};
export default {
  ...config,
  sources: {crm: {...config.sources.crm, file: ${JSON.stringify(join(FIXTURE, "data", "marketing_campaign.csv"))}}}
};
`
    );
    await buildSite(dir, {PORTRAIT_CONFIG: config});
    root = join(dir, "site");
    server = await serveStatic(root);
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, {recursive: true, force: true});
  });

  it("says why in data/site.json: the flag is not set, with a reason", () => {
    const risk = siteRisk(root);
    expect(risk).toMatchObject({assessed: false, flagged: false, threshold: null});
    expect(risk.reason).toMatch(/no orders/);
  });

  it("publishes every at-risk figure as null, in every page's data and in profiles.json", () => {
    const documents = filesUnder(root).filter(
      (f) => (f.startsWith("_file/data/") || f === "exports/profiles.json") && f.endsWith(".json")
    );
    const members = documents.flatMap((f) =>
      atRiskMembers(readJson(join(root, f))).map(([at, value]) => [`${f}${at}`, value])
    );
    // The profiles, the briefing, each report and Explore carry a share per profile.
    for (const name of ["profiles.", "briefing.", "profiles/p1.", "explore."])
      expect(members.some(([at]) => String(at).startsWith(`_file/data/${name}`))).toBe(true);
    expect(members.filter(([, value]) => value !== null)).toEqual([]);
  });

  it("leaves every customer's risk empty in the exports and the cards, never false", () => {
    const {customers} = readJson(join(root, "exports", "customers.json"));
    expect(customers.length).toBeGreaterThan(2000);
    expect(customers.filter((c: {at_risk: unknown}) => c.at_risk !== null)).toEqual([]);
    expect(customers.filter((c: {p_lapse: unknown}) => c.p_lapse !== null)).toEqual([]);
    const [header, ...rows] = parseCsv(
      readFileSync(join(root, "exports", "customers.csv"), "utf8")
    );
    expect(rows.length).toBe(customers.length);
    for (const column of ["at_risk", "p_lapse"]) {
      const i = header.indexOf(column);
      expect(rows.filter((r) => r[i] !== "")).toEqual([]);
    }
    const shards = filesUnder(join(root, "data", "cards"));
    expect(shards.length).toBeGreaterThan(0);
    for (const shard of shards) {
      const {fields, cards} = readJson(join(root, "data", "cards", shard));
      for (const field of ["risk", "p_lapse"]) {
        const i = fields.indexOf(field);
        expect(i, `${shard} has a ${field} field`).toBeGreaterThanOrEqual(0);
        const set = Object.entries(cards as Record<string, unknown[]>).filter(
          ([, card]) => card[i] !== null
        );
        expect(set, `${shard}: ${field}`).toEqual([]);
      }
    }
  });

  it("shows 'not assessed' where the at-risk figure goes: the Overview, a report, the profiles table", async () => {
    for (const path of ["/", "/profiles/p1", "/profiles"])
      await checkAtRisk(server.url, path, async (texts, page) => {
        expect(
          texts.filter((t) => t !== "not assessed"),
          path
        ).toEqual([]);
        const body = (await page.locator("main").textContent()) ?? "";
        if (path !== "/profiles")
          expect(body, path).toMatch(/not assessed: there are no orders to learn from/);
        expect(body, path).not.toMatch(/at risk:? 0 ?%|0 ?% at risk/i);
      });
  });

  it("shows 'Risk not assessed' and why on a customer's card", async () => {
    const [, first] = parseCsv(readFileSync(join(root, "exports", "customers.csv"), "utf8"));
    const id = first[0];
    const {page, problems} = await open(server.url, `/customer?id=${encodeURIComponent(id)}`);
    await page.locator(`#card[data-customer="${id}"]`).waitFor();
    expect(await page.locator("#card-risk").getAttribute("data-risk")).toBe("unknown");
    expect(await page.locator("#card-risk").textContent()).toBe("Risk not assessed");
    expect(await page.locator("#card-risk-reason").textContent()).toMatch(
      /^There are no orders to learn from/
    );
    expect(await page.locator("#card").textContent()).not.toMatch(/\b0 ?%/);
    expectClean(problems);
    await page.close();
  });
});

describe("the shared demo build, where the backtest set the flag", () => {
  const root = () => join(site.dir, "site");

  it("says so in data/site.json", () => {
    expect(siteRisk(root())).toMatchObject({assessed: true, flagged: true, reason: null});
  });

  it("shows a percentage where the at-risk figure goes (Overview, report, table, History), and the backtest's evidence on the report", async () => {
    for (const path of ["/", "/profiles/p1", "/profiles", "/history"])
      await checkAtRisk(url(), path, async (texts, page) => {
        // a share withheld for privacy: fewer than 10 at risk, or hidden beside such a share
        const withheld = /^(fewer than [0-9]+ customers|suppressed)$/;
        expect(
          // a share, or (what changed on a report) its change in points; "–" only beside a
          // withheld share, whose change is not stated
          texts.filter(
            (t) =>
              !/^([0-9]+(\.[0-9]+)?%|[+−][0-9]+\.[0-9] pts|unchanged)$/.test(t) &&
              !withheld.test(t) &&
              !(t === "–" && texts.some((other) => withheld.test(other)))
          ),
          path
        ).toEqual([]);
        if (path === "/profiles/p1")
          expect(await page.locator("p.evidence:not(.print-only)").textContent()).toMatch(
            /Of the customers it would have flagged on [0-9]+ [A-Z][a-z]+ [0-9]{4}, [0-9.]+% bought nothing in the next [0-9]+ days/
          );
      });
  });
});
