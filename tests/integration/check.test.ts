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

describe("npm run check: identifiers in what it prints", () => {
  it("masks the e-mail addresses and phone numbers a quarantined row holds", async () => {
    await writeFile(
      join(dir, "sales.csv"),
      [
        "order_id,customer_id,ordered_at,amount,ship_phone",
        "S1,C1,2024-02-01,5,+49 30 1234 5678",
        "S2,jon.moss@mail.example,2024-02-02,6,+49 30 1234 5678",
        "S3,C2,2024-02-03,7,",
        "S4,C3,2024-02-04,8,",
        ""
      ].join("\n")
    );
    const path = join(dir, "sales.config.ts");
    await writeFile(
      path,
      'export default {sources: {crm: {table: "customers", file: "customers.csv"}, sales: {table: "orders", file: "sales.csv"}}, validation: {maxRejectShare: 0.5}};\n'
    );
    const {status, stdout, stderr} = check(path);
    expect(status).toBe(0);
    expect(stdout).toContain(
      "e.g. sales.csv row 2: customer j…@mail.example is not among the customers"
    );
    expect(`${stdout}${stderr}`).not.toContain("jon.moss");
    expect(`${stdout}${stderr}`).not.toContain("1234 5678");
  });
});

describe("npm run check: reference keys with several rows", () => {
  async function config(name: string, combine: string): Promise<string> {
    await writeFile(join(dir, "climate.csv"), "country,climate\nDE,mild\nDE,cold\nFR,mild\n");
    const path = join(dir, name);
    await writeFile(
      path,
      `export default {sources: {crm: {table: "customers", file: "customers.csv"}}, references: {climate: {file: "climate.csv"}}, enrich: [{reference: "climate", on: {country: "country"}, fields: {climate: "climate"}${combine}}]};\n`
    );
    return path;
  }

  it("warns when a key's rows disagree and the config does not say how to combine them", async () => {
    const {status, stdout} = check(await config("repeated.config.ts", ""));
    expect(status).toBe(0);
    expect(stdout).toContain(
      '! enrich[0] (references.climate): 1 of its keys have several rows that disagree, so a field without combine stays empty for their customers (3 of 3 customers matched). Set combine: "mean", "mode" or "first"'
    );
  });

  it("says nothing more once combine says how", async () => {
    const {status, stdout} = check(await config("combined.config.ts", ', combine: "first"'));
    expect(status).toBe(0);
    expect(stdout).not.toContain("! enrich");
    expect(stdout).toContain("enrich climate: 3 of 3 customers matched");
  });
});

describe("npm run check: what the build checks before it clusters", () => {
  /**
   * 120 customers with an income and nothing dated (so asOf is set): enough for profiles, one
   * feature to cluster on.
   */
  const CRM = [
    "customer_id,income",
    ...Array.from({length: 120}, (_, i) => `K${i},${20000 + ((i * 7919) % 90000)}`)
  ].join("\n");

  async function config(name: string, extra: string): Promise<string> {
    await writeFile(join(dir, "crm.csv"), `${CRM}\n`);
    const path = join(dir, name);
    await writeFile(
      path,
      `export default {asOf: "2026-11-30", sources: {crm: {table: "customers", file: "crm.csv"}}, ${extra}};\n`
    );
    return path;
  }

  it("warns, and still passes, when the profiles would be clustered on fewer than three features", async () => {
    const {status, stdout} = check(
      await config("few.config.ts", "clustering: {dimensions: {behavioral: 0, demographic: 1}}")
    );
    expect(status).toBe(0);
    expect(stdout).toContain(
      "! the profiles are clustered on 1 feature (Income), fewer than 3: they can only split customers along one line."
    );
  });

  it("says which field lost how many values, and why", async () => {
    await writeFile(
      join(dir, "flags.csv"),
      "id,churned,plan\nA,yes,x\nB,maybe,y\nC,n/a,z\nD,no,-\n"
    );
    const path = join(dir, "flags.config.ts");
    await writeFile(
      path,
      `export default {asOf: "2026-11-30", sources: {crm: {table: "customers", file: "flags.csv", columns: {customer_id: "id"}, attributes: {plan: {type: "category", dimension: "behavioral"}}, outcomes: {churned: {type: "flag"}}}}};\n`
    );
    const {stdout} = check(path);
    expect(stdout).toContain("values cleared 3");
    // A placeholder is missing in text; in a flag, as in a number, it is a value that does not read.
    expect(stdout).toMatch(
      /\n\s+2 {2}churned cleared: not_a_flag\n\s+1 {2}plan cleared: placeholder\n/
    );
  });

  it("fails, asking for asOf, when no source has a dated row", async () => {
    await writeFile(join(dir, "crm.csv"), `${CRM}\n`);
    const path = join(dir, "undated.config.ts");
    await writeFile(
      path,
      `export default {sources: {crm: {table: "customers", file: "crm.csv"}}};\n`
    );
    const {status, stderr} = check(path);
    expect(status).toBe(1);
    expect(stderr).toContain(
      `✗ no source has a dated row, so the data does not say which day it describes: set asOf in ${path} to the day the export was taken (asOf: "2026-12-05" for today)`
    );
  });

  it("fails on a file with a header and no rows, rather than calling it usable", async () => {
    await writeFile(join(dir, "no-orders.csv"), "order_id,customer_id,ordered_at,amount\n");
    const path = join(dir, "header-only.config.ts");
    await writeFile(
      path,
      `export default {asOf: "2024-03-31", sources: {crm: {table: "customers", file: "customers.csv"}, shop: {table: "orders", file: "no-orders.csv"}}};\n`
    );
    const {status, stdout, stderr} = check(path);
    expect(status).toBe(1);
    expect(stdout).not.toContain("usable");
    expect(stderr).toContain(
      `✗ sources.shop: no-orders.csv has a header and no rows, so there is nothing to read. Export it again, or take sources.shop out of ${path}`
    );
  });

  it("fails where the build would: a clustered feature the data does not measure, a bad segment", async () => {
    const {status, stderr} = check(
      await config(
        "unmeasured.config.ts",
        'clustering: {features: ["income", "orders_12m"]}, segments: {by_income: [{feature: "income", groups: {}}]}'
      )
    );
    expect(status).toBe(1);
    expect(stderr).toContain('✗ clustering.features: "orders_12m" is not measured');
    expect(stderr).toContain('✗ segments: "income" is a number: give it bins');
  });
});
