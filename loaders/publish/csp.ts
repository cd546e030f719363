/**
 * The Content Security Policy of every page: the browser makes requests only to the site itself,
 * so no query in a SQL editor (DuckDB-Wasm's `read_csv('http://…')`), no planted link and no
 * library can send customer data elsewhere. A static site has no response headers of its own,
 * so the policy is a `<meta http-equiv>` written first in each page's <head>, before anything it
 * governs. Scripts run only from the site's files and the page's own inline scripts, each named
 * by its SHA-256 (Framework writes each page's code inline; the config's `head` adds two): a
 * script that is not in the page as it was built does not run. DuckDB-Wasm needs WebAssembly
 * ('wasm-unsafe-eval', which allows compiling wasm and no JavaScript eval) and starts its
 * worker from a blob: URL; the worker inherits the page's policy, so its fetches too go to the
 * site only. No inline event handler runs: htl, the `html` of Framework and Observable Inputs,
 * writes a placeholder ("::2") where a template puts a function and swaps it for the handler
 * itself; script-src-attr allows those placeholders by hash ('unsafe-hashes'), so the browser
 * reports no violation, and nothing else (a placeholder run as code is a syntax error). Styles
 * may be inline (Plot writes a <style> into each chart, the pages style
 * attributes); a style can request nothing but images and fonts, which are the site's own.
 */
import {createHash} from "node:crypto";

/** A CSP source naming one inline script by its SHA-256. */
export function scriptHash(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

/**
 * htl's placeholders for a function in an attribute: "::j" for the template's j-th value
 * (Observable Inputs' templates go up to ::11).
 */
export const HTL_PLACEHOLDERS = Array.from({length: 16}, (_, j) => `::${j + 1}`);

/** The policy's fixed directives; script-src gets the page's own inline scripts' hashes. */
export const POLICY: readonly (readonly [string, ...string[]])[] = [
  ["default-src", "'self'"],
  ["script-src", "'self'", "'wasm-unsafe-eval'"],
  ["script-src-attr", "'unsafe-hashes'", ...HTL_PLACEHOLDERS.map(scriptHash)],
  ["style-src", "'self'", "'unsafe-inline'"],
  // The icon is a data: URL; charts drawn to a canvas may be read back as blob: or data:.
  ["img-src", "'self'", "data:", "blob:"],
  ["font-src", "'self'"],
  ["connect-src", "'self'"],
  ["worker-src", "'self'", "blob:"],
  ["object-src", "'none'"],
  ["base-uri", "'self'"],
  ["form-action", "'self'"]
];

/** Inline <script> elements (no src): their text as the browser hashes it. */
export function inlineScripts(html: string): string[] {
  return Array.from(html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi))
    .filter(([, attributes]) => !/\ssrc\s*=/i.test(attributes))
    .map(([, , text]) => text.replace(/\r\n?/g, "\n"));
}

/** The policy of a page: POLICY, with the page's inline scripts allowed by hash. */
export function pagePolicy(html: string): string {
  const hashes = [...new Set(inlineScripts(html).map(scriptHash))];
  return POLICY.map(([name, ...sources]) =>
    [name, ...sources, ...(name === "script-src" ? hashes : [])].join(" ")
  ).join("; ");
}

const CHARSET = '<meta charset="utf-8">';

/**
 * A page with its policy: a meta element right after the charset (which must come first), so it
 * governs everything after it. A page that has one already, or no charset to follow, is returned
 * as it is.
 */
export function withPolicy(html: string): string {
  if (html.includes('http-equiv="Content-Security-Policy"') || !html.includes(CHARSET)) return html;
  const meta = `<meta http-equiv="Content-Security-Policy" content="${pagePolicy(html)}">`;
  return html.replace(CHARSET, `${CHARSET}\n${meta}`);
}
