// Monthly activity per table as Arrow, for SQL in the browser (DuckDB-Wasm).
import {rowsToArrow} from "../../loaders/arrow.ts";
import {readOverview} from "../../loaders/overview.ts";
import {storePath} from "../../loaders/paths.ts";
import {withStore} from "../../loaders/store.ts";

const {monthly} = await withStore(storePath(), readOverview);
process.stdout.write(rowsToArrow(monthly.map((m) => ({...m}))));
