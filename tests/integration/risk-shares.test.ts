/**
 * At-risk shares of a few customers, against a small store of known counts: a profile of 500
 * customers with 3 at risk (0.6 % singles them out), one of 200 with 40 at risk, one of 100
 * with none and one of 300 with 60 (shares that may be published), and at an earlier snapshot
 * the second with 6 customers. The privacy check's at-risk rule (loaders/privacy/risk-shares.ts) on planted JSON,
 * then the loaders that publish at-risk shares, whose output the check must pass.
 */
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {dirname, join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {parseConfig, type PortraitConfig} from "../../loaders/config/project.ts";
import {checkPrivacy} from "../../loaders/privacy/check.ts";
import {privacyFailure} from "../../loaders/privacy/findings.ts";
import {riskGroups, smallRiskShares} from "../../loaders/privacy/risk-shares.ts";
import {profileFacts} from "../../loaders/profile/documents.ts";
import {historyData, profileChanges} from "../../loaders/site/history.ts";
import {baseFigures, baseTrend} from "../../loaders/site/story.ts";
import {raw, sql} from "../../loaders/core/sql.ts";
import {Store} from "../../loaders/core/store.ts";

const dir = mkdtempSync(join(tmpdir(), "portrait-risk-shares-"));
let store: Store;
let config: PortraitConfig;

/** n customers of a profile, the first `atRisk` of them at risk, as SQL rows. */
const members = (profile: string, n: number, atRisk: number) =>
  Array.from({length: n}, (_, i) => `('${profile}-${i}', '${profile}', ${i < atRisk})`);

beforeAll(async () => {
  config = parseConfig(
    {
      sources: {crm: {table: "customers", file: "data/customers.csv"}},
      privacy: {identifiers: true}
    },
    join(dir, "portrait.config.ts")
  );
  store = await Store.open(":memory:");
  const now = [
    ...members("P1", 500, 3),
    ...members("P2", 200, 40),
    ...members("P3", 100, 0),
    ...members("P4", 300, 60)
  ];
  await store.run(
    raw(`CREATE TABLE people AS SELECT * FROM (VALUES ${now.join(", ")})
      AS t(customer_id, profile_id, at_risk)`)
  );
  await store.run(
    sql`CREATE TABLE customer_profiles AS SELECT customer_id, profile_id FROM people`
  );
  await store.run(
    sql`CREATE TABLE customer_value AS SELECT customer_id, at_risk, 100.0 AS expected_value_12m,
       0.5 AS p_alive FROM people`
  );
  // At the earlier snapshot P2 had 6 customers, none at risk; now is the current snapshot.
  await store.run(
    sql`CREATE TABLE snapshot_customers AS
     SELECT DATE '2026-07-31' AS snapshot, customer_id, profile_id, at_risk,
       100.0 AS expected_value_12m, 50.0 AS spend_12m FROM people
     WHERE profile_id <> 'P2' OR customer_id IN ('P2-100', 'P2-101', 'P2-102', 'P2-103', 'P2-104', 'P2-105')
     UNION ALL
     SELECT DATE '2026-10-31', customer_id, profile_id, at_risk, 100.0, 50.0 FROM people`
  );
  // What the History loaders read besides the snapshots' customers: no flows, traits or drift.
  await store.run(
    sql`CREATE TABLE snapshots AS SELECT snapshot, snapshot = DATE '2026-10-31' AS current,
       count(*)::INTEGER AS customers FROM snapshot_customers GROUP BY ALL`
  );
  await store.run(
    sql`CREATE TABLE profiles AS SELECT DISTINCT profile_id, profile_id AS name FROM people`
  );
  await store.run(
    sql`CREATE TABLE cluster_quality AS SELECT profile_id, count(*)::INTEGER AS customers,
       count(*) / 1100 AS share, NULL::DOUBLE AS silhouette, NULL::DOUBLE AS stability
     FROM people GROUP BY ALL`
  );
  await store.run(
    sql`CREATE TABLE profile_flows (from_snapshot DATE, to_snapshot DATE, source VARCHAR,
       target VARCHAR, customers INTEGER)`
  );
  await store.run(
    sql`CREATE TABLE profile_feature_psi (from_snapshot DATE, to_snapshot DATE,
       profile_id VARCHAR, feature VARCHAR, psi DOUBLE)`
  );
  await store.run(
    sql`CREATE TABLE profile_drift (from_snapshot DATE, to_snapshot DATE, profile_id VARCHAR,
       centroid_shift DOUBLE, psi_max DOUBLE, psi_feature VARCHAR, alert BOOLEAN)`
  );
  await store.run(
    sql`CREATE TABLE profile_traits (profile_id VARCHAR, feature VARCHAR, label VARCHAR,
       unit VARCHAR, kind VARCHAR, rank INTEGER, distinguishing BOOLEAN)`
  );
  await store.run(
    sql`CREATE TABLE snapshot_feature_means (snapshot DATE, profile_id VARCHAR, feature VARCHAR,
       customers INTEGER, mean DOUBLE)`
  );
});

afterAll(() => {
  store?.close();
  rmSync(dir, {recursive: true, force: true});
});

let site = 0;

/** A published folder holding files (path relative to it → JSON value). */
function published(files: Record<string, unknown>): string {
  const out = join(dir, `site-${++site}`);
  for (const [path, value] of Object.entries(files)) {
    mkdirSync(dirname(join(out, path)), {recursive: true});
    writeFileSync(join(out, path), JSON.stringify(value));
  }
  return out;
}

/** A share the tests plant a number in. */
const SUPPRESSED = null as number | null;

/**
 * The loaders' files with every at-risk share as they publish it: P1's suppressed (3 at risk)
 * and P2's hidden beside it (else all customers' share less P2's, P3's and P4's gives it back).
 */
const CLEAN = {
  "_file/data/profiles.0a1b2c3d.json": {
    profiles: [
      {id: "P1", customers: 500, at_risk_share: SUPPRESSED, at_risk_suppressed: true},
      {id: "P2", customers: 200, at_risk_share: SUPPRESSED, at_risk_suppressed: "complement"},
      {id: "P3", customers: 100, at_risk_share: 0, at_risk_suppressed: false},
      {id: "P4", customers: 300, at_risk_share: 0.2, at_risk_suppressed: false}
    ]
  },
  "_file/data/history.0a1b2c3d.json": {
    series: [
      {snapshot: "2026-07-31", profile_id: "P2", customers: null, at_risk_share: SUPPRESSED},
      {snapshot: "2026-10-31", profile_id: "P2", customers: 200, at_risk_share: SUPPRESSED},
      {snapshot: "2026-10-31", profile_id: "P4", customers: 300, at_risk_share: 0.2}
    ]
  },
  "_file/data/profiles/P1.0a1b2c3d.json": {
    profile: {id: "P1", at_risk_share: null},
    changes: {
      previous: "2026-07-31",
      current: "2026-10-31",
      at_risk_share: {before: SUPPRESSED, after: null}
    }
  },
  "_file/data/briefing.0a1b2c3d.json": {base: {customers: 1100, at_risk_share: 0.09364}}
};

describe("checkPrivacy(store, dir, config): at-risk shares", () => {
  it("passes shares of no or at least minGroupSize customers at risk, and suppressed ones", async () => {
    const report = await checkPrivacy(store, published(CLEAN), config);
    expect(report.violations).toEqual([]);
  });

  it("fails a profile's at-risk share that stands for fewer than minGroupSize customers at risk", async () => {
    const planted = structuredClone(CLEAN);
    planted["_file/data/profiles.0a1b2c3d.json"].profiles[0].at_risk_share = 0.006;
    const report = await checkPrivacy(store, published(planted), config);
    expect(
      privacyFailure(report)
        .split("\n")
        .filter((l) => l.startsWith("- "))
    ).toEqual([
      '- _file/data/profiles.0a1b2c3d.json, at profiles[0].at_risk_share: an at-risk share of profile P1 that stands for 3 customers at risk, below privacy.minGroupSize (10). Publish the share as null with at_risk_suppressed true when 1 to 9 customers are at risk or the group is that small (fewAtRisk in src/contracts/risk.ts), and say "fewer than 10 customers" on the page.'
    ]);
  });

  it("fails a snapshot's share of a profile of fewer than minGroupSize customers, and a report's change before", async () => {
    const planted = structuredClone(CLEAN);
    planted["_file/data/history.0a1b2c3d.json"].series[0].at_risk_share = 0;
    planted["_file/data/profiles/P1.0a1b2c3d.json"].changes.at_risk_share.before = 0.006;
    const report = await checkPrivacy(store, published(planted), config);
    expect(report.violations.map((v) => [v.file, v.where, v.what])).toEqual([
      [
        "_file/data/history.0a1b2c3d.json",
        "at series[0].at_risk_share",
        "an at-risk share of profile P2 on 2026-07-31, a group of 6 customers, below privacy.minGroupSize (10)"
      ],
      [
        "_file/data/profiles/P1.0a1b2c3d.json",
        "at changes.at_risk_share.before",
        "an at-risk share of profile P1 on 2026-07-31 that stands for 3 customers at risk, below privacy.minGroupSize (10)"
      ]
    ]);
  });

  it("fails a suppressed share that all customers' share less the other profiles' gives back", async () => {
    const planted = structuredClone(CLEAN);
    planted["_file/data/profiles.0a1b2c3d.json"].profiles[1].at_risk_share = 0.2;
    const report = await checkPrivacy(store, published(planted), config);
    expect(report.violations.map((v) => [v.file, v.where, v.what])).toEqual([
      [
        "_file/data/briefing.0a1b2c3d.json",
        "all customers' at-risk share on 2026-10-31",
        "beside the other profiles' published shares, the suppressed share of profile P1 is the only one unknown, so subtraction gives it back (exactly where every customer's risk was assessed): 3 customers at risk, below privacy.minGroupSize (10)"
      ]
    ]);
  });

  it("leaves customer-level files to the identifier scan", async () => {
    const planted = {
      ...CLEAN,
      "_file/data/cards/P1.json": {profile_id: "P1", at_risk_share: 0.006}
    };
    expect((await checkPrivacy(store, published(planted), config)).violations).toEqual([]);
  });
});

describe("smallRiskShares(file, parsed, groups, min)", () => {
  it("reads the whole base where a record names no profile, now or at its snapshot", async () => {
    // 103 of 1,100 at risk now, 63 of 906 at the earlier snapshot: both fewer than 110
    const groups = await riskGroups(store);
    expect(groups.get("now *")).toEqual({customers: 1100, at_risk: 103});
    expect(groups.get("2026-07-31 P2")).toEqual({customers: 6, at_risk: 0});
    const found = smallRiskShares(
      "briefing.json",
      {base: {at_risk_share: 0.09364}, trend: [{snapshot: "2026-07-31", at_risk_share: 0.06954}]},
      groups,
      110
    );
    expect(found.checked).toBe(2);
    expect(found.violations.map((v) => v.what)).toEqual([
      "an at-risk share of all customers that stands for 103 customers at risk, below privacy.minGroupSize (110)",
      "an at-risk share of all customers on 2026-07-31 that stands for 63 customers at risk, below privacy.minGroupSize (110)"
    ]);
  });
});

describe("the loaders' at-risk shares", () => {
  const options = () => ({minGroupSize: 10, customerLevel: false, history: config.history});

  it("suppress the share of a profile with 3 customers at risk and hide the smallest other, not those of 60 or none", async () => {
    const facts = await profileFacts(store, [], 10);
    expect(facts.map((f) => [f.id, f.atRiskShare, f.atRiskSuppressed])).toEqual([
      ["P1", null, true],
      ["P2", null, "complement"],
      ["P3", 0, false],
      ["P4", 0.2, false]
    ]);
    expect(facts[0].baseAtRiskShare).toBeCloseTo(103 / 1100, 10);
  });

  it("suppress a snapshot's share of 3 at risk, or of a profile of 6 customers, in History and a report", async () => {
    const history = await historyData(store, options());
    const at = (snapshot: string, profile: string) =>
      history.series.find((r) => r.snapshot === snapshot && r.profile_id === profile);
    expect(at("2026-07-31", "P1")).toMatchObject({
      customers: 500,
      at_risk_customers: null,
      at_risk_share: null,
      at_risk_suppressed: true
    });
    expect(at("2026-07-31", "P2")).toMatchObject({
      customers: null,
      at_risk_share: null,
      at_risk_suppressed: true
    });
    expect(at("2026-10-31", "P2")).toMatchObject({
      customers: 200,
      at_risk_customers: null,
      at_risk_share: null,
      at_risk_suppressed: "complement"
    });
    expect(at("2026-10-31", "P3")).toMatchObject({at_risk_share: 0, at_risk_suppressed: false});
    expect(at("2026-10-31", "P4")).toMatchObject({
      at_risk_customers: 60,
      at_risk_share: 0.2,
      at_risk_suppressed: false
    });
    // all customers: 63 of 906 at risk then, 103 of 1,100 now
    expect(history.base.map((b) => [b.snapshot, b.at_risk_share, b.at_risk_suppressed])).toEqual([
      ["2026-07-31", 0.06954, false],
      ["2026-10-31", 0.09364, false]
    ]);
    const p1 = await profileChanges(store, "P1", options());
    expect(p1).toMatchObject({
      at_risk_share: {before: null, after: null},
      at_risk_suppressed: {before: true, after: true}
    });
    const p2 = await profileChanges(store, "P2", options());
    expect(p2).toMatchObject({
      at_risk_share: {before: null, after: null},
      at_risk_suppressed: {before: true, after: "complement"}
    });
  });

  it("suppress the whole base's share when fewer than minGroupSize of it are at risk", async () => {
    expect(await baseFigures(store, 1100, 10)).toMatchObject({
      at_risk_share: 0.09364,
      at_risk_suppressed: false
    });
    expect(await baseFigures(store, 1100, 110)).toMatchObject({
      at_risk_share: null,
      at_risk_suppressed: true
    });
    expect(
      (await baseTrend(store, 100)).map((t) => [t.snapshot, t.at_risk_share, t.at_risk_suppressed])
    ).toEqual([
      ["2026-07-31", null, true],
      ["2026-10-31", 0.09364, false]
    ]);
  });

  it("leave out a changed flag whose mean, then or now, counts 1 to 9 customers with it or without it", async () => {
    // P4, 300 customers then and now: 3 had the flag then (1 %), 60 now; a score moved as well
    await store.run(
      sql`INSERT INTO profile_traits VALUES
         ('P4', 'newsletter', 'Newsletter', 'flag', 'number', 1, true),
         ('P4', 'score', 'Score', 'score', 'number', 2, true),
         ('P4', 'app_user', 'App user', 'flag', 'number', 3, true)`
    );
    await store.run(
      sql`INSERT INTO snapshot_feature_means VALUES
         (DATE '2026-07-31', 'P4', 'newsletter', 300, 0.01),
         (DATE '2026-10-31', 'P4', 'newsletter', 300, 0.2),
         (DATE '2026-07-31', 'P4', 'score', 300, 3.5),
         (DATE '2026-10-31', 'P4', 'score', 300, 4.0),
         (DATE '2026-07-31', 'P4', 'app_user', 300, 0.5),
         (DATE '2026-10-31', 'P4', 'app_user', 300, 0.6)`
    );
    try {
      const changes = await profileChanges(store, "P4", options());
      expect(changes?.traits.map((t) => [t.feature, t.before, t.after])).toEqual([
        ["score", 3.5, 4],
        ["app_user", 0.5, 0.6]
      ]);
    } finally {
      await store.run(sql`DELETE FROM profile_traits`);
      await store.run(sql`DELETE FROM snapshot_feature_means`);
    }
  });

  it("publish what the privacy check passes", async () => {
    const history = await historyData(store, options());
    const changes = await profileChanges(store, "P1", options());
    const out = published({
      "_file/data/history.0a1b2c3d.json": history,
      "_file/data/profiles.0a1b2c3d.json": {
        profiles: (await profileFacts(store, [], 10)).map((f) => ({
          id: f.id,
          at_risk_share: f.atRiskShare,
          at_risk_suppressed: f.atRiskSuppressed
        }))
      },
      "_file/data/profiles/P1.0a1b2c3d.json": {profile: {id: "P1"}, changes},
      "_file/data/briefing.0a1b2c3d.json": {
        base: await baseFigures(store, 1100, 10),
        trend: await baseTrend(store, 10)
      }
    });
    const report = await checkPrivacy(store, out, config);
    expect(report.violations).toEqual([]);
  });
});
