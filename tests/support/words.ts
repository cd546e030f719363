/**
 * Random profiles for the property tests of the narrative and the names: fast-check arbitraries
 * of a profile's traits (numbers, flags, shares and category levels, with effects that agree
 * with their values, ranked by rankTraits), and what a quantifier may stand for.
 */
import fc from "fast-check";
import {cohensH, rankTraits, type Trait} from "../../loaders/profile/traits.ts";
import type {Phrases} from "../../loaders/profile/names.ts";
import {trait} from "./trait.ts";

/** The settings every property test runs with: seeded, so a run is the same run. */
export const RUNS = {seed: 16, numRuns: 400};

/** The number features a profile can have: id, label, unit, dimension and its words, if any. */
const NUMBERS: [string, string, string, string, Phrases][] = [
  [
    "orders_12m",
    "Orders in the last 12 months",
    "orders",
    "behavioral",
    {high: "frequent", low: "occasional"}
  ],
  [
    "spend_12m",
    "Spend in the last 12 months",
    "currency",
    "behavioral",
    {high: "high-spend", low: "low-spend"}
  ],
  [
    "recency_days",
    "Time since the last order",
    "days",
    "behavioral",
    {high: "lapsed", low: "recently active"}
  ],
  ["income", "Income", "currency", "demographic", {high: "higher-income", low: "lower-income"}],
  ["age", "Age", "years", "demographic", {high: "older", low: "younger"}],
  ["children", "Children and teenagers at home", "people", "demographic", {}],
  ["fish", "Spend on fish", "currency", "behavioral", {}],
  ["meat", "Spend on meat", "currency", "behavioral", {high: "meat-loving"}],
  ["price_sensitivity", "Price sensitivity", "score", "psychographic", {high: "price-sensitive"}],
  [
    "activity_recent",
    "Activities in the last 90 days",
    "activities",
    "behavioral",
    {describeOnly: true}
  ]
];

/** Shares of a count: id, label and words. */
const SHARES: [string, string, Phrases][] = [
  ["order_channel_app", "Orders via app", {high: "app-first"}],
  ["order_channel_phone", "Orders via phone", {high: "phone-first"}],
  ["category_sports_leisure", "Orders in sports_leisure", {high: "sports_leisure-loving"}],
  ["discount_share", "Orders with a discount", {high: "deal-seeking", low: "full-price"}],
  ["email_open_rate", "E-mails opened", {high: "e-mail-engaged", low: "e-mail-ignoring"}]
];

/** Yes/no flags: id, label, dimension and words. */
const FLAGS: [string, string, string, Phrases][] = [
  ["is_business", "Business accounts", "firmographic", {high: "business"}],
  ["phone_service", "Phone service", "behavioral", {}],
  ["partner", "With a partner", "demographic", {}],
  [
    "unsubscribed",
    "Unsubscribed from e-mail",
    "behavioral",
    {high: "e-mail-averse", describeOnly: true}
  ]
];

/** Category features and their levels: id, label, dimension, levels and words. */
const CATEGORIES: [string, string, string, string[], Phrases][] = [
  ["country", "Country", "geographic", ["US", "DE", "GB", "FR"], {high: "{level}-based"}],
  [
    "preferred_channel",
    "Preferred contact channel",
    "behavioral",
    ["email", "phone", "app", "none"],
    {describeOnly: true}
  ],
  ["contract", "Contract", "behavioral", ["month-to-month", "one year", "two year"], {}],
  ["internet", "Internet service", "behavioral", ["no", "dsl", "fiber optic"], {}],
  ["gender", "Gender", "demographic", ["F", "M"], {}]
];

/** Every feature's words, as the documents build them from the catalog. */
export const PHRASES = new Map<string, Phrases>([
  ...NUMBERS.map(([id, , , , p]) => [id, p] as const),
  ...SHARES.map(([id, , p]) => [id, p] as const),
  ...FLAGS.map(([id, , , p]) => [id, p] as const),
  ...CATEGORIES.map(([id, , , , p]) => [id, p] as const)
]);

/** Effects below this are not distinguishing (rankTraits' minEffect). */
const MIN_EFFECT = 0.3;

/** An effect with a 95 % interval as wide as a profile of a few hundred customers gives. */
const effect = (g: number) => ({effect: g, effect_low: g - 0.15, effect_high: g + 0.15});

