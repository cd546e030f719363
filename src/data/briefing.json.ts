// The overview: profiles at a glance, what changed since the previous build, data quality.
import {briefing} from "../../loaders/briefing.ts";
import {storePath} from "../../loaders/paths.ts";
import {withStore} from "../../loaders/store.ts";

process.stdout.write(JSON.stringify(await withStore(storePath(), briefing)));
