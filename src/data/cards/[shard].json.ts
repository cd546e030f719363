// One shard of customer cards: the customers whose id hashes to it (src/contracts/cards.ts).
import {parseArgs} from "node:util";
import {cardOptions, cardShard} from "../../../loaders/site/cards.ts";
import {readPageSettings} from "../../../loaders/config/settings.ts";
import {storePath} from "../../../loaders/core/paths.ts";
import {withStore} from "../../../loaders/core/store.ts";

const {values} = parseArgs({options: {shard: {type: "string"}}});
const shard = await withStore(storePath(), async (s) =>
  cardShard(s, values.shard, cardOptions(await readPageSettings(s)))
);
process.stdout.write(JSON.stringify(shard));
