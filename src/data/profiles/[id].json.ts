// One profile's report: its document, trait distributions, geography, segments, quality, notes,
// and what changed since the previous snapshot.
import {parseArgs} from "node:util";
import {readPageSettings} from "../../../loaders/config/settings.ts";
import {isPreview} from "../../../loaders/site/hints.ts";
import {profileChanges} from "../../../loaders/site/history.ts";
import {storePath} from "../../../loaders/core/paths.ts";
import {profileReport} from "../../../loaders/site/report.ts";
import {withStore} from "../../../loaders/core/store.ts";
import type {ProfileReport} from "../../contracts/report.ts";

const {values} = parseArgs({options: {id: {type: "string"}}});
const report = await withStore(storePath(), async (s) => {
  const {privacy, history} = await readPageSettings(s);
  const page = await profileReport(s, values.id, {
    minGroupSize: privacy.minGroupSize,
    preview: isPreview()
  });
  const changes = await profileChanges(s, page.profile.id, {
    minGroupSize: privacy.minGroupSize,
    customerLevel: privacy.customerLevel,
    history
  });
  return {...page, changes} satisfies ProfileReport;
});
process.stdout.write(JSON.stringify(report));
