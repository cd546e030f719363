/**
 * Customer cards (loaders/site/cards.ts) and their shards (src/contracts/cards.ts): every card
 * read back against a real store, the shared demo's (3,000 customers: two shards;
 * tests/support/demo-builds.ts). The hash and the split alone: tests/unit/shard.test.ts.
 */
import {beforeAll, describe, expect, it} from "vitest";
import {
  cardIndex,
  cardShard,
  cardShardNames,
  CARD_ORDERS,
  CARD_TRAITS,
  type CardOptions
} from "../../loaders/site/cards.ts";
import {withStore, type Store} from "../../loaders/core/store.ts";
import {findCard} from "../../src/components/shard.ts";
import {shardCount, shardOf, type CardIndex, type CardShard} from "../../src/contracts/cards.ts";
import {demoBuilds} from "../support/demo-builds.ts";
import {sql, val} from "../../loaders/core/sql.ts";

let storeFile: string;
const HIDDEN: CardOptions = {
  identifiers: false
};
const SHOWN: CardOptions = {...HIDDEN, identifiers: true};

let index: CardIndex;
let shards: CardShard[];
let names: string[];

const read = <T>(fn: (store: Store) => Promise<T>) => withStore(storeFile, fn);

beforeAll(async () => {
  storeFile = (await demoBuilds()).second.store;
  names = await read(cardShardNames);
  index = await read((s) => cardIndex(s, HIDDEN));
  shards = await read(async (s) => {
    const out: CardShard[] = [];
    for (const name of names) out.push(await cardShard(s, name, HIDDEN));
    return out;
  });
});

