/** The browser tests' built site: how it is built, where it is, and a server for it. */
import {spawn, spawnSync} from "node:child_process";
import {createHash} from "node:crypto";
import {mkdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {setTimeout as sleep} from "node:timers/promises";
import type {Browser} from "playwright-core";
import {afterAll, beforeAll, expect, inject} from "vitest";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {withStore, type Store} from "../../loaders/core/store.ts";
import {serveStatic, type StaticServer} from "../../scripts/serve.ts";
import {launchBrowser, type PageProblems} from "./browser.ts";
import {alive} from "../../loaders/core/lock.ts";

/** A demo site built into dir: dir/data, dir/store.duckdb, dir/site; log is the build's output. */
export interface BuiltSite {
  dir: string;
  log: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    site: BuiltSite;
  }
}

const TSX = [process.execPath, "--import", "tsx"];

/** Runs a command to completion, failing with its output. */
export function sh(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(command, args, {
    cwd: PROJECT_DIR,
    env,
    encoding: "utf8",
    maxBuffer: 64 << 20
  });
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} failed (${result.status}):\n${output}`);
  return output;
}

/** Whether this process may make a network namespace (root may; others build with network). */
export function canUnshare(): boolean {
  return spawnSync("unshare", ["-n", "true"]).status === 0;
}

/** Writes a seeded demo dataset of this many customers into out (the export ending on end). */
export function generateDemo(out: string, customers: number, {end}: {end?: string} = {}): void {
  sh(TSX[0], [
    ...TSX.slice(1),
    "scripts/demo-data.ts",
    "--customers",
    String(customers),
    ...(end ? ["--end", end] : []),
    "--out",
    out
  ]);
}

/** The environment that points the build at dir's data, store and site. */
export function siteEnv(dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORTRAIT_DATA: join(dir, "data"),
    PORTRAIT_STORE: join(dir, "store.duckdb"),
    PORTRAIT_OUTPUT: join(dir, "site"),
    ...extra
  };
}

/**
 * Builds share Framework's loader cache (src/.observablehq/cache), which each clears when its
 * store differs: two at once would publish each other's data. So builds from test files running
 * side by side take turns, holding a lock folder (with the holder's pid, so a lock left by a
 * process that died is taken over).
 */
const BUILD_LOCK = join(
  tmpdir(),
  `portrait-build-${createHash("sha256").update(PROJECT_DIR).digest("hex").slice(0, 12)}.lock`
);

/**
 * Takes the tests' build lock, waiting for another holder to finish (a condition, however long
 * that takes: no clock); returns its release.
 */
export async function takeBuildLock(): Promise<() => void> {
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      let holder = 0;
      try {
        holder = Number(readFileSync(join(BUILD_LOCK, "pid"), "utf8"));
      } catch {
        // the holder has not written its pid yet
      }
      if (holder > 0 && !alive(holder)) rmSync(BUILD_LOCK, {recursive: true, force: true});
      else await sleep(250);
    }
  }
  writeFileSync(join(BUILD_LOCK, "pid"), String(process.pid));
  return () => rmSync(BUILD_LOCK, {recursive: true, force: true});
}

/** The command that builds a site, without network when possible. */
export function buildCommand(): string[] {
  const command = [...TSX, "scripts/build.ts"];
  return canUnshare() ? ["unshare", "-n", ...command] : command;
}

/**
 * `npm run build` for dir, without network when possible; returns the build's output. It runs
 * as a child process this one waits for without blocking, so the test's browser, server and
 * vitest's own messages go on while it builds.
 */
export async function buildSite(dir: string, extra: NodeJS.ProcessEnv = {}): Promise<string> {
  const release = await takeBuildLock();
  try {
    const [command, ...args] = buildCommand();
    return await shAsync(command, args, siteEnv(dir, extra));
  } finally {
    release();
  }
}

/** Runs a command to completion without blocking this process, failing with its output. */
export function shAsync(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {cwd: PROJECT_DIR, env, stdio: ["ignore", "pipe", "pipe"]});
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    child.on("error", reject);
    child.on("close", (status) => {
      const output = `${out}\n${err}`;
      if (status === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(" ")} failed (${status}):\n${output}`));
    });
  });
}

/** The shared site of tests/e2e/setup.ts, served and opened in Chromium for one test file. */
export function useSite(): {site: BuiltSite; url: () => string; browser: () => Browser} {
  const site = inject("site");
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await serveStatic(join(site.dir, "site"));
    // No limit of Playwright's own on the launch: on a busy machine Chromium starts slowly.
    browser = await launchBrowser({timeout: 0});
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    site,
    url: () => server!.url,
    browser: () => browser!
  };
}

/** Reads the shared site's store. */
export function readStore<T>(site: BuiltSite, read: (store: Store) => Promise<T>): Promise<T> {
  return withStore(join(site.dir, "store.duckdb"), read);
}

/** Fails on anything a page did wrong: uncaught errors, console errors, failed or outside requests. */
export function expectClean(problems: PageProblems): void {
  expect(problems.pageErrors, "uncaught errors").toEqual([]);
  expect(problems.consoleErrors, "console errors").toEqual([]);
  expect(problems.failedRequests, "failed requests").toEqual([]);
  expect(problems.outsideRequests, "requests leaving the site").toEqual([]);
}
