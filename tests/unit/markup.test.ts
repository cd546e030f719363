/** Framework's own markup of every page, mended after the build (loaders/publish/markup.ts). */
import {mkdtemp, readFile, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {JSDOM} from "jsdom";
import {describe, expect, it} from "vitest";
import {withPolicy} from "../../loaders/publish/csp.ts";
import {accessibleMarkup, mendPages} from "../../loaders/publish/markup.ts";

/** The head and sidebar of a page as Framework 1.13 writes them (its dist/render.js). */
const FRAMEWORK_PAGE = `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1">
</head>
<body>
<input id="observablehq-sidebar-toggle" type="checkbox" title="Toggle sidebar">
<label id="observablehq-sidebar-backdrop" for="observablehq-sidebar-toggle"></label>
<nav id="observablehq-sidebar">
  <ol>
    <label id="observablehq-sidebar-close" for="observablehq-sidebar-toggle"></label>
    <li class="observablehq-link"><a href="./">Portrait</a></li>
  </ol>
</nav>
<div id="observablehq-center">
<aside id="observablehq-toc" data-selector="h1:not(:first-of-type)[id], h2:first-child[id], :not(h1) + h2[id]">
<nav>
<div>Contents</div>
</nav>
</aside>
<main id="observablehq-main"><p>&lt;html&gt; in a page's text stays as it is.</p></main>
</body>
</html>
`;

describe("accessibleMarkup(html)", () => {
  const page = accessibleMarkup(FRAMEWORK_PAGE);
  const {document} = new JSDOM(page).window;

  it("names the page's language", () => {
    expect(document.documentElement.getAttribute("lang")).toBe("en");
  });

  it("lets the reader pinch-zoom", () => {
    expect(document.querySelector('meta[name="viewport"]')?.getAttribute("content")).toBe(
      "width=device-width, initial-scale=1"
    );
  });

  it("names the sidebar's toggle", () => {
    expect(document.querySelector("#observablehq-sidebar-toggle")?.getAttribute("aria-label")).toBe(
      "Toggle sidebar"
    );
  });

  it("names each navigation landmark", () => {
    expect(
      Array.from(document.querySelectorAll("nav"), (n) => n.getAttribute("aria-label"))
    ).toEqual(["Pages", "Contents"]);
  });

  it("leaves only list items in the sidebar's lists", () => {
    for (const list of document.querySelectorAll("#observablehq-sidebar ol"))
      expect(Array.from(list.children, (c) => c.tagName)).toEqual(["LI", "LI"]);
  });

  it("changes nothing else, and nothing a second time", () => {
    expect(page).toContain("<p>&lt;html&gt; in a page's text stays as it is.</p>");
    expect(accessibleMarkup(page)).toBe(page);
  });
});

describe("mendPages(dir)", () => {
  it("rewrites every page of the site once, its Content Security Policy last", async () => {
    const dir = await mkdtemp(join(tmpdir(), "portrait-markup-"));
    try {
      await writeFile(join(dir, "index.html"), FRAMEWORK_PAGE);
      await writeFile(join(dir, "data.json"), "<html>");
      expect(await mendPages(dir)).toBe(1);
      expect(await mendPages(dir)).toBe(0);
      expect(await readFile(join(dir, "index.html"), "utf8")).toBe(
        withPolicy(accessibleMarkup(FRAMEWORK_PAGE))
      );
      expect(await readFile(join(dir, "data.json"), "utf8")).toBe("<html>");
    } finally {
      await rm(dir, {recursive: true, force: true});
    }
  });
});
