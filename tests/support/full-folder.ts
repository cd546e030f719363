/** A full temporary folder for the tests of what a full disk says, without filling a real disk. */
import {execFile} from "node:child_process";
import {writeFile} from "node:fs/promises";
import {join} from "node:path";
import {promisify} from "node:util";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";

const run = promisify(execFile);

/**
 * Runs a module (its lines, which may name the folder as FULL) where `<dir>/full` is a filled
 * tmpfs of 64 KB, in a mount namespace of its own that goes when the process ends; returns the
 * folder and what the module printed.
 */
export async function withFullFolder(
  dir: string,
  lines: readonly string[]
): Promise<{full: string; stdout: string}> {
  const full = join(dir, "full");
  const script = join(dir, "full-folder.mts");
  await writeFile(script, [`const FULL = ${JSON.stringify(full)};`, ...lines].join("\n"));
  const {stdout} = await run(
    "unshare",
    [
      "--mount",
      "--map-root-user",
      "sh",
      "-c",
      `mkdir "$1" && mount -t tmpfs -o size=64k tmpfs "$1" && (head -c 1M /dev/zero > "$1/fill" 2>/dev/null; true) && exec "$2" --import tsx "$3"`,
      "sh",
      full,
      process.execPath,
      script
    ],
    {cwd: PROJECT_DIR, encoding: "utf8"}
  );
  return {full, stdout: stdout.trim()};
}

/** A module's import of a project file, for the lines given to withFullFolder. */
export function importOf(names: string, path: string): string {
  return `import {${names}} from ${JSON.stringify(join(PROJECT_DIR, path))};`;
}
