/**
 * The profile document, written deterministically from the numbers (no network, no language
 * model): who they are, what they value, how they behave, how to serve them, and their value
 * and risk. Every sentence carries the figures behind it, and names the trait it comes from so
 * a page can link the sentence to its chart. A quantifier ("most", "a third") is chosen from the
 * number it stands beside (quantifiers.ts), and no advice contradicts another in the same box:
 * a channel the profile shuns is never the one to reach them by. The name is names.ts's.
 */
import type {AtRiskSuppressed} from "../../src/contracts/risk.ts";
import {formatPercentChange, formatShare} from "../../src/contracts/share.ts";
import {formatMoney} from "../../src/contracts/money.ts";
import {quantifier, shownPercent} from "./quantifiers.ts";
import type {Trait} from "./traits.ts";
import {capitalise} from "../../src/contracts/text.ts";

export interface ProfileFacts {
  id: string;
  customers: number;
  share: number;
  /** Share of the last 12 months' revenue. */
  revenueShare: number | null;
  /** Mean expected value over the next 12 months, profile and base; null when not modelled. */
  value12m: number | null;
  baseValue12m: number | null;
  pAlive: number | null;
  basePAlive: number | null;
  /** Null where not assessed, or suppressed: fewer than minGroupSize customers at risk. */
  atRiskShare: number | null;
  atRiskSuppressed: AtRiskSuppressed;
  baseAtRiskShare: number | null;
  baseAtRiskSuppressed: boolean;
  silhouette: number | null;
  stability: number | null;
}

export interface Sentence {
  text: string;
  /** The trait it reports, when it reports one. */
  feature: string | null;
  level: string | null;
}

export const SECTIONS = ["who", "values", "behaviour", "serve", "value"] as const;
export type Section = (typeof SECTIONS)[number];

export const SECTION_TITLES: Record<Section, string> = {
  who: "Who they are",
  values: "What they value",
  behaviour: "How they behave",
  serve: "How to serve them",
  value: "Value and risk"
};

export interface ProfileDocument {
  id: string;
  name: string;
  /** One line for overviews: size and the two strongest traits. */
  summary: string;
  sections: Record<Section, Sentence[]>;
}

/** Formats a value in its unit, for sentences; money in the build's currency when it has one. */
export function formatValue(value: number, unit: string, currency?: string | null): string {
  const round = (x: number, digits: number) =>
    x.toLocaleString("en-US", {minimumFractionDigits: digits, maximumFractionDigits: digits});
  switch (unit) {
    case "share":
    case "flag":
      return formatShare(value);
    case "log ratio":
      return formatPercentChange(Math.exp(value) - 1);
    case "currency":
      return formatMoney(value, currency);
    case "days":
      return `${round(value, 0)} ${Math.round(value) === 1 ? "day" : "days"}`;
    case "hours":
      return `${round(value, value < 10 ? 1 : 0)} h`;
    case "minutes":
      return `${round(value, 1)} min`;
    case "years":
      return `${round(value, 0)} years`;
    case "months":
      return `${round(value, 0)} ${Math.round(value) === 1 ? "month" : "months"}`;
    case "score":
      return round(value, 1);
    default:
      return round(value, Math.abs(value) < 10 ? 1 : 0);
  }
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const percent = (x: number) => formatValue(x, "share");

/** "Orders with a discount: 64% against 21% across all customers". */
function traitSentence(t: Trait, currency: string | null): Sentence {
  const value = t.profile_value ?? NaN;
  const label = capitalise(t.level === null ? t.label : t.label.replace(/: [^:]*$/, ""));
  const text =
    t.level === null
      ? `${label}: ${formatValue(value, t.unit, currency)}, against ${formatValue(t.base_value, t.unit, currency)} across all customers.`
      : `${label}: ${t.level} for ${percent(value)}, against ${percent(t.base_value)} of all customers.`;
  return {text, feature: t.feature, level: t.level};
}

const top = (traits: Trait[], n: number) =>
  traits
    .filter((t) => t.distinguishing)
    .sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0))
    .slice(0, n);

