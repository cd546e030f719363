/**
 * Profiles on the demo: the shared demo's second build (tests/support/demo-builds.ts) against
 * the generator's truth, and a second store built from scratch from the same inputs.
 */
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {runEngine} from "../../loaders/engine.ts";
import {writeExports} from "../../loaders/publish/exports.ts";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {sql} from "../../loaders/core/sql.ts";
import {withStore} from "../../loaders/core/store.ts";
import {parseCsv} from "../unit/demo/read-csv.ts";
import {adjustedRand} from "../support/ari.ts";
import {demoBuilds, type DemoBuild} from "../support/demo-builds.ts";

const dir = mkdtempSync(join(tmpdir(), "portrait-profiles-"));
const data = join(dir, "data");
let build: DemoBuild;
let archetypes: number;

beforeAll(async () => {
  const builds = await demoBuilds();
  build = builds.second;
  archetypes = Object.values(build.demo.archetypes).filter((n) => n > 0).length;
  // The same inputs into a second store, built from scratch, for the determinism check: the
  // demo's data and the state its build started from. The demo config reads PORTRAIT_DATA.
  cpSync(builds.data, data, {recursive: true});
  writeFileSync(join(data, "portrait.state.json"), JSON.stringify(builds.first.state));
  process.env.PORTRAIT_DATA = data;
  await runEngine({
    configPath: join(PROJECT_DIR, "portrait.config.ts"),
    storePath: join(dir, "b.duckdb")
  });
  for (const [name, store] of [
    ["a", build.store],
    ["b", join(dir, "b.duckdb")]
  ]) {
    await withStore(store, (s) =>
      writeExports(s, join(dir, name), {segments: ["age_by_channel", "country"]})
    );
  }
});

afterAll(() => {
  delete process.env.PORTRAIT_DATA;
  rmSync(dir, {recursive: true, force: true});
});

const csv = (path: string) => parseCsv(readFileSync(path, "utf8"));

describe("profiles on the demo data", () => {
  it("picks the planted number of archetypes automatically", () => {
    expect(build.clustering.rule).toBe("largest stable k");
    expect(build.clustering.k).toBe(archetypes);
  });

  it("recovers the planted archetypes: adjusted Rand index of the export against the truth ≥ 0.8", () => {
    const rows = csv(join(dir, "a", "exports", "customers.csv"));
    expect(rows[0]).toEqual([
      "customer_id",
      "profile_id",
      "profile_name",
      "segment",
      "p_alive",
      "expected_value_12m",
      "at_risk",
      "preferred_channel",
      "profile_brief",
      "p_lapse"
    ]);
    // Merged duplicates keep the surviving id, whose archetype the truth gives.
    const truth = new Map(
      csv(join(data, "truth", "customers.csv"))
        .slice(1)
        .map((r) => [r[0], r[1]])
    );
    const exported = rows.slice(1);
    const ari = adjustedRand(
      exported.map((r) => r[1]),
      exported.map((r) => truth.get(r[0])!)
    );
    console.log(`adjusted Rand index ${ari.toFixed(3)} on ${exported.length} customers`);
    expect(ari).toBeGreaterThanOrEqual(0.8);
  });

  it("gives every profile a unique name, quality scores and a narrative whose sentences carry numbers", async () => {
    const doc = JSON.parse(readFileSync(join(dir, "a", "exports", "profiles.json"), "utf8"));
    expect(doc.as_of).toBe("2026-10-31");
    expect(doc.profiles).toHaveLength(archetypes);
    const names = doc.profiles.map((p: {name: string}) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const p of doc.profiles) {
      expect(p.quality.silhouette).toBeGreaterThan(-1);
      expect(p.quality.stability).toBeGreaterThanOrEqual(0.75);
      expect(p.traits.length).toBeGreaterThan(0);
      expect(p.narrative.map((s: {section: string}) => s.section)).toEqual([
        "who",
        "values",
        "behaviour",
        "serve",
        "value"
      ]);
      for (const section of p.narrative) {
        expect(section.sentences.length, `${p.id} ${section.section}`).toBeGreaterThan(0);
        for (const sentence of section.sentences) {
          if (section.section !== "who" || !sentence.startsWith("Demographically"))
            expect(sentence, `${p.id}: ${sentence}`).toMatch(/\d/);
        }
      }
    }
  });

  it("fits the value models on the demo and gives most customers P(alive) and a 12-month value", async () => {
    await withStore(build.store, async (store) => {
      const models = await store.all<{model: string; value: number}>(
        sql`SELECT model, value FROM value_models WHERE parameter = 'converged' ORDER BY model`
      );
      expect(models).toEqual([
        {model: "bgnbd", value: 1},
        {model: "gamma_gamma", value: 1}
      ]);
    });
    const rows = csv(join(dir, "a", "exports", "customers.csv")).slice(1);
    const valued = rows.filter((r) => r[4] !== "" && r[5] !== "");
    expect(valued.length / rows.length).toBeGreaterThan(0.9);
    expect(rows.some((r) => r[6] === "true")).toBe(true);
  });

  it("publishes no segment cell below the privacy minimum", async () => {
    await withStore(build.store, async (store) => {
      const small = await store.all(
        sql`SELECT segment, value, profile_id, customers FROM segment_profiles
         WHERE customers < 10 OR (suppressed AND customers IS NOT NULL)
         UNION ALL SELECT segment, value, NULL, customers FROM segment_sizes
         WHERE customers < 10 OR (suppressed AND customers IS NOT NULL)`
      );
      expect(small).toEqual([]);
      const suppressed = await store.one<{n: number}>(
        sql`SELECT count(*)::INTEGER AS n FROM segment_profiles WHERE suppressed`
      );
      expect(suppressed?.n).toBeGreaterThan(0);
    });
  });

  it("writes byte-identical exports from the same data and config", () => {
    // latin1 reads one character per byte: equal strings are equal bytes, compared quickly.
    const bytes = (name: string, file: string) =>
      readFileSync(join(dir, name, "exports", file), "latin1");
    for (const file of ["customers.csv", "profiles.json"])
      expect(bytes("b", file)).toBe(bytes("a", file));
  });
});
