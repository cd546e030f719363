/**
 * `npm run pdf` on the shared demo build (tests/e2e/setup.ts): one readable PDF per profile
 * report, on A4 and on Letter, and the print stylesheet that lays the reports out for paper.
 */
import {spawnSync} from "node:child_process";
import {mkdtempSync, readFileSync, readdirSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {watchedPage} from "../support/browser.ts";
import {expectClean, readStore, useSite} from "../support/site.ts";
import {sql} from "../../loaders/core/sql.ts";

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
