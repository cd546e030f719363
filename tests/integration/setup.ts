/**
 * A folder for the run's shared fixtures, removed when the run ends. Nothing is built here: the
 * shared demo is built by the first test that asks for it (tests/support/demo-builds.ts), so a
 * run of a few files that need none costs nothing.
 */
import {mkdtemp, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {TestProject} from "vitest/node";
import "../support/demo-builds.ts";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), "portrait-integration-"));
  project.provide("runDir", dir);
  return () => rm(dir, {recursive: true, force: true});
}
