/** What changed between two builds, as the briefing says it (loaders/site/briefing.ts). */
import {describe, expect, it} from "vitest";
import type {BuildSummary} from "../../loaders/history/previous.ts";
import {compareBuilds} from "../../loaders/site/briefing.ts";

const profile = (
  profile_id: string,
  name: string,
  share: number,
  extra: Partial<BuildSummary["profiles"][number]> = {}
) => ({
  profile_id,
  name,
  customers: Math.round(share * 1000),
  share,
  revenue_share: share,
  value_12m: 100,
  at_risk_share: 0.1,
  ...extra
});

const previous: BuildSummary = {
  as_of: "2026-09-30",
  customers: 1000,
  profiles: [
    profile("p1", "App-first", 0.5),
    profile("p2", "Deal seekers", 0.3),
    profile("p3", "Lapsed", 0.2)
  ]
};

describe("compareBuilds(current, previous)", () => {
  it("says nothing without a previous build", () => {
    expect(compareBuilds(previous, undefined)).toEqual([]);
  });

  it("says nothing when nothing moved by much", () => {
    const current = {
      ...previous,
      profiles: previous.profiles.map((p) => ({...p, share: p.share + 0.004}))
    };
    expect(compareBuilds(current, previous)).toEqual([]);
  });

  it("reports customers, new and vanished profiles, and shifts in size, risk and value, largest first", () => {
    const current: BuildSummary = {
      as_of: "2026-10-31",
      customers: 1100,
      profiles: [
        profile("p1", "App-first", 0.45, {at_risk_share: 0.2}),
        profile("p2", "Deal seekers", 0.3, {value_12m: 150}),
        profile("p4", "Bulk buyers", 0.25)
      ]
    };
    const texts = compareBuilds(current, previous).map((c) => c.text);
    expect(texts[0]).toBe("1,100 customers, +100 since the build with data as of 2026-09-30.");
    expect(texts).toContain("New profile: Bulk buyers, 25% of customers.");
    expect(texts).toContain("No longer found: Lapsed (was 20% of customers).");
    expect(texts).toContain("App-first: 45% of customers (−5.0 points).");
    expect(texts).toContain("App-first: 20% at risk (+10.0 points).");
    expect(texts).toContain("Deal seekers: expected value 150 per customer (+50%).");
  });

  it("says which profile a new one split from and which a vanished one merged into", () => {
    const current: BuildSummary = {
      ...previous,
      profiles: [
        profile("p1", "App-first", 0.5),
        profile("p2", "Deal seekers", 0.5),
        profile("p4", "Bargain app users", 0.1)
      ]
    };
    const related = new Map([
      ["p4", {status: "split", related_id: "p1"}],
      ["p3", {status: "merged", related_id: "p2"}]
    ]);
    const texts = compareBuilds(current, previous, related).map((c) => c.text);
    expect(texts).toContain(
      "New profile: Bargain app users, 10% of customers, split from App-first."
    );
    expect(texts).toContain("Lapsed (was 20% of customers) merged into Deal seekers.");
  });
});
