import {spawnSync} from "node:child_process";
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {hostname, tmpdir} from "node:os";
import {join} from "node:path";
import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {acquireLock, LockedError} from "../../loaders/core/lock.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "portrait-lock-"));
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
    encoding: "utf8"
  });
  return Number(child.stdout);
}

describe("acquireLock(path, command)", () => {
  it("writes the holder's pid, host and command, and release removes it", () => {
    const path = join(dir, "store.duckdb.lock");
    const lock = acquireLock(path, "npm run build in /project");
    const holder = JSON.parse(readFileSync(path, "utf8"));
    expect(holder).toMatchObject({
      pid: process.pid,
      host: hostname(),
      command: "npm run build in /project"
    });
    lock.release();
    expect(existsSync(path)).toBe(false);
  });

  it("refuses a lock a running build holds, naming the lock and that build", () => {
    const path = join(dir, "reports.lock");
    const lock = acquireLock(path, "npm run build in /one");
    try {
      expect(() => acquireLock(path, "npm run build in /two")).toThrow(LockedError);
      expect(() => acquireLock(path, "npm run build in /two")).toThrow(
        `another build is running: npm run build in /one (pid ${process.pid} on ${hostname()}, started `
      );
      expect(() => acquireLock(path, "npm run build in /two")).toThrow(
        `holds the lock ${path}. Wait for it to end and build again; if no build is running any more, delete ${path}.`
      );
    } finally {
      lock.release();
    }
  });

  it("takes over a lock whose process is no longer running, and says whose it was", () => {
    const path = join(dir, "store.duckdb.lock");
    const pid = deadPid();
    const stale = {
      pid,
      host: hostname(),
      started: "2026-12-05T10:00:00.000Z",
      command: "npm run build in /x"
    };
    writeFileSync(path, JSON.stringify(stale));
    const lock = acquireLock(path, "npm run build in /project");
    expect(lock.tookOver).toEqual(stale);
    expect(JSON.parse(readFileSync(path, "utf8")).pid).toBe(process.pid);
    lock.release();
  });

  it("leaves another process's lock in place on release", () => {
    const path = join(dir, "store.duckdb.lock");
    const lock = acquireLock(path, "npm run build");
    const other = {pid: process.ppid, host: hostname(), started: "", command: "another build"};
    writeFileSync(path, JSON.stringify(other));
    lock.release();
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual(other);
  });
});
