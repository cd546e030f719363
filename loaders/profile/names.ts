/**
 * Profile names, from the strongest distinguishing traits on any dimension. Each trait that
 * distinguishes a profile can give a word: the feature's own phrase for high or low (the
 * catalogue's or the config's), else one made from its label ("higher income", "fewer children
 * at home", "without phone service", "month-to-month contract"). A word is only used where it is
 * true: a flag or a category level names a profile only when most of it has it and most of the
 * base does not (or nearly none of it does and most of the base does), and "app-first" only when
 * most of their orders are by app.
 *
 * Order: a defining trait first (nearly all of the profile share it and at most half of the base
 * does, or the reverse: "business accounts"), then by effect size. Among traits that say the same
 * thing (features correlated across the base), the name takes the one that stands for most of
 * the others ("big-spending", not "meat-loving" for a group high on every kind of spend), and the
 * next word comes from something else. Names read as words, and are unique: a taken name grows a
 * word, never a number.
 */
import {shownPercent} from "./quantifiers.ts";
import type {Trait} from "./traits.ts";
import {capitalise} from "../../src/contracts/text.ts";

/** The words a feature gives a name, from the catalogue or the config. */
export interface Phrases {
  high?: string;
  low?: string;
  /** Described, never clustered on: names only with words given for it. */
  describeOnly?: boolean;
}

/** How alike two features are across the base (|correlation|, 0 to 1); 0 when unknown. */
export type Relatedness = (a: string, b: string) => number;

/** Features at least this related say the same thing: one of them names a profile. */
export const REDUNDANT = 0.6;

/** The fallback name of a profile with no nameable trait. */
export const MAINSTREAM = "Mainstream customers";

/** "Spend on fish" → "spend on fish", but "TV" stays "TV". */
const lowerFirst = (s: string) =>
  /^[A-Z](?![A-Z])/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
/** Data values as words: "sports_leisure" → "sports leisure". */
const asWords = (s: string) => s.replace(/[_\s]+/g, " ").trim();

/** Units whose values are counted or measured in time: "more" and "fewer" of them. */
const COUNTED = new Set([
  "count",
  "people",
  "orders",
  "items",
  "tickets",
  "sessions",
  "activities",
  "visits",
  "e-mails",
  "days",
  "months",
  "years",
  "hours",
  "minutes"
]);

const featureLabel = (t: Trait) => (t.level === null ? t.label : t.label.replace(/: [^:]*$/, ""));

/** Gender codes (clean/standardise.ts) as words. */
const GENDERS: Record<string, string> = {F: "women", M: "men"};

/** The word a category level gives: "month-to-month contract", "no internet service", "DE-based". */
function levelWord(t: Trait, p: Phrases | undefined): string {
  const level = asWords(t.level!);
  if (t.feature === "gender" && GENDERS[level]) return GENDERS[level];
  if (p?.high?.includes("{level}")) return p.high.replaceAll("{level}", level);
  const label = lowerFirst(featureLabel(t));
  if (/^(yes|true)$/i.test(level)) return label;
  if (/^(no|none|false)$/i.test(level)) return `no ${label}`;
  return `${level} ${label}`;
}

/** The word a flag gives: its own, or its label, or "without" its label. */
function flagWord(t: Trait, p: Phrases | undefined, high: boolean): string | null {
  const given = high ? p?.high : p?.low;
  if (given) return given;
  if (p?.describeOnly) return null;
  const label = featureLabel(t);
  if (high) return lowerFirst(label);
  return /^with /i.test(label) ? `without ${label.slice(5)}` : `without ${lowerFirst(label)}`;
}

/** The word a trait gives a name, or null when it gives none or the word would not be true. */
export function nameWord(t: Trait, phrases: Map<string, Phrases>): string | null {
  if (!t.distinguishing || t.effect === null || t.profile_value === null) return null;
  const p = phrases.get(t.feature);
  const high = t.effect > 0;
  const percent = shownPercent(t.profile_value);
  // A level or a flag names the profile when most of it has it and most of the other customers
  // do not ("business", not "phone service" where 90 % have it), or when nearly none of it has
  // what most others have ("without phone service", not "without business accounts").
  const usual = othersShare(t) > 0.5;
  if (t.level !== null) {
    if (!high || percent <= 50 || usual || p?.describeOnly) return null;
    return levelWord(t, p);
  }
  if (t.unit === "flag") {
    if (high ? percent <= 50 || usual : percent > 10 || !usual) return null;
    return flagWord(t, p, high);
  }
  const given = high ? p?.high : p?.low;
  if (given) {
    // "-first" says it is their main way: true only for most of what they do.
    if (t.unit === "share" && given.endsWith("-first") && percent <= 50)
      return `${given.slice(0, -"-first".length)}-leaning`;
    return given;
  }
  // A lower share of one kind follows from a higher share of another: it names nothing.
  if (p?.describeOnly || (t.unit === "share" && !high)) return null;
  const label = lowerFirst(featureLabel(t));
  if (COUNTED.has(t.unit)) return `${high ? "more" : "fewer"} ${label}`;
  return `${high ? "higher" : "lower"} ${label}`;
}

/** The share of the other customers with a flag or level, from the profile's and Cohen's h. */
function othersShare(t: Trait): number {
  const angle = Math.asin(Math.sqrt(Math.min(Math.max(t.profile_value!, 0), 1))) - t.effect! / 2;
  return Math.sin(Math.min(Math.max(angle, 0), Math.PI / 2)) ** 2;
}

