/** `npm run engine`: builds the profile store from the data folder without building the site. */
import {ConfigError} from "../loaders/config/project.ts";
import {acquireLock, LockedError} from "../loaders/core/lock.ts";
import {configPath, PROJECT_DIR, storePath} from "../loaders/core/paths.ts";
import {DataError, runEngine} from "../loaders/engine.ts";

try {
  // A build writing the same store at the same time would replace it under this one.
  acquireLock(`${storePath()}.lock`, `npm run engine in ${PROJECT_DIR}`);
  const result = await runEngine({
    configPath: configPath(),
    storePath: storePath(),
    // It publishes nothing: the state file is written by the build that publishes this store.
    writeState: false,
    log: console.log
  });
  console.log(
    `${result.rebuilt ? "built" : "reused"} ${storePath()} in ${(result.elapsedMs / 1000).toFixed(1)} s`
  );
} catch (error) {
  // A mistake in the config or the data is said in its own words; anything else keeps its stack.
  if (!(error instanceof ConfigError || error instanceof DataError || error instanceof LockedError))
    throw error;
  console.error(`✗ ${error.message}`);
  process.exitCode = 1;
}
