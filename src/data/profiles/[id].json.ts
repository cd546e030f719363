// One profile's report: its document, trait distributions, geography, segments, quality, notes.
import {parseArgs} from "node:util";
import {storePath} from "../../../loaders/paths.ts";
import {profileReport} from "../../../loaders/report.ts";
import {withStore} from "../../../loaders/store.ts";

const {values} = parseArgs({options: {id: {type: "string"}}});
process.stdout.write(JSON.stringify(await withStore(storePath(), (s) => profileReport(s, values.id))));
