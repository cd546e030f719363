// The Method page: the k tried, the features, the value models and the settings of this build.
import {loadConfig} from "../../loaders/config/project.ts";
import {methodDocument} from "../../loaders/site/method.ts";
import {configPath, storePath} from "../../loaders/core/paths.ts";
import {withStore} from "../../loaders/core/store.ts";

const config = await loadConfig(configPath());
process.stdout.write(JSON.stringify(await withStore(storePath(), (s) => methodDocument(s, config))));
