// The overview: profiles at a glance, what changed since the previous build, data quality.
import {briefing} from "../../loaders/site/briefing.ts";
import {loadConfig} from "../../loaders/config/project.ts";
import {configPath, storePath} from "../../loaders/core/paths.ts";
import {withStore} from "../../loaders/core/store.ts";

const {privacy, history} = await loadConfig(configPath());
const brief = await withStore(storePath(), (s) =>
  briefing(s, {customerLevel: privacy.customerLevel, drift: history.drift})
);
process.stdout.write(JSON.stringify(brief));
