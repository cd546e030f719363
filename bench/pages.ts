/**
 * Page weight and load time of every page type of the built site, measured in headless
 * Chromium from the local server: bytes downloaded (HTML, JavaScript, data, what workers
 * download such as DuckDB-Wasm, other), counted by the server, so a worker's downloads count
 * as much as the page's; the time until the page's main content is drawn, and the page's own
 * first paint. The pages that run SQL in the browser are also measured through their first
 * query (its time: from Run to the result).
 * Prints a table; the median of several loads, each in a fresh browser context (nothing cached).
 *
 *   tsx bench/pages.ts [--site reports] [--runs 5]
 */
import {existsSync} from "node:fs";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {outputDir, storePath} from "../loaders/core/paths.ts";
import {readProfileEntries} from "../loaders/site/navigation.ts";
import {withStore} from "../loaders/core/store.ts";
import type {Page} from "playwright-core";
import {launchBrowser} from "../scripts/browser.ts";
import {serveStatic} from "../scripts/serve.ts";
import {sql} from "../loaders/core/sql.ts";

const {values} = parseArgs({
  options: {site: {type: "string", default: outputDir()}, runs: {type: "string", default: "5"}}
});

interface PageType {
  name: string;
  path: string;
  /** What must be on screen for the page to count as shown. */
  ready: string;
  /** What a reader then does, whose downloads count too (a first SQL query). */
  then?: (page: Page) => Promise<void>;
}

/** Runs the SQL editor's starting query and waits for its result. */
async function firstQuery(page: Page): Promise<void> {
  await page.locator("#sql-run").click();
  await page.locator("#sql-output table, #sql-error").first().waitFor({timeout: 120_000});
}

async function pageTypes(): Promise<PageType[]> {
  const [first] = await readProfileEntries(storePath());
  const customer = await withStore(storePath(), (s) =>
    s.one<{id: string}>(
      sql`SELECT customer_id AS id FROM customer_profiles ORDER BY customer_id LIMIT 1`
    )
  );
  return [
    {name: "overview", path: "/", ready: 'svg[aria-label^="Scatter chart"]'},
    {name: "all profiles", path: "/profiles", ready: "section.profile"},
    {
      name: "profile report",
      path: `/profiles/${first?.id ?? "p1"}`,
      ready: 'svg[aria-label^="Histogram of"]'
    },
    {name: "segments", path: "/segments", ready: "#segment-mix svg"},
    {name: "history", path: "/history", ready: "svg.flow-chart"},
    {name: "explore", path: "/explore", ready: 'svg[aria-label^="Scatter plot of"]'},
    {
      name: "explore, first SQL query",
      path: "/explore",
      ready: 'svg[aria-label^="Scatter plot of"]',
      then: firstQuery
    },
    {
      name: "customer card",
      path: `/customer?id=${customer?.id ?? ""}`,
      ready: "#lookup-result .customer-card"
    },
    {name: "sources", path: "/sources", ready: 'svg[aria-label^="Line chart"]'},
    {name: "activity", path: "/activity", ready: ".card table tbody tr"},
    {
      name: "activity, first SQL query",
      path: "/activity",
      ready: ".card table tbody tr",
      then: firstQuery
    },
    {name: "quality", path: "/quality", ready: 'svg[aria-label^="Bar chart"]'},
    {name: "method", path: "/method", ready: 'svg[aria-label^="Line chart"]'}
  ];
}

interface Sample {
  ms: number;
  paint: number;
  bytes: Record<"html" | "js" | "data" | "workers" | "other", number>;
}

function kind(path: string): keyof Sample["bytes"] {
  if (/\.wasm$|\.worker\.js$/.test(path)) return "workers";
  if (/\.(js|mjs)$/.test(path)) return "js";
  if (/\.(json|csv|arrow|parquet)$/.test(path)) return "data";
  if (/\.css$/.test(path) || /\.(png|svg|woff2?)$/.test(path)) return "other";
  return "html";
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (n: number) => `${Math.round(n / 1024).toLocaleString("en-US")} KB`;

async function main(): Promise<void> {
  if (!existsSync(join(values.site, "index.html")))
    throw new Error(`no built site in ${values.site}: run npm run build first`);
  // Every file the server sends, whoever asked for it: the page, its workers, their imports.
  let served: {path: string; bytes: number}[] = [];
  const server = await serveStatic(values.site, 0, (path, bytes) => served.push({path, bytes}));
  const browser = await launchBrowser();
  const runs = Number(values.runs);
  console.log(`site ${values.site}, ${runs} loads per page, median\n`);
  console.log(
    "| page | path | HTML | JavaScript | data | workers | total | content shown | first paint |"
  );
  console.log("|---|---|---|---|---|---|---|---|---|");
  try {
    for (const type of await pageTypes()) {
      const samples: Sample[] = [];
      for (let i = 0; i < runs; i++) {
        const context = await browser.newContext();
        const page = await context.newPage();
        served = [];
        const start = performance.now();
        await page.goto(`${server.url}${type.path}`);
        await page.locator(`${type.ready} >> visible=true`).first().waitFor({timeout: 30_000});
        let ms = performance.now() - start;
        await page.waitForLoadState("networkidle");
        if (type.then) {
          // the time from the reader's action to its result
          const action = performance.now();
          await type.then(page);
          ms = performance.now() - action;
          await page.waitForLoadState("networkidle");
        }
        const paint = await page.evaluate(
          () => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? 0
        );
        const bytes: Sample["bytes"] = {html: 0, js: 0, data: 0, workers: 0, other: 0};
        for (const file of served) bytes[kind(file.path)] += file.bytes;
        samples.push({ms, paint, bytes});
        await context.close();
      }
      const b = (k: keyof Sample["bytes"]) => median(samples.map((s) => s.bytes[k]));
      const total = median(samples.map((s) => Object.values(s.bytes).reduce((a, b) => a + b, 0)));
      console.log(
        `| ${type.name} | \`${type.path}\` | ${kb(b("html"))} | ${kb(b("js"))} | ${kb(b("data"))} | ${kb(b("workers"))} | ${kb(total)} | ${Math.round(median(samples.map((s) => s.ms)))} ms | ${Math.round(median(samples.map((s) => s.paint)))} ms |`
      );
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
