// The data overview: rows, customers and time span per table, and monthly activity.
import {readOverview} from "../../loaders/clean/inventory.ts";
import {storePath} from "../../loaders/core/paths.ts";
import {withStore} from "../../loaders/core/store.ts";

process.stdout.write(JSON.stringify(await withStore(storePath(), readOverview)));
