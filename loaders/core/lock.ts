/**
 * Build locks: a file holding the build's pid, host, start time and command, made atomically
 * (written aside, then hard-linked into place, so a reader never sees half of it). A second
 * build finds it and stops with a message naming the lock and the build holding it; a lock
 * whose process has died (same host, pid no longer running) is taken over.
 */
import {linkSync, mkdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {hostname} from "node:os";
import {basename, dirname, join} from "node:path";

/** Who holds a lock, as written in it. */
export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the holder started. */
  started: string;
  command: string;
}

/** Another build holds the lock: the message names the lock file and that build. */
export class LockedError extends Error {
  constructor(
    readonly path: string,
    readonly holder: LockHolder | undefined
  ) {
    super(
      `another build is running: ${
        holder
          ? `${holder.command} (pid ${holder.pid} on ${holder.host}, started ${holder.started})`
          : "a process that has not yet written its name"
      } holds the lock ${path}. Wait for it to end and build again; if no build is running any more, delete ${path}.`
    );
    this.name = "LockedError";
  }
}

/** Whether a process of this id is running (EPERM: it is, as another user). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(path, "utf8")) as LockHolder;
    return Number.isInteger(holder.pid) ? holder : undefined;
  } catch {
    return undefined;
  }
}

/** A held lock: release removes the file if it is still this process's. */
export interface Lock {
  path: string;
  /** The dead build whose lock this one took over, if any. */
  tookOver?: LockHolder;
  release(): void;
}

/**
 * Takes the lock file at path for this process, or throws LockedError naming its holder. A lock
 * left by a process no longer running on this host is taken over (and reported in tookOver).
 */
export function acquireLock(path: string, command: string): Lock {
  mkdirSync(dirname(path), {recursive: true});
  const me: LockHolder = {
    pid: process.pid,
    host: hostname(),
    started: new Date().toISOString(),
    command
  };
  const aside = join(dirname(path), `.${basename(path)}.${process.pid}`);
  writeFileSync(aside, `${JSON.stringify(me)}\n`);
  let tookOver: LockHolder | undefined;
  try {
    for (;;) {
      try {
        linkSync(aside, path);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const holder = readHolder(path);
      const stale = holder && holder.host === me.host && !alive(holder.pid);
      if (!stale) throw new LockedError(path, holder);
      // Remove the dead build's lock only if it is still that one, then try again.
      if (readHolder(path)?.pid === holder.pid) rmSync(path, {force: true});
      tookOver = holder;
    }
  } finally {
    rmSync(aside, {force: true});
  }
  const release = () => {
    if (readHolder(path)?.pid === process.pid) rmSync(path, {force: true});
    process.removeListener("exit", release);
  };
  // An uncaught error or process.exit still releases it; only a killed process leaves it.
  process.on("exit", release);
  return {path, tookOver, release};
}
