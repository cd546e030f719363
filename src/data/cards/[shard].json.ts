// One shard of customer cards: the customers whose id hashes to it (src/contracts/cards.ts).
import {parseArgs} from "node:util";
import {cardShard} from "../../../loaders/site/cards.ts";
import {loadConfig} from "../../../loaders/config/project.ts";
import {configPath, storePath} from "../../../loaders/core/paths.ts";
import {withStore} from "../../../loaders/core/store.ts";

const {values} = parseArgs({options: {shard: {type: "string"}}});
const {privacy, churn} = await loadConfig(configPath());
const options = {identifiers: privacy.identifiers, churn};
process.stdout.write(
  JSON.stringify(await withStore(storePath(), (s) => cardShard(s, values.shard, options)))
);
