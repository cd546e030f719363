/**
 * Publishing with real builds on a copy of the shared demo site: a build killed (SIGKILL) while
 * Framework writes the pages leaves the published folder byte for byte as it was, and a second
 * build started while one runs stops at once, naming the lock and the build holding it.
 */
import {spawn, spawnSync, type ChildProcess} from "node:child_process";
import {existsSync, readFileSync} from "node:fs";
import {cp, mkdtemp, rm} from "node:fs/promises";
import {hostname, tmpdir} from "node:os";
import {join} from "node:path";
import {setTimeout as sleep} from "node:timers/promises";
import {afterAll, beforeAll, describe, expect, inject, it} from "vitest";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {stagingDir} from "../../loaders/publish/staging.ts";
import {buildCommand, siteEnv, takeBuildLock} from "../support/site.ts";
import {fileDigests} from "../support/digests.ts";

/** A build of dir started in a process group of its own; `output` is what it printed so far. */
function startBuild(dir: string): {child: ChildProcess; output: () => string} {
  const [command, ...args] = buildCommand();
  const child = spawn(command, args, {
    cwd: PROJECT_DIR,
    env: siteEnv(dir),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"]
  });
  let text = "";
  child.stdout!.on("data", (chunk) => (text += chunk));
  child.stderr!.on("data", (chunk) => (text += chunk));
  return {child, output: () => text};
}

/** Waits until check() holds, or fails if the build ended first. */
async function until(check: () => boolean, build: ChildProcess, what: string): Promise<void> {
  while (!check()) {
    if (build.exitCode !== null || build.signalCode !== null)
      throw new Error(`the build ended (${build.exitCode ?? build.signalCode}) before ${what}`);
    await sleep(50);
  }
}

/** Kills a build's whole process group (Framework and its loaders too) and waits for it. */
async function killGroup(build: ChildProcess): Promise<void> {
  const ended = new Promise((resolve) =>
    build.exitCode !== null || build.signalCode !== null
      ? resolve(null)
      : build.once("close", resolve)
  );
  try {
    process.kill(-build.pid!, "SIGKILL");
  } catch {
    // the group has ended already
  }
  await ended;
}

const shared = inject("site");
let dir: string;
let release: () => void;
let before: Record<string, string>;

beforeAll(async () => {
  // Builds from test files take turns (they share Framework's cache): hold the tests' lock.
  release = await takeBuildLock();
  dir = await mkdtemp(join(tmpdir(), "portrait-e2e-publish-"));
  await cp(shared.dir, dir, {recursive: true});
  before = fileDigests(join(dir, "site"));
});

afterAll(async () => {
  release?.();
  if (dir) await rm(dir, {recursive: true, force: true});
});

describe("npm run build, publishing", () => {
  let framework: ReturnType<typeof startBuild>;

  it("leaves the published site byte-identical when the build is killed while Framework writes the pages", async () => {
    framework = startBuild(dir);
    // Framework prints each file it writes: the first path after the npm cache is filled.
    await until(
      () => /npm cache: .*\n(.*\n)*\//.test(framework.output()),
      framework.child,
      "Framework wrote a page"
    );
    const ended = new Promise((resolve) => framework.child.once("close", resolve));
    framework.child.kill("SIGKILL");
    await ended;
    expect(fileDigests(join(dir, "site"))).toEqual(before);
    expect(existsSync(stagingDir(join(dir, "site"))), "the killed build's staging folder").toBe(
      true
    );
    // Framework, orphaned, goes on writing into the staging folder: the site is still the same.
    await killGroup(framework.child);
    expect(fileDigests(join(dir, "site"))).toEqual(before);
  });

  it("stops a second build at once, naming the lock and the build that holds it", async () => {
    const first = startBuild(dir);
    try {
      // The first build takes over the killed build's locks, then holds them.
      const lock = join(dir, "store.duckdb.lock");
      await until(
        () => existsSync(lock) && readFileSync(lock, "utf8").includes(`"pid":${first.child.pid}`),
        first.child,
        "it held the store's lock"
      );
      expect(first.output()).toMatch(
        /took over the lock .*: the build holding it \(pid \d+, started .*\) is no longer running/
      );
      const [command, ...args] = buildCommand();
      const second = spawnSync(command, args, {
        cwd: PROJECT_DIR,
        env: siteEnv(dir),
        encoding: "utf8"
      });
      expect(second.status).toBe(1);
      expect(second.stderr).toMatch(
        new RegExp(
          `build failed: another build is running: npm run build in ${PROJECT_DIR} \\(pid ${first.child.pid} on ${hostname()}, started [^)]+\\) holds the lock (\\S+)\\.lock\\. Wait for it to end and build again; if no build is running any more, delete \\S+\\.lock\\.`
        )
      );
      expect(second.stdout).not.toMatch(/stage read|file conflict/);
    } finally {
      await killGroup(first.child);
    }
    expect(fileDigests(join(dir, "site"))).toEqual(before);
  });
});
