/** Small generated datasets in temporary folders, shared by the tests of one file. */

import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {DemoOptions} from "../../../loaders/demo/generate.ts";
import {writeDemo} from "../../../loaders/demo/write.ts";
import type {DemoResult} from "../../../loaders/demo/write.ts";

export const SMALL: DemoOptions = {customers: 1000, seed: 7, end: "2026-10-31"};

const made = new Map<string, {dir: string; result: DemoResult}>();
const folders: string[] = [];

/** Generates a dataset into a new folder, even if the same options were generated before. */
export function fresh(options: DemoOptions = SMALL): {dir: string; result: DemoResult} {
  const dir = mkdtempSync(join(tmpdir(), "portrait-demo-"));
  folders.push(dir);
  return {dir, result: writeDemo({...options, out: dir})};
}

/** Generates a dataset once per options and returns its folder. */
export function demo(options: DemoOptions = SMALL): {dir: string; result: DemoResult} {
  const key = JSON.stringify(options);
  let entry = made.get(key);
  if (entry === undefined) {
    entry = fresh(options);
    made.set(key, entry);
  }
  return entry;
}

/** Removes every folder made by `demo` and `fresh` (call from afterAll). */
export function cleanup(): void {
  for (const dir of folders.splice(0)) rmSync(dir, {recursive: true, force: true});
  made.clear();
}
