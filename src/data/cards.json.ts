// The customer cards' index: as-of date, shard count, and what each profile's cards share.
import {cardIndex} from "../../loaders/site/cards.ts";
import {loadConfig} from "../../loaders/config/project.ts";
import {configPath, storePath} from "../../loaders/core/paths.ts";
import {withStore} from "../../loaders/core/store.ts";

const {privacy, churn} = await loadConfig(configPath());
const options = {identifiers: privacy.identifiers, churn};
process.stdout.write(JSON.stringify(await withStore(storePath(), (s) => cardIndex(s, options))));
