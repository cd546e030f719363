/**
 * The Explore page in Chromium, on the shared small demo build: the projection and its feature
 * choice, the brush and the selection's make-up, two profiles compared, SQL in the browser, its
 * sample generalised once per build, and no direct identifier in anything the site publishes.
 */
import {existsSync, readFileSync, readdirSync} from "node:fs";
import {join} from "node:path";
import {fromArrow} from "arquero";
import type {Page} from "playwright-core";
import {describe, expect, it, vi} from "vitest";
import {watchedPage} from "../support/browser.ts";
import {expectClean, readStore, useSite} from "../support/site.ts";
import {sql} from "../../loaders/core/sql.ts";
import {readPageSettings} from "../../loaders/config/settings.ts";
import {exploreArrow, exploreOptions, reusedSample} from "../../loaders/site/explore.ts";
import {generalise} from "../../loaders/site/generalise.ts";
import type * as GeneraliseModule from "../../loaders/site/generalise.ts";

// generalise as it is, counted: how many times a sample was generalised.
vi.mock("../../loaders/site/generalise.ts", async (original) => {
  const actual = await original<typeof GeneraliseModule>();
  return {...actual, generalise: vi.fn(actual.generalise)};
});

const {site, url, browser} = useSite();

const SCATTER = 'svg[aria-label^="Scatter plot"]';

/** Opens /explore and waits for the first projection. */
async function openExplore() {
  const opened = await watchedPage(browser(), url());
  await opened.page.goto(`${url()}/explore`, {waitUntil: "networkidle"});
  await opened.page.locator(SCATTER).waitFor();
  return opened;
}

/** The customer-level sample the build published for the page. */
function sample() {
  return fromArrow(
    readFileSync(siteFiles(".arrow").find((f) => /explore\.[^/]*\.arrow$/.test(f))!)
  );
}

/** Customers per profile in the published sample. */
function sampleSizes(): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const id of sample().array("profile_id"))
    sizes.set(String(id), (sizes.get(String(id)) ?? 0) + 1);
  return sizes;
}

const number = (text: string | null) => Number(text?.replaceAll(",", "").trim());

/** The rows of the SQL result table, as objects keyed by column header. */
async function resultRows(page: Page): Promise<Record<string, string>[]> {
  return page.locator("#sql-output table").evaluate((table) => {
    const headers = Array.from(table.querySelectorAll("thead th"), (th) => th.textContent!.trim());
    return Array.from(table.querySelectorAll("tbody tr"), (tr) => {
      const cells = Array.from(tr.querySelectorAll("td"), (td) => td.textContent!.trim());
      // Inputs.table may lead with an empty cell for row selection: align from the right.
      const offset = cells.length - headers.length;
      return Object.fromEntries(headers.map((h, i) => [h, cells[i + offset]]));
    });
  });
}

/** Every file of the built site with one of these extensions. */
function siteFiles(...extensions: string[]): string[] {
  const root = join(site.dir, "site");
  return readdirSync(root, {recursive: true, encoding: "utf8"})
    .filter((f) => extensions.some((e) => f.endsWith(e)))
    .map((f) => join(root, f));
}

