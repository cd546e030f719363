/**
 * The report pages' loaders (loaders/site/report.ts, segmentation.ts, briefing.ts, method.ts)
 * against the shared demo build's store: what they publish adds up, and no published count
 * covers fewer than minGroupSize customers.
 */
import {describe, expect, it} from "vitest";
import {loadConfig} from "../../loaders/config/project.ts";
import {briefing} from "../../loaders/site/briefing.ts";
import {methodDocument} from "../../loaders/site/method.ts";
import {profileReport} from "../../loaders/site/report.ts";
import type {Distribution} from "../../src/contracts/report.ts";
import {segmentsVersusProfiles} from "../../loaders/site/drilldown.ts";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {readStore, useSite} from "../support/site.ts";
import {sql} from "../../loaders/core/sql.ts";

const {site} = useSite();
const MIN = 10;

/** Every count of customers in a published document: properties named customers or *_customers. */
function counts(value: unknown, path = "$"): {path: string; n: number}[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => counts(v, `${path}[${i}]`));
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => {
      const here = `${path}.${k}`;
      if (k === "customers" || k.endsWith("_customers")) {
        const values = Array.isArray(v) ? v : [v];
        return values
          .filter((n) => typeof n === "number")
          .map((n) => ({path: here, n: n as number}));
      }
      return counts(v, here);
    });
  return [];
}

const tooSmall = (doc: unknown) => counts(doc).filter(({n}) => n > 0 && n < MIN);

describe("profileReport(store, id, {minGroupSize})", () => {
  it("publishes each profile's distributions on the base's bins, suppressing small cells", async () => {
    const ids = await readStore(site, (s) =>
      s.all<{id: string; n: number}>(
        sql`SELECT profile_id AS id, customers AS n FROM profiles ORDER BY id`
      )
    );
    for (const {id, n} of ids) {
      const report = await readStore(site, (s) => profileReport(s, id, {minGroupSize: MIN}));
      expect(tooSmall(report)).toEqual([]);
      expect((report.profile as {customers: number}).customers).toBe(n);
      const distributions = report.distributions as Distribution[];
      expect(distributions.length).toBeGreaterThan(10);
      for (const d of distributions) {
        const {edges, customers, base_customers, profile_customers, all_customers} = d.bins;
        expect(edges.length).toBe(customers.length + 1);
        expect([...edges].sort((a, b) => a - b)).toEqual(edges);
        expect(profile_customers).toBeLessThanOrEqual(n);
        const shown = customers.reduce<number>((sum, c) => sum + (c ?? 0), 0);
        const hidden = customers.filter((c) => c === null).length;
        // what is shown falls short of the whole only by suppressed bins, which may be large
        // (hidden so that a small one cannot be worked out by subtraction)
        expect(shown).toBeLessThanOrEqual(profile_customers);
        if (hidden === 0) expect(shown).toBe(profile_customers);
        expect(base_customers.reduce<number>((sum, c) => sum + (c ?? 0), 0)).toBeLessThanOrEqual(
          all_customers
        );
      }
    }
  });

  it("spreads the profile over every segment of each segmentation", async () => {
    const report = await readStore(site, (s) => profileReport(s, "p1", {minGroupSize: MIN}));
    const segments = report.segments as {
      segment: string;
      customers: number | null;
      share: number | null;
    }[];
    const segmentations = new Set(segments.map((s) => s.segment));
    expect(segmentations.size).toBeGreaterThan(0);
    for (const name of segmentations) {
      const shares = segments.filter((s) => s.segment === name).map((s) => s.share ?? 0);
      expect(shares.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1.0001);
    }
    const geography = report.geography as {countries: {base_share: number}[]};
    expect(geography.countries.reduce((a, c) => a + c.base_share, 0)).toBeCloseTo(1, 2);
  });

  it("refuses an id the build does not have, naming the ones it has", async () => {
    await expect(
      readStore(site, (s) => profileReport(s, "p99", {minGroupSize: MIN}))
    ).rejects.toThrow(/no profile "p99" in this build: the profiles are p1, p2/);
  });
});

describe("segmentsVersusProfiles(store, {minGroupSize})", () => {
  it("gives each segment's profile mix, never a cell under the minimum", async () => {
    const data = await readStore(site, (s) => segmentsVersusProfiles(s, {minGroupSize: MIN}));
    expect(tooSmall(data)).toEqual([]);
    const segmentations = data.segmentations as {
      segment: string;
      segments: {customers: number | null; profiles: {customers: number | null}[]}[];
    }[];
    expect(segmentations.map((s) => s.segment)).toEqual(["age_by_channel", "country"]);
    for (const {segments} of segmentations)
      for (const s of segments) {
        if (s.customers === null) continue;
        const inside = s.profiles.reduce((n, p) => n + (p.customers ?? 0), 0);
        expect(inside).toBeLessThanOrEqual(s.customers);
      }
    expect((data.features as unknown[]).length).toBeGreaterThan(2);
  });

  it("gives no means beside a cell or segment the crosstab suppresses: its row names the count", async () => {
    const data = await readStore(site, (s) => segmentsVersusProfiles(s, {minGroupSize: MIN}));
    const hidden = new Set(
      data.segmentations.flatMap(({segment, segments}) =>
        segments.flatMap((s) => [
          ...(s.customers === null ? [`${segment} ${s.value} all`] : []),
          ...s.profiles
            .filter((p) => p.customers === null)
            .map((p) => `${segment} ${s.value} ${p.profile_id}`)
        ])
      )
    );
    expect(hidden.size).toBeGreaterThan(0);
    const named = data.means.map((m) => `${m.segment} ${m.value} ${m.profile_id ?? "all"}`);
    expect(named.filter((m) => hidden.has(m))).toEqual([]);
  });
});

describe("briefing(store) and methodDocument(store, config)", () => {
  it("summarises every profile for the overview", async () => {
    const brief = await readStore(site, briefing);
    const profiles = brief.profiles as {share: number}[];
    expect(profiles.length).toBeGreaterThanOrEqual(3);
    expect(profiles.reduce((a, p) => a + p.share, 0)).toBeCloseTo(1, 5);
    expect(brief.has_previous).toBe(false);
    expect(brief.changes).toEqual([]);
  });

  it("documents every k tried and the settings behind the choice", async () => {
    const config = await loadConfig(`${PROJECT_DIR}/portrait.config.ts`);
    const method = await readStore(site, (s) => methodDocument(s, config));
    const runs = method.runs as {chosen: boolean}[];
    expect(runs.filter((r) => r.chosen).length).toBe(1);
    expect((method.settings as {minGroupSize: number}).minGroupSize).toBe(
      config.privacy.minGroupSize
    );
  });
});
