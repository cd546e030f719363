// The profiles: names, sizes, value and risk, quality, distinguishing traits and narratives.
import {loadConfig} from "../../loaders/config/project.ts";
import {profilesDocument} from "../../loaders/site/profiles.ts";
import {configPath, storePath} from "../../loaders/core/paths.ts";
import {withStore} from "../../loaders/core/store.ts";
import type {ProfilesPage} from "../contracts/profiles.ts";

const {privacy} = await loadConfig(configPath());
const doc = await withStore(storePath(), profilesDocument);
// whether exports/customers.csv is published beside profiles.json
process.stdout.write(
  JSON.stringify({...doc, customer_level: privacy.customerLevel} satisfies ProfilesPage)
);
