// The data-quality report the engine wrote: sources, quarantine, identities, filled values, coverage.
import {storePath} from "../../loaders/core/paths.ts";
import {readQuality} from "../../loaders/clean/quality.ts";
import {withStore} from "../../loaders/core/store.ts";
import type {QualityReport} from "../contracts/quality.ts";

const report: QualityReport = await withStore(storePath(), readQuality);
process.stdout.write(JSON.stringify(report));
