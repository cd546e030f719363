/** What a folder holds, to compare byte for byte: every file under it with its SHA-256. */
import {createHash} from "node:crypto";
import {readdirSync, readFileSync, statSync} from "node:fs";
import {join} from "node:path";

/** Every file under dir (relative path) with its SHA-256, in path order. */
export function fileDigests(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, {recursive: true}).map(String).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isFile())
      out[entry] = createHash("sha256").update(readFileSync(path)).digest("hex");
  }
  return out;
}
