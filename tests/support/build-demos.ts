/**
 * Builds the integration tests' shared demo into a folder (see demo-builds.ts, which runs this
 * file in a process of its own: the demo config reads PORTRAIT_DATA once, when first imported).
 * The project's config on the demo, built as a project lives: once as of 2026-09-30, then a
 * month on over the same store, so the second build keeps the first as its previous build.
 *
 *   node --import tsx tests/support/build-demos.ts <dir>
 */
import {copyFileSync, readFileSync, renameSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {pathToFileURL} from "node:url";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {writeDemo} from "../../loaders/demo/write.ts";
import type {DemoBuild, DemoBuilds} from "./demo-builds.ts";

/** The demo's size and seed: seven archetypes recovered, two card shards, a quick build. */
export const DEMO = {customers: 3000, seed: 42};

/** Builds the demo twice into dir and writes dir/builds.json last, once everything is in place. */
export async function buildDemos(dir: string): Promise<DemoBuilds> {
  const data = join(dir, "data");
  process.env.PORTRAIT_DATA = data;
  const {runEngine} = await import("../../loaders/engine.ts");
  const configPath = join(PROJECT_DIR, "portrait.config.ts");
  const store = join(dir, "store.duckdb");

  const build = async (end: string, path: string): Promise<DemoBuild> => {
    const demo = writeDemo({...DEMO, end, out: data});
    const log: string[] = [];
    const result = await runEngine({configPath, storePath: store, log: (l) => log.push(l)});
    if (path !== store) copyFileSync(store, path);
    const clustering = result.profiling?.clustering;
    if (!result.pipeline || !clustering) throw new Error(`the demo as of ${end} built no profiles`);
    return {
      asOf: end,
      store: path,
      demo: demo.summary,
      log,
      clustering: {k: clustering.k, rule: clustering.rule},
      validation: result.pipeline.validation,
      state: JSON.parse(readFileSync(join(data, "portrait.state.json"), "utf8"))
    };
  };

  const first = await build("2026-09-30", join(dir, "first.duckdb"));
  // The same customers and history a month on: some join, some move, some fall into risk.
  const second = await build("2026-10-31", store);
  const builds: DemoBuilds = {data, first, second};
  writeFileSync(join(dir, "builds.json.part"), JSON.stringify(builds));
  renameSync(join(dir, "builds.json.part"), join(dir, "builds.json"));
  return builds;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir] = process.argv.slice(2);
  if (!dir) throw new Error("usage: node --import tsx tests/support/build-demos.ts <dir>");
  await buildDemos(dir);
}
