/**
 * Profile names (loaders/profile/names.ts): from the strongest distinguishing traits on any
 * dimension, true of the profile, read as words, unique. Hand-made traits for the cases the
 * issue named, then properties over random profiles.
 */
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {
  MAINSTREAM,
  nameWord,
  profileName,
  readsAsWords,
  stableName,
  type Phrases
} from "../../loaders/profile/names.ts";
import {cohensH, type Trait} from "../../loaders/profile/traits.ts";
import {trait} from "../support/trait.ts";
import {PHRASES as RANDOM_PHRASES, profileTraits, RUNS} from "../support/words.ts";

const PHRASES = new Map<string, Phrases>([
  ["orders_12m", {high: "frequent", low: "occasional"}],
  ["recency_days", {high: "lapsed", low: "recently active"}],
  ["spend_12m", {high: "high-spend", low: "low-spend"}],
  ["price_sensitivity", {high: "price-sensitive"}],
  ["satisfaction", {describeOnly: true}],
  ["is_business", {high: "business"}],
  ["order_channel_invoice", {high: "invoice-first"}],
  ["order_channel_phone", {high: "phone-first"}],
  ["category_sports_leisure", {high: "sports_leisure-loving"}],
  ["total_spend", {high: "big-spending", low: "small-spending"}],
  ["meat", {high: "meat-loving"}],
  ["fish", {}],
  ["income", {}],
  ["phone_service", {}],
  ["partner", {}],
  ["contract", {}],
  ["internet", {}],
  ["country", {high: "{level}-based"}],
  ["gender", {}]
]);

describe("profileName(traits, phrases, taken)", () => {
  const traits = [
    trait({feature: "spend_12m", effect: 0.7, rank: 3}),
    trait({feature: "recency_days", effect: -0.9, rank: 2}),
    trait({feature: "orders_12m", effect: 1.2, rank: 1})
  ];

  it("names a profile by its two strongest traits, high or low as the effect says", () => {
    expect(profileName(traits, PHRASES, new Set())).toBe("Frequent, recently active");
    const opposite = traits.map((t) => ({...t, effect: -t.effect!}));
    expect(profileName(opposite, PHRASES, new Set())).toBe("Occasional, lapsed");
  });

  it("passes over traits that do not distinguish, or are only described and have no words", () => {
    const named = profileName(
      [
        trait({feature: "satisfaction", effect: 2, rank: 1}), // described only, no words
        trait({feature: "price_sensitivity", effect: -1.5, rank: 2}), // no word for low: "lower …"
        trait({feature: "orders_12m", effect: 1.2, distinguishing: false, rank: null}),
        trait({feature: "spend_12m", effect: 0.7, rank: 4}),
        trait({feature: "recency_days", effect: 0.6, rank: 5})
      ],
      PHRASES,
      new Set()
    );
    expect(named).toBe("Lower price sensitivity, high-spend");
  });

  it("keeps the strongest trait and takes the next one when the name is taken", () => {
    expect(profileName(traits, PHRASES, new Set(["Frequent, recently active"]))).toBe(
      "Frequent, high-spend"
    );
  });

  it("grows a word, never a number, when every two-word name is taken", () => {
    const taken = new Set(["Frequent, recently active", "Frequent, high-spend"]);
    expect(profileName(traits, PHRASES, taken)).toBe("Frequent, recently active, high-spend");
    const frequent = [trait({feature: "orders_12m", effect: 1})];
    expect(profileName(frequent, PHRASES, new Set(["Frequent"]))).toBe("Frequent, second group");
  });

  it("uses one trait when only one is nameable", () => {
    expect(profileName([trait({feature: "orders_12m", effect: 1})], PHRASES, new Set())).toBe(
      "Frequent"
    );
  });

  it("falls back to Mainstream customers only without nameable traits, then adds their leanings", () => {
    expect(profileName([], PHRASES, new Set())).toBe(MAINSTREAM);
    const leaning = [
      trait({feature: "orders_12m", effect: 0.2, distinguishing: false, rank: null})
    ];
    expect(profileName(leaning, PHRASES, new Set([MAINSTREAM]))).toBe(
      "Mainstream customers, leaning frequent"
    );
    expect(profileName([], PHRASES, new Set([MAINSTREAM]))).toBe(
      "Mainstream customers, second group"
    );
  });

  it("leads with a defining trait: all business accounts, whatever the behaviour's effect", () => {
    const b2b = [
      trait({
        feature: "order_channel_invoice",
        unit: "share",
        profile_value: 0.6,
        base_value: 0.05,
        effect: 13,
        rank: 1
      }),
      trait({feature: "orders_12m", effect: 10, rank: 2}),
      trait({
        feature: "is_business",
        unit: "flag",
        dimension: "firmographic",
        profile_value: 1,
        base_value: 0.08,
        effect: 3.1,
        rank: 3
      })
    ];
    expect(profileName(b2b, PHRASES, new Set())).toBe("Business, invoice-first");
  });

  it("names the total, not a part, when the strongest traits move together", () => {
    const spenders = [
      trait({feature: "meat", unit: "currency", effect: 2.25, rank: 1}),
      trait({feature: "fish", label: "Spend on fish", unit: "currency", effect: 2.03, rank: 2}),
      trait({feature: "total_spend", unit: "currency", effect: 1.97, rank: 3}),
      trait({
        feature: "income",
        label: "Income",
        unit: "currency",
        dimension: "demographic",
        effect: 1.5,
        rank: 4
      })
    ];
    const r: Record<string, number> = {
      "fish|meat": 0.7,
      "meat|total_spend": 0.93,
      "fish|total_spend": 0.67,
      "income|total_spend": 0.75,
      "income|meat": 0.7,
      "fish|income": 0.5
    };
    const related = (a: string, b: string) => r[a < b ? `${a}|${b}` : `${b}|${a}`] ?? 0;
    // the total stands for the parts; income, another dimension, is the next thing to say
    expect(profileName(spenders, PHRASES, new Set(), related)).toBe("Big-spending, higher income");
    // without knowing how they relate, the strongest two
    expect(profileName(spenders, PHRASES, new Set())).toBe("Meat-loving, higher spend on fish");
  });

  it("writes data values as words: no underscores", () => {
    const sports = trait({
      feature: "category_sports_leisure",
      unit: "share",
      profile_value: 0.98,
      base_value: 0.08,
      effect: 5
    });
    expect(profileName([sports], PHRASES, new Set())).toBe("Sports leisure-loving");
  });

  it("names a lower income, so a group at a third of the base's is not Mainstream", () => {
    const poorer = trait({
      feature: "income",
      label: "Income",
      unit: "currency",
      dimension: "demographic",
      profile_value: 17000,
      base_value: 52000,
      effect: -1.9
    });
    expect(profileName([poorer], PHRASES, new Set())).toBe("Lower income");
  });
});

