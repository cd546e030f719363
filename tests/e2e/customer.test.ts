/**
 * The customer card page (/customer) in Chromium on the shared demo build: lookup by id with the
 * keyboard, the card against the store, unknown ids, links with ?id=, and no identifiers in the
 * page or in any published card file (the default config hides them).
 */
import {readFileSync, readdirSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {watchedPage} from "../support/browser.ts";
import {expectClean, readStore, useSite} from "../support/site.ts";
import {sql, val} from "../../loaders/core/sql.ts";

const {site, url, browser} = useSite();

type Customer = {id: string; profile: string; at_risk: boolean};

/** A customer the at-risk rule assessed (two orders or more), at risk or not. */
function customer(atRisk: boolean): Promise<Customer> {
  return readStore(site, async (s) => {
    const row = await s.one<Customer>(
      sql`SELECT c.customer_id AS id, p.name AS profile, v.at_risk
       FROM customers c JOIN customer_profiles cp USING (customer_id)
         JOIN profiles p USING (profile_id) JOIN customer_value v USING (customer_id)
       WHERE v.purchases >= 2 AND v.at_risk = ${val(atRisk)}
       ORDER BY c.customer_id LIMIT 1`
    );
    if (!row) throw new Error(`the demo has no customer with at_risk = ${atRisk}`);
    return row;
  });
}

describe("the customer card page", () => {
  it("finds a customer typed with the keyboard and shows their profile and risk as the store has them", async () => {
    const {page, problems} = await watchedPage(browser(), url());
    await page.goto(`${url()}/customer`, {waitUntil: "networkidle"});
    // The id field has the focus when the page opens: type, press Enter, read the card.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("lookup-id");
    for (const atRisk of [true, false]) {
      const c = await customer(atRisk);
      await page.locator("#lookup-id").fill("");
      await page.keyboard.type(`  ${c.id.toLowerCase()} `);
      const start = Date.now();
      await page.keyboard.press("Enter");
      await page.locator(`#card[data-customer="${c.id}"]`).waitFor();
      console.log(
        `Enter to card for ${c.id}: ${Date.now() - start} ms (page: ${await page.locator("#lookup-result").getAttribute("data-ms")} ms)`
      );
      expect(await page.locator("#card-id").textContent()).toBe(c.id);
      expect(await page.locator("#card-profile").textContent()).toContain(c.profile);
      expect(await page.locator("#card-risk").getAttribute("data-risk")).toBe(
        atRisk ? "yes" : "no"
      );
      expect(await page.locator("#card-risk").textContent()).toBe(
        atRisk ? "At risk" : "Not at risk"
      );
      expect(new URL(page.url()).searchParams.get("id")).toBe(c.id);
      expect(await page.locator("#card .orders tbody tr").count()).toBeGreaterThanOrEqual(1);
    }
    expectClean(problems);
    await page.close();
  });

  it("says clearly when an id is unknown, and hints when the field is empty", async () => {
    const {page, problems} = await watchedPage(browser(), url());
    await page.goto(`${url()}/customer`, {waitUntil: "networkidle"});
    await page.locator("#lookup-id").fill("C9999999");
    await page.locator("button[type=submit]").click();
    await page.locator("#lookup-message.error").waitFor();
    expect(await page.locator("#lookup-message").textContent()).toBe(
      "No customer C9999999 in this build (as of 2026-10-31). Ids look like C0000001."
    );
    expect(await page.locator("#card").count()).toBe(0);
    await page.locator("#lookup-id").fill("   ");
    await page.locator("#lookup-id").press("Enter");
    await page.locator("#lookup-message.hint").waitFor();
    expect(await page.locator("#lookup-message").textContent()).toMatch(/^Type a customer id/);
    expectClean(problems);
    await page.close();
  });

  it("opens a card directly from a shared address with ?id=", async () => {
    const c = await customer(true);
    const {page, problems} = await watchedPage(browser(), url());
    await page.goto(`${url()}/customer?id=${c.id}`, {waitUntil: "networkidle"});
    await page.locator(`#card[data-customer="${c.id}"]`).waitFor();
    expect(await page.locator("#lookup-id").inputValue()).toBe(c.id);
    expect(await page.locator("#card-profile").textContent()).toContain(c.profile);
    // The profile chip links to the profile's report page, which exists.
    const href = await page.locator("#card-profile").getAttribute("href");
    const report = await page.request.get(new URL(href!, page.url()).href);
    expect(report.status()).toBe(200);
    // An id merged into another customer (the same person) opens the surviving customer's card.
    const merged = await readStore(site, (s) =>
      s.one<{id: string; into: string}>(
        sql`SELECT customer_id AS id, person_id AS "into" FROM identity_map
         WHERE customer_id <> person_id ORDER BY 1 LIMIT 1`
      )
    );
    await page.goto(`${url()}/customer?id=${merged!.id}`, {waitUntil: "networkidle"});
    await page.locator(`#card[data-customer="${merged!.into}"]`).waitFor();
    expect(await page.locator("#card-merged").textContent()).toBe(
      `${merged!.id} is the same person and was merged into ${merged!.into}.`
    );
    expectClean(problems);
    await page.close();
  });

  it("shows no e-mail address of the demo's customers, neither in the page nor in any card file", async () => {
    const emails = new Set(
      (
        await readStore(site, (s) =>
          s.all<{email: string}>(
            sql`SELECT lower(trim(email)) AS email FROM customers WHERE email IS NOT NULL ORDER BY 1`
          )
        )
      ).map((r) => r.email)
    );
    expect(emails.size).toBeGreaterThan(500);
    const leaked = (text: string) =>
      (text.match(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g) ?? []).filter((e) => emails.has(e.toLowerCase()));

    const c = await customer(false);
    const {page, problems} = await watchedPage(browser(), url());
    await page.goto(`${url()}/customer?id=${c.id}`, {waitUntil: "networkidle"});
    await page.locator("#card").waitFor();
    expect(await page.locator("#card-identifiers").textContent()).toBe(
      "Name, e-mail and phone are hidden in this build."
    );
    expect(leaked(await page.content())).toEqual([]);

    const out = join(site.dir, "site");
    const files = readdirSync(out, {recursive: true, encoding: "utf8"}).filter(
      (f) => f.endsWith(".json") && (f.startsWith(join("data", "cards")) || f.includes("cards."))
    );
    expect(files.filter((f) => f.startsWith(join("data", "cards"))).length).toBeGreaterThan(0);
    for (const file of files)
      expect(leaked(readFileSync(join(out, file), "utf8")), file).toEqual([]);
    expectClean(problems);
    await page.close();
  });
});
