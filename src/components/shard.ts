/**
 * Customer cards are published in shards: a customer's card lives in the shard its id hashes
 * to, so the card page fetches one small file instead of every customer. This module is the
 * one place that knows the split and the file format: the build (loaders/site/cards.ts) writes with
 * it and the page (src/customer.md) reads with it, so both always agree on where a card is.
 * The files' types are the contract in src/contracts/cards.ts. Pure: no I/O, no DOM, no
 * libraries.
 */
import type {Card, CardIndex, CardShard, OrderRow} from "../contracts/cards.js";

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
  "engagement_change"
] as const;

/** The fields a build adds when it publishes direct identifiers. */
export const IDENTIFIER_FIELDS = ["name", "email", "phone"] as const;

/** What a lookup in a shard found. */
export type Lookup =
  {found: "card"; card: Card} | {found: "merged"; into: string} | {found: "none"};

/** The date days before iso (YYYY-MM-DD), as YYYY-MM-DD. */
export function daysBefore(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - days);
  return date.toISOString().slice(0, 10);
}

/**
 * Finds id in a shard: the exact id first, else the one id equal to it ignoring case. A merged
 * id says which customer it became (whose card may be in another shard).
 */
export function findCard(index: CardIndex, shard: CardShard, query: string): Lookup {
  const id = query.trim();
  const key = matchKey(shard.cards, id);
  if (key !== undefined) return {found: "card", card: readCard(index, shard, key)};
  const merged = matchKey(shard.merged, id);
  if (merged !== undefined) return {found: "merged", into: shard.merged[merged]};
  return {found: "none"};
}

function matchKey(record: Record<string, unknown>, id: string): string | undefined {
  if (Object.hasOwn(record, id)) return id;
  const folded = id.toLowerCase();
  return Object.keys(record).find((k) => k.toLowerCase() === folded);
}

/** Decodes the card row of id (a key of shard.cards) into a Card. */
export function readCard(index: CardIndex, shard: CardShard, id: string): Card {
  const expected = [...CARD_FIELDS, ...(index.identifiers ? IDENTIFIER_FIELDS : [])];
  if (shard.fields.join() !== expected.join())
    throw new Error(
      `shard ${shard.shard} has fields ${shard.fields.join(", ")}, expected ${expected.join(", ")}: rebuild the site`
    );
  const row = shard.cards[id];
  const get = <T>(field: string): T => row[shard.fields.indexOf(field)] as T;
  const asOf = shard.as_of ?? index.as_of;
  const profile = index.profiles.find((p) => p.id === get<string | null>("profile")) ?? null;
  const values = get<(number | string | null)[]>("traits") ?? [];
  const levels = shard.order_levels;
  const level = (list: string[], i: number | null) => (i === null ? null : (list[i] ?? null));
  const recent = get<OrderRow[]>("last_orders").map(
    ([days, amount, channel, category, status]) => ({
      date: asOf ? daysBefore(asOf, days) : String(days),
      amount,
      channel: level(levels.channel, channel),
      category: level(levels.category, category),
      status: level(levels.status, status)
    })
  );
  const ticketDays = get<number | null>("last_ticket_days");
  return {
    id,
    as_of: asOf,
    merged_from: null,
    profile,
    traits: (profile?.traits ?? []).map((t, i) => ({...t, value: values[i] ?? null})),
    preferred_channel: get("preferred_channel"),
    main_order_channel: get("main_order_channel"),
    orders: {
      last_90d: get("orders_90d"),
      last_12m: get("orders_12m"),
      spend_12m: get("spend_12m"),
      last_date: recent[0]?.date ?? null,
      recent
    },
    tickets: {
      last_12m: get("tickets_12m"),
      open: get("open_tickets"),
      last_date: ticketDays === null || !asOf ? null : daysBefore(asOf, ticketDays),
      last_topic: get("last_ticket_topic"),
      satisfaction: get("satisfaction"),
      rated: get("rated_tickets")
    },
    value: {
      p_alive: get("p_alive"),
      expected_12m: get("expected_value_12m"),
      risk: get("risk"),
      engagement_change: get("engagement_change"),
      churn: index.churn
    },
    identifiers: index.identifiers
      ? {name: get("name"), email: get("email"), phone: get("phone")}
      : null
  };
}
