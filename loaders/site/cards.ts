/**
 * Customer cards: what a support agent needs about one customer before a call (profile and
 * what sets it apart, contact and order channels, recent orders, tickets, value and risk, how to
 * serve them), computed in DuckDB for every customer and published in shards by a stable hash
 * of the id (src/contracts/cards.ts), so the card page fetches one shard of 1,000–2,000
 * customers and a small index instead of every customer.
 *
 *   data/cards.json           CardIndex: as-of date, shard count, profiles with traits and serve sentences
 *   data/cards/<shard>.json   CardShard: the card rows of the customers whose id hashes to it
 */
import {listValue} from "@duckdb/node-api";
import {
  CARD_FIELDS,
  IDENTIFIER_FIELDS,
  shardCount,
  shardNames,
  shardOf,
  type CardIndex,
  type CardProfile,
  type CardShard,
  type CardTrait,
  type OrderRow
} from "../../src/contracts/cards.ts";
import type {Row, Store} from "../core/store.ts";
import {byProfileId, ident, join, sql, val, type SQL} from "../core/sql.ts";
import {DIGITS, round} from "./published.ts";
import {riskSummary} from "./risk.ts";
import type {PageSettings} from "../config/settings.ts";

/** What the config decides about the cards: whether they carry identifiers. */
export interface CardOptions {
  /** config.privacy.identifiers: publish name, e-mail and phone. */
  identifiers: boolean;
}

/** The card options of a build's settings (the page loaders') or config (publishing's). */
export function cardOptions({privacy}: Pick<PageSettings, "privacy">): CardOptions {
  return {identifiers: privacy.identifiers};
}

/** Traits per profile a card compares the customer on. */
export const CARD_TRAITS = 5;
/** Recent orders a card lists. */
export const CARD_ORDERS = 5;

/** The customers, in id order: everyone who gets a card. */
async function customerIds(store: Store): Promise<string[]> {
  if (!(await store.has("customers"))) return [];
  const rows = await store.all<{id: string}>(
    sql`SELECT customer_id AS id FROM customers ORDER BY customer_id`
  );
  return rows.map((r) => r.id);
}

/** The shard names of the store's build, in order: the files `npm run build` writes. */
export async function cardShardNames(store: Store): Promise<string[]> {
  const n = await customerCount(store);
  return n === 0 ? [] : shardNames(shardCount(n));
}

async function customerCount(store: Store): Promise<number> {
  if (!(await store.has("customers"))) return 0;
  return (await store.one<{n: number}>(sql`SELECT count(*)::INTEGER AS n FROM customers`))?.n ?? 0;
}

async function asOf(store: Store): Promise<string | null> {
  if (!(await store.has("overview_as_of"))) return null;
  const row = await store.one<{as_of: string}>(
    sql`SELECT strftime(as_of, '%Y-%m-%d') AS as_of FROM overview_as_of`
  );
  return row?.as_of ?? null;
}

/** The index of the cards: what every card of the build shares. */
export async function cardIndex(store: Store, options: CardOptions): Promise<CardIndex> {
  const ids = await customerIds(store);
  return {
    as_of: await asOf(store),
    shards: ids.length === 0 ? 0 : shardCount(ids.length),
    identifiers: options.identifiers,
    example: ids[0] ?? null,
    risk: await riskSummary(store),
    profiles: await cardProfiles(store)
  };
}

/** Every profile with its name, serve sentences and top distinguishing traits, in id order. */
async function cardProfiles(store: Store): Promise<CardProfile[]> {
  if (!(await store.has("profiles"))) return [];
  const profiles = await store.all<{id: string; name: string}>(
    sql`SELECT profile_id AS id, name FROM profiles
     ORDER BY ${byProfileId()}`
  );
  const serve = (await store.has("profile_sentences"))
    ? await store.all<{id: string; text: string}>(
        sql`SELECT profile_id AS id, text FROM profile_sentences WHERE section = 'serve'
         ORDER BY profile_id, position`
      )
    : [];
  const traits = await topTraits(store);
  return profiles.map((p) => ({
    id: p.id,
    name: p.name,
    serve: serve.filter((s) => s.id === p.id).map((s) => s.text),
    traits: traits.get(p.id) ?? []
  }));
}

