// The profiles: names, sizes, value and risk, quality, distinguishing traits and narratives.
import {readPageSettings} from "../../loaders/config/settings.ts";
import {profilesDocument} from "../../loaders/site/profiles.ts";
import {storePath} from "../../loaders/core/paths.ts";
import {withStore} from "../../loaders/core/store.ts";
import type {ProfilesPage} from "../contracts/profiles.ts";

const doc = await withStore(storePath(), async (s) => {
  const {privacy} = await readPageSettings(s);
  // whether exports/customers.csv is published beside profiles.json
  return {
    ...(await profilesDocument(s)),
    customer_level: privacy.customerLevel
  } satisfies ProfilesPage;
});
process.stdout.write(JSON.stringify(doc));
