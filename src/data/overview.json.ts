// The data overview: rows, customers and time span per table, and monthly activity.
import {readOverview} from "../../loaders/overview.ts";
import {storePath} from "../../loaders/paths.ts";
import {withStore} from "../../loaders/store.ts";

process.stdout.write(JSON.stringify(await withStore(storePath(), readOverview)));
