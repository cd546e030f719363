/**
 * Finding the index's identifiers in a text: e-mail addresses and runs of digits looked up as
 * digests, words matched against names and street lines by their first two tokens, and the
 * first and last name a record holds in two of its fields. A set lookup per candidate token, no
 * pattern per customer: the cost grows with the text, not with the number of customers.
 */
import {EMAIL, emailShaped, normaliseText, phoneShapes} from "../core/redact.ts";
import {identifierDigest} from "./digests.ts";
import {
  type IdentifierIndex,
  type IdentifierKind,
  MAX_PHONE_DIGITS,
  MIN_PHONE_DIGITS,
  phoneCandidates,
  token,
  WORD
} from "./identifiers.ts";

const PHONE_RUN = /\d[\d \t\u00a0.()/-]{5,}\d/g;

/** Values of at most this many words take part in a record's name check (JSON, Arrow). */
const RECORD_VALUE_WORDS = 4;

/** An identifier found in a text, at an offset. */
export interface Hit {
  kind: IdentifierKind;
  value: string;
  offset: number;
  /** Found by its shape alone: no customer of the index has it (core/redact.ts). */
  shape?: boolean;
}

/** A word of a text that may be part of a record's name. */
export interface Token {
  word: string;
  offset: number;
}

/** The identifiers in one text, with their offsets, and the tokens that may be part of a name. */
export function scanText(
  written: string,
  index: IdentifierIndex,
  hits: Hit[],
  nameTokens?: Token[],
  recordWords = RECORD_VALUE_WORDS
): void {
  const text = normaliseText(written);
  if (text.includes("@")) {
    for (const m of text.matchAll(EMAIL)) {
      const value = m[0].replace(/\.+$/, "").toLowerCase();
      if (index.emails.has(identifierDigest(value)))
        hits.push({kind: "email", value, offset: m.index});
      else if (index.shapes && emailShaped(value))
        hits.push({kind: "email", value, offset: m.index, shape: true});
    }
  }
  const known = hits.length;
  if (index.phones.size > 0) {
    for (const m of text.matchAll(PHONE_RUN)) scanDigits(m[0], m.index, index, hits);
  }
  if (index.shapes) {
    for (const s of phoneShapes(text)) {
      const same = (h: Hit) => s.digits.includes(h.value) || h.value.includes(s.digits);
      if (!hits.slice(known).some(same))
        hits.push({kind: "phone", value: s.digits, offset: s.offset, shape: true});
    }
  }
  if (index.phrases.size === 0 && !nameTokens) return;
  const tokens: Token[] = [];
  for (const m of text.matchAll(WORD)) tokens.push({word: token(m[0]), offset: m.index});
  // A record's name fields are short values: words in a sentence do not make a name.
  if (nameTokens && tokens.length <= recordWords)
    for (const t of tokens)
      if (index.firstTokens.has(t.word) || index.lastTokens.has(t.word)) nameTokens.push(t);
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i].word;
    if (!index.phraseStarts.has(t)) continue;
    const candidates = index.phrases.get(`${t} ${tokens[i + 1].word}`);
    if (!candidates) continue;
    for (const {tokens: phrase, kind} of candidates) {
      let k = 2;
      while (k < phrase.length && tokens[i + k]?.word === phrase[k]) k++;
      if (k === phrase.length) hits.push({kind, value: phrase.join(" "), offset: tokens[i].offset});
    }
  }
}

/**
 * Checks a run of digit groups ("+1 (212) 565-4438", "2024-01-02 4438") against the phone
 * forms: every span of consecutive groups of 7 to 15 digits, so a number next to another is
 * still found, and only whole groups, so a number that shares some digits is not.
 */
export function scanDigits(run: string, offset: number, index: IdentifierIndex, hits: Hit[]): void {
  // "+44 (0)20 …": the 0 is dialled only from inside the country.
  if (run.includes("(0)")) scanDigits(run.replace("(0)", " "), offset, index, hits);
  const groups = run.split(/\D+/);
  const separators = run.match(/\D+/g) ?? [];
  for (let i = 0; i < groups.length; i++) {
    let digits = "";
    for (let j = i; j < groups.length; j++) {
      digits += groups[j];
      if (digits.length > MAX_PHONE_DIGITS + 3) break;
      if (digits.length < MIN_PHONE_DIGITS) continue;
      // Two groups around one point are a decimal number (an amount), not a phone number.
      if (j === i + 1 && separators[i] === ".") continue;
      const match = phoneCandidates(digits).find(
        (d) => index.phoneLengths.has(d.length) && index.phones.has(identifierDigest(d))
      );
      if (match) {
        hits.push({kind: "phone", value: match, offset});
        return;
      }
    }
  }
}

/** The name pairs among a record's tokens: a customer's first and last name in one record. */
export function recordNames(tokens: Token[], index: IdentifierIndex, hits: Hit[]): void {
  if (tokens.length < 2) return;
  for (const a of tokens) {
    if (!index.firstTokens.has(a.word)) continue;
    for (const b of tokens) {
      if (b !== a && index.namePairs.has(`${a.word} ${b.word}`)) {
        hits.push({kind: "name", value: `${a.word} ${b.word}`, offset: a.offset});
        return;
      }
    }
  }
}

/** One hit per identifier and place: a phrase also matched by a record check counts once. */
export function dedupe(hits: Hit[]): Hit[] {
  const seen = new Set<string>();
  return hits
    .sort((a, b) => a.offset - b.offset)
    .filter((h) => {
      const key = `${h.kind} ${h.value} ${h.offset}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
}
