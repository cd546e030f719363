/**
 * The page contracts hold both sides to one shape: each site builder returns its contract's type
 * (so tsc fails on a field the builder renames), a contract's shape in tests/support/contracts.ts
 * follows the contract key by key (so tsc fails there on a field the contract renames), and
 * `shapeErrors` names every key a document has or lacks against it (so a column renamed in SQL,
 * which no type sees, fails the integration test that runs the loaders).
 */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, expectTypeOf, it} from "vitest";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {briefing} from "../../loaders/site/briefing.ts";
import {cardIndex, cardShard} from "../../loaders/site/cards.ts";
import {segmentsVersusProfiles} from "../../loaders/site/drilldown.ts";
import {exploreDocument, exploreRows} from "../../loaders/site/explore.ts";
import {historyData, profileChanges} from "../../loaders/site/history.ts";
import {methodDocument} from "../../loaders/site/method.ts";
import {profilesDocument} from "../../loaders/site/profiles.ts";
import {profileReport} from "../../loaders/site/report.ts";
import type {Briefing, Change} from "../../src/contracts/briefing.ts";
import type {CardIndex, CardShard} from "../../src/contracts/cards.ts";
import type {ExploreDocument, ExploreRow} from "../../src/contracts/explore.ts";
import type {HistoryData} from "../../src/contracts/history.ts";
import type {MethodDocument} from "../../src/contracts/method.ts";
import type {ProfilesDocument} from "../../src/contracts/profiles.ts";
import type {ProfileChanges, ProfileReport} from "../../src/contracts/report.ts";
import type {SegmentsDocument} from "../../src/contracts/segments.ts";
import {BRIEFING, HISTORY, shapeErrors, type Shape} from "../support/contracts.ts";

describe("the site builders", () => {
  it("return their contracts' types", () => {
    expectTypeOf(briefing).returns.resolves.toEqualTypeOf<Briefing>();
    expectTypeOf(profilesDocument).returns.resolves.toEqualTypeOf<ProfilesDocument>();
    expectTypeOf(profileReport).returns.resolves.toEqualTypeOf<Omit<ProfileReport, "changes">>();
    expectTypeOf(profileChanges).returns.resolves.toEqualTypeOf<ProfileChanges | null>();
    expectTypeOf(segmentsVersusProfiles).returns.resolves.toEqualTypeOf<SegmentsDocument>();
    expectTypeOf(historyData).returns.resolves.toEqualTypeOf<HistoryData>();
    expectTypeOf(exploreDocument).returns.resolves.toEqualTypeOf<ExploreDocument>();
    expectTypeOf(exploreRows).returns.resolves.toEqualTypeOf<{
      rows: ExploreRow[];
      float32: string[];
    }>();
    expectTypeOf(cardIndex).returns.resolves.toEqualTypeOf<CardIndex>();
    expectTypeOf(cardShard).returns.resolves.toEqualTypeOf<CardShard>();
    expectTypeOf(methodDocument).returns.resolves.toEqualTypeOf<MethodDocument>();
  });
});

describe("Shape<T>", () => {
  it("follows its contract key by key: tsc refuses a shape with a key renamed, missing or extra", () => {
    const change: Shape<Change> = {text: true, weight: true, profile_id: true};
    // @ts-expect-error profile_id renamed: the shape no longer matches Change
    const renamed: Shape<Change> = {text: true, weight: true, profileId: true};
    // @ts-expect-error profile_id missing
    const missing: Shape<Change> = {text: true, weight: true};
    expect([change, renamed, missing]).toHaveLength(3);
  });
});

describe("shapeErrors(value, shape)", () => {
  const brief: Briefing = {
    as_of: "2026-10-31",
    k: 1,
    silhouette: 0.3,
    customers: 120,
    previous_as_of: null,
    has_previous: false,
    changes: [],
    quality: {rows: 130, quarantined: 2, merged: 8},
    customer_level: true,
    min_group_size: 10,
    alerts: [],
    profiles: [
      {
        id: "p1",
        name: "Loyal regulars",
        summary: null,
        customers: 120,
        share: 1,
        revenue_share: 1,
        value_12m: 310.5,
        outcomes: [],
        p_alive: 0.8,
        at_risk_share: 0.1,
        at_risk_suppressed: false,
        stability: 0.9
      }
    ],
    headline: "120 customers in 1 profile; the largest, Loyal regulars, is 100% of them.",
    story: [],
    base: {
      customers: 120,
      value_12m: 310.5,
      p_alive: 0.8,
      at_risk_share: 0.1,
      at_risk_suppressed: false,
      revenue_12m: 3000
    },
    trend: []
  };

  it("finds nothing to say about a document of its contract", () => {
    expect(shapeErrors(brief, BRIEFING)).toEqual([]);
  });

  it("names a field renamed in a document, however deep, on both sides of the rename, once", () => {
    const {revenue_share, ...rest} = brief.profiles[0];
    const profile = {...rest, revenueShare: revenue_share};
    const renamed = {...brief, profiles: [profile, {...profile, id: "p2"}]};
    expect(shapeErrors(renamed, BRIEFING)).toEqual([
      '$.profiles: no key "revenue_share"',
      '$.profiles: key "revenueShare" is not in the contract'
    ]);
  });

  it("takes null for any value, and any keys where the contract keys by data", () => {
    expect(shapeErrors({...brief, quality: null}, BRIEFING)).toEqual([]);
    expect(shapeErrors({a: 1, b: 2}, {"*": true})).toEqual([]);
    expect(shapeErrors({id: "c1"}, {id: true, p_alive: "?"})).toEqual([]);
    expect(shapeErrors({}, {id: true, p_alive: "?"})).toEqual(['$: no key "id"']);
  });

  it("holds the history components' hand-made fixture to HistoryData", () => {
    const fixture: unknown = JSON.parse(
      readFileSync(join(PROJECT_DIR, "tests", "fixtures", "history.json"), "utf8")
    );
    expect(shapeErrors(fixture, HISTORY)).toEqual([]);
  });
});
