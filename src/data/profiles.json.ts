// The profiles: names, sizes, value and risk, quality, distinguishing traits and narratives.
import {profilesDocument} from "../../loaders/exports.ts";
import {storePath} from "../../loaders/paths.ts";
import {withStore} from "../../loaders/store.ts";

process.stdout.write(JSON.stringify(await withStore(storePath(), profilesDocument)));
