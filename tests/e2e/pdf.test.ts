/**
 * `npm run pdf` on the shared demo build (tests/e2e/setup.ts): one readable PDF per profile
 * report, on A4 and on Letter, and the print stylesheet that lays the reports out for paper.
 */
import {spawnSync} from "node:child_process";
import {existsSync, mkdtempSync, readFileSync, readdirSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {watchedPage} from "../support/browser.ts";
import {expectClean, readStore, useSite} from "../support/site.ts";
import {sql} from "../../loaders/core/sql.ts";
import {riskSummary} from "../../loaders/site/risk.ts";
import {flagEvidence, flagRule, riskNotAssessed} from "../../src/contracts/risk.ts";

const {site, url, browser} = useSite();
const out = mkdtempSync(join(tmpdir(), "portrait-pdf-"));
afterAll(() => rmSync(out, {recursive: true, force: true}));

/**
 * `npm run pdf -- args` against the shared build; its exit status and output. A busy machine
 * renders slowly: the reports get fifteen minutes each, not the command's default minute.
 */
function pdf(args: string[], env: NodeJS.ProcessEnv = {}) {
  const command = ["--import", "tsx", "scripts/pdf.ts", "--timeout", "900", ...args];
  const result = spawnSync(process.execPath, command, {
    cwd: PROJECT_DIR,
    encoding: "utf8",
    env: {
      ...process.env,
      PORTRAIT_OUTPUT: join(site.dir, "site"),
      PORTRAIT_STORE: join(site.dir, "store.duckdb"),
      ...env
    }
  });
  return {status: result.status, output: `${result.stdout}\n${result.stderr}`};
}

/** The text of a PDF, as Debian's poppler-utils reads it. */
function pdfText(path: string): string {
  const result = spawnSync("pdftotext", ["-layout", path, "-"], {encoding: "utf8"});
  if (result.error)
    throw new Error(
      `pdftotext is missing: apt-get install poppler-utils (${result.error.message})`
    );
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

/** A word on a page and its box, in points from the page's top left, as `pdftotext -bbox` reads it. */
interface Word {
  page: number;
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Every word of a PDF with its page and box. */
function pdfWords(path: string): {pages: {height: number; words: Word[]}[]} {
  const result = spawnSync("pdftotext", ["-bbox", path, "-"], {encoding: "utf8"});
  expect(result.status, result.stderr).toBe(0);
  const pages = result.stdout.split("<page ").slice(1);
  return {
    pages: pages.map((chunk, i) => ({
      height: Number(/height="([\d.]+)"/.exec(chunk)![1]),
      words: [
        ...chunk.matchAll(
          /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g
        )
      ].map((m) => ({
        page: i + 1,
        xMin: Number(m[1]),
        yMin: Number(m[2]),
        xMax: Number(m[3]),
        yMax: Number(m[4]),
        text: m[5]
          .replace(/&amp;/g, "&")
          .replace(/&lt;/g, "<")
          .replace(/&gt;/g, ">")
          .replace(/&quot;/g, '"')
          .replace(/&apos;/g, "'")
      }))
    }))
  };
}

/** The fonts a PDF uses, as `pdffonts` lists them: name and whether it is embedded. */
function pdfFonts(path: string): {name: string; embedded: boolean}[] {
  const result = spawnSync("pdffonts", [path], {encoding: "utf8"});
  expect(result.status, result.stderr).toBe(0);
  return result.stdout
    .split("\n")
    .slice(2)
    .filter((line) => line.trim())
    .map((line) => {
      const cells = line.trim().split(/\s+/);
      // name, type (one or two words), encoding, emb, sub, uni, object, id
      return {name: cells[0], embedded: cells[cells.length - 5] === "yes"};
    });
}

/**
 * A word's font size in points. pdftotext's box spans the font's ascent and descent, which for
 * DejaVu Sans (every font these PDFs use, as the test checks first) is 1.164 em.
 */
const DEJAVU_BOX_EM = 0.928 + 0.236;
const fontSize = (w: Word) => (w.yMax - w.yMin) / DEJAVU_BOX_EM;

/** The smallest type a printed report may use, in points. */
const MIN_POINTS = 7;

/** Words a developer hint uses (loaders/site/hints.ts), which nothing published may say. */
const HINTS = [/No analysts' notes yet/, /add them in portrait\.notes\.json/, /Declare a churn/];

/** The printed report's section headings, none of which may end a page. */
const HEADINGS = [
  "What sets them apart",
  "The strongest differences",
  "What changed",
  "Outcomes",
  "Quality"
];

/** Each page's size in points, from its MediaBox. */
function pageSizes(pdf: Buffer): [number, number][] {
  const boxes = [...pdf.toString("latin1").matchAll(/\/MediaBox\s*\[\s*([\d.\s-]+)\]/g)];
  return boxes.map((m) => {
    const [x0, y0, x1, y1] = m[1].trim().split(/\s+/).map(Number);
    return [Math.floor(x1 - x0), Math.floor(y1 - y0)];
  });
}

const profiles = () =>
  readStore(site, (s) =>
    s.all<{id: string; name: string}>(
      sql`SELECT profile_id AS id, name FROM profiles ORDER BY TRY_CAST(substr(profile_id, 2) AS INTEGER)`
    )
  );

describe("npm run pdf", () => {
  it.each([
    ["a4", [595, 842]],
    ["letter", [612, 792]]
  ] as const)("prints every profile report as a readable %s PDF", async (format, size) => {
    const dir = join(out, format);
    const run = pdf(["--format", format, "--out", dir]);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(/wrote \d+ profile reports \((A4|Letter)\) into .* s per profile/);
    const expected = await profiles();
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(readdirSync(dir).sort()).toEqual(expected.map((p) => `${p.id}.pdf`).sort());
    for (const p of expected) {
      const path = join(dir, `${p.id}.pdf`);
      const bytes = readFileSync(path);
      expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      const sizes = pageSizes(bytes);
      expect(sizes.length).toBeGreaterThanOrEqual(1);
      for (const s of sizes) expect(s).toEqual(size);
      const text = pdfText(path).replace(/\s+/g, " ");
      expect(text).toContain(p.name);
      // The footer: the report's name and its page numbers.
      expect(text).toMatch(new RegExp(`Portrait · .*Page 1 of ${sizes.length}`));
    }
  });

  it("prints each report on at most four A4 pages, the first a summary, every word at 7 pt or more", async () => {
    const dir = join(out, "a4");
    // Printed by the test above; printed here when this test runs alone.
    if (!existsSync(dir)) expect(pdf(["--out", dir]).status).toBe(0);
    const risk = await readStore(site, riskSummary);
    const evidence = [flagRule(risk), flagEvidence(risk), riskNotAssessed(risk)]
      .filter(Boolean)
      .join(" ");
    expect(evidence).not.toBe("");
    for (const p of await profiles()) {
      const path = join(dir, `${p.id}.pdf`);
      const fonts = pdfFonts(path);
      expect(fonts.length).toBeGreaterThan(0);
      for (const f of fonts) {
        expect(f.name, "a font other than DejaVu: fontSize() needs its metrics").toMatch(
          /\+DejaVuSans/
        );
        expect(f.embedded, `${f.name} is not embedded`).toBe(true);
      }
      const {pages} = pdfWords(path);
      expect(pages.length, `${p.id}: ${pages.length} pages`).toBeLessThanOrEqual(4);
      const words = pages.flatMap((page) => page.words);
      const small = words.filter((w) => fontSize(w) < MIN_POINTS - 0.05);
      expect(
        small.map((w) => `page ${w.page}: "${w.text}" at ${fontSize(w).toFixed(1)} pt`),
        `${p.id}: text below ${MIN_POINTS} pt`
      ).toEqual([]);
      const text = words.map((w) => w.text).join(" ");
      for (const hint of HINTS) expect(text, `${p.id}: a developer hint`).not.toMatch(hint);
      // Page 1 is the summary: the name, the figures and the risk with its evidence.
      const first = pages[0].words.map((w) => w.text).join(" ");
      expect(first).toContain(p.name);
      expect(first).toContain("Customers");
      expect(first).toContain(evidence);
      for (const [i, page] of pages.entries()) {
        // The body ends above the footer (its text sits in the bottom margin).
        const body = page.words.filter((w) => w.yMax < page.height - 18 * 2.835);
        const lines = [...new Set(body.map((w) => Math.round(w.yMin)))].sort((a, b) => a - b);
        const last = body
          .filter((w) => Math.round(w.yMin) === lines.at(-1))
          .map((w) => w.text)
          .join(" ");
        expect(HEADINGS, `${p.id}, page ${i + 1} ends on the heading "${last}"`).not.toContain(
          last
        );
        // No page holds only a scrap: its body reaches at least a quarter down the page.
        const bottom = Math.max(...body.map((w) => w.yMax));
        expect(bottom / page.height, `${p.id}, page ${i + 1} holds only a scrap`).toBeGreaterThan(
          0.25
        );
      }
    }
  });

  it("publishes no developer hint anywhere in the site", () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, {withFileTypes: true}).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]
      );
    const published = files(join(site.dir, "site")).filter((f) => /\.(html|js|json)$/.test(f));
    expect(published.length).toBeGreaterThan(10);
    for (const file of published) {
      const text = readFileSync(file, "utf8");
      for (const hint of HINTS) expect(text, `${file}: a developer hint`).not.toMatch(hint);
    }
  });

  it("fails clearly when the site is not built, and on an unknown paper size", () => {
    const empty = mkdtempSync(join(out, "empty-"));
    const run = pdf(["--out", join(out, "none")], {PORTRAIT_OUTPUT: empty});
    expect(run.status).toBe(1);
    expect(run.output).toContain("pdf failed: the site is not built");
    expect(run.output).toContain("Run `npm run build` first");
    const bad = pdf(["--format", "a3"]);
    expect(bad.status).toBe(1);
    expect(bad.output).toContain("invalid --format: a3 (expected a4 or letter)");
  });
});

