// The History page: profiles over the snapshots, flows between them, at-risk movers, drift.
import {readPageSettings} from "../../loaders/config/settings.ts";
import {historyData} from "../../loaders/site/history.ts";
import {storePath} from "../../loaders/core/paths.ts";
import {withStore} from "../../loaders/core/store.ts";

const data = await withStore(storePath(), async (s) => {
  const {privacy, history} = await readPageSettings(s);
  return historyData(s, {
    minGroupSize: privacy.minGroupSize,
    customerLevel: privacy.customerLevel,
    history
  });
});
process.stdout.write(JSON.stringify(data));
