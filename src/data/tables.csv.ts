// The per-table summary as CSV, for download and spreadsheets: text a spreadsheet would run as a
// formula is neutralised, as in every CSV the build writes.
import {toCSV, from} from "arquero";
import {readOverview} from "../../loaders/clean/inventory.ts";
import {storePath} from "../../loaders/core/paths.ts";
import {withStore} from "../../loaders/core/store.ts";
import {neutraliseRow} from "../../loaders/publish/spreadsheet.ts";
import type {Overview} from "../contracts/overview.ts";

const {tables}: Overview = await withStore(storePath(), readOverview);
process.stdout.write(toCSV(from(tables.map(neutraliseRow))) + "\n");
