// A seeded sample of customers for the Explore page, as Arrow for DuckDB-Wasm: pseudonymous ids
// and derived features only (config explore.sample, default 10,000; 0 sends none).
import {loadConfig} from "../../loaders/config/project.ts";
import {exploreArrow, exploreOptions} from "../../loaders/site/explore.ts";
import {configPath, storePath} from "../../loaders/core/paths.ts";
import {withStore} from "../../loaders/core/store.ts";

const options = exploreOptions(await loadConfig(configPath()));
process.stdout.write(await withStore(storePath(), (store) => exploreArrow(store, options)));
