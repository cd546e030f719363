/**
 * One offline build of a small demo site for every browser test: demo data, `npm run build`
 * in a network namespace without network (when this process may make one), into a temporary
 * folder. Test files read where it is with `inject("site")` (see tests/support/site.ts).
 */
import {mkdtemp, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {TestProject} from "vitest/node";
import {buildSite, generateDemo, type BuiltSite} from "../support/site.ts";

/** Customers in the shared demo: enough for seven profiles, small enough to build in a minute. */
export const CUSTOMERS = 1200;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), "portrait-e2e-"));
  generateDemo(join(dir, "data"), CUSTOMERS);
  const site: BuiltSite = {dir, log: await buildSite(dir)};
  project.provide("site", site);
  return () => rm(dir, {recursive: true, force: true});
}
