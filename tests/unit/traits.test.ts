/** Traits (loaders/profile/traits.ts): the effect sizes against hand-computed values, and the ranking. */
import {describe, expect, it} from "vitest";
import {cohensH, hedgesG, rankTraits, type Trait} from "../../loaders/profile/traits.ts";
import {trait} from "../support/trait.ts";

const Z95 = 1.959963984540054;

describe("hedgesG(n1, m1, v1, n2, m2, v2)", () => {
  it("is the bias-corrected standardised difference of means, with its 95 % interval", () => {
    // Groups 1, 2, 3 and 3, 4, 5: means 2 and 4, population variances 2/3, pooled sd
    // sqrt((3 · 2/3 + 3 · 2/3) / 4) = 1, correction 1 − 3 / (4 · 6 − 9) = 0.8, g = 0.8 · −2 = −1.6;
    // se = sqrt(6 / 9 + 1.6² / 12) = sqrt(0.88).
    const result = hedgesG(3, 2, 2 / 3, 3, 4, 2 / 3)!;
    expect(result.g).toBeCloseTo(-1.6, 12);
    expect(result.low).toBeCloseTo(-1.6 - Z95 * Math.sqrt(0.88), 12);
    expect(result.high).toBeCloseTo(-1.6 + Z95 * Math.sqrt(0.88), 12);
    expect(result.low).toBeCloseTo(-3.438608, 5);
    expect(result.high).toBeCloseTo(0.238608, 5);
  });

  it("is antisymmetric: swapping the groups flips the sign and the interval", () => {
    const ab = hedgesG(3, 2, 2 / 3, 3, 4, 2 / 3)!;
    const ba = hedgesG(3, 4, 2 / 3, 3, 2, 2 / 3)!;
    expect(ba.g).toBeCloseTo(-ab.g, 12);
    expect(ba.low).toBeCloseTo(-ab.high, 12);
  });

  it("has no value for a group of fewer than two or no spread at all", () => {
    expect(hedgesG(1, 2, 0, 10, 4, 1)).toBeNull();
    expect(hedgesG(10, 2, 1, 1, 4, 0)).toBeNull();
    expect(hedgesG(5, 2, 0, 5, 2, 0)).toBeNull();
  });
});

describe("cohensH(p1, n1, p2, n2)", () => {
  it("is the difference of arcsine-root shares, with its 95 % interval", () => {
    // 2 asin √0.75 = 2π/3 and 2 asin √0.25 = π/3: h = π/3; se = sqrt(1/8 + 1/8) = 0.5.
    const result = cohensH(0.75, 8, 0.25, 8)!;
    expect(result.g).toBeCloseTo(Math.PI / 3, 12);
    expect(result.low).toBeCloseTo(Math.PI / 3 - Z95 * 0.5, 12);
    expect(result.high).toBeCloseTo(Math.PI / 3 + Z95 * 0.5, 12);
    expect(result.low).toBeCloseTo(0.067216, 5);
  });

  it("reaches π for all against none, and 0 for equal shares", () => {
    expect(cohensH(1, 4, 0, 4)!.g).toBeCloseTo(Math.PI, 12);
    expect(cohensH(0.3, 10, 0.3, 50)!.g).toBe(0);
  });

  it("has no value for an empty group", () => {
    expect(cohensH(0.5, 0, 0.5, 10)).toBeNull();
    expect(cohensH(0.5, 10, 0, 0)).toBeNull();
  });
});

describe("rankTraits(traits, options)", () => {
  const options = {minEffect: 0.3, minCoverage: 0.5, minGroupSize: 3};
  const unranked = (overrides: Parameters<typeof trait>[0]) =>
    trait({distinguishing: false, rank: null, ...overrides});

  it("marks a trait distinguishing when its effect is large, certain and well covered", () => {
    const traits = [
      unranked({feature: "strong", effect: 0.8, effect_low: 0.2, effect_high: 1.4}),
      unranked({feature: "negative", effect: -0.5, effect_low: -0.9, effect_high: -0.1}),
      unranked({feature: "at_the_minimum", effect: 0.3, effect_low: 0.1, effect_high: 0.5}),
      unranked({feature: "small", effect: 0.25, effect_low: 0.1, effect_high: 0.4}),
      unranked({feature: "uncertain", effect: 0.8, effect_low: -0.1, effect_high: 1.7}),
      unranked({feature: "thin", effect: 0.8, coverage: 0.4}),
      unranked({feature: "suppressed", suppressed: true}),
      unranked({feature: "no_effect", effect: null, effect_low: null, effect_high: null})
    ];
    rankTraits(traits, options);
    expect(traits.filter((t) => t.distinguishing).map((t) => t.feature)).toEqual([
      "strong",
      "negative",
      "at_the_minimum"
    ]);
  });

  it("ranks each profile's distinguishing traits by the size of their effect", () => {
    const traits = [
      unranked({feature: "a", effect: 0.5, effect_low: 0.1, effect_high: 0.9}),
      unranked({feature: "b", effect: -1.5, effect_low: -2, effect_high: -1}),
      unranked({feature: "c", effect: 1, effect_low: 0.5, effect_high: 1.5}),
      unranked({profile_id: "p2", feature: "a", effect: 0.4, effect_low: 0.1, effect_high: 0.7}),
      unranked({feature: "weak", effect: 0.1})
    ];
    rankTraits(traits, options);
    expect(traits.map((t) => t.rank)).toEqual([3, 1, 2, 1, null]);
  });

  it("breaks ties by feature and level, whatever the input order", () => {
    const make = () => [
      unranked({feature: "y", effect: -0.5, effect_low: -0.9, effect_high: -0.1}),
      unranked({feature: "x", level: "b", effect: 0.5, effect_low: 0.1, effect_high: 0.9}),
      unranked({feature: "x", level: "a", effect: 0.5, effect_low: 0.1, effect_high: 0.9})
    ];
    const forwards = make();
    const backwards = make().reverse();
    rankTraits(forwards, options);
    rankTraits(backwards, options);
    const ranks = (traits: Trait[]) =>
      Object.fromEntries(traits.map((t) => [`${t.feature}${t.level ?? ""}`, t.rank]));
    expect(ranks(forwards)).toEqual({xa: 1, xb: 2, y: 3});
    expect(ranks(backwards)).toEqual(ranks(forwards));
  });

  it("clears the rank of a trait that no longer distinguishes under stricter options", () => {
    const traits = [
      unranked({feature: "a", effect: 1, effect_low: 0.5, effect_high: 1.5}),
      unranked({feature: "b", effect: 0.5, effect_low: 0.1, effect_high: 0.9})
    ];
    rankTraits(traits, options);
    expect(traits.map((t) => t.rank)).toEqual([1, 2]);
    rankTraits(traits, {...options, minEffect: 0.8});
    expect(traits.map((t) => [t.distinguishing, t.rank])).toEqual([
      [true, 1],
      [false, null]
    ]);
  });
});
