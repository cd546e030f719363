// The data overview: rows, customers and time span per table, and monthly activity.
import {readOverview} from "../../loaders/clean/inventory.ts";
import {storePath} from "../../loaders/core/paths.ts";
import {withStore} from "../../loaders/core/store.ts";
import type {Overview} from "../contracts/overview.ts";

const overview: Overview = await withStore(storePath(), readOverview);
process.stdout.write(JSON.stringify(overview));
