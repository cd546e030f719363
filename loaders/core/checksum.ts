/**
 * The store's checksum, kept beside it (`<store>.sha256`: size and SHA-256 of the file as the
 * engine wrote it). DuckDB opens a store that was truncated or had a few KB overwritten and
 * fails, or answers wrongly, only when a query reaches the damaged block; comparing the file
 * with its checksum finds the damage before anything reads it.
 */
import {createHash} from "node:crypto";
import {createReadStream, existsSync} from "node:fs";
import {readFile, rename, rm, stat, writeFile} from "node:fs/promises";

export interface Checksum {
  bytes: number;
  sha256: string;
}

/** Where the checksum of the store at storePath is kept. */
export function checksumPath(storePath: string): string {
  return `${storePath}.sha256`;
}

/** The size and SHA-256 of a file, read as a stream. */
export async function checksumOf(path: string): Promise<Checksum> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return {bytes: (await stat(path)).size, sha256: hash.digest("hex")};
}

/** Records a checksum for the store at storePath (written aside, then renamed into place). */
export async function writeChecksum(storePath: string, checksum: Checksum): Promise<void> {
  const path = checksumPath(storePath);
  await writeFile(`${path}.new`, `${JSON.stringify(checksum)}\n`);
  await rename(`${path}.new`, path);
}

/** Forgets the store's checksum (before the store is replaced). */
export function removeChecksum(storePath: string): Promise<void> {
  return rm(checksumPath(storePath), {force: true});
}

/**
 * Compares the store with its recorded checksum: undefined when they agree, "unrecorded" when
 * there is none (a store written before checksums were kept, or by a build that died just after
 * writing it), else why the file is not what the engine wrote.
 */
export async function verifyChecksum(
  storePath: string
): Promise<string | "unrecorded" | undefined> {
  const path = checksumPath(storePath);
  if (!existsSync(path)) return "unrecorded";
  let recorded: Checksum;
  try {
    recorded = JSON.parse(await readFile(path, "utf8")) as Checksum;
  } catch {
    return `its checksum file ${path} cannot be read`;
  }
  const {size} = await stat(storePath);
  if (size !== recorded.bytes)
    return `it is ${size.toLocaleString("en-US")} bytes, not the ${recorded.bytes.toLocaleString("en-US")} the engine wrote (truncated or overwritten)`;
  if ((await checksumOf(storePath)).sha256 !== recorded.sha256)
    return "its contents differ from what the engine wrote (its SHA-256 does not match the one recorded in the checksum file)";
  return undefined;
}