describe("the Explore page", () => {
  it("says how many customers it shows and redraws the projection when the features change", async () => {
    const {page, problems} = await openExplore();
    const total = await readStore(site, (s) =>
      s.one<{n: number}>(sql`SELECT count(*)::INTEGER AS n FROM customer_profiles`)
    );
    const arrow = sample();
    const size = await page.locator("#sample-size").textContent();
    expect(size).toContain(`of ${total!.n.toLocaleString("en-US")} customers`);
    expect(size).toContain(`Showing ${arrow.numRows().toLocaleString("en-US")}`);
    expect(await page.locator(`${SCATTER} g[data-mark="dot"] circle`).count()).toBe(
      arrow.numRows()
    );

    const axis = () => page.locator(`${SCATTER} g[data-mark="x-axis label"]`).textContent();
    const notes = () => page.locator("#projection-notes").textContent();
    const before = {axis: await axis(), notes: await notes()};
    expect(before.axis).toMatch(/PC1 \(\d+(\.\d)?% of variance\)/);
    // Leave out the first chosen feature: fewer features, another projection.
    await page.locator('.feature-picker input[type="checkbox"]:checked').first().click();
    await page.waitForFunction(
      (old) => document.querySelector("#projection-notes")?.textContent !== old,
      before.notes
    );
    const projected = (text: string | null) => Number(/(\d+) features projected/.exec(text!)![1]);
    expect(projected(await notes())).toBe(projected(before.notes) - 1);
    expect(await axis()).toMatch(/PC1 \(/);
    // Nothing chosen: the page asks for features instead of drawing.
    await page.getByRole("button", {name: "None"}).click();
    await page.locator("#projection-empty").waitFor();
    await page.getByRole("button", {name: "Clustered features"}).click();
    await page.locator(SCATTER).waitFor();
    expect(await notes()).toBe(before.notes);
    expectClean(problems);
    await page.close();
  });

  it("brushing the scatter updates the selection's make-up", async () => {
    const {page, problems} = await openExplore();
    const count = () => page.locator("#selection-count").textContent().then(number);
    const total = await count();
    expect(total).toBe(number(await page.locator("#selection-total").textContent()));
    const box = (await page.locator(`${SCATTER} g.brush rect.overlay`).boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.7, {steps: 8});
    await page.mouse.up();
    await page.waitForFunction(
      (all) => document.querySelector("#selection-count")?.textContent?.replaceAll(",", "") !== all,
      String(total)
    );
    const brushed = await count();
    expect(brushed).toBeGreaterThan(0);
    expect(brushed).toBeLessThan(total);
    expect(await page.locator("#makeup-table tbody tr").count()).toBeGreaterThan(3);
    const mix = page.locator(
      'svg[aria-label^="Bar chart of each profile\'s share of the selection"]'
    );
    expect(await mix.count()).toBe(1);

    // The keyboard's way: a profile filter narrows the selection to that profile.
    await page.getByRole("button", {name: "Clear the brush"}).click();
    await page.waitForFunction(
      (all) => document.querySelector("#selection-count")?.textContent?.replaceAll(",", "") === all,
      String(total)
    );
    // Inputs.select's option values are positions: "All profiles" first, then p1.
    await page.getByLabel("Profile", {exact: true}).selectOption({index: 1});
    await page.waitForFunction(
      (all) => document.querySelector("#selection-count")?.textContent?.replaceAll(",", "") !== all,
      String(total)
    );
    expect(await count()).toBe(sampleSizes().get("p1"));
    expectClean(problems);
    await page.close();
  });

  it("compares two profiles side by side", async () => {
    const {page, problems} = await openExplore();
    const profiles = await readStore(site, (s) =>
      s.all<{id: string; name: string; customers: number}>(
        sql`SELECT profile_id AS id, name, customers FROM profiles ORDER BY TRY_CAST(substr(profile_id, 2) AS INTEGER)`
      )
    );
    const [a, , c] = profiles;
    // Inputs.select's option values are positions in the profile list.
    await page.getByLabel("Profile A").selectOption({index: 0});
    await page.getByLabel("Profile B").selectOption({index: 2});
    await page
      .locator(`svg[aria-label^="Dot plot of the"][aria-label*="${a.id} and ${c.id}"]`)
      .waitFor();
    const header = await page.locator("#compare-facts thead").textContent();
    expect(header).toContain(a.name);
    expect(header).toContain(c.name);
    const sizes = await page
      .locator("#compare-facts tbody tr")
      .first()
      .locator("td")
      .allTextContents();
    expect(sizes.map(number)).toEqual([a.customers, c.customers]);
    expect(await page.locator("#compare-traits tbody tr").count()).toBeGreaterThan(0);
    expectClean(problems);
    await page.close();
  });

  it("runs SQL in the browser and shows DuckDB's message for a bad query", async () => {
    const {page, problems} = await openExplore();
    const sizes = sampleSizes();

    await page
      .locator("#sql-query")
      .fill(
        "SELECT profile_id, count(*)::INTEGER AS n FROM customers GROUP BY profile_id ORDER BY profile_id"
      );
    await page.locator("#sql-run").click();
    await page.locator("#sql-output table").waitFor();
    const rows = await resultRows(page);
    expect(new Map(rows.map((r) => [r.profile_id, number(r.n)]))).toEqual(sizes);
    expect(await page.locator("#sql-status").textContent()).toMatch(
      new RegExp(`^${sizes.size} rows in [\\d.,]+ ms$`)
    );

    await page.locator("#sql-query").fill("SELECT no_such_column FROM customers");
    await page.locator("#sql-query").press("Control+Enter");
    const error = page.locator("#sql-error");
    await error.waitFor();
    expect(await error.textContent()).toMatch(/no_such_column/);
    expect(await page.locator("#sql-status").textContent()).toBe("The query failed.");
    expectClean(problems);
    await page.close();
  });

  it("loads DuckDB-Wasm only where SQL runs in the browser, and there only on the first run", async () => {
    for (const path of [
      "/",
      "/profiles",
      "/profiles/p1",
      "/segments",
      "/sources",
      "/quality",
      "/activity"
    ]) {
      const {page, problems} = await watchedPage(browser(), url());
      const duckdb: string[] = [];
      page.on("request", (r) => {
        if (/duckdb/i.test(r.url())) duckdb.push(r.url());
      });
      await page.goto(`${url()}${path}`, {waitUntil: "networkidle"});
      expect(duckdb, path).toEqual([]);
      expectClean(problems);
      await page.close();
    }
    const {page, problems} = await watchedPage(browser(), url());
    const wasm: string[] = [];
    page.on("request", (r) => {
      if (r.url().endsWith(".wasm")) wasm.push(r.url());
    });
    await page.goto(`${url()}/explore`, {waitUntil: "networkidle"});
    await page.locator(SCATTER).waitFor();
    expect(wasm).toEqual([]);
    await page.locator("#sql-run").click();
    await page.locator("#sql-output table").waitFor();
    expect(wasm).toHaveLength(1);
    expectClean(problems);
    await page.close();
  });

  it("was drawn and generalised once by the build, for its Arrow file and its document", async () => {
    expect(existsSync(join(site.dir, "store.duckdb.explore-sample"))).toBe(true);
    // The sample the build kept is the one it published, and reading it generalises nothing.
    const kept = await readStore(site, async (s) =>
      exploreArrow(s, exploreOptions(await readPageSettings(s)), reusedSample)
    );
    expect(generalise).not.toHaveBeenCalled();
    const published = siteFiles(".arrow").find((f) => /explore\.[^/]*\.arrow$/.test(f))!;
    expect(Buffer.from(kept).equals(readFileSync(published))).toBe(true);
  });

  it("publishes no e-mail address of the demo data in any Arrow or JSON file", () => {
    const source = readFileSync(join(site.dir, "data", "customers.csv"), "utf8");
    const emails = new Set(
      Array.from(source.matchAll(/[^\s,;"']+@[^\s,;"']+\.[a-z]{2,}/gi), (m) => m[0].toLowerCase())
    );
    expect(emails.size).toBeGreaterThan(100);
    const files = siteFiles(".arrow", ".json");
    expect(files.some((f) => /explore\.[^/]*\.arrow$/.test(f))).toBe(true);
    for (const file of files) {
      const text = readFileSync(file, "utf8").toLowerCase();
      // Arrow packs strings back to back, so look for each address, not for tokens.
      const found = text.includes("@") ? [...emails].filter((e) => text.includes(e)) : [];
      expect(found, file).toEqual([]);
    }
  });
});
