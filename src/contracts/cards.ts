/**
 * The customer cards' files and where a card lives. Cards are published in shards: a customer's
 * card lives in the shard its id hashes to, so the card page fetches one small file instead of
 * every customer. The build (loaders/site/cards.ts) writes by this module and the page
 * (src/customer.md, src/components/shard.ts) reads by it, so both always agree on where a card
 * is and what its row holds:
 *
 *   data/cards.json           CardIndex: what the card page needs before it fetches a shard
 *   data/cards/<shard>.json   CardShard: the card rows of the customers whose id hashes to it
 *
 * and a card as the page reads it back (Card). Pure: no I/O, no DOM, no libraries.
 */
import type {RiskSummary} from "./risk.js";

/** FNV-1a, 32 bits, over the UTF-8 bytes of text: small, fast, and the same in Node and browsers. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * The form of an id the shard is chosen by: trimmed and lower-cased, so that "c0000123 " and
 * "C0000123" land in the same shard and a lookup tolerant of case finds it there.
 */
export function shardKey(id: string): string {
  return id.trim().toLowerCase();
}

/** Most customers a shard holds: past it the shard count doubles. */
export const MAX_SHARD_CARDS = 2000;

/**
 * How many shards n customers are split into: the smallest power of two that keeps shards at
 * most MAX_SHARD_CARDS customers, so past 2,000 customers each shard holds 1,000 to 2,000.
 */
export function shardCount(customers: number): number {
  let shards = 1;
  while (customers / shards > MAX_SHARD_CARDS) shards *= 2;
  return shards;
}

/** A shard's file name (without .json): its number in hex, two digits or more ("00", "0a"). */
export function shardName(shard: number, shards: number): string {
  const digits = Math.max(2, (shards - 1).toString(16).length);
  return shard.toString(16).padStart(digits, "0");
}

/** The shard holding the card of id, among shards: the file name the page fetches. */
export function shardOf(id: string, shards: number): string {
  return shardName(fnv1a32(shardKey(id)) % shards, shards);
}

/** Every shard name of a build with this many shards, in order. */
export function shardNames(shards: number): string[] {
  return Array.from({length: shards}, (_, i) => shardName(i, shards));
}

// ---------------------------------------------------------------------------------------------
// The published files.

/** One of a profile's top distinguishing traits, with the profile's and the base's value. */
export interface CardTrait {
  feature: string;
  /** The category level for category traits ("app" of main order channel), else null. */
  level: string | null;
  label: string;
  unit: string;
  kind: "number" | "category";
  /** Profile mean (numbers) or share in the level (categories). */
  profile: number | null;
  base: number | null;
}

/** What every card of a profile shares, published once in the index. */
export interface CardProfile {
  id: string;
  name: string;
  /** The profile's "how to serve them" sentences. */
  serve: string[];
  traits: CardTrait[];
}

/** data/cards.json: what the page needs before it fetches a shard. */
export interface CardIndex {
  as_of: string | null;
  shards: number;
  /** Whether the build publishes e-mail, phone and name (config.privacy.identifiers). */
  identifiers: boolean;
  /** An id of this build, to show what ids look like. */
  example: string | null;
  /** The backtest's evidence behind the at-risk flag, and why it was not assessed if not. */
  risk: RiskSummary;
  profiles: CardProfile[];
}

/**
 * The fields of a card row, in order. A row is an array rather than an object so that a shard
 * of 2,000 customers does not repeat 20 key names 2,000 times; the shard names its fields, and
 * the reader checks them.
 */
export const CARD_FIELDS = [
  "profile",
  "traits",
  "preferred_channel",
  "main_order_channel",
  "orders_90d",
  "orders_12m",
  "spend_12m",
  "last_orders",
  "tickets_12m",
  "open_tickets",
  "last_ticket_days",
  "last_ticket_topic",
  "satisfaction",
  "rated_tickets",
  "p_alive",
  "expected_value_12m",
  "risk",
  "p_lapse",
  "engagement_change"
] as const;

/** The fields a build adds when it publishes direct identifiers. */
export const IDENTIFIER_FIELDS = ["name", "email", "phone"] as const;

/**
 * A recent order: days before the as-of date, amount, and the positions of its channel,
 * category and status in its shard's order_levels (null when unknown).
 */
export type OrderRow = [number, number | null, number | null, number | null, number | null];

/**
 * The risk field: null when the flag did not assess the customer (not assessed in this build,
 * no purchase, or fewer purchases than the rule needs), "none" when not at risk, "at_risk" when
 * flagged.
 */
export type Risk = null | "none" | "at_risk";

/** data/cards/<shard>.json. */
export interface CardShard {
  shard: string;
  as_of: string | null;
  fields: string[];
  /** The order channels, categories and statuses of this shard's recent orders, sorted. */
  order_levels: {channel: string[]; category: string[]; status: string[]};
  /** Card rows by customer id, in id order. */
  cards: Record<string, unknown[]>;
  /** Ids merged into another customer (the same person): merged id → surviving id. */
  merged: Record<string, string>;
}

/** A customer's card, read back from the index and a shard: what the card component shows. */
export interface Card {
  id: string;
  as_of: string | null;
  /** The id that was looked up when it was merged into this customer. */
  merged_from: string | null;
  profile: CardProfile | null;
  /** The profile's traits with this customer's own value (a number, or their category level). */
  traits: (CardTrait & {value: number | string | null})[];
  preferred_channel: string | null;
  main_order_channel: string | null;
  /** Counts are null when the data hold no orders (or tickets) at all: not measured, not 0. */
  orders: {
    last_90d: number | null;
    last_12m: number | null;
    spend_12m: number | null;
    last_date: string | null;
    recent: {
      date: string;
      amount: number | null;
      channel: string | null;
      category: string | null;
      status: string | null;
    }[];
  };
  tickets: {
    last_12m: number | null;
    /** Tickets not resolved by the as-of date; null when the data has no resolution times. */
    open: number | null;
    last_date: string | null;
    last_topic: string | null;
    satisfaction: number | null;
    rated: number;
  };
  value: {
    p_alive: number | null;
    expected_12m: number | null;
    risk: Risk;
    /** The probability of no purchase in the horizon; null when not assessed. */
    p_lapse: number | null;
    engagement_change: number | null;
    summary: RiskSummary;
  };
  /** Name, e-mail and phone; null when the build hides identifiers. */
  identifiers: {name: string | null; email: string | null; phone: string | null} | null;
}
