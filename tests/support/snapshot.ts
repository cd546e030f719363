/**
 * Snapshot tests for rendered charts: a component renders into a jsdom document, its markup is
 * made deterministic (floats rounded, generated ids renumbered) and compared with
 * tests/snapshots/<name>.html. A missing snapshot is written, except on CI; a mismatch writes
 * <name>-changed.html beside it for review and fails.
 */
import {existsSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {JSDOM} from "jsdom";
import {expect} from "vitest";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";

const DIR = join(PROJECT_DIR, "tests", "snapshots");

/** A fresh jsdom document for components (pass it as their `document` option). */
export function testDocument(): Document {
  return new JSDOM("<!DOCTYPE html><html><body></body></html>").window.document;
}

/** The element's markup with floats rounded to two decimals and generated ids renumbered. */
export function normalise(element: Element): string {
  const html = element.outerHTML;
  const ids = new Map<string, string>();
  return html
    .replace(/-?\d+\.\d+(?:e[-+]?\d+)?/g, (x) => String(Math.round(Number(x) * 100) / 100))
    .replace(/\bplot-[0-9a-f]{6}\b/g, (id) => {
      if (!ids.has(id)) ids.set(id, `plot-${ids.size}`);
      return ids.get(id)!;
    })
    .replace(/></g, ">\n<");
}

/** Compares the rendered element with its snapshot tests/snapshots/<name>.html. */
export function expectSnapshot(name: string, element: Element): void {
  const actual = `${normalise(element)}\n`;
  const path = join(DIR, `${name}.html`);
  const changed = join(DIR, `${name}-changed.html`);
  if (!existsSync(path)) {
    if (process.env.CI) throw new Error(`no snapshot ${path}: run the test locally to write it`);
    mkdirSync(DIR, {recursive: true});
    writeFileSync(path, actual);
    return;
  }
  const expected = readFileSync(path, "utf8");
  if (actual !== expected) writeFileSync(changed, actual);
  expect(actual, `${name} changed: compare ${changed} with ${path}`).toBe(expected);
}
