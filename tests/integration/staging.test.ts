/**
 * Atomic publishing (loaders/publish/staging.ts, as scripts/build.ts uses it): a new site that
 * fails the privacy check or fills the disk leaves the published folder byte for byte as it was,
 * and what a build that died left beside it is put right at the next start.
 */
import {spawnSync} from "node:child_process";
import {createHash} from "node:crypto";
import {existsSync, readdirSync} from "node:fs";
import {cp, mkdir, mkdtemp, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {loadConfig} from "../../loaders/config/project.ts";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {runEngine} from "../../loaders/engine.ts";
import {
  previousDir,
  publishSite,
  recoverOutput,
  stagingDir
} from "../../loaders/publish/staging.ts";
import {checkSite} from "../../scripts/build.ts";
import {fileDigests} from "../support/digests.ts";

const TINY = join(import.meta.dirname, "..", "fixtures", "tiny");

let dir: string;
let output: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "portrait-staging-"));
  output = join(dir, "reports");
  await mkdir(join(output, "data"), {recursive: true});
  await writeFile(join(output, "index.html"), "<h1>The last build</h1>");
  await writeFile(join(output, "data", "overview.json"), '{"customers": 1200}');
});
afterEach(() => rm(dir, {recursive: true, force: true}));

describe("publishSite(output, build)", () => {
  it("swaps the new site in whole when it passes", async () => {
    await publishSite(output, async (site) => {
      await mkdir(site);
      await writeFile(join(site, "index.html"), "<h1>This build</h1>");
    });
    expect(fileDigests(output)).toEqual({
      "index.html": createHash("sha256").update("<h1>This build</h1>").digest("hex")
    });
    expect(readdirSync(dir)).toEqual(["reports"]);
  });

  it("leaves the output byte-identical when the new site fails the privacy check", async () => {
    await cp(TINY, join(dir, "project"), {recursive: true});
    const configPath = join(dir, "project", "portrait.config.ts");
    const store = join(dir, "store", "store.duckdb");
    const engine = await runEngine({configPath, storePath: store});
    const before = fileDigests(output);
    const log: string[] = [];
    const failed = await publishSite(output, async (site) => {
      await mkdir(join(site, "data"), {recursive: true});
      await writeFile(join(site, "index.html"), "<h1>This build</h1>");
      await writeFile(
        join(site, "data", "card.json"),
        '{"id": "C1", "contact": "ann@example.com"}'
      );
      await checkSite(
        site,
        {store, config: await loadConfig(configPath), fingerprint: engine.fingerprint, output},
        (line) => log.push(line)
      );
    }).catch((e: Error) => e);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toMatch(
      /^the privacy check found 1 problem in the new site; nothing in it is fit to publish until they are fixed:\n- data\/card.json, .*: the e-mail address a…@example\.com of customer C1\./
    );
    expect((failed as Error).message).toMatch(
      new RegExp(`\\nNothing was published: ${output} is as the last build left it\\.$`)
    );
    expect(log[0]).toMatch(/: 1 violation in /);
    expect(fileDigests(output)).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(["project", "reports", "store"]);
  });

  // A real full disk: a small tmpfs in a mount namespace of the test's own (root, or a user
  // namespace where the kernel allows one).
  const canMount = spawnSync("unshare", ["-m", "true"]).status === 0;
  it.skipIf(!canMount)("leaves the output byte-identical when the disk fills", () => {
    const mount = join(dir, "disk");
    const previous = join(dir, "previous");
    spawnSync("cp", ["-a", output, previous]);
    spawnSync("mkdir", [mount]);
    const child = spawnSync(
      "unshare",
      [
        "-m",
        process.execPath,
        "--import",
        "tsx",
        "tests/support/full-disk.ts",
        mount,
        previous,
        "2m"
      ],
      {cwd: PROJECT_DIR, encoding: "utf8"}
    );
    expect(child.status, child.stderr).toBe(0);
    const result = JSON.parse(child.stdout);
    expect(result.error).toMatch(/ENOSPC: no space left on device/);
    expect(Object.keys(result.before)).toEqual(["data/overview.json", "index.html"]);
    expect(result.after).toEqual(result.before);
    expect(result.beside).toEqual(["reports"]);
  });
});

describe("recoverOutput(output)", () => {
  it("removes the staging folder a killed build left", async () => {
    await mkdir(join(stagingDir(output), "site"), {recursive: true});
    const before = fileDigests(output);
    expect(await recoverOutput(output)).toEqual([
      `removed ${stagingDir(output)}, left by a build that did not finish`
    ]);
    expect(existsSync(stagingDir(output))).toBe(false);
    expect(fileDigests(output)).toEqual(before);
  });

  it("restores the previous site when a build died between moving it aside and renaming the new one", async () => {
    const before = fileDigests(output);
    await cp(output, previousDir(output), {recursive: true});
    await rm(output, {recursive: true});
    expect(await recoverOutput(output)).toEqual([
      `restored ${output} from ${previousDir(output)}, left by a build that died while publishing`
    ]);
    expect(fileDigests(output)).toEqual(before);
    expect(existsSync(previousDir(output))).toBe(false);
  });
});
