// The data-quality report the engine wrote: sources, quarantine, identities, filled values, coverage.
import {storePath} from "../../loaders/core/paths.ts";
import {readQuality} from "../../loaders/clean/quality.ts";
import {withStore} from "../../loaders/core/store.ts";

process.stdout.write(JSON.stringify(await withStore(storePath(), readQuality)));
