/** Outcomes (loaders/profile/outcomes.ts): rates with their 95 % Wilson intervals. */
import {describe, expect, it} from "vitest";
import {outcomeValueSql, protectOutcome, wilson} from "../../loaders/profile/outcomes.ts";

describe("wilson(events, n)", () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I.
  it("gives Newcombe's published 95 % intervals", () => {
    const cases: [number, number, number, number][] = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718]
    ];
    for (const [events, n, low, high] of cases) {
      const interval = wilson(events, n)!;
      expect(interval.low).toBeCloseTo(low, 4);
      expect(interval.high).toBeCloseTo(high, 4);
    }
  });

  it("stays inside 0 to 1 and holds the rate", () => {
    for (const [events, n] of [
      [0, 1],
      [1, 1],
      [10, 10],
      [3, 7]
    ]) {
      const {low, high} = wilson(events, n)!;
      expect(low).toBeGreaterThanOrEqual(0);
      expect(high).toBeLessThanOrEqual(1);
      expect(low).toBeLessThanOrEqual(events / n);
      expect(high).toBeGreaterThanOrEqual(events / n);
    }
  });

  it("has no interval without customers", () => {
    expect(wilson(0, 0)).toBeNull();
  });
});

describe("outcomeValueSql(name, kind, asOf)", () => {
  it("reads a flag as it is, and a date as had on or before the as-of date", () => {
    expect(outcomeValueSql("churned", "flag", "2026-10-31").render()).toEqual({
      text: '"churned"',
      params: []
    });
    expect(outcomeValueSql("cancelled_on", "date", "2026-10-31").render()).toEqual({
      text: `CASE WHEN "cancelled_on" <= $1::DATE THEN 1.0 ELSE 0.0 END`,
      params: ["2026-10-31"]
    });
  });
});

describe("protectOutcome(rows, min, suppressedSizes)", () => {
  const row = (scope: string, grp: string | null, customers: number, events: number) => ({
    scope,
    segment: scope === "segment" ? "channel" : null,
    grp,
    customers,
    events
  });
  const rows = [
    row("all", null, 300, 60),
    row("profile", "p1", 150, 30),
    row("profile", "p2", 150, 30),
    row("segment", "app", 100, 20),
    row("segment", "store", 120, 25),
    row("segment", "web", 80, 15)
  ];

  it("hides nothing when every group is large on both sides", () => {
    expect(protectOutcome(rows, 10)).toEqual([false, false, false, false, false, false]);
  });

  it("hides a segment whose size the crosstab suppresses, and the smallest other segment beside it", () => {
    // app's 100 customers are hidden in the crosstab; its known outcomes would give them
    expect(protectOutcome(rows, 10, new Set(["channel\x1fapp"]))).toEqual([
      false,
      false,
      false,
      true,
      false,
      true
    ]);
  });

  it("hides a group where few had the outcome, or few did not", () => {
    const few = [
      ...rows.slice(0, 3),
      row("segment", "app", 100, 4),
      row("segment", "store", 120, 115),
      row("segment", "web", 80, 15)
    ];
    expect(protectOutcome(few, 10).slice(3)).toEqual([true, true, false]);
  });
});
