/**
 * What `npm run build` keeps once it has published a site: the store the site was built from,
 * as the next build's previous build, and the profiles' state that store's build made. Until
 * then a new store is only a candidate: a build that fails (the privacy check, a full disk)
 * leaves both as the last published build left them, so the next build's "what changed" and its
 * stable ids follow what readers saw.
 */
import {existsSync} from "node:fs";
import {copyFile, link, rename, rm} from "node:fs/promises";
import {checksumPath, removeChecksum} from "../core/checksum.ts";
import {withStore} from "../core/store.ts";
import {publishedStore, sameFile} from "../history/previous.ts";
import {storedState, writeState} from "../profile/stable-ids.ts";

/**
 * After the site built from the store at storePath was published: writes the profiles' state
 * file from the store (build_meta.state) and keeps the store as `<store>.published`, a hard link
 * (the same file, no copy; a filesystem without hard links gets a copy), with its checksum
 * (`<store>.published.sha256`). A store that is already the published one (an unchanged
 * rebuild) is left as it is, and its state written again, the same bytes. Returns whether it
 * kept a new store.
 */
export async function keepPublishedStore(
  storePath: string,
  statePath: string,
  log: (line: string) => void = () => {}
): Promise<boolean> {
  // The state first: the site is out, so its ids are the ones the next build must keep. Written
  // on every publish (the same bytes for the same store), so a state file out of step with the
  // published site (a build that died between the two steps) is set right by the next publish.
  const state = await withStore(storePath, storedState);
  if (state) await writeState(statePath, state);
  const published = publishedStore(storePath);
  if (sameFile(storePath, published)) return false;
  const aside = `${published}.new`;
  await rm(aside, {force: true});
  try {
    await link(storePath, aside);
  } catch (error) {
    log(
      `the store could not be hard-linked as ${published} (${(error as NodeJS.ErrnoException).code ?? error}): copying it instead, which takes the store's size again on disk`
    );
    await copyFile(storePath, aside);
  }
  // The checksum goes first, so a published store never stands beside another store's checksum.
  await removeChecksum(published);
  await rename(aside, published);
  if (existsSync(checksumPath(storePath))) {
    await copyFile(checksumPath(storePath), `${checksumPath(published)}.new`);
    await rename(`${checksumPath(published)}.new`, checksumPath(published));
  }
  return true;
}
