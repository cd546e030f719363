/**
 * Generates the seeded demo dataset.
 *
 *   npx tsx scripts/demo-data.ts [--customers 20000] [--seed 42] [--end 2026-10-31] [--out data/demo]
 */

import {pathToFileURL} from "node:url";
import {parseDay} from "../loaders/demo/calendar.ts";
import {MAX_CUSTOMERS} from "../loaders/demo/generate.ts";
import {DEFAULT_END, HISTORY_START, HORIZON} from "../loaders/demo/timeline.ts";
import {writeDemo} from "../loaders/demo/write.ts";

interface Flags {
  customers: number;
  seed: number;
  end: string;
  out: string;
}

const USAGE = `usage: npx tsx scripts/demo-data.ts [--customers N] [--seed N] [--end YYYY-MM-DD] [--out DIR]
  --customers  persons signed up by ${DEFAULT_END}, an integer from 1 to ${MAX_CUSTOMERS} (default 20000)
  --seed       an integer from 0 to 4294967295 (default 42)
  --end        last day of the export, from ${HISTORY_START} to ${HORIZON} (default ${DEFAULT_END})
  --out        output folder (default data/demo)`;

/** A command-line mistake: reported with the usage text, exit code 2. */
export class UsageError extends Error {}

function integer(flag: string, text: string, lo: number, hi: number): number {
  if (!/^\d+$/.test(text) || Number(text) < lo || Number(text) > hi) {
    throw new UsageError(
      `invalid ${flag}: ${JSON.stringify(text)} (expected an integer from ${lo} to ${hi})`
    );
  }
  return Number(text);
}

/** Parses the command line; throws a UsageError naming the flag and what it accepts. */
export function parseFlags(args: readonly string[]): Flags | "help" {
  const flags: Flags = {customers: 20000, seed: 42, end: DEFAULT_END, out: "data/demo"};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--help" || arg === "-h") return "help";
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new UsageError(`unexpected argument: ${JSON.stringify(arg)}`);
    const name = m[1];
    if (!["customers", "seed", "end", "out"].includes(name)) {
      throw new UsageError(`unknown flag: --${name} (accepted: --customers, --seed, --end, --out)`);
    }
    const value = m[2] ?? args[++i];
    if (value === undefined || value === "") throw new UsageError(`missing value for --${name}`);
    if (name === "customers") flags.customers = integer("--customers", value, 1, MAX_CUSTOMERS);
    else if (name === "seed") flags.seed = integer("--seed", value, 0, 2 ** 32 - 1);
    else if (name === "out") flags.out = value;
    else {
      if (parseDay(value) === null || value < HISTORY_START || value > HORIZON) {
        throw new UsageError(
          `invalid --end: ${JSON.stringify(value)} (expected a date YYYY-MM-DD from ${HISTORY_START} to ${HORIZON})`
        );
      }
      flags.end = value;
    }
  }
  return flags;
}

function main(): void {
  let flags: Flags | "help";
  try {
    flags = parseFlags(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (flags === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const started = performance.now();
  let result;
  try {
    result = writeDemo(flags);
  } catch (error) {
    // Option errors from the generator (e.g. 2026-02-30 as --end) are usage errors too.
    if (error instanceof Error && error.message.startsWith("invalid ")) {
      process.stderr.write(
        `${error.message.replace(/^invalid (\w+)/, "invalid --$1")}\n${USAGE}\n`
      );
      process.exit(2);
    }
    throw error;
  }
  const width = Math.max(...result.files.map((f) => f.file.length));
  for (const f of result.files) {
    const mb = (f.bytes / 1e6).toFixed(1);
    const rows = f.file.endsWith(".json") ? "" : `${String(f.rows).padStart(10)} rows`;
    process.stdout.write(
      `${(flags.out + "/" + f.file).padEnd(width + flags.out.length + 2)}${rows.padEnd(16)}${mb.padStart(9)} MB\n`
    );
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `generated ${result.summary.customerIds} customer ids (seed ${flags.seed}, end ${flags.end}) in ${seconds} s\n`
  );
}

// Run only as a script, so tests can import parseFlags.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  main();
