/** `npm run engine`: builds the profile store from the data folder without building the site. */
import {ConfigError} from "../loaders/config/project.ts";
import {configPath, storePath} from "../loaders/core/paths.ts";
import {DataError, runEngine} from "../loaders/engine.ts";

try {
  const result = await runEngine({
    configPath: configPath(),
    storePath: storePath(),
    log: console.log
  });
  console.log(
    `${result.rebuilt ? "built" : "reused"} ${storePath()} in ${(result.elapsedMs / 1000).toFixed(1)} s`
  );
} catch (error) {
  // A mistake in the config or the data is said in its own words; anything else keeps its stack.
  if (!(error instanceof ConfigError || error instanceof DataError)) throw error;
  console.error(`✗ ${error.message}`);
  process.exitCode = 1;
}
