/**
 * A fingerprint of everything a build's results depend on: input data, engine code, the
 * lockfile and the project config. Equal fingerprints mean the store can be reused; a new one
 * means the store and every cached page-loader output are stale.
 */
import {createHash} from "node:crypto";
import {createReadStream, existsSync, statSync} from "node:fs";
import {readdir} from "node:fs/promises";
import {join, relative} from "node:path";
import {PROJECT_DIR} from "./paths.ts";

export interface FingerprintInputs {
  /** Folders hashed recursively (file names and contents). */
  dirs: string[];
  /** Single files, hashed when present. */
  files: string[];
  /** Paths (relative to their folder) to leave out, e.g. the demo's truth/. */
  exclude?: (relativePath: string) => boolean;
  /** Extra text that the results depend on (engine version, options). */
  salt?: string;
}

/** Hashes the inputs into a hex digest; folder order is sorted so the digest is stable. */
export async function fingerprint(inputs: FingerprintInputs): Promise<string> {
  const hash = createHash("sha256");
  hash.update(`salt\0${inputs.salt ?? ""}\0`);
  for (const dir of inputs.dirs) {
    hash.update(`dir\0${dir}\0`);
    if (!existsSync(dir)) continue;
    const entries = (await readdir(dir, {recursive: true})).sort();
    for (const entry of entries) {
      const path = join(dir, entry);
      const rel = relative(dir, path);
      if (inputs.exclude?.(rel) || !statSync(path).isFile()) continue;
      hash.update(`file\0${rel}\0`);
      await hashFile(hash, path);
    }
  }
  for (const file of inputs.files) {
    hash.update(`file\0${file}\0`);
    if (existsSync(file)) await hashFile(hash, file);
  }
  return hash.digest("hex");
}

function hashFile(hash: ReturnType<typeof createHash>, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("end", () => resolve())
      .on("error", reject);
  });
}

/** The fingerprint of code under loaders/: folders and single files, as `["site", "engine.ts"]`. */
export function codeFingerprint(paths: readonly string[]): Promise<string> {
  const full = paths.map((p) => join(PROJECT_DIR, "loaders", p));
  return fingerprint({
    dirs: full.filter((p) => !p.endsWith(".ts")),
    files: full.filter((p) => p.endsWith(".ts"))
  });
}
