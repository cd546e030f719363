// The data-quality report the engine wrote: sources, quarantine, identities, filled values, coverage.
import {storePath} from "../../loaders/paths.ts";
import {readQuality} from "../../loaders/quality.ts";
import {withStore} from "../../loaders/store.ts";

process.stdout.write(JSON.stringify(await withStore(storePath(), readQuality)));