describe("nameWord(trait, phrases)", () => {
  // effects as the traits compute them: Cohen's h against the other customers
  const h = (p: number, others: number) => cohensH(p, 300, others, 3000)!.g;
  const flag = (feature: string, label: string, p: number, others: number) =>
    trait({
      feature,
      label,
      unit: "flag",
      profile_value: p,
      base_value: others,
      effect: h(p, others)
    });
  const level = (feature: string, label: string, value: string, p: number, others = 0.3) =>
    trait({
      feature,
      level: value,
      label: `${label}: ${value}`,
      profile_value: p,
      base_value: others,
      effect: h(p, others)
    });

  it("words a flag from its label when most have it and most others do not, or the reverse", () => {
    expect(nameWord(flag("phone_service", "Phone service", 0, 0.9), PHRASES)).toBe(
      "without phone service"
    );
    expect(nameWord(flag("partner", "With a partner", 0.05, 0.6), PHRASES)).toBe(
      "without a partner"
    );
    expect(nameWord(flag("partner", "With a partner", 0.8, 0.4), PHRASES)).toBe("with a partner");
    // 30 % business accounts is more than the base's 8 %, but they are not a business group
    expect(nameWord(flag("is_business", "Business accounts", 0.3, 0.08), PHRASES)).toBeNull();
    expect(nameWord(flag("phone_service", "Phone service", 0.4, 0.9), PHRASES)).toBeNull();
    // all of them have phone service, as 90 % of the base do: true, and says nothing
    expect(nameWord(flag("phone_service", "Phone service", 1, 0.9), PHRASES)).toBeNull();
    // no business accounts at all, where 8 % of the base are: every consumer group, not a name
    expect(nameWord(flag("is_business", "Business accounts", 0, 0.08), PHRASES)).toBeNull();
  });

  it("words a category level when most of the profile is at it and most others are not", () => {
    expect(nameWord(level("contract", "Contract", "month-to-month", 0.98), PHRASES)).toBe(
      "month-to-month contract"
    );
    expect(nameWord(level("internet", "Internet service", "no", 0.99), PHRASES)).toBe(
      "no internet service"
    );
    expect(nameWord(level("country", "Country", "DE", 0.7), PHRASES)).toBe("DE-based");
    expect(nameWord(level("gender", "Gender", "F", 0.8), PHRASES)).toBe("women");
    expect(nameWord(level("country", "Country", "US", 0.29), PHRASES)).toBeNull();
    expect(nameWord(level("country", "Country", "US", 0.9, 0.95), PHRASES)).toBeNull();
    // most are month to month, and so are most other customers: nothing to name them by
    expect(nameWord(level("contract", "Contract", "month-to-month", 0.7, 0.6), PHRASES)).toBeNull();
  });

  it("says -first only of most of their orders, -leaning of fewer", () => {
    const phone = (p: number) =>
      trait({
        feature: "order_channel_phone",
        unit: "share",
        profile_value: p,
        base_value: 0.05,
        effect: 2
      });
    expect(nameWord(phone(0.55), PHRASES)).toBe("phone-first");
    expect(nameWord(phone(0.2), PHRASES)).toBe("phone-leaning");
  });
});

