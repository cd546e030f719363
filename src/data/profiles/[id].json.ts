// One profile's report: its document, trait distributions, geography, segments, quality, notes,
// and what changed since the previous snapshot.
import {parseArgs} from "node:util";
import {loadConfig} from "../../../loaders/config.ts";
import {profileChanges} from "../../../loaders/history.ts";
import {configPath, storePath} from "../../../loaders/paths.ts";
import {profileReport} from "../../../loaders/report.ts";
import {withStore} from "../../../loaders/store.ts";

const {values} = parseArgs({options: {id: {type: "string"}}});
const {privacy, history} = await loadConfig(configPath());
const report = await withStore(storePath(), async (s) => {
  const page = await profileReport(s, values.id, {minGroupSize: privacy.minGroupSize});
  const id = (page.profile as {id: string}).id;
  const changes = await profileChanges(s, id, {
    minGroupSize: privacy.minGroupSize,
    customerLevel: privacy.customerLevel,
    history
  });
  return {...page, changes};
});
process.stdout.write(JSON.stringify(report));