/** Each profile's top CARD_TRAITS distinguishing traits (by rank), on features a card can read. */
async function topTraits(store: Store): Promise<Map<string, CardTrait[]>> {
  const out = new Map<string, CardTrait[]>();
  if (!(await store.has("profile_traits"))) return out;
  const features = await store.tableColumns("features");
  const rows = await store.all<CardTrait & {profile_id: string} & Row>(
    sql`SELECT profile_id, feature, level, label, unit, kind, profile_value AS profile,
       base_value AS base
     FROM profile_traits
     WHERE distinguishing AND NOT coalesce(suppressed, false)
     ORDER BY profile_id, rank, feature, level`
  );
  for (const {profile_id, ...t} of rows) {
    if (!features.has(t.feature)) continue;
    const list = out.get(profile_id) ?? [];
    if (list.length < CARD_TRAITS)
      list.push({...t, profile: round(t.profile, DIGITS.card), base: round(t.base, DIGITS.card)});
    out.set(profile_id, list);
  }
  return out;
}

/** Fails with a clear message when name is not a shard of this build. */
function requireShard(name: string | undefined, count: number): string {
  const names = count === 0 ? [] : shardNames(shardCount(count));
  if (name === undefined || !names.includes(name))
    throw new Error(
      `no card shard ${JSON.stringify(name)} in this build: the shards are ${names.length ? `${names[0]} to ${names.at(-1)}` : "none (no customers)"}`
    );
  return name;
}

/** The cards of the customers whose id hashes to shard `name`. */
export async function cardShard(
  store: Store,
  name: string | undefined,
  options: CardOptions
): Promise<CardShard> {
  const all = await customerIds(store);
  const shard = requireShard(name, all.length);
  const shards = shardCount(all.length);
  const ids = all.filter((id) => shardOf(id, shards) === shard);
  const context = await shardContext(store, shards, options);
  const built = await buildShards(store, new Map([[shard, ids]]), context);
  return built.get(shard)!;
}

/** Customers whose cards are computed together: a few SQL passes each, whatever the shard count. */
const CARD_BATCH = 50_000;

/**
 * Every shard of the build, in name order, computed in batches of about CARD_BATCH customers:
 * the same documents the page loader gives one at a time, for a build of any size (a million
 * customers make 512 shards, too many to run a loader for each).
 */
export async function* allCardShards(
  store: Store,
  options: CardOptions
): AsyncGenerator<CardShard> {
  const all = await customerIds(store);
  if (all.length === 0) return;
  const shards = shardCount(all.length);
  const groups = new Map(shardNames(shards).map((name) => [name, [] as string[]]));
  for (const id of all) groups.get(shardOf(id, shards))!.push(id);
  const context = await shardContext(store, shards, options);
  let batch = new Map<string, string[]>();
  let size = 0;
  for (const [name, ids] of groups) {
    batch.set(name, ids);
    size += ids.length;
    if (size >= CARD_BATCH) {
      yield* (await buildShards(store, batch, context)).values();
      batch = new Map();
      size = 0;
    }
  }
  if (batch.size > 0) yield* (await buildShards(store, batch, context)).values();
}

/** What every shard of a build shares: the as-of date, the fields, merged ids by shard. */
interface ShardContext {
  date: string | null;
  fields: string[];
  options: CardOptions;
  merged: Map<string, Record<string, string>>;
}

async function shardContext(
  store: Store,
  shards: number,
  options: CardOptions
): Promise<ShardContext> {
  return {
    date: await asOf(store),
    fields: [...CARD_FIELDS, ...(options.identifiers ? IDENTIFIER_FIELDS : [])],
    options,
    merged: await mergedIds(store, shards)
  };
}