describe("stableName(kept, generated)", () => {
  it("keeps the previous build's name, unless it does not read as words", () => {
    expect(stableName("Deal seekers", "Deal-seeking, price-sensitive")).toBe("Deal seekers");
    expect(stableName(undefined, "Deal-seeking")).toBe("Deal-seeking");
    expect(stableName("Long-standing (2)", "Long-standing, business")).toBe(
      "Long-standing, business"
    );
    expect(stableName("Sports_leisure-loving", "Sports leisure-loving")).toBe(
      "Sports leisure-loving"
    );
  });
});

describe("readsAsWords(name)", () => {
  it("refuses numbering, underscores and brackets", () => {
    expect(readsAsWords("Frequent, recently active")).toBe(true);
    expect(readsAsWords("Long-standing (2)")).toBe(false);
    expect(readsAsWords("Sports_leisure-loving")).toBe(false);
    expect(readsAsWords("")).toBe(false);
  });
});

/** The trait behind each word of a name, by the same words. */
function sources(name: string, traits: Trait[]): Map<string, Trait[]> {
  const byWord = new Map<string, Trait[]>();
  for (const t of traits) {
    const word = nameWord(t, RANDOM_PHRASES)?.replace(/_/g, " ");
    if (word) byWord.set(word.toLowerCase(), [...(byWord.get(word.toLowerCase()) ?? []), t]);
  }
  return new Map(name.split(", ").map((w) => [w, byWord.get(w.toLowerCase()) ?? []]));
}

describe("profileName over random profiles", () => {
  it("reads as words: no underscores, no brackets, no numbers in brackets", () => {
    fc.assert(
      fc.property(profileTraits, (traits) => {
        const name = profileName(traits, RANDOM_PHRASES, new Set());
        expect(readsAsWords(name), name).toBe(true);
        expect(name).not.toMatch(/_|\(\d+\)/);
      }),
      RUNS
    );
  });

  it("takes every word from a distinguishing trait whose word is true of the profile", () => {
    fc.assert(
      fc.property(profileTraits, (traits) => {
        const name = profileName(traits, RANDOM_PHRASES, new Set());
        if (name === MAINSTREAM) {
          expect(traits.every((t) => nameWord(t, RANDOM_PHRASES) === null)).toBe(true);
          return;
        }
        for (const [word, from] of sources(name, traits)) {
          expect(from.length, `"${word}" in "${name}" comes from no trait`).toBeGreaterThan(0);
          for (const t of from) {
            expect(t.distinguishing).toBe(true);
            const percent = Math.round(t.profile_value! * 100);
            // the share of the other customers, from Cohen's h against them
            const others = Math.sin(Math.asin(Math.sqrt(t.profile_value!)) - t.effect! / 2) ** 2;
            if (t.level !== null || (t.unit === "flag" && t.effect! > 0)) {
              expect(percent).toBeGreaterThan(50);
              expect(others).toBeLessThanOrEqual(0.5);
            }
            if (t.unit === "flag" && t.effect! < 0) {
              expect(percent).toBeLessThanOrEqual(10);
              expect(others).toBeGreaterThan(0.5);
            }
            if (word.endsWith("-first")) expect(percent).toBeGreaterThan(50);
          }
        }
      }),
      RUNS
    );
  });

  it("leads with the strongest nameable trait, or a defining one held by nearly all", () => {
    fc.assert(
      fc.property(profileTraits, (traits) => {
        const name = profileName(traits, RANDOM_PHRASES, new Set());
        const nameable = traits
          .filter((t) => nameWord(t, RANDOM_PHRASES) !== null)
          .sort((a, b) => a.rank! - b.rank!);
        if (nameable.length === 0) return;
        const definingTraits = nameable.filter(
          (t) =>
            (t.level !== null || t.unit === "flag" || t.unit === "share") &&
            ((Math.round(t.profile_value! * 100) >= 90 && t.base_value <= 0.5) ||
              (t.level === null &&
                Math.round(t.profile_value! * 1000) / 10 <= 10 &&
                t.base_value >= 0.5))
        );
        const first = name.split(", ")[0].toLowerCase();
        const leaders = definingTraits.length > 0 ? definingTraits : nameable.slice(0, 1);
        const words = leaders.map((t) =>
          nameWord(t, RANDOM_PHRASES)!.replace(/_/g, " ").toLowerCase()
        );
        expect(words, name).toContain(first);
      }),
      RUNS
    );
  });

  it("gives every profile of a build its own name", () => {
    fc.assert(
      fc.property(fc.array(profileTraits, {minLength: 2, maxLength: 9}), (profiles) => {
        const taken = new Set<string>();
        for (const traits of profiles) {
          const name = profileName(traits, RANDOM_PHRASES, taken);
          expect(taken.has(name), name).toBe(false);
          expect(readsAsWords(name), name).toBe(true);
          taken.add(name);
        }
      }),
      RUNS
    );
  });
});
