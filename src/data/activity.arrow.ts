// Monthly activity per table as Arrow, for SQL in the browser (DuckDB-Wasm).
import {rowsToArrow} from "../../loaders/site/arrow.ts";
import {readOverview} from "../../loaders/clean/inventory.ts";
import {storePath} from "../../loaders/core/paths.ts";
import {withStore} from "../../loaders/core/store.ts";
import type {Overview} from "../contracts/overview.ts";

const {monthly}: Overview = await withStore(storePath(), readOverview);
process.stdout.write(rowsToArrow(monthly.map((m) => ({...m}))));
