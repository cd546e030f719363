/**
 * The profile document (loaders/profile/narrative.ts): values in their units, generated names, and the
 * sentences of each section from hand-made traits.
 */
import {describe, expect, it} from "vitest";
import {
  BRIEF_LENGTH,
  describeProfile,
  formatValue,
  profileBrief,
  profileName,
  SECTIONS,
  type Phrases,
  type ProfileFacts
} from "../../loaders/profile/narrative.ts";
import type {Trait} from "../../loaders/profile/traits.ts";
import {trait} from "../support/trait.ts";

describe("formatValue(value, unit)", () => {
  it("writes shares and flags as percentages, with a decimal below 10%", () => {
    expect(formatValue(0.64, "share")).toBe("64%");
    expect(formatValue(0.05, "share")).toBe("5.0%");
    expect(formatValue(0.123, "flag")).toBe("12%");
    expect(formatValue(0.004, "flag")).toBe("0.4%");
  });

  it("writes a log ratio as the percentage change it stands for", () => {
    expect(formatValue(0.5, "log ratio")).toBe("+65%"); // e^0.5 − 1 = 0.649
    expect(formatValue(-0.5, "log ratio")).toBe("−39%"); // e^−0.5 − 1 = −0.393
    expect(formatValue(0, "log ratio")).toBe("0%");
  });

  it("writes currency with cents below 100 and whole amounts with separators above", () => {
    expect(formatValue(12.5, "currency")).toBe("12.50");
    expect(formatValue(1234.5, "currency")).toBe("1,235");
  });

  it("writes durations and ages with their unit", () => {
    expect(formatValue(12.4, "days")).toBe("12 days");
    expect(formatValue(1.2, "days")).toBe("1 day");
    expect(formatValue(1500, "days")).toBe("1,500 days");
    expect(formatValue(2.54, "hours")).toBe("2.5 h");
    expect(formatValue(36.4, "hours")).toBe("36 h");
    expect(formatValue(3.24, "minutes")).toBe("3.2 min");
    expect(formatValue(41.6, "years")).toBe("42 years");
  });

  it("writes scores with one decimal, and other units with one below 10", () => {
    expect(formatValue(3.14, "score")).toBe("3.1");
    expect(formatValue(12, "score")).toBe("12.0");
    expect(formatValue(2.34, "orders")).toBe("2.3");
    expect(formatValue(1234.4, "orders")).toBe("1,234");
  });
});

const PHRASES = new Map<string, Phrases>([
  ["orders_12m", {high: "frequent", low: "occasional"}],
  ["recency_days", {high: "lapsed", low: "recently active"}],
  ["spend_12m", {high: "high-spend", low: "low-spend"}],
  ["price_sensitivity", {high: "price-sensitive"}],
  ["satisfaction", {}]
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

  it("passes over traits that do not distinguish or have no phrase", () => {
    const named = profileName(
      [
        trait({feature: "satisfaction", effect: 2, rank: 1}), // no phrase for high
        trait({feature: "price_sensitivity", effect: -1.5, rank: 2}), // no phrase for low
        trait({feature: "country", level: "DE", effect: 1.4, rank: 3}), // a category level
        trait({feature: "orders_12m", effect: 1.2, distinguishing: false, rank: null}),
        trait({feature: "spend_12m", effect: 0.7, rank: 4}),
        trait({feature: "recency_days", effect: 0.6, rank: 5})
      ],
      PHRASES,
      new Set()
    );
    expect(named).toBe("High-spend, lapsed");
  });

  it("keeps the strongest trait and takes the next one when the name is taken", () => {
    expect(profileName(traits, PHRASES, new Set(["Frequent, recently active"]))).toBe(
      "Frequent, high-spend"
    );
  });

  it("uses one trait when only one is nameable", () => {
    expect(profileName([trait({feature: "orders_12m", effect: 1})], PHRASES, new Set())).toBe(
      "Frequent"
    );
  });

  it("falls back to Mainstream customers only without nameable traits, numbered when taken", () => {
    expect(profileName([], PHRASES, new Set())).toBe("Mainstream customers");
    const taken = new Set(["Mainstream customers", "Mainstream customers (2)"]);
    expect(profileName([], PHRASES, taken)).toBe("Mainstream customers (3)");
  });

  it("keeps a name from the traits, numbered, when every such name is taken", () => {
    const frequent = [trait({feature: "orders_12m", effect: 1})];
    expect(profileName(frequent, PHRASES, new Set(["Frequent"]))).toBe("Frequent (2)");
    const taken = new Set(["Frequent, recently active", "Frequent, high-spend"]);
    expect(profileName(traits, PHRASES, taken)).toBe("Frequent, recently active (2)");
  });
});

