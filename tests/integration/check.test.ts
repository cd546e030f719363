import {spawnSync} from "node:child_process";
import {cp, mkdtemp, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "portrait-check-"));
  await cp(join(import.meta.dirname, "..", "fixtures", "tiny"), dir, {recursive: true});
});

afterAll(async () => {
  await rm(dir, {recursive: true, force: true});
});

/** Runs `npm run check`'s script on a config; returns its exit code and output. */
function check(config: string): {status: number | null; stdout: string; stderr: string} {
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/check.ts"], {
    cwd: PROJECT_DIR,
    env: {...process.env, PORTRAIT_CONFIG: config},
    encoding: "utf8"
  });
  return {status: result.status, stdout: result.stdout, stderr: result.stderr};
}

describe("npm run check", () => {
  it("prints the data-quality summary and exits 0 when the config and data are usable", () => {
    const {status, stdout} = check(join(dir, "portrait.config.ts"));
    expect(status).toBe(0);
    expect(stdout).toContain("shop → orders (orders.csv)");
    expect(stdout).toContain("read 5, accepted 3, quarantined 2 (40%)");
    expect(stdout).toContain('e.g. orders.csv row 2: ordered_at "not a date" is not a date');
    expect(stdout).toContain("config and data are usable");
  });

  it("exits 1 naming the config key on a config error", async () => {
    const bad = join(dir, "bad.config.ts");
    await writeFile(
      bad,
      'export default {sources: {crm: {table: "customers", file: "customers.csv", columns: {customer_id: "custmer_id"}}}};\n'
    );
    const {status, stderr} = check(bad);
    expect(status).toBe(1);
    expect(stderr).toContain(
      `✗ ${bad}: sources.crm.columns.customer_id: no column "custmer_id" in this source; did you mean "customer_id"?`
    );
  });

  it("exits 1 after the summary when a source rejects more than its limit", async () => {
    const strict = join(dir, "strict.config.ts");
    await writeFile(
      strict,
      'export default {sources: {crm: {table: "customers", file: "customers.csv"}, shop: {table: "orders", file: "orders.csv"}}, validation: {maxRejectShare: 0.1}};\n'
    );
    const {status, stdout, stderr} = check(strict);
    expect(status).toBe(1);
    expect(stdout).toContain("read 5, accepted 3, quarantined 2");
    expect(stderr).toContain(
      "✗ sources.shop: 2 of 5 rows (40%) were quarantined, more than validation.maxRejectShare (10%)"
    );
  });
});
