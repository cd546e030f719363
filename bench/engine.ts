/**
 * Benchmark: the whole engine (ingest, then whatever profiling stages the engine runs) on the
 * seeded demo dataset, built on disk as any input over 1 GiB is. Prints the input rows per
 * table, the wall time and memory of every stage the engine reports, the total and the peak
 * resident memory of the process (DuckDB runs in it, so its native memory counts).
 *
 *   npx tsx bench/engine.ts [--customers 1000000] [--data DIR] [--store FILE] [--keep]
 *
 * The dataset is generated into --data (default /tmp/portrait-bench-1m for a million customers,
 * /tmp/portrait-bench-<n> otherwise) unless the folder already holds one whose manifest matches
 * (generator version, seed, customers, end date); a million customers take a few minutes. The
 * store goes to a fresh temporary folder (or --store) and is rebuilt every run; --keep keeps it.
 * DuckDB's memory limit comes from PORTRAIT_MEMORY_LIMIT, as in a build.
 */
import {spawnSync} from "node:child_process";
import {existsSync, mkdtempSync, readFileSync, rmSync} from "node:fs";
import {availableParallelism, tmpdir, totalmem} from "node:os";
import {join, resolve} from "node:path";
import {parseArgs} from "node:util";
import {GENERATOR_VERSION, MAX_CUSTOMERS} from "../loaders/demo/generate.ts";
import {DEFAULT_END} from "../loaders/demo/timeline.ts";
import {runEngine} from "../loaders/engine.ts";
import {PROJECT_DIR} from "../loaders/core/paths.ts";
import {memoryLimitOf} from "../loaders/core/store.ts";

/** The demo's seed (scripts/demo-data.ts's default), so a reused dataset is the same one. */
const SEED = 42;
/** The events (everything but customers) a full-size run must read. */
const MIN_EVENTS = 20_000_000;

const {values} = parseArgs({
  options: {
    customers: {type: "string", default: "1000000"},
    data: {type: "string"},
    store: {type: "string"},
    keep: {type: "boolean", default: false}
  }
});
const customers = Number(values.customers);
if (!Number.isInteger(customers) || customers < 1 || customers > MAX_CUSTOMERS) {
  console.error(
    `invalid --customers: ${values.customers} (expected an integer from 1 to ${MAX_CUSTOMERS})`
  );
  process.exit(2);
}
const label = customers % 1_000_000 === 0 ? `${customers / 1_000_000}m` : String(customers);
const data = resolve(values.data ?? join(tmpdir(), `portrait-bench-${label}`));

const n = (x: number) => x.toLocaleString("en-US");
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const gib = (mib: number) => `${(mib / 1024).toFixed(2)} GiB`;

interface Manifest {
  generator?: string;
  version?: string;
  seed?: number;
  customers?: number;
  end?: string;
  rows?: Record<string, number>;
}

/** Why the folder's dataset cannot be reused, or undefined when it can. */
function staleness(dir: string): string | undefined {
  const path = join(dir, "truth", "manifest.json");
  if (!existsSync(path)) return "no dataset";
  const manifest = JSON.parse(readFileSync(path, "utf8")) as Manifest;
  const expected: Manifest = {
    generator: "portrait-demo",
    version: GENERATOR_VERSION,
    seed: SEED,
    customers,
    end: DEFAULT_END
  };
  for (const [key, value] of Object.entries(expected)) {
    const found = manifest[key as keyof Manifest];
    if (found !== value) return `its manifest has ${key} ${JSON.stringify(found)}, not ${value}`;
  }
  const missing = Object.keys(manifest.rows ?? {}).find((file) => !existsSync(join(dir, file)));
  return missing === undefined ? undefined : `${missing} is missing`;
}

const stale = staleness(data);
if (stale === undefined) {
  console.log(`dataset: ${data} (reused: its manifest matches)`);
} else {
  console.log(`dataset: generating ${n(customers)} customers into ${data} (${stale})`);
  // The manifest is written last: without it, an interrupted generation is never reused.
  rmSync(join(data, "truth", "manifest.json"), {force: true});
  const started = performance.now();
  const generated = spawnSync(
    "npx",
    [
      "tsx",
      "scripts/demo-data.ts",
      "--customers",
      String(customers),
      "--seed",
      String(SEED),
      "--out",
      data
    ],
    {cwd: PROJECT_DIR, stdio: "inherit"}
  );
  if (generated.status !== 0) {
    console.error(`generating the dataset failed (exit ${generated.status ?? generated.signal})`);
    process.exit(1);
  }
  console.log(`generated in ${seconds(performance.now() - started)}`);
}

const storeDir = values.store ? undefined : mkdtempSync(join(tmpdir(), "portrait-bench-store-"));
const storePath = resolve(values.store ?? join(storeDir!, "store.duckdb"));
// A rebuild every run: a store left from an earlier run would be reused when it matches.
for (const suffix of ["", ".wal"]) rmSync(`${storePath}${suffix}`, {force: true});
process.env.PORTRAIT_DATA = data;

console.log(
  `machine: ${availableParallelism()} cores, ${gib(totalmem() / 2 ** 20)} memory; DuckDB memory limit ${memoryLimitOf(process.env)}`
);
console.log(`store: ${storePath}\n\nengine log`);

const result = await runEngine({
  configPath: join(PROJECT_DIR, "portrait.config.ts"),
  storePath,
  log: (line) => console.log(`  ${line}`)
});
const maxRssMiB = process.resourceUsage().maxRSS / 1024;

const sources = result.pipeline?.validation.sources ?? [];
const byTable = new Map<string, number>();
for (const s of sources) byTable.set(s.table, (byTable.get(s.table) ?? 0) + s.read);
const events = [...byTable].filter(([t]) => t !== "customers").reduce((sum, [, r]) => sum + r, 0);
const width = Math.max(...[...byTable.keys(), "events (all but customers)"].map((t) => t.length));
console.log("\ninput rows");
for (const [table, rows] of byTable)
  console.log(`  ${table.padEnd(width)} ${n(rows).padStart(12)}`);
console.log(`  ${"events (all but customers)".padEnd(width)} ${n(events).padStart(12)}`);
if (events < MIN_EVENTS) {
  console.log(
    `  (fewer than ${n(MIN_EVENTS)} events: a quick run; the full benchmark is --customers 1000000)`
  );
}

const stageWidth = Math.max(5, ...result.stages.map((s) => s.stage.length));
console.log(`\n${"stage".padEnd(stageWidth)}  ${"wall".padStart(8)}  ${"RSS at end".padStart(10)}`);
for (const s of result.stages) {
  console.log(
    `${s.stage.padEnd(stageWidth)}  ${seconds(s.ms).padStart(8)}  ${gib(s.rssMiB).padStart(10)}`
  );
}
const staged = result.stages.reduce((sum, s) => sum + s.ms, 0);
console.log(
  `${"other".padEnd(stageWidth)}  ${seconds(result.elapsedMs - staged).padStart(8)}  (config, fingerprint of the inputs, opening the store)`
);
console.log(`${"total".padEnd(stageWidth)}  ${seconds(result.elapsedMs).padStart(8)}`);
console.log(`\npeak memory (maxRSS, DuckDB included): ${gib(maxRssMiB)}`);

if (values.keep) console.log(`kept the store: ${storePath}`);
else if (storeDir) rmSync(storeDir, {recursive: true, force: true});
else for (const suffix of ["", ".wal"]) rmSync(`${storePath}${suffix}`, {force: true});
