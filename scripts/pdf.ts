/**
 * `npm run pdf`: one PDF per profile report, printed by Chromium from the built site, for
 * readers who take reports into meetings or mail them on.
 *
 *   tsx scripts/pdf.ts                    every /profiles/<id> into reports/pdf/<id>.pdf, A4
 *   tsx scripts/pdf.ts --format letter    US Letter
 *   tsx scripts/pdf.ts --out DIR          somewhere else
 *
 * It serves the built site (PORTRAIT_OUTPUT, default reports/) as `npm run serve` does, opens
 * each report once its data and charts have rendered, and prints it with the site's print
 * stylesheet (src/print.css), background colours and page numbers. Nothing leaves the machine:
 * requests outside the site are refused.
 */
import {existsSync} from "node:fs";
import {mkdir, writeFile} from "node:fs/promises";
import {join, relative, resolve} from "node:path";
import {parseArgs} from "node:util";
import type {Browser, Page} from "playwright-core";
import {outputDir, PROJECT_DIR, storePath} from "../loaders/core/paths.ts";
import {readProfileEntries, type ProfileEntry} from "../loaders/site/navigation.ts";
import {CHROMIUM, launchBrowser} from "./browser.ts";
import {serveStatic} from "./serve.ts";

/** Paper sizes: the name Chromium takes, and the printable width at the margins below. */
export const FORMATS = {
  a4: {chromium: "A4", label: "A4", widthMm: 210},
  letter: {chromium: "Letter", label: "Letter", widthMm: 215.9}
} as const;

export type PaperFormat = keyof typeof FORMATS;

/** Page margins, as src/print.css's @page sets them; the bottom one holds the page numbers. */
const MARGIN_MM = {top: 16, right: 14, bottom: 18, left: 14};

/** How long a report may take to render before the script gives up on it (`--timeout`, seconds). */
const RENDER_TIMEOUT_S = 60;

export interface PdfOptions {
  /** The built site. */
  site: string;
  /** The store whose profiles the site shows. */
  store: string;
  out: string;
  format: PaperFormat;
  /** Seconds a report may take to render (default 60). */
  timeout?: number;
  log?: (line: string) => void;
}

export interface PrintedProfile {
  id: string;
  path: string;
  pages: number;
  bytes: number;
  ms: number;
}

/** Fails with what to do when the site or its reports are not there. */
export async function profilesToPrint(site: string, store: string): Promise<ProfileEntry[]> {
  if (!existsSync(join(site, "index.html")))
    throw new Error(
      `the site is not built: no ${join(relative(PROJECT_DIR, site) || site, "index.html")}. Run \`npm run build\` first (PORTRAIT_OUTPUT says where the site is).`
    );
  const profiles = await readProfileEntries(store);
  if (profiles.length === 0)
    throw new Error(
      `no profiles in the store ${store}: run \`npm run build\` (PORTRAIT_STORE says which store the site was built from).`
    );
  const missing = profiles.filter((p) => !existsSync(join(site, "profiles", `${p.id}.html`)));
  if (missing.length > 0)
    throw new Error(
      `the site has no report page for ${missing.map((p) => p.id).join(", ")}: it was built from another store. Run \`npm run build\` again.`
    );
  return profiles;
}

/** The PDF page footer: the report's name and "page n of m", small (7.5 pt) and grey. */
function footer(name: string): string {
  const escaped = name.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<div style="width:100%;margin:0 ${MARGIN_MM.left}mm;display:flex;justify-content:space-between;font:7.5pt system-ui,'DejaVu Sans',sans-serif;color:#6b6b6b"><span>Portrait · ${escaped}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;
}

/**
 * Waits until a report has rendered: the network quiet, the main content there, no cell still
 * loading (Framework's <observablehq-loading> placeholders), fonts ready and a frame painted.
 * Fails when a cell shows an error, so a broken report is never printed as if it were fine.
 */
export async function waitForReport(page: Page, seconds: number = RENDER_TIMEOUT_S): Promise<void> {
  const timeout = seconds * 1000;
  await page.waitForLoadState("networkidle", {timeout});
  await page.locator("#observablehq-main").waitFor({timeout});
  await page
    .waitForFunction(
      () => !document.querySelector("observablehq-loading, .observablehq--loading"),
      undefined,
      {timeout}
    )
    .catch(async () => {
      const pending = await page.locator("observablehq-loading, .observablehq--loading").count();
      throw new Error(
        `${page.url()} did not finish rendering in ${seconds} s (${pending} cells still loading)`
      );
    });
  const errors = await page.locator("#observablehq-main .observablehq--error").allTextContents();
  if (errors.length > 0)
    throw new Error(`${page.url()} shows errors instead of content: ${errors.join("; ")}`);
  await page.evaluate(async () => {
    await document.fonts.ready;
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  });
}