const share = fc.double({min: 0, max: 1, noNaN: true});

/** A profile's traits: a random subset of the features above, with values and effects that agree. */
export const profileTraits: fc.Arbitrary<Trait[]> = fc
  .record({
    numbers: fc.array(
      fc.record({i: fc.nat(NUMBERS.length - 1), g: fc.double({min: -12, max: 12, noNaN: true})}),
      {maxLength: 8}
    ),
    shares: fc.array(fc.record({i: fc.nat(SHARES.length - 1), p: share, base: share}), {
      maxLength: 4
    }),
    flags: fc.array(fc.record({i: fc.nat(FLAGS.length - 1), p: share, base: share}), {
      maxLength: 3
    }),
    categories: fc.array(
      fc.record({
        i: fc.nat(CATEGORIES.length - 1),
        profile: fc.array(fc.double({min: 0.01, max: 1, noNaN: true}), {
          minLength: 4,
          maxLength: 4
        }),
        base: fc.array(fc.double({min: 0.01, max: 1, noNaN: true}), {minLength: 4, maxLength: 4})
      }),
      {maxLength: 3}
    )
  })
  .map(({numbers, shares, flags, categories}) => {
    const traits: Trait[] = [];
    const seen = new Set<string>();
    const once = (id: string) => !seen.has(id) && Boolean(seen.add(id));
    for (const {i, g} of numbers) {
      const [feature, label, unit, dimension] = NUMBERS[i];
      if (!once(feature)) continue;
      const base = 100;
      traits.push(
        trait({
          feature,
          label,
          unit,
          dimension,
          base_value: base,
          profile_value: base * Math.exp(g / 4),
          ...effect(g)
        })
      );
    }
    for (const {i, p, base} of shares) {
      const [feature, label] = SHARES[i];
      if (!once(feature)) continue;
      traits.push(
        trait({
          feature,
          label,
          unit: "share",
          base_value: base,
          profile_value: p,
          ...effect(3 * (p - base))
        })
      );
    }
    for (const {i, p, base} of flags) {
      const [feature, label, dimension] = FLAGS[i];
      if (!once(feature)) continue;
      const h = cohensH(p, 300, base, 3000)!.g;
      traits.push(
        trait({
          feature,
          label,
          unit: "flag",
          dimension,
          base_value: base,
          profile_value: p,
          ...effect(h)
        })
      );
    }
    for (const {i, profile, base} of categories) {
      const [feature, label, dimension, levels] = CATEGORIES[i];
      if (!once(feature)) continue;
      const norm = (xs: number[]) =>
        xs.slice(0, levels.length).map((x, _, a) => x / a.reduce((s, y) => s + y, 0));
      const p = norm(profile);
      const b = norm(base);
      levels.forEach((level, j) => {
        const h = cohensH(p[j], 300, b[j], 3000)!.g;
        traits.push(
          trait({
            feature,
            level,
            label: `${label}: ${level}`,
            unit: "share",
            kind: "category",
            dimension,
            base_value: b[j],
            profile_value: p[j],
            ...effect(h)
          })
        );
      });
    }
    rankTraits(traits, {minEffect: MIN_EFFECT, minCoverage: 0.5, minGroupSize: 10});
    return traits;
  });

/** What a quantifier may stand for: the percentages (as printed) it is true of. */
export const QUANTIFIER_TRUTH: Record<string, (p: number) => boolean> = {
  all: (p) => p === 100,
  "nearly all": (p) => p >= 90 && p < 100,
  most: (p) => p > 50,
  half: (p) => p === 50,
  "nearly half": (p) => p >= 40 && p < 50,
  "a third": (p) => p >= 30 && p <= 36.7,
  "more than a third": (p) => p > 100 / 3 && p < 50,
  "a quarter": (p) => p >= 22.5 && p <= 27.5,
  "more than a quarter": (p) => p > 25 && p < 50,
  "a fifth": (p) => p >= 18 && p <= 22,
  "more than a fifth": (p) => p > 20 && p < 50,
  "one in ten": (p) => p >= 9 && p <= 11,
  "more than one in ten": (p) => p > 10 && p < 50,
  "a few": (p) => p > 0 && p < 10,
  few: (p) => p > 0 && p < 20,
  none: (p) => p === 0
};
