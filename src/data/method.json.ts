// The Method page: the k tried, the features, the value models and the settings of this build.
import {readPageSettings} from "../../loaders/config/settings.ts";
import {methodDocument} from "../../loaders/site/method.ts";
import {storePath} from "../../loaders/core/paths.ts";
import {withStore} from "../../loaders/core/store.ts";

const doc = await withStore(storePath(), async (s) => methodDocument(s, await readPageSettings(s)));
process.stdout.write(JSON.stringify(doc));