const FACTS: ProfileFacts = {
  id: "p1",
  customers: 1234,
  share: 0.25,
  revenueShare: 0.41,
  value12m: 312.4,
  baseValue12m: 180,
  pAlive: 0.82,
  basePAlive: 0.7,
  atRiskShare: 0.05,
  baseAtRiskShare: 0.12,
  silhouette: 0.3,
  stability: 0.9
};

const UNMODELLED: ProfileFacts = {
  ...FACTS,
  revenueShare: null,
  value12m: null,
  baseValue12m: null,
  pAlive: null,
  basePAlive: null,
  atRiskShare: null,
  baseAtRiskShare: null
};

const ORDERS = trait({
  feature: "orders_12m",
  label: "Orders in the last 12 months",
  unit: "orders",
  profile_value: 8.2,
  base_value: 3.1,
  effect: 1.3,
  rank: 1
});
const OPEN_RATE = trait({
  feature: "email_open_rate",
  label: "E-mails opened",
  unit: "share",
  profile_value: 0.08,
  base_value: 0.31,
  effect: -1,
  effect_low: -1.4,
  effect_high: -0.6,
  rank: 3
});
const channel = (level: string, value: number, base: number, extra: Partial<Trait> = {}) =>
  trait({
    feature: "preferred_channel",
    level,
    label: `Preferred contact channel: ${level}`,
    profile_value: value,
    base_value: base,
    effect: 0.1,
    distinguishing: false,
    rank: null,
    ...extra
  });

/** A profile with a trait in every section. */
const TRAITS: Trait[] = [
  ORDERS,
  trait({
    feature: "price_sensitivity",
    dimension: "psychographic",
    label: "Price sensitivity",
    unit: "score",
    profile_value: 4.1,
    base_value: 3,
    effect: 1.1,
    rank: 2
  }),
  OPEN_RATE,
  trait({
    feature: "age",
    dimension: "demographic",
    label: "Age",
    unit: "years",
    profile_value: 29.4,
    base_value: 41.2,
    effect: -0.9,
    effect_low: -1.2,
    effect_high: -0.6,
    rank: 4,
    p50: 28,
    base_p50: 41
  }),
  trait({
    feature: "country",
    level: "DE",
    dimension: "geographic",
    label: "Country: DE",
    profile_value: 0.7,
    base_value: 0.4,
    effect: 0.6,
    rank: 5
  }),
  trait({
    feature: "country",
    level: "FR",
    dimension: "geographic",
    label: "Country: FR",
    profile_value: 0.2,
    base_value: 0.3,
    effect: -0.2,
    distinguishing: false,
    rank: null
  }),
  channel("app", 0.6, 0.3),
  channel("email", 0.1, 0.35, {
    effect: -0.55,
    effect_low: -0.8,
    effect_high: -0.3,
    distinguishing: true,
    rank: 6
  })
];

const ALL_DIMENSIONS = new Set(["behavioral", "psychographic", "demographic", "geographic"]);
const texts = (sentences: {text: string}[]) => sentences.map((s) => s.text);

