// The overview: profiles at a glance, what changed since the previous build, data quality.
import {briefing} from "../../loaders/briefing.ts";
import {loadConfig} from "../../loaders/config.ts";
import {configPath, storePath} from "../../loaders/paths.ts";
import {withStore} from "../../loaders/store.ts";

const {privacy, history} = await loadConfig(configPath());
const brief = await withStore(storePath(), (s) =>
  briefing(s, {customerLevel: privacy.customerLevel, drift: history.drift})
);
process.stdout.write(JSON.stringify(brief));