/** A flag, level or share that nearly all of the profile have and at most half the base has, or the reverse. */
function defining(t: Trait): boolean {
  if (t.profile_value === null || !Number.isFinite(t.base_value)) return false;
  if (t.level === null && t.unit !== "flag" && t.unit !== "share") return false;
  const p = shownPercent(t.profile_value);
  const base = t.base_value * 100;
  return (p >= 90 && base <= 50) || (t.level === null && p <= 10 && base >= 50);
}

interface Candidate {
  trait: Trait;
  word: string;
  defining: boolean;
}

/** The traits that can name a profile, defining ones first, then by effect size. */
function candidates(traits: Trait[], phrases: Map<string, Phrases>): Candidate[] {
  const out: Candidate[] = [];
  for (const trait of traits) {
    const word = nameWord(trait, phrases);
    if (word !== null) out.push({trait, word: asWords(word), defining: defining(trait)});
  }
  return out.sort(
    (a, b) =>
      Number(b.defining) - Number(a.defining) ||
      (a.trait.rank ?? Infinity) - (b.trait.rank ?? Infinity) ||
      a.word.localeCompare(b.word)
  );
}

/**
 * Whether two candidates say the same thing: one feature, or features of one dimension that move
 * together (income and spend correlate, but who they are is not what they do).
 */
function redundant(a: Candidate, b: Candidate, related: Relatedness): boolean {
  return (
    a.trait.feature === b.trait.feature ||
    a.word === b.word ||
    (a.trait.dimension === b.trait.dimension &&
      related(a.trait.feature, b.trait.feature) >= REDUNDANT)
  );
}

/**
 * The first word: the strongest candidate, or among those nearly as strong that say the same
 * thing, the one most related to all the profile's candidates (the total over its parts).
 */
function lead(list: Candidate[], related: Relatedness): Candidate {
  const top = list[0];
  if (top.defining) return top;
  const strength = (c: Candidate) => Math.abs(c.trait.effect!);
  const block = list.filter(
    (c) => !c.defining && strength(c) >= 0.75 * strength(top) && redundant(c, top, related)
  );
  const centrality = (c: Candidate) =>
    list.reduce((sum, d) => sum + (d === c ? 0 : related(c.trait.feature, d.trait.feature)), 0);
  return block.reduce((best, c) => (centrality(c) > centrality(best) + 1e-9 ? c : best), top);
}

/** Whether a name reads as words: no numbering, no underscores, no brackets. */
export function readsAsWords(name: string): boolean {
  return /^[\p{Lu}\p{Ll}\p{N}]/u.test(name) && !/[_()[\]{}]/.test(name) && !/\s{2}/.test(name);
}

/**
 * A name from the strongest nameable traits, unique among the names already taken: two words,
 * a third (then a fourth …) when two are taken; "Mainstream customers" when no trait names it.
 */
export function profileName(
  traits: Trait[],
  phrases: Map<string, Phrases>,
  taken: Set<string>,
  related: Relatedness = () => 0
): string {
  const list = candidates(traits, phrases);
  const words: string[] = [];
  if (list.length > 0) {
    const first = lead(list, related);
    const chosen = [first];
    for (const c of list) if (chosen.every((d) => !redundant(c, d, related))) chosen.push(c);
    // Words that repeat one already chosen are the last resort for a unique name.
    for (const c of list)
      if (!chosen.includes(c) && !chosen.some((d) => d.word === c.word)) chosen.push(c);
    words.push(...chosen.map((c) => c.word));
  }
  const name = (w: string[]) => capitalise(w.join(", "));
  if (words.length === 0) return unique(MAINSTREAM, taken, mainstreamWords(traits, phrases));
  // two words: the first with the next, or with each other in turn; then longer names
  for (let i = 1; i < words.length; i++) {
    const candidate = name([words[0], words[i]]);
    if (!taken.has(candidate)) return candidate;
  }
  for (let n = 3; n <= words.length; n++) {
    const candidate = name(words.slice(0, n));
    if (!taken.has(candidate)) return candidate;
  }
  return unique(name(words.slice(0, 2)), taken, []);
}

/** A profile's leanings that do not distinguish it: the words of a mainstream name made unique. */
function mainstreamWords(traits: Trait[], phrases: Map<string, Phrases>): string[] {
  return traits
    .filter((t) => t.effect !== null && t.level === null && !t.suppressed)
    .sort((a, b) => Math.abs(b.effect!) - Math.abs(a.effect!) || a.feature.localeCompare(b.feature))
    .map((t) => nameWord({...t, distinguishing: true}, phrases))
    .filter((w): w is string => w !== null)
    .map((w) => `leaning ${asWords(w)}`);
}

/**
 * The name a profile keeps: the previous build's when it matched one, so links and habits hold,
 * unless that name does not read as words ("Long-standing (2)"): then the generated one.
 */
export function stableName(kept: string | undefined, generated: string): string {
  return kept !== undefined && readsAsWords(kept) ? kept : generated;
}

const ORDINALS = ["second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"];

/** The name, or the name with one more word, or with an ordinal group: never a number. */
function unique(name: string, taken: Set<string>, more: string[]): string {
  if (!taken.has(name)) return name;
  for (const w of more) if (!taken.has(`${name}, ${w}`)) return `${name}, ${w}`;
  for (const o of ORDINALS) if (!taken.has(`${name}, ${o} group`)) return `${name}, ${o} group`;
  let i = ORDINALS.length;
  while (taken.has(`${name}, group ${i + 2}`)) i++;
  return `${name}, group ${i + 2}`;
}
