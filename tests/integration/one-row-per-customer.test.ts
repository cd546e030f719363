/**
 * Exports of one row per customer, mapped by config alone (README, worked examples): a CRM
 * export that already summarises behaviour, with a campaign response, and a subscription export
 * with plan attributes and a churn flag. Public data nobody here wrote (tests/fixtures/*,
 * drawn by `npm run fixtures`); each config is the README's example, and the figures are
 * checked against the raw files.
 */
import {existsSync, readFileSync} from "node:fs";
import {mkdtemp, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {loadConfig, type PortraitConfig} from "../../loaders/config/project.ts";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {sql, val} from "../../loaders/core/sql.ts";
import {withStore} from "../../loaders/core/store.ts";
import {runEngine, type EngineResult} from "../../loaders/engine.ts";
import {readCatalog} from "../../loaders/profile/features.ts";
import {segmentsVersusProfiles} from "../../loaders/site/drilldown.ts";
import {profilesDocument} from "../../loaders/site/profiles.ts";

const FIXTURES = join(PROJECT_DIR, "tests", "fixtures");

/** A fixture's rows as records (a CSV without quoted fields). */
function records(file: string, delimiter: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(file, "utf8").trimEnd().split(/\r?\n/);
  const names = header.split(delimiter);
  return lines.map((l) => Object.fromEntries(l.split(delimiter).map((v, i) => [names[i], v])));
}

interface Built {
  dir: string;
  store: string;
  config: PortraitConfig;
  result: EngineResult;
}

/** Builds a fixture's store from its README config, keeping the profile ids' state out of the repo. */
async function build(name: string): Promise<Built> {
  const configPath = join(FIXTURES, name, "portrait.config.ts");
  const config = await loadConfig(configPath);
  const dir = await mkdtemp(join(tmpdir(), `portrait-${name}-`));
  config.profiles.state = join(dir, "portrait.state.json");
  const store = join(dir, "store.duckdb");
  return {dir, store, config, result: await runEngine({configPath, config, storePath: store})};
}

describe("a CRM export of one row per customer (marketing-campaign)", () => {
  const file = join(FIXTURES, "marketing-campaign", "data", "marketing_campaign.csv");
  let built: Built;
  beforeAll(async () => {
    expect(existsSync(file), "npm run fixtures draws tests/fixtures/*/data").toBe(true);
    built = await build("marketing-campaign");
  });
  afterAll(() => rm(built.dir, {recursive: true, force: true}));

  it("accepts or quarantines every row, and names the columns nothing reads", () => {
    const crm = built.result.pipeline!.validation.sources[0];
    expect(crm.accepted + crm.quarantined).toBe(crm.read);
    expect(crm.read).toBe(records(file, "\t").length);
    expect(crm.ignored).toEqual([
      "AcceptedCmp3",
      "AcceptedCmp4",
      "AcceptedCmp5",
      "AcceptedCmp1",
      "AcceptedCmp2",
      "Z_CostContact",
      "Z_Revenue"
    ]);
    expect(built.result.pipeline!.quality.sources[0].ignored).toEqual(crm.ignored);
  });

  it("clusters on the customer-level columns, and never on the outcome", async () => {
    const catalog = await withStore(built.store, readCatalog);
    const clustered = catalog.filter((f) => f.clustered).map((f) => f.id);
    for (const id of ["wine", "meat", "deals", "web", "catalogue", "store", "total_spend"])
      expect(clustered).toContain(id);
    expect(catalog.map((f) => f.id)).not.toContain("responded");
    expect(catalog.find((f) => f.id === "complained")).toMatchObject({
      measured: true,
      unit: "flag",
      clustered: false
    });
    expect(built.result.profiling!.profiles.length).toBeGreaterThanOrEqual(3);
  });

  it("computes custom features over the customer's row, as the raw file adds up", async () => {
    const raw = records(file, "\t").find((r) => r.ID === "5524")!;
    const spend = ["MntWines", "MntFruits", "MntMeatProducts", "MntFishProducts"]
      .concat(["MntSweetProducts", "MntGoldProds"])
      .reduce((sum, c) => sum + Number(raw[c]), 0);
    const row = await withStore(built.store, (s) =>
      s.one<{total_spend: number; children: number}>(
        sql`SELECT total_spend, children FROM features WHERE customer_id = ${val("5524")}`
      )
    );
    expect(row).toEqual({total_spend: spend, children: Number(raw.Kidhome) + Number(raw.Teenhome)});
  });

  it("publishes the response rate of every profile and segment, with its interval, from the raw file's responders", async () => {
    const responders = records(file, "\t").filter((r) => r.Response === "1").length;
    const {profiles} = await withStore(built.store, profilesDocument);
    const rates = profiles.map((p) => p.outcomes[0]);
    for (const r of rates) {
      expect(r).toMatchObject({outcome: "responded", label: "Accepted the last campaign's offer"});
      expect(r.low!).toBeLessThanOrEqual(r.rate!);
      expect(r.high!).toBeGreaterThanOrEqual(r.rate!);
      expect(r.base_rate).toBeCloseTo(responders / 2240, 12);
    }
    expect(publishedEvents(rates, responders)).toBe(true);
    // The profiles differ: the best responds at least twice as often as the worst.
    const sorted = rates.flatMap((r) => (r.rate === null ? [] : [r.rate])).sort((a, b) => a - b);
    expect(sorted.at(-1)! / sorted[0]).toBeGreaterThan(2);

    const segments = await withStore(built.store, (s) =>
      segmentsVersusProfiles(s, {minGroupSize: built.config.privacy.minGroupSize})
    );
    const byEducation = segments.outcomes.filter((o) => o.segment === "education");
    expect(byEducation.map((o) => o.value).sort()).toEqual(
      ["2n cycle", "basic", "graduation", "master", "phd"].sort()
    );
    // 2 of the 54 with basic education responded: a rate of 3.7% would count them, so it is
    // suppressed, with the smallest other segment (the base's rate less the others gave it)
    expect(byEducation.filter((o) => o.rate === null).map((o) => [o.value, o.customers])).toEqual([
      ["2n cycle", null],
      ["basic", null]
    ]);
    const phd = records(file, "\t").filter((r) => r.Education === "PhD");
    expect(byEducation.find((o) => o.value === "phd")!.rate).toBeCloseTo(
      phd.filter((r) => r.Response === "1").length / phd.length,
      12
    );
  });
});

/**
 * Whether the profiles' published rates account for every event: all published and adding up to
 * them, or at least two suppressed (one alone would be the base's less the others).
 */
function publishedEvents(
  rates: {rate: number | null; customers: number | null}[],
  events: number
): boolean {
  const hidden = rates.filter((r) => r.rate === null).length;
  const counted = rates.reduce((n, r) => n + (r.rate ?? 0) * (r.customers ?? 0), 0);
  return hidden === 0 ? Math.round(counted) === events : hidden >= 2 && counted < events;
}

describe("a subscription export (telco-churn)", () => {
  const file = join(FIXTURES, "telco-churn", "data", "Telco-Customer-Churn.csv");
  let built: Built;
  beforeAll(async () => {
    expect(existsSync(file), "npm run fixtures draws tests/fixtures/*/data").toBe(true);
    built = await build("telco-churn");
  });
  afterAll(() => rm(built.dir, {recursive: true, force: true}));

  it("accepts every subscriber, reads every column, and keeps blank charges as missing", async () => {
    const subscribers = built.result.pipeline!.validation.sources[0];
    expect(subscribers).toMatchObject({read: 1472, accepted: 1472, quarantined: 0, cleared: 0});
    expect(subscribers.ignored).toEqual([]);
    const blank = records(file, ",").filter((r) => r.TotalCharges.trim() === "").length;
    const missing = await withStore(built.store, (s) =>
      s.one<{n: number}>(
        sql`SELECT count(*)::INTEGER AS n FROM customers WHERE total_charges IS NULL`
      )
    );
    expect(missing?.n).toBe(blank);
  });

  it("reads flags with their own words, and plans as categories", async () => {
    const raw = records(file, ",").find((r) => r.customerID === "5575-GNVDE")!;
    const row = await withStore(built.store, (s) =>
      s.one<Record<string, unknown>>(
        sql`SELECT c.senior, c.partner, c.online_security, c.streaming_tv, c.contract, f.add_ons, c.churned
            FROM customers c JOIN features f USING (customer_id) WHERE customer_id = ${val("5575-GNVDE")}`
      )
    );
    expect(raw).toMatchObject({SeniorCitizen: "0", Partner: "No", OnlineSecurity: "Yes"});
    expect(row).toEqual({
      senior: 0,
      partner: 0,
      online_security: 1,
      streaming_tv: 0,
      contract: "one year",
      add_ons: 2,
      churned: 0
    });
  });

  it("publishes the churn rate per profile and per contract, as the raw file counts it", async () => {
    const rows = records(file, ",");
    const churned = rows.filter((r) => r.Churn === "Yes").length;
    const {profiles} = await withStore(built.store, profilesDocument);
    const rates = profiles.map((p) => p.outcomes.find((o) => o.outcome === "churned")!);
    expect(rates[0].base_rate).toBeCloseTo(churned / rows.length, 12);
    expect(publishedEvents(rates, churned)).toBe(true);
    const sorted = rates.flatMap((r) => (r.rate === null ? [] : [r.rate])).sort((a, b) => a - b);
    expect(sorted.at(-1)! - sorted[0]).toBeGreaterThan(0.2);

    const segments = await withStore(built.store, (s) =>
      segmentsVersusProfiles(s, {minGroupSize: built.config.privacy.minGroupSize})
    );
    // a flag's mean (several lines, phone service) times its row's customers counts customers
    const min = built.config.privacy.minGroupSize;
    const flags = segments.features.filter((f) => f.unit === "flag").map((f) => f.feature);
    expect(flags.length).toBeGreaterThan(0);
    const counted = segments.means.flatMap((m) =>
      flags.flatMap((f) => {
        const mean = m[f] as number | null;
        if (mean === null) return [];
        const ones = Math.round(mean * m.customers);
        return [ones, m.customers - ones]
          .filter((n) => n > 0 && n < min)
          .map((n) => `${m.segment} ${m.value} ${m.profile_id ?? "all"} ${f}: ${n}`);
      })
    );
    expect(counted).toEqual([]);
    for (const contract of ["Month-to-month", "One year", "Two year"]) {
      const of = rows.filter((r) => r.Contract === contract);
      const published = segments.outcomes.find(
        (o) => o.segment === "contract" && o.value === contract.toLowerCase()
      );
      // 8 of the 347 on a two-year contract churned: a rate of 2.3% would count them, so it is
      // suppressed, with the one-year contract's (the base's rate less the others gave it)
      if (contract !== "Month-to-month") {
        expect(published).toMatchObject({rate: null, customers: null});
        continue;
      }
      expect(published?.rate).toBeCloseTo(
        of.filter((r) => r.Churn === "Yes").length / of.length,
        12
      );
    }
  });
});