describe("the print stylesheet", () => {
  it("prints a report on white without navigation or controls, even on a dark screen", async () => {
    const {page, problems} = await watchedPage(browser(), url());
    await page.emulateMedia({media: "print", colorScheme: "dark"});
    const [first] = await profiles();
    await page.goto(`${url()}/profiles/${first.id}`, {waitUntil: "networkidle"});
    await page.locator("#observablehq-main h1").waitFor();
    const styles = await page.evaluate(() => {
      const style = (selector: string) => {
        const element = document.querySelector(selector);
        return element ? getComputedStyle(element) : null;
      };
      return {
        background: style("html")?.backgroundColor,
        text: style("body")?.color,
        sidebar: style("#observablehq-sidebar")?.display,
        toggle: style("#observablehq-sidebar-toggle")?.display,
        mainWidth: document.querySelector("#observablehq-main")?.getBoundingClientRect().width,
        pageWidth: document.documentElement.clientWidth
      };
    });
    expect(styles.background).toBe("rgb(255, 255, 255)");
    expect(styles.text).toBe("rgb(27, 30, 35)");
    expect(styles.sidebar).toBe("none");
    expect(styles.toggle).toBe("none");
    expect(styles.mainWidth).toBe(styles.pageWidth);
    // On screen the dark theme is still dark.
    await page.emulateMedia({media: "screen", colorScheme: "dark"});
    expect(
      await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)
    ).not.toBe("rgb(255, 255, 255)");
    expectClean(problems);
    await page.close();
  });
});
