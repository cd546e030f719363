// The History page: profiles over the snapshots, flows between them, at-risk movers, drift.
import {loadConfig} from "../../loaders/config.ts";
import {historyData} from "../../loaders/history.ts";
import {configPath, storePath} from "../../loaders/paths.ts";
import {withStore} from "../../loaders/store.ts";

const {privacy, history} = await loadConfig(configPath());
const data = await withStore(storePath(), (s) =>
  historyData(s, {
    minGroupSize: privacy.minGroupSize,
    customerLevel: privacy.customerLevel,
    history
  })
);
process.stdout.write(JSON.stringify(data));
