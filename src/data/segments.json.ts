// Segments beside profiles: the crosstab, and how profiles differ inside each segment.
import {readPageSettings} from "../../loaders/config/settings.ts";
import {storePath} from "../../loaders/core/paths.ts";
import {segmentsVersusProfiles} from "../../loaders/site/drilldown.ts";
import {withStore} from "../../loaders/core/store.ts";

const data = await withStore(storePath(), async (s) => {
  const {privacy} = await readPageSettings(s);
  return segmentsVersusProfiles(s, {minGroupSize: privacy.minGroupSize});
});
process.stdout.write(JSON.stringify(data));
