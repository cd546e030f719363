/**
 * Atomic publishing: a build writes the new site into a staging folder beside the output (same
 * filesystem), checks it there, and only then swaps it in by renaming, so the published folder
 * is either the previous site, byte for byte, or the new one whole. A build that is killed, fails
 * its privacy check or runs out of disk leaves the previous site as it was; the next build
 * removes its staging folder. The new site is written inside a private folder (mode 0700), so no
 * one else reads it before it has passed.
 */
import {existsSync} from "node:fs";
import {join} from "node:path";
import {chmod, mkdir, rename, rm} from "node:fs/promises";

/** The private folder holding the new site (`site/` in it) until it is checked. */
export function stagingDir(output: string): string {
  return `${output}.building`;
}

/** Where the published site waits while the new one is renamed into its place. */
export function previousDir(output: string): string {
  return `${output}.previous`;
}

/**
 * Puts right what a build that died left beside the output: removes its staging folder, and
 * restores the previous site if the build died between the two renames of swapIn. Call it
 * holding the build lock. Returns what it did, for the log.
 */
export async function recoverOutput(output: string): Promise<string[]> {
  const done: string[] = [];
  if (existsSync(stagingDir(output))) {
    await rm(stagingDir(output), {recursive: true, force: true});
    done.push(`removed ${stagingDir(output)}, left by a build that did not finish`);
  }
  const previous = previousDir(output);
  if (existsSync(previous)) {
    if (!existsSync(output)) {
      await rename(previous, output);
      done.push(`restored ${output} from ${previous}, left by a build that died while publishing`);
    } else {
      await rm(previous, {recursive: true, force: true});
      done.push(`removed ${previous}, left by a build that died while publishing`);
    }
  }
  return done;
}

/** Creates the private staging folder for output; returns where the new site goes in it. */
export async function createStaging(output: string): Promise<string> {
  const staging = stagingDir(output);
  await rm(staging, {recursive: true, force: true});
  await mkdir(staging, {recursive: true, mode: 0o700});
  await chmod(staging, 0o700);
  return join(staging, "site");
}

/**
 * Builds a site with `build` (which writes into the folder it is given and throws on anything
 * that must not be published), then swaps it in; on any failure the output is left as it was.
 * The staging folder is removed either way.
 */
export async function publishSite(
  output: string,
  build: (site: string) => Promise<void>
): Promise<void> {
  const site = await createStaging(output);
  try {
    await build(site);
    await swapIn(site, output);
  } finally {
    await removeStaging(output);
  }
}

/** Removes the staging folder of output and anything in it. */
export function removeStaging(output: string): Promise<void> {
  return rm(stagingDir(output), {recursive: true, force: true});
}

/**
 * Publishes a checked site (createStaging's): the output moves aside, the new site takes its
 * name, and the previous site and the staging folder are removed.
 */
export async function swapIn(site: string, output: string): Promise<void> {
  const previous = previousDir(output);
  await rm(previous, {recursive: true, force: true});
  if (existsSync(output)) await rename(output, previous);
  await rename(site, output);
  await rm(previous, {recursive: true, force: true});
  await removeStaging(output);
}