/** A category feature's levels in the profile, commonest first. */
function levelsByShare(traits: Trait[], feature: string): Trait[] {
  return traits
    .filter((t) => t.feature === feature && t.level !== null && t.profile_value !== null)
    .sort((a, b) => b.profile_value! - a.profile_value! || a.level!.localeCompare(b.level!));
}

/** A channel's name as one word, so "e-mail" and "Email" are one channel. */
const channelKey = (level: string) => level.toLowerCase().replace(/[^a-z0-9]/g, "");

function numberTrait(traits: Trait[], feature: string): Trait | undefined {
  return traits.find((t) => t.feature === feature && t.level === null && t.profile_value !== null);
}

/** Writes a profile's document from its facts and traits (this profile's rows only). */
export function describeProfile(
  facts: ProfileFacts,
  traits: Trait[],
  {
    name,
    measuredDimensions,
    currency = null,
    minGroupSize = 10
  }: {
    name: string;
    /** Dimensions with at least one measured feature. */
    measuredDimensions: Set<string>;
    /** The currency amounts are written in (ISO 4217); null: bare numbers. */
    currency?: string | null;
    /** privacy.minGroupSize, for "fewer than 10" where an at-risk share is suppressed. */
    minGroupSize?: number;
  }
): ProfileDocument {
  const inDimensions = (dimensions: string[]) =>
    traits.filter((t) => dimensions.includes(t.dimension));
  const sections = Object.fromEntries(SECTIONS.map((s) => [s, [] as Sentence[]])) as Record<
    Section,
    Sentence[]
  >;

  // Who they are.
  // Who they are is what they are: a share that is merely lower than the base's ("0 % business
  // accounts" of every consumer profile) says little; a lower number (younger) does.
  const who = top(
    inDimensions(["demographic", "geographic", "firmographic"]).filter(
      (t) => (t.effect ?? 0) > 0 || (t.level === null && t.unit !== "flag")
    ),
    4
  );
  sections.who.push(...who.map((t) => traitSentence(t, currency)));
  if (who.length === 0) {
    const age = numberTrait(traits, "age");
    sections.who.push({
      text:
        age && age.p50 !== null && age.base_p50 !== null
          ? `Demographically like the customer base: median age ${formatValue(age.p50, "years")} (all customers ${formatValue(age.base_p50, "years")}); behaviour, not demographics, sets them apart.`
          : measuredDimensions.has("demographic")
            ? "Demographically like the customer base: no demographic trait sets them apart."
            : "Demographics are not measured in the data.",
      feature: age ? "age" : null,
      level: null
    });
  }
  // Where they live, when it sets them apart: a country every profile shares says nothing.
  const country = levelsByShare(traits, "country").find(
    (t) => t.distinguishing && (t.effect ?? 0) > 0
  );
  if (country && !who.some((t) => t.feature === "country")) {
    sections.who.push({
      text: `${capitalise(quantifier(country.profile_value!))} live in ${country.level} (${percent(country.profile_value!)}, against ${percent(country.base_value)} of all customers).`,
      feature: "country",
      level: country.level
    });
  }

  // What they value.
  if (!measuredDimensions.has("psychographic")) {
    sections.values.push({
      text: "Not measured: the data has no survey scales.",
      feature: null,
      level: null
    });
  } else {
    const values = top(inDimensions(["psychographic"]), 3);
    sections.values.push(...values.map((t) => traitSentence(t, currency)));
    const largest = inDimensions(["psychographic"])
      .filter((t) => t.profile_value !== null && t.effect !== null)
      .sort((a, b) => Math.abs(b.effect!) - Math.abs(a.effect!))[0];
    if (values.length === 0 && largest) {
      sections.values.push({
        text: `Their survey answers are close to the customer base's on every scale; the largest difference is ${lowerFirst(largest.label)}, ${formatValue(largest.profile_value!, largest.unit, currency)} against ${formatValue(largest.base_value, largest.unit, currency)}.`,
        feature: largest.feature,
        level: null
      });
    } else if (values.length === 0) {
      sections.values.push({
        text: "Too few of them answered the survey to say what they value.",
        feature: null,
        level: null
      });
    }
  }

  // How they behave.
  const contactFeatures = new Set(["preferred_channel", "acquisition_channel"]);
  const behaviour = top(
    inDimensions(["behavioral"]).filter((t) => !contactFeatures.has(t.feature)),
    5
  );
  sections.behaviour.push(...behaviour.map((t) => traitSentence(t, currency)));
  if (behaviour.length === 0) {
    sections.behaviour.push({
      text: "No behaviour sets them clearly apart from the customer base.",
      feature: null,
      level: null
    });
  }

  // How to serve them.
  const serve = sections.serve;
  // What to avoid first: the channel to reach them by is one they do not shun.
  const avoid: Sentence[] = [];
  const shunned = new Set<string>();
  const open = numberTrait(traits, "email_open_rate");
  if (open && open.distinguishing && (open.effect ?? 0) < 0) {
    shunned.add("email");
    avoid.push({
      text: `Avoid leaning on e-mail: they open ${percent(open.profile_value!)} of what they receive (all customers ${percent(open.base_value)}).`,
      feature: open.feature,
      level: null
    });
  }
  const unsubscribed = numberTrait(traits, "unsubscribed");
  if (unsubscribed && unsubscribed.distinguishing && (unsubscribed.effect ?? 0) > 0) {
    shunned.add("email");
    avoid.push({
      text: `Go easy on e-mail: ${percent(unsubscribed.profile_value!)} have unsubscribed (all customers ${percent(unsubscribed.base_value)}).`,
      feature: unsubscribed.feature,
      level: null
    });
  }
  const channels = levelsByShare(traits, "preferred_channel");
  const rare = channels
    .filter((t) => t.level !== "none" && t.distinguishing && (t.effect ?? 0) < 0)
    .sort((a, b) => (a.effect ?? 0) - (b.effect ?? 0))[0];
  if (rare) {
    shunned.add(channelKey(rare.level!));
    const share = shownPercent(rare.profile_value!);
    avoid.push({
      text: `${share < 20 ? "Few" : "Fewer than across the base"} want contact by ${rare.level}: ${percent(rare.profile_value!)}, against ${percent(rare.base_value)} of all customers.`,
      feature: rare.feature,
      level: rare.level
    });
  }
  const preferred = channels.find((t) => t.level !== "none" && !shunned.has(channelKey(t.level!)));
  if (preferred) {
    serve.push({
      text: `Reach them by ${preferred.level}${channels[0] === preferred ? "" : ", their next preference"} (${percent(preferred.profile_value!)}, against ${percent(preferred.base_value)} of all customers).`,
      feature: "preferred_channel",
      level: preferred.level
    });
  }
  const ticketChannels = traits
    .filter(
      (t) => t.feature.startsWith("ticket_channel_") && t.level === null && t.profile_value !== null
    )
    .sort((a, b) => b.profile_value! - a.profile_value! || a.feature.localeCompare(b.feature));
  if (ticketChannels[0]) {
    const t = ticketChannels[0];
    serve.push({
      text: `They raise ${percent(t.profile_value!)} of their support tickets by ${t.label.replace(/^Tickets via /, "")}, against ${percent(t.base_value)} across all customers.`,
      feature: t.feature,
      level: null
    });
  }
  for (const feature of ["tickets_12m", "satisfaction", "resolution_hours"]) {
    const t = numberTrait(traits, feature);
    if (t && t.distinguishing) serve.push(traitSentence(t, currency));
  }
  const topic = traits
    .filter((t) => t.feature.startsWith("ticket_topic_") && t.distinguishing && (t.effect ?? 0) > 0)
    .sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0))[0];
  if (topic) {
    serve.push({
      text: `They raise ${lowerFirst(topic.label.replace(/^Tickets about /, ""))} more than others: ${percent(topic.profile_value!)} of their tickets, against ${percent(topic.base_value)}.`,
      feature: topic.feature,
      level: null
    });
  }
  serve.push(...avoid);
  if (serve.length === 0) {
    serve.push({
      text: "Contact preferences and support are not measured in the data.",
      feature: null,
      level: null
    });
  }

  // Value and risk.
  const value = sections.value;
  value.push({
    text: `${facts.customers.toLocaleString("en-US")} customers, ${percent(facts.share)} of the base${
      facts.revenueShare === null
        ? ""
        : `, bringing ${percent(facts.revenueShare)} of the last 12 months' revenue`
    }.`,
    feature: null,
    level: null
  });
  if (facts.value12m !== null && facts.baseValue12m !== null) {
    value.push({
      text: `Expected value over the next 12 months: ${formatValue(facts.value12m, "currency", currency)} per customer, against ${formatValue(facts.baseValue12m, "currency", currency)} across all customers.`,
      feature: "expected_value_12m",
      level: null
    });
  }
  if (facts.pAlive !== null && facts.basePAlive !== null) {
    value.push({
      text: `Still active (P(alive)): ${percent(facts.pAlive)} on average, against ${percent(facts.basePAlive)}.`,
      feature: "p_alive",
      level: null
    });
  }
  const atRisk = (share: number | null, suppressed: AtRiskSuppressed) =>
    suppressed === "complement"
      ? "a share not shown (so that a smaller one cannot be worked out)"
      : suppressed
        ? `fewer than ${minGroupSize} of them`
        : share === null
          ? null
          : `${percent(share)} of them`;
  const risk = atRisk(facts.atRiskShare, facts.atRiskSuppressed);
  const baseRisk = facts.baseAtRiskSuppressed
    ? `fewer than ${minGroupSize}`
    : facts.baseAtRiskShare === null
      ? null
      : percent(facts.baseAtRiskShare);
  if (risk !== null && baseRisk !== null) {
    value.push({
      text: `At risk: ${risk}, against ${baseRisk} of all customers.`,
      feature: "at_risk",
      level: null
    });
  }

  const strongest = top(traits, 2).map((t) =>
    t.level === null
      ? `${lowerFirst(t.label)} ${formatValue(t.profile_value!, t.unit, currency)} (all ${formatValue(t.base_value, t.unit, currency)})`
      : `${lowerFirst(t.label.replace(/: [^:]*$/, ""))} ${t.level} ${percent(t.profile_value!)} (all ${percent(t.base_value)})`
  );
  const summary = `${percent(facts.share)} of customers${strongest.length ? `; ${strongest.join("; ")}` : ""}.`;
  return {id: facts.id, name, summary, sections};
}

/** The longest brief a support tool gets: a profile's one line for agents. */
export const BRIEF_LENGTH = 240;

/**
 * A profile's brief for support agents: its one-line summary and the first "how to serve"
 * sentence, at most `limit` characters. When both do not fit, the summary alone when it fills
 * three quarters of the limit, else the text cut after its last whole word that fits, with "…".
 */
export function profileBrief(
  summary: string,
  serve: string | null | undefined,
  limit = BRIEF_LENGTH
): string {
  const sentences = [summary, serve ?? ""].map((s) => s.trim().replace(/\s+/g, " "));
  const text = sentences.filter((s) => s !== "").join(" ");
  if (text.length <= limit) return text;
  // A whole sentence when it fills most of the room; otherwise a cut one says more.
  const first = sentences[0];
  if (first !== "" && first.length <= limit && first.length >= limit * 0.75) return first;
  const room = text.slice(0, limit);
  if (text[limit] === " " && /[.!?]$/.test(room)) return room; // a sentence ends at the limit
  // The "…" takes the place of the space after the last whole word.
  const space = room.lastIndexOf(" ");
  const words = (space > 0 ? room.slice(0, space) : room.slice(0, limit - 1)).replace(
    /[\s,;:–—-]+$/,
    ""
  );
  return /[.!?]$/.test(words) ? words : `${words}…`;
}
