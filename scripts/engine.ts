/** `npm run engine`: builds the profile store from the data folder without building the site. */
import {runEngine} from "../loaders/engine.ts";
import {dataDir, storePath} from "../loaders/paths.ts";

const result = await runEngine({dataDir: dataDir(), storePath: storePath(), log: console.log});
console.log(
  `${result.rebuilt ? "built" : "reused"} ${storePath()} in ${(result.elapsedMs / 1000).toFixed(1)} s`
);
