/**
 * Framework 1.13 writes some markup of every page itself and has no option for it: no `lang`
 * on <html> (observablehq/framework#2054, open), a viewport that forbids pinch-zoom
 * (`maximum-scale=1`, observablehq/framework#2001, open), a sidebar toggle named only by its
 * title, two unnamed navigation landmarks, and the sidebar's close button straight inside its
 * <ol>. `npm run build` mends each page after Framework has written it; each rewrite matches
 * Framework's exact text, so a later Framework that fixes one leaves the page as it is. Last,
 * each page gets its Content Security Policy (./csp.ts), which names the page's final scripts.
 */
import {readdir, readFile, writeFile} from "node:fs/promises";
import {join} from "node:path";
import {withPolicy} from "./csp.ts";

/** The language of every page: the site's own words are English. */
export const PAGE_LANGUAGE = "en";

const REWRITES: readonly (readonly [string, string])[] = [
  ["<html>", `<html lang="${PAGE_LANGUAGE}">`],
  [
    '<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
  ],
  [
    '<input id="observablehq-sidebar-toggle" type="checkbox" title="Toggle sidebar">',
    '<input id="observablehq-sidebar-toggle" type="checkbox" title="Toggle sidebar" aria-label="Toggle sidebar">'
  ],
  // Two navigation landmarks, each named for what it lists.
  ['<nav id="observablehq-sidebar">', '<nav id="observablehq-sidebar" aria-label="Pages">'],
  ["\n<nav>\n<div>Contents</div>", '\n<nav aria-label="Contents">\n<div>Contents</div>'],
  // A list holds only list items: the close button (placed absolutely, by its id) gets one.
  [
    '<ol>\n    <label id="observablehq-sidebar-close" for="observablehq-sidebar-toggle"></label>\n',
    '<ol>\n    <li><label id="observablehq-sidebar-close" for="observablehq-sidebar-toggle"></label></li>\n'
  ]
];

/** A page's HTML with Framework's own markup made accessible (each rewrite at most once). */
export function accessibleMarkup(html: string): string {
  return REWRITES.reduce((page, [from, to]) => page.replace(from, to), html);
}

/**
 * Rewrites every page of the built site in dir (accessible markup, then the page's policy);
 * returns how many pages changed.
 */
export async function mendPages(dir: string): Promise<number> {
  let changed = 0;
  for (const entry of (await readdir(dir, {recursive: true})).sort()) {
    if (!entry.endsWith(".html")) continue;
    const path = join(dir, entry);
    const html = await readFile(path, "utf8");
    const mended = withPolicy(accessibleMarkup(html));
    if (mended === html) continue;
    await writeFile(path, mended);
    changed++;
  }
  return changed;
}
