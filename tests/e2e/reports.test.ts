/**
 * The report pages in headless Chromium on the shared demo build: the overview, every profile
 * report /profiles/<id>, the segments drill-down and the Method page. Each page must render its
 * charts without a console error, a failed request or a request leaving the site; a profile
 * report must stay under 1 MB of JavaScript and data.
 */
import {describe, expect, it} from "vitest";
import {watchedPage} from "../support/browser.ts";
import {expectClean, readStore, useSite} from "../support/site.ts";
import {sql, val} from "../../loaders/core/sql.ts";

const {site, url, browser} = useSite();

type StoreProfile = {
  profile_id: string;
  name: string;
  customers: number;
};

const storeProfiles = () =>
  readStore(site, (s) =>
    s.all<StoreProfile>(
      sql`SELECT profile_id, name, customers FROM profiles ORDER BY TRY_CAST(substr(profile_id, 2) AS INTEGER)`
    )
  );

/** Bytes the page downloaded (scripts, styles, data), from the browser's resource timings. */
function pageBytes(): number {
  const entries = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
  const navigation = performance.getEntriesByType("navigation")[0] as PerformanceResourceTiming;
  return entries.reduce((n, e) => n + e.encodedBodySize, navigation.encodedBodySize);
}

describe("the overview", () => {
  it("lists every profile with its figures and a link to its report", async () => {
    const profiles = await storeProfiles();
    const {page, problems} = await watchedPage(browser(), url());
    await page.goto(`${url()}/`, {waitUntil: "networkidle"});
    await page
      .locator('svg[aria-label^="Bar chart of each profile\'s share of customers"]')
      .waitFor();
    await page
      .locator('svg[aria-label^="Scatter chart of each profile\'s expected value"]')
      .waitFor();
    const rows = page.locator("a.profile-row");
    expect(await rows.count()).toBe(profiles.length);
    for (const p of profiles) {
      const row = page.locator(`a.profile-row[href="./profiles/${p.profile_id}"]`);
      expect(await row.locator("h3").textContent()).toContain(p.name);
    }
    expect(await page.locator("h2#since-the-last-build").count()).toBe(1);
    // the briefing: the key finding, then what changed, what matters and what to do
    expect(await page.locator("h1.headline").textContent()).toMatch(
      /at risk|of revenue|customers in/
    );
    expect(await page.locator("ol.story > li").count()).toBe(3);
    expect(await page.locator(".kpi svg.sparkline").count()).toBe(4);
    // the keyboard's first stop skips the sidebar
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await page.keyboard.press("Enter");
    await page.waitForURL("**/#observablehq-main");
    expectClean(problems);
    await page.close();
  });
});

