// The History page: profiles over the snapshots, flows between them, at-risk movers, drift.
import {loadConfig} from "../../loaders/config/project.ts";
import {historyData} from "../../loaders/site/history.ts";
import {configPath, storePath} from "../../loaders/core/paths.ts";
import {withStore} from "../../loaders/core/store.ts";

const {privacy, history} = await loadConfig(configPath());
const data = await withStore(storePath(), (s) =>
  historyData(s, {
    minGroupSize: privacy.minGroupSize,
    customerLevel: privacy.customerLevel,
    history
  })
);
process.stdout.write(JSON.stringify(data));
