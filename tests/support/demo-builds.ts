/**
 * The integration tests' shared demo: the project's config on a 3,000-customer demo, built
 * twice a month apart (tests/support/build-demos.ts), once per test run and only when a test
 * asks for it. Tests only read it: stores through `withStore` (read-only), the data folder as
 * it is; a test that changes data or state copies the folder first.
 *
 * Test files run in several processes, so the first to ask takes a lock (a folder made in the
 * run's folder from tests/integration/setup.ts), builds in a child process and leaves
 * builds.json; the others wait for that file.
 */
import {spawn} from "node:child_process";
import {existsSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {setTimeout as sleep} from "node:timers/promises";
import {inject} from "vitest";
import type {Validation} from "../../loaders/clean/validate.ts";
import type {Clustering} from "../../loaders/profile/cluster.ts";
import type {IdentityState} from "../../loaders/profile/stable-ids.ts";
import type {DemoSummary} from "../../loaders/demo/generate.ts";
import {alive} from "../../loaders/core/lock.ts";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** A folder for this run's shared fixtures, removed when the run ends. */
    runDir: string;
  }
}

/** One build of the shared demo. */
export interface DemoBuild {
  /** The demo's end and the build's as-of date. */
  asOf: string;
  /** The store as this build left it: open it read-only (withStore). */
  store: string;
  demo: DemoSummary;
  /** What the engine logged. */
  log: string[];
  clustering: Pick<Clustering, "k" | "rule">;
  validation: Validation;
  /** portrait.state.json as this build wrote it. */
  state: IdentityState;
}

/** The demo (3,000 customers, seed 42) as of 2026-09-30, then built again as of 2026-10-31. */
export interface DemoBuilds {
  /** The data as of the second build, with truth/ and the state the second build wrote. */
  data: string;
  first: DemoBuild;
  /** Built over the first's store, which it keeps as its previous build. */
  second: DemoBuild;
}

const BUILDER = join(PROJECT_DIR, "tests", "support", "build-demos.ts");

let builds: Promise<DemoBuilds> | undefined;

/** The shared demo builds, building them if no test of this run has yet. */
export function demoBuilds(): Promise<DemoBuilds> {
  builds ??= obtain(inject("runDir"));
  return builds;
}

async function obtain(runDir: string | undefined): Promise<DemoBuilds> {
  if (!runDir)
    throw new Error(
      "no run folder for the shared demo: run the test in vitest's integration project, whose globalSetup (tests/integration/setup.ts) provides it"
    );
  const dir = join(runDir, "demo");
  const lock = join(runDir, "demo.lock");
  try {
    mkdirSync(lock);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return waitFor(dir, lock);
  }
  writeFileSync(join(lock, "pid"), String(process.pid));
  const output = await run(process.execPath, ["--import", "tsx", BUILDER, dir]);
  if (output.code !== 0) {
    const message = `building the shared demo failed (${BUILDER} ${dir}, exit ${output.code}):\n${output.text}`;
    writeFileSync(join(lock, "failed"), message);
    throw new Error(message);
  }
  return read(dir);
}

function read(dir: string): DemoBuilds {
  return JSON.parse(readFileSync(join(dir, "builds.json"), "utf8"));
}

/** Waits for another process's build: its builds.json, its failure, or its end without either. */
async function waitFor(dir: string, lock: string): Promise<DemoBuilds> {
  for (;;) {
    if (existsSync(join(dir, "builds.json"))) return read(dir);
    if (existsSync(join(lock, "failed")))
      throw new Error(readFileSync(join(lock, "failed"), "utf8"));
    const pid = existsSync(join(lock, "pid")) ? Number(readFileSync(join(lock, "pid"), "utf8")) : 0;
    if (pid > 0 && !alive(pid))
      throw new Error(`the test process ${pid} that was building the shared demo ended first`);
    await sleep(200);
  }
}

/** Runs a command to its end without blocking this process; gives its exit code and output. */
function run(command: string, args: string[]): Promise<{code: number | null; text: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {cwd: PROJECT_DIR, stdio: ["ignore", "pipe", "pipe"]});
    let text = "";
    child.stdout.on("data", (chunk) => (text += chunk));
    child.stderr.on("data", (chunk) => (text += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({code, text}));
  });
}
