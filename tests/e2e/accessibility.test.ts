/**
 * Every page of the shared demo build and every profile report, in headless Chromium: axe-core
 * finds no serious or critical violation in the light or the dark colour scheme, every chart is
 * a named image the keyboard reaches with a route to its values, and on a 390 px screen no page scrolls sideways and
 * pinch-zoom is allowed.
 */
import {readFileSync} from "node:fs";
import {createRequire} from "node:module";
import type {Page} from "playwright-core";
import {describe, expect, it} from "vitest";
import {readStore, useSite} from "../support/site.ts";
import {sql} from "../../loaders/core/sql.ts";

const {site, url, browser} = useSite();

/** axe-core's browser bundle, injected into each page. */
const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8"
);

/** The impacts this test fails on; moderate and minor findings are reported, not failed. */
const FAILING = ["serious", "critical"];

/** Every page the sidebar links to; the customer card page shows a card (a customer's id). */
async function sitePaths(page: Page): Promise<string[]> {
  await open(page, "/");
  const paths = await page.$$eval("#observablehq-sidebar a[href]", (links) =>
    links.map((a) => new URL((a as HTMLAnchorElement).href).pathname)
  );
  const customer = await readStore(site, (s) =>
    s.one<{id: string}>(
      sql`SELECT customer_id AS id FROM customer_value WHERE purchases >= 2
       ORDER BY customer_id LIMIT 1`
    )
  );
  return [...new Set(paths)].map((p) =>
    p === "/customer" && customer ? `${p}?id=${customer.id}` : p
  );
}

/** Opens path and waits until the page has drawn every cell (and a customer's card). */
async function open(page: Page, path: string): Promise<void> {
  await page.goto(`${url()}${path}`, {waitUntil: "networkidle"});
  await page.waitForFunction(() => document.querySelector("observablehq-loading") === null);
  if (path.startsWith("/customer?id=")) await page.locator("#card").waitFor();
}

type Violation = {id: string; impact: string; targets: string[]};

/** axe-core's violations on the open page. */
async function axe(page: Page): Promise<Violation[]> {
  // Evaluated by the test's own channel, not added as a <script>: the page's Content Security
  // Policy runs only the scripts the page was built with.
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const run = (window as unknown as {axe: {run(context: Document): Promise<AxeResults>}}).axe.run;
    type AxeResults = {
      violations: {id: string; impact: string; nodes: {target: string[]}[]}[];
    };
    const results = await run(document);
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(" "))
    }));
  });
}

/** Charts (Plot's SVGs with a name) that are not a focusable, named image. */
function unreachableCharts(page: Page): Promise<string[]> {
  return page.$$eval('#observablehq-main svg[class^="plot-"][aria-label]', (charts) =>
    charts
      .filter(
        (svg) => !(svg.getAttribute("role") === "img" && svg.getAttribute("tabindex") === "0")
      )
      .filter((svg) => svg.querySelector("a, [tabindex]") === null)
      .map((svg) => svg.getAttribute("aria-label") ?? "")
  );
}

/**
 * Charts with no route to their values: neither a list or table of them in their card or figure
 * (".chart-values": "The values in this chart", a grid's table), nor values in their name (a
 * sparkline's), nor a named route elsewhere on the page (the Explore scatter's filters).
 */
function chartsWithoutValues(page: Page): Promise<string[]> {
  return page.$$eval('#observablehq-main svg[class^="plot-"][aria-label]', (charts) =>
    charts
      .filter((svg) => !svg.closest(".print-only"))
      .filter((svg) => {
        const label = svg.getAttribute("aria-label") ?? "";
        const holder = svg.closest(".card") ?? svg.closest("figure");
        return !(
          holder?.querySelector(".chart-values") ||
          /: [$€£]?\d/.test(label) ||
          /Without a pointer, /.test(label)
        );
      })
      .map((svg) => svg.getAttribute("aria-label") ?? "")
  );
}

describe("every page and every profile report", () => {
  for (const colorScheme of ["light", "dark"] as const) {
    it(`has no serious or critical axe-core violation in the ${colorScheme} scheme, and every chart is a named image the keyboard reaches, with a route to its values`, async () => {
      const page = await browser().newPage({viewport: {width: 1440, height: 900}, colorScheme});
      page.setDefaultTimeout(0);
      const paths = await sitePaths(page);
      expect(paths.length).toBeGreaterThanOrEqual(10);
      const failing: string[] = [];
      const reported: string[] = [];
      const charts: string[] = [];
      for (const path of paths) {
        await open(page, path);
        for (const v of await axe(page)) {
          const line = `${path}: ${v.impact} ${v.id} at ${v.targets.join(", ")}`;
          (FAILING.includes(v.impact) ? failing : reported).push(line);
        }
        charts.push(...(await unreachableCharts(page)).map((label) => `${path}: ${label}`));
        const valueless = await chartsWithoutValues(page);
        charts.push(...valueless.map((label) => `${path}: no route to the values of ${label}`));
      }
      if (reported.length > 0)
        console.log(`axe-core, ${colorScheme}, moderate or minor:\n${reported.join("\n")}`);
      expect(failing).toEqual([]);
      expect(charts).toEqual([]);
      await page.close();
    });
  }

  it("fits a 390 px screen without scrolling sideways, and lets the reader pinch-zoom", async () => {
    const page = await browser().newPage({viewport: {width: 390, height: 844}});
    page.setDefaultTimeout(0);
    const wide: string[] = [];
    const zoomless: string[] = [];
    for (const path of await sitePaths(page)) {
      await open(page, path);
      const {scrollWidth, width, viewport} = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        width: window.innerWidth,
        viewport: document.querySelector('meta[name="viewport"]')?.getAttribute("content") ?? ""
      }));
      if (scrollWidth > width) wide.push(`${path}: ${scrollWidth} px wide`);
      const maximum = /maximum-scale\s*=\s*([\d.]+)/.exec(viewport);
      if (/user-scalable\s*=\s*(no|0)/.test(viewport) || (maximum && Number(maximum[1]) < 2))
        zoomless.push(`${path}: ${viewport}`);
    }
    expect(wide).toEqual([]);
    expect(zoomless).toEqual([]);
    await page.close();
  });
});
