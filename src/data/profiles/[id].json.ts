// One profile's report: its document, trait distributions, geography, segments, quality, notes.
import {parseArgs} from "node:util";
import {loadConfig} from "../../../loaders/config.ts";
import {configPath, storePath} from "../../../loaders/paths.ts";
import {profileReport} from "../../../loaders/report.ts";
import {withStore} from "../../../loaders/store.ts";

const {values} = parseArgs({options: {id: {type: "string"}}});
const {privacy} = await loadConfig(configPath());
const report = await withStore(storePath(), (s) =>
  profileReport(s, values.id, {minGroupSize: privacy.minGroupSize})
);
process.stdout.write(JSON.stringify(report));
