/**
 * A value computed once and kept in a file under a key, for work that two processes of one build
 * would otherwise repeat (Framework runs each data loader in a process of its own). The file
 * holds the key and the value in v8's serialisation, which gives back every value as it was
 * (-0, NaN, undefined, typed arrays). A file with another key, or one that cannot be read, is
 * computed again; the new one is written aside and renamed into place, so a reader never sees
 * half of one and two writers leave one whole.
 */
import {existsSync} from "node:fs";
import {readFile, rename, rm, writeFile} from "node:fs/promises";
import {deserialize, serialize} from "node:v8";

/** What memo found: the value, and whether it was computed (false: read from the file). */
export interface Memo<T> {
  value: T;
  computed: boolean;
}

/** The value kept in `path` under `key`, or compute()'s, which is then kept there. */
export async function memo<T>(
  path: string,
  key: string,
  compute: () => Promise<T>
): Promise<Memo<T>> {
  const kept = await readKept(path);
  if (kept?.key === key) return {value: kept.value as T, computed: false};
  const value = await compute();
  const aside = `${path}.${process.pid}.new`;
  try {
    await writeFile(aside, serialize({key, value}));
    await rename(aside, path);
  } catch {
    // Keeping it only saves time: a full disk or a read-only folder costs a second computation.
    await rm(aside, {force: true});
  }
  return {value, computed: true};
}

async function readKept(path: string): Promise<{key: unknown; value: unknown} | undefined> {
  if (!existsSync(path)) return undefined;
  try {
    const kept = deserialize(await readFile(path));
    return typeof kept === "object" && kept !== null ? kept : undefined;
  } catch {
    return undefined;
  }
}
