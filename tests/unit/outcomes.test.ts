/** Outcomes (loaders/profile/outcomes.ts): rates with their 95 % Wilson intervals. */
import {describe, expect, it} from "vitest";
import {outcomeValueSql, wilson} from "../../loaders/profile/outcomes.ts";

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