/** The shards of `groups` (shard name → its customer ids), computed in one pass. */
async function buildShards(
  store: Store,
  groups: Map<string, string[]>,
  {date, fields, options, merged}: ShardContext
): Promise<Map<string, CardShard>> {
  const shardOfId = new Map<string, string>();
  for (const [name, ids] of groups) for (const id of ids) shardOfId.set(id, name);
  // The ids as a temporary table the queries below join on (a read-only store allows it).
  await store.run(
    sql`CREATE OR REPLACE TEMP TABLE card_ids AS SELECT unnest(${listValue([...shardOfId.keys()])}::VARCHAR[]) AS customer_id`
  );
  try {
    const rows = await summaries(store, date, options);
    const orders = await recentOrders(store, date);
    const traits = await traitValues(store);
    const cards = new Map([...groups.keys()].map((name) => [name, [] as Row[]]));
    for (const row of rows) cards.get(shardOfId.get(String(row.customer_id))!)!.push(row);
    const out = new Map<string, CardShard>();
    for (const [name, shardRows] of cards) {
      const encoded = encodeOrders(
        shardRows.flatMap((r) => orders.get(String(r.customer_id)) ?? [])
      );
      const shardCards: Record<string, unknown[]> = {};
      for (const row of shardRows) {
        const id = String(row.customer_id);
        const record: Record<string, unknown> = {
          ...row,
          traits: traits.get(id) ?? [],
          last_orders: encoded.rows.get(id) ?? []
        };
        shardCards[id] = fields.map((f) => record[f] ?? null);
      }
      out.set(name, {
        shard: name,
        as_of: date,
        fields,
        order_levels: encoded.levels,
        cards: shardCards,
        merged: merged.get(name) ?? {}
      });
    }
    return out;
  } finally {
    await store.run(sql`DROP TABLE IF EXISTS card_ids`);
  }
}

