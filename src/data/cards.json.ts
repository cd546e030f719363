// The customer cards' index: as-of date, shard count, and what each profile's cards share.
import {cardIndex} from "../../loaders/cards.ts";
import {loadConfig} from "../../loaders/config.ts";
import {configPath, storePath} from "../../loaders/paths.ts";
import {withStore} from "../../loaders/store.ts";

const {privacy, churn} = await loadConfig(configPath());
const options = {identifiers: privacy.identifiers, churn};
process.stdout.write(JSON.stringify(await withStore(storePath(), (s) => cardIndex(s, options))));
