// What every page writes the same way: the currency of amounts.
import {readPageSettings} from "../../loaders/config/settings.ts";
import {storePath} from "../../loaders/core/paths.ts";
import {withStore} from "../../loaders/core/store.ts";
import type {SiteSettings} from "../contracts/site.ts";

const site = await withStore(
  storePath(),
  async (s): Promise<SiteSettings> => ({currency: (await readPageSettings(s)).currency ?? null})
);
process.stdout.write(JSON.stringify(site));
