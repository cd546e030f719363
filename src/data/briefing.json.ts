// The overview: profiles at a glance, what changed since the previous build, data quality.
import {briefing} from "../../loaders/site/briefing.ts";
import {readPageSettings} from "../../loaders/config/settings.ts";
import {storePath} from "../../loaders/core/paths.ts";
import {withStore} from "../../loaders/core/store.ts";

const brief = await withStore(storePath(), async (s) => {
  const {privacy, history, currency} = await readPageSettings(s);
  return briefing(s, {
    customerLevel: privacy.customerLevel,
    drift: history.drift,
    minGroupSize: privacy.minGroupSize,
    currency: currency ?? null
  });
});
process.stdout.write(JSON.stringify(brief));
