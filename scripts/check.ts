/**
 * `npm run check`: validates the config and the data without building the site, and prints
 * the data-quality summary. It runs every check the build runs before Framework: the pipeline
 * (read, validate, standardise, identities, enrichment) and, on its features, what profiling
 * checks before it clusters (loaders/profile/preflight.ts). Exits 1 on a fatal problem (bad
 * config, unreadable source, a source over its reject limit, a feature or segment the config
 * names that the data cannot give); warnings are printed and do not fail it.
 */
import {ConfigError, loadConfig} from "../loaders/config/project.ts";
import {configPath, storePath} from "../loaders/core/paths.ts";
import {redact} from "../loaders/core/redact.ts";
import {scratchDir} from "../loaders/core/scratch.ts";
import {featuresChecked, runPipeline} from "../loaders/engine.ts";
import {qualityText} from "../loaders/clean/quality.ts";
import {Store} from "../loaders/core/store.ts";

async function main(): Promise<number> {
  const config = await loadConfig(configPath());
  // The sources' raw text goes where a build's does: the store's private folder.
  const store = await Store.open(":memory:", {scratch: scratchDir(storePath())});
  try {
    const log: string[] = [];
    const result = await runPipeline(store, config, (line) => log.push(line));
    console.log(qualityText(result.quality));
    const problems = [...result.validation.problems];
    const warnings = [...result.warnings];
    if (problems.length === 0) {
      const {checked} = await featuresChecked(store, config, result.validation.asOf);
      problems.push(...checked.problems);
      warnings.push(...checked.warnings);
    }
    const notes = log.filter((l) => l.startsWith("as of ") || l.startsWith("enrich "));
    // A message may quote a value of the data: e-mail addresses and phone numbers are masked.
    if (notes.length > 0) console.log(redact(`\n${notes.join("\n")}`));
    if (warnings.length > 0) console.log(redact(`\n${warnings.map((w) => `! ${w}`).join("\n")}`));
    if (problems.length > 0) {
      console.error(redact(`\n${problems.map((p) => `✗ ${p}`).join("\n")}`));
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
    console.error(
      redact(`✗ ${error instanceof ConfigError ? error.message : (error as Error).message}`)
    );
    process.exit(1);
  }
);