/** One row per customer of the shard: profile, channels, order and ticket summaries, value, risk. */
async function summaries(store: Store, date: string | null, options: CardOptions): Promise<Row[]> {
  const {min_orders: minOrders} = await riskSummary(store);
  const [features, orders, tickets, value, customers] = await Promise.all(
    ["features", "orders", "tickets", "customer_value", "customers"].map((t) =>
      store.tableColumns(t)
    )
  );
  const hasProfiles = await store.has("customer_profiles");
  const select: SQL[] = [
    sql`i.customer_id`,
    hasProfiles ? sql`cp.profile_id AS profile` : sql`NULL AS profile`
  ];
  const joins: SQL[] = [];
  if (hasProfiles) joins.push(sql`LEFT JOIN customer_profiles cp USING (customer_id)`);
  const channel = (column: string) =>
    features.has(column)
      ? sql`f.${ident(column)}`
      : customers.has(column)
        ? sql`c.${ident(column)}`
        : sql`NULL`;
  select.push(
    sql`${channel("preferred_channel")} AS preferred_channel`,
    sql`${channel("main_order_channel")} AS main_order_channel`
  );
  if (features.size > 0) joins.push(sql`LEFT JOIN features f USING (customer_id)`);
  joins.push(sql`LEFT JOIN customers c USING (customer_id)`);

  if (orders.size > 0 && date !== null) {
    const end = windowEnd(date);
    select.push(
      sql`coalesce(o.orders_90d, 0) AS orders_90d`,
      sql`coalesce(o.orders_12m, 0) AS orders_12m`,
      sql`round(o.spend_12m) AS spend_12m`
    );
    joins.push(sql`LEFT JOIN (
      SELECT customer_id,
        count(*) FILTER (WHERE ordered_at >= ${end} - INTERVAL 90 DAY)::INTEGER AS orders_90d,
        count(*) FILTER (WHERE ordered_at >= ${end} - INTERVAL 365 DAY)::INTEGER AS orders_12m,
        sum(amount) FILTER (WHERE ordered_at >= ${end} - INTERVAL 365 DAY) AS spend_12m
      FROM orders SEMI JOIN card_ids USING (customer_id)
      WHERE ordered_at < ${end} GROUP BY customer_id) o USING (customer_id)`);
  } else
    // No orders in the data: not measured, never 0.
    select.push(
      sql`NULL::INTEGER AS orders_90d`,
      sql`NULL::INTEGER AS orders_12m`,
      sql`NULL AS spend_12m`
    );

  if (tickets.size > 0 && date !== null) {
    const end = windowEnd(date);
    const open = tickets.has("resolved_at")
      ? sql`count(*) FILTER (WHERE resolved_at IS NULL OR resolved_at >= ${end})::INTEGER`
      : sql`NULL::INTEGER`;
    const satisfaction = tickets.has("satisfaction");
    select.push(
      sql`coalesce(t.tickets_12m, 0) AS tickets_12m`,
      tickets.has("resolved_at")
        ? sql`coalesce(t.open_tickets, 0) AS open_tickets`
        : sql`NULL AS open_tickets`,
      sql`lt.days AS last_ticket_days`,
      sql`lt.topic AS last_ticket_topic`,
      sql`round(t.satisfaction, 1) AS satisfaction`,
      sql`coalesce(t.rated_tickets, 0) AS rated_tickets`
    );
    joins.push(sql`LEFT JOIN (
      SELECT customer_id,
        count(*) FILTER (WHERE opened_at >= ${end} - INTERVAL 365 DAY)::INTEGER AS tickets_12m,
        ${open} AS open_tickets,
        ${satisfaction ? sql`avg(satisfaction)` : sql`NULL::DOUBLE`} AS satisfaction,
        ${satisfaction ? sql`count(satisfaction)::INTEGER` : sql`0`} AS rated_tickets
      FROM tickets SEMI JOIN card_ids USING (customer_id)
      WHERE opened_at < ${end} GROUP BY customer_id) t USING (customer_id)`);
    joins.push(sql`LEFT JOIN (
      SELECT customer_id, date_diff('day', opened_at::DATE, ${val(date)}::DATE)::INTEGER AS days,
        ${tickets.has("topic") ? sql`topic` : sql`NULL`} AS topic
      FROM (SELECT *, row_number() OVER (
              PARTITION BY customer_id ORDER BY opened_at DESC, ticket_id DESC) AS n
            FROM tickets SEMI JOIN card_ids USING (customer_id) WHERE opened_at < ${end})
      WHERE n = 1) lt USING (customer_id)`);
  } else
    select.push(
      sql`NULL::INTEGER AS tickets_12m`,
      sql`NULL AS open_tickets`,
      sql`NULL AS last_ticket_days`,
      sql`NULL AS last_ticket_topic`,
      sql`NULL AS satisfaction`,
      sql`0 AS rated_tickets`
    );

  if (value.size > 0) {
    select.push(
      sql`round(v.p_alive, 3) AS p_alive`,
      sql`round(v.expected_value_12m) AS expected_value_12m`,
      // Not assessed (null) when the flag did not apply: not assessed in this build, no
      // purchase, or fewer purchases than the rule needs (at_risk false, but not judged).
      sql`CASE WHEN v.at_risk IS NULL OR v.purchases < ${minOrders} THEN NULL
         WHEN v.at_risk THEN 'at_risk' ELSE 'none' END AS risk`,
      sql`round(v.p_lapse, 3) AS p_lapse`,
      sql`round(v.engagement_change, 2) AS engagement_change`
    );
    joins.push(sql`LEFT JOIN customer_value v USING (customer_id)`);
  } else
    select.push(
      sql`NULL AS p_alive`,
      sql`NULL AS expected_value_12m`,
      sql`NULL AS risk`,
      sql`NULL AS p_lapse`,
      sql`NULL AS engagement_change`
    );

  if (options.identifiers) {
    const col = (c: string) => (customers.has(c) ? sql`c.${ident(c)}` : sql`NULL`);
    select.push(
      sql`nullif(concat_ws(' ', ${col("first_name")}, ${col("last_name")}), '') AS name`,
      sql`${col("email")} AS email`,
      sql`${col("phone")} AS phone`
    );
  }

  return store.all(sql`SELECT ${join(select, ",\n  ")}
    FROM card_ids i
    ${join(joins, "\n    ")}
    ORDER BY i.customer_id`);
}

/**
 * The end of the windows a card counts over: the day after the as-of day, as the features count
 * back from it.
 */
function windowEnd(date: string): SQL {
  return sql`(${val(date)}::DATE + INTERVAL 1 DAY)`;
}

type RawOrder = {
  customer_id: string;
  days: number;
  amount: number | null;
  channel: string | null;
  category: string | null;
  status: string | null;
};

