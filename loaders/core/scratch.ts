/**
 * The private folder for a store's temporary files: the sources' raw text (every customer row,
 * identifiers included) and what DuckDB spills to disk. It lives beside the store, mode 0700,
 * never in the system's shared temporary folder. Each process works in folders named after its
 * pid, so whatever a build that died left behind is found and removed at the next start.
 */
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync} from "node:fs";
import {tmpdir, userInfo} from "node:os";
import {dirname, join} from "node:path";
import {alive} from "./lock.ts";

/** The private folder of the store at storePath (an in-memory store: the user's own, in tmp). */
export function scratchDir(storePath: string): string {
  return storePath === ":memory:"
    ? join(tmpdir(), `portrait-private-${userInfo().uid}`)
    : join(dirname(storePath), ".portrait-private");
}

/** Creates the folder (mode 0700, also when it existed with another mode). */
export function ensureScratch(dir: string): string {
  mkdirSync(dir, {recursive: true, mode: 0o700});
  chmodSync(dir, 0o700);
  return dir;
}

/** A new folder for this process inside dir, named `<pid>-<kind>-…`. */
export function scratchFolder(dir: string, kind: string): string {
  return mkdtempSync(join(ensureScratch(dir), `${process.pid}-${kind}-`));
}

/** Removes what processes no longer running left in dir; returns their folders' names. */
export function clearDeadScratch(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    if (pid > 0 && pid !== process.pid && !alive(pid)) {
      rmSync(join(dir, name), {recursive: true, force: true});
      removed.push(name);
    }
  }
  return removed;
}
