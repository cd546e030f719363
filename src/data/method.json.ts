// The Method page: the k tried, the features, the value models and the settings of this build.
import {loadConfig} from "../../loaders/config.ts";
import {methodDocument} from "../../loaders/method.ts";
import {configPath, storePath} from "../../loaders/paths.ts";
import {withStore} from "../../loaders/store.ts";

const config = await loadConfig(configPath());
process.stdout.write(JSON.stringify(await withStore(storePath(), (s) => methodDocument(s, config))));