/** Each customer's last CARD_ORDERS orders, newest first. */
async function recentOrders(store: Store, date: string | null): Promise<Map<string, RawOrder[]>> {
  const columns = await store.tableColumns("orders");
  const rows = new Map<string, RawOrder[]>();
  if (columns.size === 0 || date === null) return rows;
  const col = (c: string) => (columns.has(c) ? ident(c) : sql`NULL::VARCHAR`);
  const orders = await store.all<RawOrder>(
    sql`SELECT customer_id, date_diff('day', ordered_at::DATE, ${val(date)}::DATE)::INTEGER AS days,
       round(amount, 2) AS amount, ${col("channel")} AS channel, ${col("category")} AS category,
       ${col("status")} AS status
     FROM (SELECT *, row_number() OVER (
             PARTITION BY customer_id ORDER BY ordered_at DESC, order_id DESC) AS n
           FROM orders SEMI JOIN card_ids USING (customer_id)
           WHERE ordered_at < ${val(date)}::DATE + INTERVAL 1 DAY)
     WHERE n <= ${CARD_ORDERS}
     ORDER BY customer_id, n`
  );
  for (const o of orders) {
    const list = rows.get(o.customer_id) ?? [];
    list.push(o);
    rows.set(o.customer_id, list);
  }
  return rows;
}

/** A shard's orders as compact rows: channel, category and status as positions in its lists. */
function encodeOrders(orders: RawOrder[]): {
  rows: Map<string, OrderRow[]>;
  levels: CardShard["order_levels"];
} {
  const levels: CardShard["order_levels"] = {channel: [], category: [], status: []};
  for (const key of ["channel", "category", "status"] as const) {
    levels[key] = [...new Set(orders.flatMap((o) => (o[key] === null ? [] : [o[key]])))].sort();
  }
  const position = (list: string[], v: string | null) => (v === null ? null : list.indexOf(v));
  const rows = new Map<string, OrderRow[]>();
  for (const o of orders) {
    const list = rows.get(o.customer_id) ?? [];
    list.push([
      o.days,
      o.amount,
      position(levels.channel, o.channel),
      position(levels.category, o.category),
      position(levels.status, o.status)
    ]);
    rows.set(o.customer_id, list);
  }
  return {rows, levels};
}

/** Each customer's own values on their profile's card traits, in the traits' order. */
async function traitValues(store: Store): Promise<Map<string, (number | string | null)[]>> {
  const out = new Map<string, (number | string | null)[]>();
  if (!(await store.has("customer_profiles"))) return out;
  const traits = await topTraits(store);
  const features = [...new Set([...traits.values()].flat().map((t) => t.feature))].sort();
  if (features.length === 0) return out;
  const rows = await store.all(
    sql`SELECT f.customer_id, cp.profile_id, ${join(features.map((f) => sql`f.${ident(f)}`))}
     FROM features f SEMI JOIN card_ids USING (customer_id)
     JOIN customer_profiles cp USING (customer_id)
     ORDER BY f.customer_id`
  );
  for (const row of rows) {
    const own = traits.get(String(row.profile_id)) ?? [];
    out.set(
      String(row.customer_id),
      own.map((t) => {
        const v = row[t.feature];
        return typeof v === "number"
          ? round(v, DIGITS.card)
          : v === null || v === undefined
            ? null
            : String(v);
      })
    );
  }
  return out;
}

/**
 * Every other id a customer is found by (ids merged into them, their person keys), by the shard
 * the id hashes to: id → the customer's id.
 */
async function mergedIds(
  store: Store,
  shards: number
): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  const rows = (await store.has("identity_aliases"))
    ? await store.all<{id: string; into: string}>(
        sql`SELECT alias AS id, min(person_id) AS "into" FROM identity_aliases
         GROUP BY alias ORDER BY alias`
      )
    : (await store.has("identity_map"))
      ? await store.all<{id: string; into: string}>(
          sql`SELECT customer_id AS id, person_id AS "into" FROM identity_map
           WHERE customer_id <> person_id ORDER BY customer_id`
        )
      : [];
  for (const r of rows) {
    const shard = shardOf(r.id, shards);
    const merged = out.get(shard) ?? {};
    merged[r.id] = r.into;
    out.set(shard, merged);
  }
  return out;
}
