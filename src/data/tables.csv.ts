// The per-table summary as CSV, for download and spreadsheets.
import {toCSV, from} from "arquero";
import {readOverview} from "../../loaders/overview.ts";
import {storePath} from "../../loaders/paths.ts";
import {withStore} from "../../loaders/store.ts";

const {tables} = await withStore(storePath(), readOverview);
process.stdout.write(toCSV(from(tables)) + "\n");
