/** Where the project keeps its inputs and the profile store; overridable from the environment. */
import {fileURLToPath} from "node:url";
import {resolve} from "node:path";

/** The project root (the folder holding package.json). */
export const PROJECT_DIR = fileURLToPath(new URL("../..", import.meta.url));

/** The input data folder: PORTRAIT_DATA, or the bundled demo dataset. */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(PROJECT_DIR, env.PORTRAIT_DATA ?? "data/demo");
}

/** The profile store file: PORTRAIT_STORE, or .portrait/store.duckdb. */
export function storePath(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(PROJECT_DIR, env.PORTRAIT_STORE ?? ".portrait/store.duckdb");
}

/** The published site: PORTRAIT_OUTPUT, or reports/. */
export function outputDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(PROJECT_DIR, env.PORTRAIT_OUTPUT ?? "reports");
}

/** The project config: PORTRAIT_CONFIG, or portrait.config.ts. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(PROJECT_DIR, env.PORTRAIT_CONFIG ?? "portrait.config.ts");
}
