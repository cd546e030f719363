// Segments beside profiles: the crosstab, and how profiles differ inside each segment.
import {loadConfig} from "../../loaders/config/project.ts";
import {configPath, storePath} from "../../loaders/core/paths.ts";
import {segmentsVersusProfiles} from "../../loaders/site/drilldown.ts";
import {withStore} from "../../loaders/core/store.ts";

const {privacy} = await loadConfig(configPath());
const data = await withStore(storePath(), (s) =>
  segmentsVersusProfiles(s, {minGroupSize: privacy.minGroupSize})
);
process.stdout.write(JSON.stringify(data));
