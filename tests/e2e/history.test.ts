/**
 * The History page (/history) in Chromium on the shared demo build: its sections, the at-risk
 * share over time, the flow diagram and its bands with a snapshot-pair picker, the movers linking
 * to the customer card, and the drift anchor the Overview's alert links to; no console error and
 * no request outside the site.
 */
import {describe, expect, it} from "vitest";
import {watchedPage} from "../support/browser.ts";
import {expectClean, readStore, useSite} from "../support/site.ts";
import {sql} from "../../loaders/core/sql.ts";

const {site, url, browser} = useSite();

describe("the History page", () => {
  it("shows sizes and risk over time, the flows, the movers and the drift, all from the store", async () => {
    const expected = await readStore(site, async (s) => ({
      snapshots: (await s.one<{n: number}>(sql`SELECT count(*)::INTEGER AS n FROM snapshots`))!.n,
      movers: (await s.one<{n: number}>(sql`SELECT count(*)::INTEGER AS n FROM at_risk_movers`))!.n,
      first: await s.one<{customer_id: string}>(
        sql`SELECT customer_id FROM at_risk_movers ORDER BY rank LIMIT 1`
      )
    }));
    expect(expected.snapshots).toBeGreaterThan(1);
    const {page, problems} = await watchedPage(browser(), url());
    await page.goto(`${url()}/history`, {waitUntil: "networkidle"});
    for (const id of [
      "sizes-and-value-over-time",
      "customers-moving-between-profiles",
      "at-risk-movers",
      "drift"
    ])
      expect(await page.locator(`h2#${id}`).count(), id).toBe(1);
    await page.locator('svg[aria-label^="Line chart of customers per profile"]').waitFor();
    await page.locator('svg[aria-label^="Line chart of the share of each profile"]').waitFor();

    // the flow diagram: a focusable band with a title per published flow, for the chosen pair
    const bands = page.locator("svg.flow-chart path.flow-band");
    expect(await bands.count()).toBeGreaterThan(3);
    expect(await bands.first().getAttribute("tabindex")).toBe("0");
    expect(await bands.first().locator("title").textContent()).toMatch(/customers? /);
    const picker = page.locator("select").first();
    const pairs = await picker.locator("option").allTextContents();
    expect(pairs).toHaveLength(expected.snapshots - 1);
    const summary = page.locator("#flow-summary");
    const before = await summary.textContent();
    await picker.selectOption({index: 0});
    await expect.poll(() => summary.textContent()).not.toBe(before);
    expect(await page.locator(".flow-table tbody tr").count()).toBeGreaterThan(1);

    // the movers: ranked, each id linking to the customer card
    const rows = page.locator(".movers-table tbody tr");
    expect(await rows.count()).toBe(Math.min(25, expected.movers));
    const link = rows.first().locator("a").first();
    expect(await link.getAttribute("href")).toBe(`./customer?id=${expected.first!.customer_id}`);
    if (expected.movers > 25) {
      await page.getByLabel(/Show all/).check();
      await expect.poll(() => rows.count()).toBe(Math.min(100, expected.movers));
    }
    await link.click();
    await page.waitForURL(`**/customer?id=${expected.first!.customer_id}`);
    await page.locator("#lookup-result .customer-card").waitFor();
    expectClean(problems);
    await page.close();
  });

  it("opens at the drift section from the Overview's link, with a row per profile", async () => {
    const profiles = await readStore(site, (s) =>
      s.one<{n: number}>(sql`SELECT count(*)::INTEGER AS n FROM profiles`)
    );
    const {page, problems} = await watchedPage(browser(), url());
    await page.goto(`${url()}/history#drift`, {waitUntil: "networkidle"});
    await page.locator("#drift").waitFor();
    expect(await page.locator(".drift-table tbody tr").count()).toBe(profiles!.n);
    expect(await page.locator("#drift-thresholds").textContent()).toMatch(
      /more than [\d.]+ standard deviations or a feature's PSI passes [\d.]+/
    );
    await page.locator('svg[aria-label^="Line chart of each profile\'s centroid shift"]').waitFor();
    expectClean(problems);
    await page.close();
  });
});
