// A seeded sample of customers for the Explore page, as Arrow for DuckDB-Wasm: pseudonymous ids
// and derived features only (config explore.sample, default 10,000; 0 sends none). The sample is
// drawn and generalised once per store, for this file and explore.json (reusedSample).
import {readPageSettings} from "../../loaders/config/settings.ts";
import {exploreArrow, exploreOptions, reusedSample} from "../../loaders/site/explore.ts";
import {storePath} from "../../loaders/core/paths.ts";
import {withStore} from "../../loaders/core/store.ts";

process.stdout.write(
  await withStore(storePath(), async (s) =>
    exploreArrow(s, exploreOptions(await readPageSettings(s)), reusedSample)
  )
);
