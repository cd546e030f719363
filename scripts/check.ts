/**
 * `npm run check`: validates the config and the data without building the site, and prints
 * the data-quality summary. Exits 1 on a fatal problem (bad config, unreadable source, a source
 * over its reject limit).
 */
import {ConfigError, loadConfig} from "../loaders/config/project.ts";
import {configPath} from "../loaders/core/paths.ts";
import {runPipeline} from "../loaders/engine.ts";
import {qualityText} from "../loaders/clean/quality.ts";
import {Store} from "../loaders/core/store.ts";

async function main(): Promise<number> {
  const config = await loadConfig(configPath());
  const store = await Store.open(":memory:");
  try {
    const result = await runPipeline(store, config);
    console.log(qualityText(result.quality));
    if (result.validation.problems.length > 0) {
      console.error(`\n${result.validation.problems.map((p) => `✗ ${p}`).join("\n")}`);
      return 1;
    }
    console.log(`\n✓ ${config.path}: config and data are usable`);
    return 0;
  } finally {
    store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`✗ ${error instanceof ConfigError ? error.message : (error as Error).message}`);
    process.exit(1);
  }
);
