// What every page writes the same way: the currency of amounts, the minimum group size behind
// "fewer than N customers", and the evidence behind every risk and value figure (the backtest's
// summary).
import {readPageSettings} from "../../loaders/config/settings.ts";
import {storePath} from "../../loaders/core/paths.ts";
import {withStore} from "../../loaders/core/store.ts";
import {riskSummary} from "../../loaders/site/risk.ts";
import type {SiteSettings} from "../contracts/site.ts";

const site = await withStore(
  storePath(),
  async (s): Promise<SiteSettings> => {
    const settings = await readPageSettings(s);
    return {
      currency: settings.currency ?? null,
      min_group_size: settings.privacy.minGroupSize,
      risk: await riskSummary(s)
    };
  }
);
process.stdout.write(JSON.stringify(site));
