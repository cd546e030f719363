// The Activity explorer's first view: the busiest month of each table and rows per year.
import {activitySummary} from "../../loaders/site/activity.ts";
import {storePath} from "../../loaders/core/paths.ts";
import {withStore} from "../../loaders/core/store.ts";

process.stdout.write(JSON.stringify(await withStore(storePath(), activitySummary)));