describe("cardIndex and cardShard on the demo store", () => {
  it("splits the customers into the shards the index names", async () => {
    const customers = await read((s) =>
      s.one<{n: number}>(sql`SELECT count(*)::INTEGER AS n FROM customers`)
    );
    expect(customers!.n).toBeGreaterThan(2000);
    expect(index.shards).toBe(shardCount(customers!.n));
    expect(index.shards).toBe(2);
    expect(names).toEqual(["00", "01"]);
    expect(index.as_of).toBe("2026-10-31");
  });

  it("puts every customer in exactly one shard", async () => {
    const ids = (
      await read((s) =>
        s.all<{id: string}>(sql`SELECT customer_id AS id FROM customers ORDER BY 1`)
      )
    ).map((r) => r.id);
    const carded = shards.flatMap((s) => Object.keys(s.cards));
    expect(new Set(carded).size).toBe(carded.length);
    expect([...carded].sort()).toEqual(ids);
    for (const s of shards) expect(Object.keys(s.cards).length).toBeGreaterThan(500);
  });

  it("agrees with the page's hash: each card is in the shard shardOf names, found whatever the case", () => {
    for (const shard of shards) {
      for (const id of Object.keys(shard.cards)) {
        expect(shardOf(id, index.shards)).toBe(shard.shard);
        const found = findCard(index, shard, ` ${id.toLowerCase()} `);
        expect(found.found === "card" && found.card.id).toBe(id);
      }
    }
  });

  it("reads back each card with the store's profile, risk, orders and tickets", async () => {
    const truth = await read((s) =>
      s.all<{
        id: string;
        profile_id: string;
        at_risk: boolean | null;
        purchases: number | null;
        orders_12m: number | null;
        last_order: string | null;
        orders: number;
        open: number;
      }>(
        sql`SELECT c.customer_id AS id, cp.profile_id, v.at_risk, v.purchases, f.orders_12m::INTEGER AS orders_12m,
           (SELECT strftime(max(ordered_at), '%Y-%m-%d') FROM orders o WHERE o.customer_id = c.customer_id) AS last_order,
           (SELECT count(*)::INTEGER FROM orders o WHERE o.customer_id = c.customer_id) AS orders,
           (SELECT count(*)::INTEGER FROM tickets t WHERE t.customer_id = c.customer_id AND t.resolved_at IS NULL) AS open
         FROM customers c LEFT JOIN customer_profiles cp USING (customer_id)
           LEFT JOIN customer_value v USING (customer_id) LEFT JOIN features f USING (customer_id)
         ORDER BY 1`
      )
    );
    const shardById = new Map(shards.flatMap((s) => Object.keys(s.cards).map((id) => [id, s])));
    let atRisk = 0;
    for (const t of truth) {
      const found = findCard(index, shardById.get(t.id)!, t.id);
      if (found.found !== "card") throw new Error(`no card for ${t.id}`);
      const card = found.card;
      expect(card.profile?.id).toBe(t.profile_id);
      expect(card.traits).toHaveLength(card.profile!.traits.length);
      expect(card.orders.last_12m).toBe(t.orders_12m ?? 0);
      expect(card.orders.last_date).toBe(t.last_order);
      expect(card.orders.recent).toHaveLength(Math.min(CARD_ORDERS, t.orders));
      expect(card.tickets.open).toBe(t.open);
      if ((t.purchases ?? 0) < 2) expect(card.value.risk).toBeNull();
      else expect(card.value.risk === "none").toBe(!t.at_risk);
      if (card.value.risk !== null && card.value.risk !== "none") atRisk++;
    }
    expect(atRisk).toBeGreaterThan(0);
  });

  it("lists recent orders newest first with their levels, and the profile's top traits", () => {
    for (const p of index.profiles) {
      expect(p.traits.length).toBeGreaterThan(0);
      expect(p.traits.length).toBeLessThanOrEqual(CARD_TRAITS);
      expect(p.serve.length).toBeGreaterThan(0);
    }
    const card = Object.keys(shards[0].cards)
      .map((id) => findCard(index, shards[0], id))
      .flatMap((f) =>
        f.found === "card" && f.card.orders.recent.length === CARD_ORDERS ? [f.card] : []
      )[0];
    const dates = card.orders.recent.map((o) => o.date);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(card.orders.recent[0].channel).toMatch(/^[a-z]+$/);
    expect(card.traits.some((t) => t.value !== null)).toBe(true);
  });

  it("sends a merged id to the customer it became", async () => {
    const merged = await read((s) =>
      s.one<{id: string; into: string}>(
        sql`SELECT customer_id AS id, person_id AS "into" FROM identity_map WHERE customer_id <> person_id ORDER BY 1 LIMIT 1`
      )
    );
    expect(merged).toBeDefined();
    const shard = shards.find((s) => s.shard === shardOf(merged!.id, index.shards))!;
    expect(findCard(index, shard, merged!.id)).toEqual({found: "merged", into: merged!.into});
  });

  it("finds nothing for an id that is not a customer", () => {
    const shard = shards.find((s) => s.shard === shardOf("C9999999", index.shards))!;
    expect(findCard(index, shard, "C9999999")).toEqual({found: "none"});
  });

  it("publishes e-mail, phone and name only when the config allows identifiers", async () => {
    const emails = (
      await read((s) =>
        s.all<{email: string}>(
          sql`SELECT email FROM customers WHERE email IS NOT NULL ORDER BY customer_id`
        )
      )
    ).map((r) => r.email);
    expect(emails.length).toBeGreaterThan(1000);
    const hidden = JSON.stringify(shards) + JSON.stringify(index);
    expect(hidden).not.toMatch(/@/);
    expect(index.identifiers).toBe(false);

    const shown = await read((s) => cardShard(s, "00", SHOWN));
    const shownIndex = await read((s) => cardIndex(s, SHOWN));
    expect(shown.fields.slice(-3)).toEqual(["name", "email", "phone"]);
    const id = Object.keys(shown.cards)[0];
    const found = findCard(shownIndex, shown, id);
    const truth = await read((s) =>
      s.one<{email: string | null}>(sql`SELECT email FROM customers WHERE customer_id = ${val(id)}`)
    );
    expect(found.found === "card" && found.card.identifiers?.email).toBe(truth!.email);
    expect(JSON.stringify(shown)).toMatch(/@/);
  });

  it("writes the same shard twice byte for byte", async () => {
    const again = await read((s) => cardShard(s, "01", HIDDEN));
    expect(JSON.stringify(again)).toBe(JSON.stringify(shards[1]));
  });

  it("refuses a shard the build does not have", async () => {
    await expect(read((s) => cardShard(s, "0f", HIDDEN))).rejects.toThrow(
      /no card shard "0f" in this build: the shards are 00 to 01/
    );
  });
});