describe("describeProfile(facts, traits, {name, measuredDimensions})", () => {
  const doc = describeProfile(FACTS, TRAITS, {
    name: "Frequent, price-sensitive",
    measuredDimensions: ALL_DIMENSIONS
  });

  it("writes every section, each with at least one sentence", () => {
    expect(doc.id).toBe("p1");
    expect(doc.name).toBe("Frequent, price-sensitive");
    expect(Object.keys(doc.sections)).toEqual([...SECTIONS]);
    for (const section of SECTIONS) expect(doc.sections[section].length).toBeGreaterThan(0);
  });

  it("says who they are from their demographic and geographic traits", () => {
    expect(texts(doc.sections.who)).toEqual([
      "Age: 29 years, against 41 years across all customers.",
      "Country: DE for 70%, against 40% of all customers."
    ]);
    expect(doc.sections.who.map((s) => [s.feature, s.level])).toEqual([
      ["age", null],
      ["country", "DE"]
    ]);
  });

  it("leaves out of who they are a share or flag that is merely below the base's", () => {
    const business = trait({
      feature: "is_business",
      dimension: "firmographic",
      label: "Business accounts",
      unit: "flag",
      profile_value: 0,
      base_value: 0.08,
      effect: -0.6,
      effect_low: -0.7,
      effect_high: -0.5,
      rank: 1
    });
    const fewerInFrance = trait({
      feature: "country",
      level: "FR",
      dimension: "geographic",
      label: "Country: FR",
      profile_value: 0.05,
      base_value: 0.3,
      effect: -0.7,
      rank: 2
    });
    const who = describeProfile(FACTS, [business, fewerInFrance, ...TRAITS], {
      name: "x",
      measuredDimensions: ALL_DIMENSIONS
    }).sections.who;
    expect(who.map((s) => s.feature)).toEqual(["age", "country"]);
    expect(who.map((s) => s.level)).toEqual([null, "DE"]);
  });

  it("says what they value from the survey scales", () => {
    expect(texts(doc.sections.values)).toEqual([
      "Price sensitivity: 4.1, against 3.0 across all customers."
    ]);
  });

  it("says how they behave, leaving contact channels to how to serve them", () => {
    expect(texts(doc.sections.behaviour)).toEqual([
      "Orders in the last 12 months: 8.2, against 3.1 across all customers.",
      "E-mails opened: 8.0%, against 31% across all customers."
    ]);
  });

  it("says how to reach them, and what to avoid: e-mail when they rarely open it", () => {
    expect(texts(doc.sections.serve)).toEqual([
      "Reach them by app (60%, against 30% of all customers).",
      "Avoid leaning on e-mail: they open 8.0% of what they receive (all customers 31%).",
      "Few want contact by email: 10%, against 35% of all customers."
    ]);
    expect(doc.sections.serve.map((s) => [s.feature, s.level])).toEqual([
      ["preferred_channel", "app"],
      ["email_open_rate", null],
      ["preferred_channel", "email"]
    ]);
  });

  it("gives their size, revenue, value and risk against the base", () => {
    expect(texts(doc.sections.value)).toEqual([
      "1,234 customers, 25% of the base, bringing 41% of the last 12 months' revenue.",
      "Expected value over the next 12 months: 312 per customer, against 180 across all customers.",
      "Still active (P(alive)): 82% on average, against 70%.",
      "At risk: 5.0% of them, against 12% of all customers."
    ]);
  });

  it("puts a number in every sentence", () => {
    for (const section of SECTIONS) {
      for (const {text} of doc.sections[section]) expect(text).toMatch(/\d/);
    }
  });

  it("sums the profile up in one line: size and the two strongest traits", () => {
    expect(doc.summary).toBe(
      "25% of customers; orders in the last 12 months 8.2 (all 3.1); price sensitivity 4.1 (all 3.0)."
    );
  });

  it("says a dimension is not measured when the data has none of it", () => {
    const bare = describeProfile(UNMODELLED, [ORDERS], {
      name: "Frequent",
      measuredDimensions: new Set(["behavioral"])
    });
    expect(texts(bare.sections.who)).toEqual(["Demographics are not measured in the data."]);
    expect(texts(bare.sections.values)).toEqual(["Not measured: the data has no survey scales."]);
    expect(texts(bare.sections.serve)).toEqual([
      "Contact preferences and support are not measured in the data."
    ]);
    expect(texts(bare.sections.value)).toEqual(["1,234 customers, 25% of the base."]);
    expect(bare.summary).toBe("25% of customers; orders in the last 12 months 8.2 (all 3.1).");
  });

  it("says a profile is like the base when no measured trait sets it apart", () => {
    const ordinary = (t: Trait) => ({...t, effect: 0.1, distinguishing: false, rank: null});
    const doc = describeProfile(FACTS, TRAITS.map(ordinary), {
      name: "Mainstream customers",
      measuredDimensions: ALL_DIMENSIONS
    });
    expect(texts(doc.sections.who)).toEqual([
      "Demographically like the customer base: median age 28 years (all customers 41 years); behaviour, not demographics, sets them apart.",
      "Most live in DE (70%, against 40% of all customers)."
    ]);
    expect(texts(doc.sections.values)).toEqual([
      "Their survey answers are close to the customer base's on every scale; the largest difference is price sensitivity, 4.1 against 3.0."
    ]);
    expect(texts(doc.sections.behaviour)).toEqual([
      "No behaviour sets them clearly apart from the customer base."
    ]);
    expect(texts(doc.sections.serve)).toEqual([
      "Reach them by app (60%, against 30% of all customers)."
    ]);
    expect(doc.summary).toBe("25% of customers.");
  });

  it("says too few answered the survey when every scale is suppressed", () => {
    const suppressed = trait({
      feature: "price_sensitivity",
      dimension: "psychographic",
      profile_value: null,
      effect: null,
      suppressed: true,
      distinguishing: false,
      rank: null
    });
    const doc = describeProfile(FACTS, [ORDERS, suppressed], {
      name: "Frequent",
      measuredDimensions: ALL_DIMENSIONS
    });
    expect(texts(doc.sections.values)).toEqual([
      "Too few of them answered the survey to say what they value."
    ]);
    expect(texts(doc.sections.who)).toEqual([
      "Demographically like the customer base: no demographic trait sets them apart."
    ]);
  });

  it("gives no e-mail advice when the open rate is high, or low without distinguishing them", () => {
    const advice = (openRate: Trait) =>
      texts(
        describeProfile(FACTS, [ORDERS, openRate], {
          name: "Frequent",
          measuredDimensions: ALL_DIMENSIONS
        }).sections.serve
      ).filter((text) => text.includes("e-mail"));
    expect(advice(OPEN_RATE)).toHaveLength(1);
    expect(
      advice({...OPEN_RATE, profile_value: 0.5, effect: 1, effect_low: 0.6, effect_high: 1.4})
    ).toEqual([]);
    expect(advice({...OPEN_RATE, distinguishing: false, rank: null})).toEqual([]);
  });

  it("advises going easy on e-mail when distinguishingly many have unsubscribed", () => {
    const unsubscribed = trait({
      feature: "unsubscribed",
      label: "Unsubscribed from e-mail",
      unit: "flag",
      profile_value: 0.3,
      base_value: 0.08,
      effect: 0.6,
      rank: 2
    });
    const doc = describeProfile(FACTS, [ORDERS, unsubscribed], {
      name: "Frequent",
      measuredDimensions: ALL_DIMENSIONS
    });
    expect(texts(doc.sections.serve)).toEqual([
      "Go easy on e-mail: 30% have unsubscribed (all customers 8.0%)."
    ]);
  });

  it("reports support: the main ticket channel, distinguishing support traits and topics", () => {
    const doc = describeProfile(
      FACTS,
      [
        trait({
          feature: "ticket_channel_chat",
          label: "Tickets via chat",
          unit: "share",
          profile_value: 0.55,
          base_value: 0.2,
          distinguishing: false,
          rank: null
        }),
        trait({
          feature: "ticket_channel_phone",
          label: "Tickets via phone",
          unit: "share",
          profile_value: 0.3,
          base_value: 0.5,
          distinguishing: false,
          rank: null
        }),
        trait({
          feature: "resolution_hours",
          label: "Time to resolve a ticket",
          unit: "hours",
          profile_value: 5.2,
          base_value: 20,
          effect: -0.9,
          effect_low: -1.3,
          effect_high: -0.5,
          rank: 1
        }),
        trait({
          feature: "ticket_topic_delivery",
          label: "Tickets about Delivery",
          unit: "share",
          profile_value: 0.4,
          base_value: 0.15,
          effect: 0.7,
          rank: 2
        })
      ],
      {name: "Fast-resolved", measuredDimensions: ALL_DIMENSIONS}
    );
    expect(texts(doc.sections.serve)).toEqual([
      "Support by chat: 55% of their tickets, against 20% across all customers.",
      "Time to resolve a ticket: 5.2 h, against 20 h across all customers.",
      "They raise delivery more than others: 40% of their tickets, against 15%."
    ]);
  });
});

