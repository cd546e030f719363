// Segments beside profiles: the crosstab, and how profiles differ inside each segment.
import {loadConfig} from "../../loaders/config.ts";
import {configPath, storePath} from "../../loaders/paths.ts";
import {segmentsVersusProfiles} from "../../loaders/segmentation.ts";
import {withStore} from "../../loaders/store.ts";

const {privacy} = await loadConfig(configPath());
const data = await withStore(storePath(), (s) =>
  segmentsVersusProfiles(s, {minGroupSize: privacy.minGroupSize})
);
process.stdout.write(JSON.stringify(data));
