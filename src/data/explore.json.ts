// What the Explore page shows beside its sample: features with labels and units, segmentations,
// profiles with their value and risk, every profile's traits, and how many customers are shown.
import {loadConfig} from "../../loaders/config/project.ts";
import {exploreDocument, exploreOptions} from "../../loaders/site/explore.ts";
import {configPath, storePath} from "../../loaders/core/paths.ts";
import {withStore} from "../../loaders/core/store.ts";

const options = exploreOptions(await loadConfig(configPath()));
process.stdout.write(
  JSON.stringify(await withStore(storePath(), (store) => exploreDocument(store, options)))
);
