/**
 * The profile document (loaders/profile/narrative.ts): values in their units and the sentences of
 * each section from hand-made traits.
 */
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {
  BRIEF_LENGTH,
  describeProfile,
  formatValue,
  profileBrief,
  SECTIONS,
  type ProfileFacts
} from "../../loaders/profile/narrative.ts";
import {rankTraits, type Trait} from "../../loaders/profile/traits.ts";
import {trait} from "../support/trait.ts";
import {profileTraits, QUANTIFIER_TRUTH, RUNS} from "../support/words.ts";

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
  atRiskSuppressed: false,
  baseAtRiskShare: 0.12,
  baseAtRiskSuppressed: false,
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

  it("reaches them by their next preference when they shun the commonest", () => {
    const serve = texts(
      describeProfile(
        FACTS,
        [ORDERS, OPEN_RATE, channel("email", 0.45, 0.4), channel("phone", 0.3, 0.25)],
        {
          name: "x",
          measuredDimensions: ALL_DIMENSIONS
        }
      ).sections.serve
    );
    expect(serve).toEqual([
      "Reach them by phone, their next preference (30%, against 25% of all customers).",
      "Avoid leaning on e-mail: they open 8.0% of what they receive (all customers 31%)."
    ]);
  });

  it("says few want a channel only of a few, and fewer than across the base otherwise", () => {
    const fewer = channel("email", 0.35, 0.6, {
      effect: -0.5,
      effect_low: -0.7,
      effect_high: -0.3,
      distinguishing: true,
      rank: 2
    });
    const serve = texts(
      describeProfile(FACTS, [ORDERS, fewer, channel("app", 0.5, 0.3)], {
        name: "x",
        measuredDimensions: ALL_DIMENSIONS
      }).sections.serve
    );
    expect(serve).toEqual([
      "Reach them by app (50%, against 30% of all customers).",
      "Fewer than across the base want contact by email: 35%, against 60% of all customers."
    ]);
  });

  it("says where most live only when it is most, and only when it sets them apart", () => {
    const country = (level: string, value: number, base: number, extra: Partial<Trait> = {}) =>
      trait({
        feature: "country",
        level,
        dimension: "geographic",
        label: `Country: ${level}`,
        profile_value: value,
        base_value: base,
        ...extra
      });
    const who = (traits: Trait[]) =>
      texts(
        describeProfile(FACTS, traits, {name: "x", measuredDimensions: ALL_DIMENSIONS}).sections.who
      );
    const strong = ["a", "b", "c", "d"].map((feature, i) =>
      trait({
        feature,
        dimension: "demographic",
        label: feature.toUpperCase(),
        unit: "score",
        profile_value: 2,
        base_value: 1,
        rank: i + 1
      })
    );
    // every profile's commonest country, no more common than in the base: not a trait of theirs
    expect(
      who([
        ...strong,
        country("US", 0.28, 0.27, {effect: 0.02, distinguishing: false, rank: null})
      ]).join(" ")
    ).not.toContain("live in");
    expect(who([...strong, country("DE", 0.34, 0.1, {effect: 0.6, rank: 5})]).at(-1)).toBe(
      "A third live in DE (34%, against 10% of all customers)."
    );
    expect(who([...strong, country("DE", 0.7, 0.4, {effect: 0.6, rank: 5})]).at(-1)).toBe(
      "Most live in DE (70%, against 40% of all customers)."
    );
  });

  it("gives their size, revenue, value and risk against the base", () => {
    expect(texts(doc.sections.value)).toEqual([
      "1,234 customers, 25% of the base, bringing 41% of the last 12 months' revenue.",
      "Expected value over the next 12 months: 312 per customer, against 180 across all customers.",
      "Still active (P(alive)): 82% on average, against 70%.",
      "At risk: 5.0% of them, against 12% of all customers."
    ]);
  });

  it("says fewer than minGroupSize are at risk where the share would single them out", () => {
    const few = describeProfile({...FACTS, atRiskShare: null, atRiskSuppressed: true}, TRAITS, {
      name: "x",
      measuredDimensions: ALL_DIMENSIONS,
      minGroupSize: 10
    });
    expect(texts(few.sections.value).at(-1)).toBe(
      "At risk: fewer than 10 of them, against 12% of all customers."
    );
    const hidden = describeProfile(
      {...FACTS, atRiskShare: null, atRiskSuppressed: "complement"},
      TRAITS,
      {name: "x", measuredDimensions: ALL_DIMENSIONS, minGroupSize: 10}
    );
    expect(texts(hidden.sections.value).at(-1)).toBe(
      "At risk: a share not shown (so that a smaller one cannot be worked out), against 12% of all customers."
    );
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
    // DE is their commonest country, but not distinguishingly: no sentence claims it
    expect(texts(doc.sections.who)).toEqual([
      "Demographically like the customer base: median age 28 years (all customers 41 years); behaviour, not demographics, sets them apart."
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
      "They raise 55% of their support tickets by chat, against 20% across all customers.",
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

describe("describeProfile over random profiles", () => {
  const document = (traits: Trait[]) =>
    describeProfile(FACTS, traits, {name: "x", measuredDimensions: ALL_DIMENSIONS});
  const sentences = (traits: Trait[]) =>
    Object.values(document(traits).sections).flatMap((s) => s.map((x) => x.text));
  // Four strong demographic traits fill who they are, so a country appears in its own sentence.
  const crowded = profileTraits.map((traits) => {
    const who = ["age", "income", "household_size", "education_years"].map((feature, i) =>
      trait({
        feature,
        dimension: "demographic",
        unit: "years",
        profile_value: 9,
        base_value: 3,
        effect: 20 - i,
        effect_low: 19 - i,
        effect_high: 21 - i
      })
    );
    const all = [...who, ...traits.filter((t) => !who.some((w) => w.feature === t.feature))];
    rankTraits(all, {minEffect: 0.3, minCoverage: 0.5, minGroupSize: 10});
    return all;
  });
  const profiles = fc.oneof(profileTraits, crowded);
  const words = Object.keys(QUANTIFIER_TRUTH).sort((a, b) => b.length - a.length);
  const opening = new RegExp(`^(${words.join("|")})\\b`, "i");

  it("opens a sentence with a quantifier only where the number beside it bears it out", () => {
    const quantified = {live: 0, contact: 0};
    fc.assert(
      fc.property(profiles, (traits) => {
        for (const text of sentences(traits)) {
          const word = opening.exec(text)?.[1].toLowerCase();
          if (word === undefined) continue;
          quantified[text.includes(" live in ") ? "live" : "contact"]++;
          const percent = Number(/(\d+(?:\.\d+)?)%/.exec(text)?.[1]);
          expect(QUANTIFIER_TRUTH[word](percent), text).toBe(true);
        }
      }),
      RUNS
    );
    // the property saw quantifiers of both kinds, not none
    expect(quantified.live).toBeGreaterThan(20);
    expect(quantified.contact).toBeGreaterThan(20);
  });

  it("never advises reaching them by a channel it also advises against", () => {
    const key = (channel: string) => channel.toLowerCase().replace(/[^a-z]/g, "");
    fc.assert(
      fc.property(profiles, (traits) => {
        const serve = texts(document(traits).sections.serve);
        const reach = serve.flatMap((t) => /^Reach them by ([^,(]+)/.exec(t)?.[1].trim() ?? []);
        const shunned = serve.flatMap((t) =>
          /e-mail/.test(t) && /^(Avoid|Go easy)/.test(t)
            ? ["email"]
            : (/want contact by ([^:]+):/.exec(t)?.slice(1) ?? [])
        );
        for (const channel of reach)
          expect(shunned.map(key), serve.join(" | ")).not.toContain(key(channel));
      }),
      RUNS
    );
  });

  it("says where they live only when that country sets them apart", () => {
    fc.assert(
      fc.property(profiles, (traits) => {
        for (const text of sentences(traits)) {
          const country = /live in (\S+) \(/.exec(text)?.[1];
          if (country === undefined) continue;
          const t = traits.find((x) => x.feature === "country" && x.level === country);
          expect(t?.distinguishing && t.effect! > 0, text).toBe(true);
        }
      }),
      RUNS
    );
  });
});
