import {spawnSync} from "node:child_process";
import {mkdirSync, mkdtempSync, readdirSync, rmSync, statSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {
  clearDeadScratch,
  ensureScratch,
  scratchDir,
  scratchFolder
} from "../../loaders/core/scratch.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "portrait-scratch-"));
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

describe("scratchDir(storePath)", () => {
  it("is a folder beside the store, not the system's temporary folder", () => {
    expect(scratchDir("/data/portrait/store.duckdb")).toBe("/data/portrait/.portrait-private");
  });
});

describe("scratchFolder(dir, kind) and clearDeadScratch(dir)", () => {
  it("makes the private folder mode 0700, even where it existed with another mode", () => {
    const scratch = join(dir, ".portrait-private");
    mkdirSync(scratch, {mode: 0o755});
    ensureScratch(scratch);
    expect(statSync(scratch).mode & 0o777).toBe(0o700);
  });

  it("names a process's folders after its pid, and removes only those of processes that ended", () => {
    const scratch = join(dir, ".portrait-private");
    const mine = scratchFolder(scratch, "raw");
    expect(mine).toMatch(new RegExp(`/${process.pid}-raw-[^/]+$`));
    const ended = Number(
      spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
        encoding: "utf8"
      }).stdout
    );
    mkdirSync(join(scratch, `${ended}-raw-abc`));
    mkdirSync(join(scratch, `${process.ppid}-duckdb-1`));
    expect(clearDeadScratch(scratch)).toEqual([`${ended}-raw-abc`]);
    expect(readdirSync(scratch).sort()).toEqual(
      [`${process.ppid}-duckdb-1`, mine.split("/").pop()].sort()
    );
  });
});