describe("a profile report, /profiles/<id>", () => {
  it("opens for every profile with its document, charts, map or why none, and quality", async () => {
    const profiles = await storeProfiles();
    expect(profiles.length).toBeGreaterThanOrEqual(3);
    for (const p of profiles) {
      const {page, problems} = await watchedPage(browser(), url());
      await page.goto(`${url()}/profiles/${p.profile_id}`, {waitUntil: "networkidle"});
      expect(await page.locator(".report-head h1").textContent()).toContain(p.name);
      expect(await page.title()).toContain(p.name);
      // a map where geography sets the profile apart, else a sentence that says it does not
      await page.locator('svg[aria-label^="Map of"], #geography-same').first().waitFor();
      expect(await page.locator(".narrative section").count()).toBe(5);
      expect(await page.locator('svg[aria-label^="Histogram of"]').count()).toBeGreaterThan(5);
      expect(await page.locator('svg[aria-label*="across"]').count()).toBeGreaterThan(0);
      expect(await page.locator("#quality").count()).toBe(1);
      // the dimensions in the order of their strongest difference, the others after in the usual order
      const dimensions = [
        "demographic",
        "psychographic",
        "behavioral",
        "geographic",
        "firmographic"
      ];
      const strongest = await readStore(site, (s) =>
        s.all<{dimension: string; best: number}>(
          sql`SELECT dimension, min(rank) AS best FROM profile_traits
           WHERE profile_id = ${val(p.profile_id)} AND distinguishing GROUP BY dimension`
        )
      );
      const best = new Map(strongest.map((r) => [r.dimension, r.best]));
      const expected = [...dimensions].sort(
        (a, b) =>
          (best.get(a) ?? Infinity) - (best.get(b) ?? Infinity) ||
          dimensions.indexOf(a) - dimensions.indexOf(b)
      );
      const shown = await page.$$eval("#observablehq-main > h2, #observablehq-main h2[id]", (hs) =>
        hs.map((h) => h.id)
      );
      expect(shown.filter((id) => dimensions.includes(id))).toEqual(expected);
      expect(await page.evaluate(pageBytes)).toBeLessThan(1 << 20);
      expectClean(problems);
      await page.close();
    }
  });

  it("keeps its link: the route is the profile id, and every report links to the others", async () => {
    const profiles = await storeProfiles();
    const {page, problems} = await watchedPage(browser(), url());
    await page.goto(`${url()}/profiles/${profiles[0].profile_id}`, {waitUntil: "networkidle"});
    const others = page.locator('nav.others a[href^="./p"]');
    await others.first().waitFor();
    expect(await others.count()).toBe(profiles.length - 1);
    await others.first().click();
    await page.waitForURL(`**/profiles/${profiles[1].profile_id}`);
    await page.locator(".report-head h1").waitFor();
    expect(await page.locator(".report-head h1").textContent()).toContain(profiles[1].name);
    expectClean(problems);
    await page.close();
  });
});

describe("segments and profiles", () => {
  it("choosing a segment updates the profile mix inside it", async () => {
    const {page, problems} = await watchedPage(browser(), url());
    await page.goto(`${url()}/segments`, {waitUntil: "networkidle"});
    expect(await page.locator(".lede").first().textContent()).toContain(
      "Segments are the map, profiles the directions"
    );
    const summary = page.locator("#segment-summary");
    await summary.waitFor();
    const before = await summary.textContent();
    const chart = page.locator(
      '#segment-mix svg[aria-label^="Bar chart of each profile\'s share"]'
    );
    const labelBefore = await chart.getAttribute("aria-label");
    const segment = page.locator("select").nth(1);
    const options = await segment.locator("option").allTextContents();
    expect(options.length).toBeGreaterThan(2);
    await segment.selectOption({index: options.length - 1});
    await expect.poll(() => summary.textContent()).not.toBe(before);
    expect(await summary.textContent()).toContain(options[options.length - 1]);
    expect(await chart.getAttribute("aria-label")).not.toBe(labelBefore);
    expect(await page.locator("table.differences").count()).toBeLessThanOrEqual(1);
    expectClean(problems);
    await page.close();
  });

  it("choosing a profile shows the segments it spans", async () => {
    const profiles = await storeProfiles();
    const {page, problems} = await watchedPage(browser(), url());
    await page.goto(`${url()}/segments`, {waitUntil: "networkidle"});
    const spread = page.locator("#profile-spread svg[aria-label]");
    await spread.first().waitFor();
    const label = await spread.first().getAttribute("aria-label");
    expect(label).toContain(profiles[0].name);
    await page.locator("select").nth(2).selectOption({label: profiles[1].name});
    await expect.poll(() => spread.first().getAttribute("aria-label")).toContain(profiles[1].name);
    expectClean(problems);
    await page.close();
  });
});

describe("the Method page", () => {
  it("shows every k tried and the one chosen", async () => {
    const runs = await readStore(site, (s) =>
      s.all<{k: number; chosen: boolean}>(sql`SELECT k, chosen FROM clustering_runs ORDER BY k`)
    );
    const {page, problems} = await watchedPage(browser(), url());
    await page.goto(`${url()}/method`, {waitUntil: "networkidle"});
    await page.locator('svg[aria-label^="Line chart of silhouette and stability"]').waitFor();
    const chosen = runs.find((r) => r.chosen)!;
    expect(await page.locator("main").textContent()).toContain(`chose k = ${chosen.k}`);
    expectClean(problems);
    await page.close();
  });
});
