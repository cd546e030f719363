// The customer cards' index: as-of date, shard count, and what each profile's cards share.
import {cardIndex} from "../../loaders/site/cards.ts";
import {readPageSettings} from "../../loaders/config/settings.ts";
import {storePath} from "../../loaders/core/paths.ts";
import {withStore} from "../../loaders/core/store.ts";

const index = await withStore(storePath(), async (s) => {
  const {privacy, churn} = await readPageSettings(s);
  return cardIndex(s, {identifiers: privacy.identifiers, churn});
});
process.stdout.write(JSON.stringify(index));
