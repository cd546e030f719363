/**
 * The page side of the customer cards: finds a customer's card in the shard the page fetched
 * and decodes its row into a Card for the card component. Where a card lives and the files'
 * format are the contract in src/contracts/cards.ts, which the build writes by. Pure: no I/O, no
 * DOM, no libraries.
 */
import {CARD_FIELDS, IDENTIFIER_FIELDS} from "../contracts/cards.js";
import type {Card, CardIndex, CardShard, OrderRow} from "../contracts/cards.js";

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
      p_lapse: get("p_lapse"),
      engagement_change: get("engagement_change"),
      summary: index.risk
    },
    identifiers: index.identifiers
      ? {name: get("name"), email: get("email"), phone: get("phone")}
      : null
  };
}
