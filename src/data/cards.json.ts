// The customer cards' index: as-of date, shard count, and what each profile's cards share.
import {cardIndex, cardOptions} from "../../loaders/site/cards.ts";
import {readPageSettings} from "../../loaders/config/settings.ts";
import {storePath} from "../../loaders/core/paths.ts";
import {withStore} from "../../loaders/core/store.ts";

const index = await withStore(storePath(), async (s) =>
  cardIndex(s, cardOptions(await readPageSettings(s)))
);
process.stdout.write(JSON.stringify(index));
