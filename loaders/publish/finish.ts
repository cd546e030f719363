/**
 * What `npm run build` does to the site after Framework built it: page times pinned to the
 * data's as-of date (two builds of the same inputs give the same bytes), Framework's own markup
 * made accessible (./markup.ts), the customer-level output left out of an aggregates-only
 * build, the customer cards' shards and the exports written from the store. The privacy check
 * then reads all of it (loaders/privacy/).
 */
import {existsSync} from "node:fs";
import {cp, mkdir, readdir, readFile, rm, writeFile} from "node:fs/promises";
import {dirname, join, posix, relative} from "node:path";
import type {PortraitConfig} from "../config/project.ts";
import {withStore} from "../core/store.ts";
import {readOverview} from "../clean/inventory.ts";
import {CUSTOMER_LEVEL_OUTPUT, isOutput} from "../site/published.ts";
import {writeExports} from "./exports.ts";
import {writeCardShards} from "./shards.ts";
import {mendPages} from "./markup.ts";
import {cardOptions} from "../site/cards.ts";

/**
 * Framework writes each attached file's modification time into the pages. Loader output is
 * written during the build and source files get their time from the checkout, so two builds
 * of the same inputs would differ: pin every such time to the end of the data's as-of day.
 */
export async function pinLastModified(dir: string, asOf: string | null): Promise<number> {
  const time = asOf ? Date.parse(`${asOf}T23:59:59Z`) : 0;
  let pages = 0;
  for (const entry of (await readdir(dir, {recursive: true})).sort()) {
    if (!entry.endsWith(".html")) continue;
    const path = join(dir, entry);
    const html = await readFile(path, "utf8");
    const pinned = html.replace(/"lastModified":\d+(?:\.\d+)?/g, `"lastModified":${time}`);
    if (pinned !== html) {
      await writeFile(path, pinned);
      pages++;
    }
  }
  return pages;
}

/**
 * Files written from the store after Framework (the customer cards), kept beside the store and
 * copied into the site while the store and options are the same: a rebuild with unchanged
 * inputs then copies a million customers' cards instead of recomputing them. `write` writes
 * into the folder it is given as if it were the site; the result is what it returned.
 */
export async function reuseOrWrite<T>(
  cache: string,
  key: string,
  site: string,
  write: (dir: string) => Promise<T>
): Promise<{result: T; reused: boolean}> {
  const stamp = join(cache, ".portrait-key.json");
  let result: T;
  let reused = false;
  const saved = existsSync(stamp) ? JSON.parse(await readFile(stamp, "utf8")) : undefined;
  if (saved?.key === key) {
    result = saved.result as T;
    reused = true;
  } else {
    await rm(cache, {recursive: true, force: true});
    await mkdir(cache, {recursive: true});
    result = await write(cache);
    await writeFile(stamp, JSON.stringify({key, result}));
  }
  await cp(cache, site, {recursive: true, filter: (path) => path !== stamp});
  return {result, reused};
}

/**
 * Removes the customer-level pages and what they read from a built site (Framework builds every
 * page of src/; a build for wide sharing must not carry them). Returns what it removed.
 */
export async function removeCustomerLevel(site: string): Promise<string[]> {
  const removed: string[] = [];
  for (const entry of CUSTOMER_LEVEL_OUTPUT) {
    if (entry.kind !== "page" && entry.of === undefined) continue;
    const dir = posix.dirname(entry.path);
    const parent = join(site, dir);
    if (!existsSync(parent)) continue;
    for (const name of (await readdir(parent)).sort()) {
      const path = posix.join(dir, name);
      if (isOutput(entry, path)) {
        await rm(join(site, path), {recursive: true, force: true});
        removed.push(path);
      }
    }
  }
  return removed;
}

export interface FinishOptions {
  /** The built site (Framework's output). */
  site: string;
  /** The profile store the site was built from. */
  store: string;
  config: PortraitConfig;
  /**
   * What the customer cards are reused by: the store's fingerprint and the page builders' code.
   * Undefined writes them afresh.
   */
  cardsKey: string | undefined;
  log?: (line: string) => void;
}

/** Finishes a site Framework built: see the module doc. */
export async function finishSite({
  site,
  store,
  config,
  cardsKey,
  log = () => {}
}: FinishOptions): Promise<void> {
  const {asOf} = await withStore(store, readOverview);
  await pinLastModified(site, asOf);
  await mendPages(site);
  if (!config.privacy.customerLevel) {
    const removed = await removeCustomerLevel(site);
    log(`privacy.customerLevel is false: left out ${removed.join(", ") || "nothing"}`);
  } else {
    const started = performance.now();
    const options = cardOptions(config);
    const key = JSON.stringify({store: cardsKey, options});
    const cards = await reuseOrWrite(join(dirname(store), "cards"), key, site, (dir) =>
      withStore(store, (s) => writeCardShards(s, dir, options))
    );
    log(
      `customer cards: ${cards.result} shards ${cards.reused ? "reused" : "written"} in ${((performance.now() - started) / 1000).toFixed(1)} s`
    );
  }
  const exports = await withStore(store, (s) =>
    writeExports(s, site, {
      segments: Object.keys(config.segments),
      customerLevel: config.privacy.customerLevel,
      currency: config.currency,
      log
    })
  );
  if (exports.length > 0)
    log(
      `exports: ${exports.map((path) => relative(site, path)).join(", ")}, with their JSON Schemas in exports/schemas/`
    );
}
