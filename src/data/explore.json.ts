// What the Explore page shows beside its sample: features with labels and units, segmentations,
// profiles with their value and risk, every profile's traits, and how many customers are shown.
// The sample is drawn and generalised once per store, for this file and explore.arrow.
import {readPageSettings} from "../../loaders/config/settings.ts";
import {exploreDocument, exploreOptions, reusedSample} from "../../loaders/site/explore.ts";
import {storePath} from "../../loaders/core/paths.ts";
import {withStore} from "../../loaders/core/store.ts";

const doc = await withStore(storePath(), async (s) =>
  exploreDocument(s, exploreOptions(await readPageSettings(s)), reusedSample)
);
process.stdout.write(JSON.stringify(doc));
