/** The customer cards' shards written into a built site: data/cards/<shard>.json, one file each. */
import {mkdir, writeFile} from "node:fs/promises";
import {join} from "node:path";
import type {Store} from "../core/store.ts";
import {allCardShards, type CardOptions} from "../site/cards.ts";

/** Writes every shard under dir/data/cards; returns how many. */
export async function writeCardShards(
  store: Store,
  dir: string,
  options: CardOptions
): Promise<number> {
  const out = join(dir, "data", "cards");
  let written = 0;
  for await (const shard of allCardShards(store, options)) {
    if (written === 0) await mkdir(out, {recursive: true});
    await writeFile(join(out, `${shard.shard}.json`), JSON.stringify(shard));
    written++;
  }
  return written;
}
