/** `npm run engine`: builds the profile store from the data folder without building the site. */
import {runEngine} from "../loaders/engine.ts";
import {configPath, storePath} from "../loaders/core/paths.ts";

const result = await runEngine({
  configPath: configPath(),
  storePath: storePath(),
  log: console.log
});
console.log(
  `${result.rebuilt ? "built" : "reused"} ${storePath()} in ${(result.elapsedMs / 1000).toFixed(1)} s`
);