/** Prints one report page; returns its pages. */
async function printProfile(
  browser: Browser,
  origin: string,
  profile: ProfileEntry,
  path: string,
  format: PaperFormat,
  timeout: number
): Promise<{pages: number; bytes: number}> {
  const paper = FORMATS[format];
  // Lay the page out at the paper's printable width, so charts are drawn for it, not shrunk.
  const width = Math.round(((paper.widthMm - MARGIN_MM.left - MARGIN_MM.right) / 25.4) * 96);
  const context = await browser.newContext({
    viewport: {width, height: 1100},
    colorScheme: "light",
    reducedMotion: "reduce"
  });
  try {
    await context.route(
      (url) => url.origin !== origin && url.protocol !== "data:" && url.protocol !== "blob:",
      (route) => route.abort("blockedbyclient")
    );
    const page = await context.newPage();
    // Render as printed, so each chart is drawn at the width it has on paper (never drawn for
    // the screen's layout and scaled down), and what exists only for paper is there.
    await page.emulateMedia({media: "print"});
    await page.goto(`${origin}/profiles/${profile.id}`, {waitUntil: "load"});
    await waitForReport(page, timeout);
    const pdf = await page.pdf({
      format: paper.chromium,
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: "<span></span>",
      footerTemplate: footer(profile.name),
      margin: {
        top: `${MARGIN_MM.top}mm`,
        right: `${MARGIN_MM.right}mm`,
        bottom: `${MARGIN_MM.bottom}mm`,
        left: `${MARGIN_MM.left}mm`
      },
      outline: true,
      tagged: true
    });
    await writeFile(path, pdf);
    return {pages: pdfPages(pdf), bytes: pdf.length};
  } finally {
    await context.close();
  }
}

/** The pages of a PDF, counted from its page objects. */
export function pdfPages(pdf: Uint8Array): number {
  return (
    Buffer.from(pdf)
      .toString("latin1")
      .match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0
  );
}

/** Prints every profile report of the site into out; returns what it wrote. */
export async function printProfiles({
  site,
  store,
  out,
  format,
  timeout = RENDER_TIMEOUT_S,
  log = () => {}
}: PdfOptions): Promise<PrintedProfile[]> {
  const profiles = await profilesToPrint(site, store);
  if (!existsSync(CHROMIUM))
    throw new Error(
      `no Chromium at ${CHROMIUM}: install Debian's package (\`apt-get install chromium\`) or set CHROMIUM_PATH.`
    );
  await mkdir(out, {recursive: true});
  const server = await serveStatic(site);
  const browser = await launchBrowser();
  const printed: PrintedProfile[] = [];
  try {
    for (const profile of profiles) {
      const start = performance.now();
      const path = join(out, `${profile.id}.pdf`);
      const {pages, bytes} = await printProfile(
        browser,
        server.url,
        profile,
        path,
        format,
        timeout
      );
      const ms = performance.now() - start;
      printed.push({id: profile.id, path, pages, bytes, ms});
      log(
        `${profile.id} ${profile.name}: ${pages} page${pages === 1 ? "" : "s"}, ${Math.round(bytes / 1024)} kB in ${(ms / 1000).toFixed(1)} s → ${relative(PROJECT_DIR, path) || path}`
      );
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return printed;
}

/** Reads --format, --out and --timeout; fails on anything else. */
export function parsePdfArgs(
  args: string[],
  env: NodeJS.ProcessEnv = process.env
): {format: PaperFormat; out: string; timeout: number} {
  const {values} = parseArgs({
    args,
    options: {
      format: {type: "string", default: "a4"},
      out: {type: "string"},
      timeout: {type: "string", default: String(RENDER_TIMEOUT_S)}
    },
    strict: true
  });
  const timeout = Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0)
    throw new Error(`invalid --timeout: ${values.timeout} (expected seconds, such as 60)`);
  const format = values.format!.toLowerCase();
  if (!(format in FORMATS))
    throw new Error(`invalid --format: ${values.format} (expected a4 or letter)`);
  return {
    format: format as PaperFormat,
    out: values.out ? resolve(values.out) : join(outputDir(env), "pdf"),
    timeout
  };
}

async function main(): Promise<void> {
  const start = performance.now();
  const {format, out, timeout} = parsePdfArgs(process.argv.slice(2));
  const printed = await printProfiles({
    site: outputDir(),
    store: storePath(),
    out,
    format,
    timeout,
    log: console.log
  });
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `wrote ${printed.length} profile reports (${FORMATS[format].label}) into ${relative(PROJECT_DIR, out) || out} in ${seconds.toFixed(1)} s, ${(seconds / printed.length).toFixed(1)} s per profile`
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(`pdf failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
}