describe("profileBrief(summary, serve)", () => {
  const summary = "20% of customers; self-service 4.2 (all 3.1); orders via app 58% (all 24%).";
  const serve = "Reach them by chat (40%, against 17% of all customers).";

  it("joins the summary and the first way to serve them when both fit", () => {
    expect(profileBrief(summary, serve)).toBe(`${summary} ${serve}`);
    expect(profileBrief(summary, null)).toBe(summary);
    expect(profileBrief("  two\n lines ", " and  spaces ")).toBe("two lines and spaces");
  });

  it("stays within 240 characters, cut after a whole word and marked with …", () => {
    const long = `${serve.slice(0, -1)}, ${"and by phone on weekdays ".repeat(12).trim()}.`;
    const brief = profileBrief(summary, long);
    expect(brief.length).toBeLessThanOrEqual(BRIEF_LENGTH);
    expect(brief.length).toBeGreaterThan(BRIEF_LENGTH - 12);
    expect(brief.endsWith("…")).toBe(true);
    const words = `${summary} ${long}`.split(" ");
    const kept = brief.slice(0, -1).split(" ");
    expect(kept).toEqual(words.slice(0, kept.length)); // every word whole, none cut
    expect(kept.at(-1)).not.toMatch(/[,;:]$/);
    for (let limit = 20; limit <= 240; limit += 7) {
      const b = profileBrief(summary, long, limit);
      expect(b.length).toBeLessThanOrEqual(limit);
      const w = b.replace(/…$/, "").split(" ");
      expect(w.slice(0, -1)).toEqual(words.slice(0, w.length - 1));
      expect(words[w.length - 1].replace(/[,;:.]$/, "")).toBe(w.at(-1)!.replace(/[,;:.]$/, ""));
    }
  });

  it("keeps the summary alone when it fills most of the room, and a sentence ending at the limit whole", () => {
    const longSummary = `${"a ".repeat(95)}end.`; // 194 characters: over three quarters of 240
    expect(profileBrief(longSummary, serve)).toBe(longSummary);
    expect(profileBrief("One two.", "Three four.", 8)).toBe("One two.");
  });

  it("cuts a single word longer than the limit, as nothing else fits", () => {
    expect(profileBrief("x".repeat(300), null)).toBe(`${"x".repeat(239)}…`);
  });
});
