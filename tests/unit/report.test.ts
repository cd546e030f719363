/** How the profile reports cut a feature into bins and read the values they count (loaders/site/report.ts). */
import {describe, expect, it} from "vitest";
import {MAX_BINS, binning, longValues} from "../../loaders/site/report.ts";

const stats = (p01: number, p99: number, min: number, max: number, whole = false) => ({
  p01,
  p99,
  min,
  max,
  whole
});

describe("binning(column, stats)", () => {
  it("cuts shares in tenths", () => {
    expect(binning({unit: "share", transform: "none"}, stats(0, 1, 0, 1))?.edges).toEqual([
      0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1
    ]);
  });

  it("puts scores on half points, centred", () => {
    const b = binning({unit: "score", transform: "none"}, stats(1, 5, 1, 5));
    expect(b?.edges).toEqual([0.75, 1.25, 1.75, 2.25, 2.75, 3.25, 3.75, 4.25, 4.75, 5.25]);
  });

  it("gives small whole numbers a bin each", () => {
    expect(binning({unit: "people", transform: "none"}, stats(1, 6, 1, 6, true))?.edges).toEqual([
      0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5
    ]);
  });

  it("cuts larger counts on a log scale between whole numbers, never an empty bin by construction", () => {
    const b = binning({unit: "orders", transform: "log"}, stats(0, 60, 0, 300, true))!;
    expect(b.clipped).toBe(true);
    expect(b.edges[0]).toBe(-0.5);
    for (const e of b.edges) expect(e + 0.5).toBe(Math.round(e + 0.5));
    expect(new Set(b.edges).size).toBe(b.edges.length);
    expect([...b.edges].sort((x, y) => x - y)).toEqual(b.edges);
  });

  it("spreads amounts evenly between the 1st and 99th percentiles, or on a log scale when skewed", () => {
    const linear = binning({unit: "years", transform: "none"}, stats(20, 80, 18, 95))!;
    expect(linear.edges.length).toBe(17);
    expect(linear.edges[0]).toBe(20);
    expect(linear.edges[16]).toBe(80);
    const log = binning({unit: "currency", transform: "log"}, stats(10, 10000, 1, 50000))!;
    expect(log.edges[1] - log.edges[0]).toBeLessThan(log.edges[16] - log.edges[15]);
  });

  it("never makes more than MAX_BINS bins, whatever the range (a wide score, a credit limit)", () => {
    const cases = [
      binning({unit: "score", transform: "none"}, stats(300, 850, 300, 850)),
      binning({unit: "score", transform: "none"}, stats(0, 1000, 0, 1000, true)),
      binning({unit: "currency", transform: "none"}, stats(1438, 34516, 1438, 34516, true)),
      binning({unit: "currency", transform: "log"}, stats(0, 1e9, 0, 1e12, true)),
      binning({unit: "count", transform: "none"}, stats(0, 5000, 0, 100000, true))
    ];
    for (const b of cases) {
      expect(b!.edges.length - 1).toBeGreaterThan(1);
      expect(b!.edges.length - 1).toBeLessThanOrEqual(MAX_BINS);
    }
  });

  it("has nothing to cut without values", () => {
    expect(
      binning({unit: "share", transform: "none"}, stats(null as never, null as never, 0, 1))
    ).toBeNull();
  });
});

describe("longValues(columns, profileId)", () => {
  const columns = [
    {table: "features" as const, feature: "spend_12m"},
    {table: "customer_value" as const, feature: "p_alive"},
    {table: "features" as const, feature: 'odd "name"'}
  ];

  it("unpivots each table's columns once, names quoted, and binds the profile id", () => {
    const {text, params} = longValues(columns, "p2").render();
    expect(params).toEqual(["p2"]);
    expect(text).toMatch(/^SELECT c\.profile_id = \$1 AS mine, u\.feature, u\.v/);
    // tables in name order, each column cast to DOUBLE under its own (quoted) name
    expect(text.indexOf('FROM "customer_value"')).toBeLessThan(text.indexOf('FROM "features"'));
    expect(text).toContain(
      'UNPIVOT (SELECT customer_id, "spend_12m"::DOUBLE AS "spend_12m", "odd ""name"""::DOUBLE AS "odd ""name""" FROM "features") ON "spend_12m", "odd ""name"""'
    );
    expect(text).toContain(" UNION ALL ");
  });
});
