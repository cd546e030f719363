/**
 * Person keys from any column, end to end on a small hand-made export (README, Identities): a
 * CRM with one account per row, a loyalty id that names the person (sometimes "(blank)"),
 * account ids written "1001.0" where the orders say "1001". The build names each person after
 * their loyalty id, and the customer card finds them by it or by any of their accounts.
 */
import {mkdtemp, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {parseConfig, type PortraitConfig} from "../../loaders/config/project.ts";
import {runEngine, type EngineResult} from "../../loaders/engine.ts";
import {cardIndex, cardShard, cardShardNames, cardOptions} from "../../loaders/site/cards.ts";
import {sql} from "../../loaders/core/sql.ts";
import {withStore} from "../../loaders/core/store.ts";
import {findCard} from "../../src/components/shard.ts";
import {shardOf} from "../../src/contracts/cards.ts";

let dir: string;
let store: string;
let config: PortraitConfig;
let result: EngineResult;
const log: string[] = [];

/** 300 accounts, two per loyalty id, every tenth account's loyalty id "(blank)". */
const ACCOUNTS = Array.from({length: 300}, (_, i) => ({
  account: `${1001 + i}.0`,
  loyalty: i % 10 === 9 ? "(blank)" : `L${Math.floor(i / 2)}`
}));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "portrait-identity-keys-"));
  const crm = [
    "account,loyalty,signup",
    ...ACCOUNTS.map(
      (a, i) => `${a.account},${a.loyalty},2024-${String(1 + (i % 12)).padStart(2, "0")}-01`
    )
  ];
  const orders = ["order,account,at,amount"];
  ACCOUNTS.forEach((a, i) => {
    for (let k = 0; k <= i % 3; k++)
      orders.push(
        `O${i}-${k},${a.account.replace(".0", "")},2025-${String(1 + ((i + k * 4) % 12)).padStart(2, "0")}-15,${10 + ((i * 7 + k) % 50)}`
      );
  });
  await writeFile(join(dir, "crm.csv"), `${crm.join("\n")}\n`);
  await writeFile(join(dir, "orders.csv"), `${orders.join("\n")}\n`);
  config = parseConfig(
    {
      sources: {
        crm: {
          table: "customers",
          file: "crm.csv",
          columns: {customer_id: "account", signup_date: "signup"}
        },
        shop: {
          table: "orders",
          file: "orders.csv",
          columns: {order_id: "order", customer_id: "account", ordered_at: "at", amount: "amount"}
        }
      },
      identity: {rules: [{rule: "key", field: "loyalty"}], id: "loyalty", numericIds: true},
      clustering: {k: 3, bootstrap: 0, restarts: 2},
      history: {periods: 0}
    },
    join(dir, "portrait.config.ts")
  );
  store = join(dir, "store.duckdb");
  result = await runEngine({
    configPath: config.path,
    config,
    storePath: store,
    log: (l) => log.push(l)
  });
});

afterAll(async () => {
  await rm(dir, {recursive: true, force: true});
});

describe('identity: {rules: [{rule: "key", field}], id, numericIds}', () => {
  it("reads 1001.0 as 1001, so every order finds its account", () => {
    const shop = result.pipeline!.validation.sources.find((s) => s.source === "shop")!;
    expect(shop).toMatchObject({quarantined: 0});
    expect(shop.accepted).toBe(shop.read);
  });

  it("merges accounts by the loyalty column, names persons after it, and leaves (blank) alone", async () => {
    // 150 loyalty ids (30 of them left with one account, its pair "(blank)"), and the 30
    // accounts without one, each a person of its own.
    expect(result.pipeline!.identity).toMatchObject({ids: 300, persons: 180});
    const rows = await withStore(store, (s) =>
      s.all<{customer_id: string; merged_ids: number}>(
        sql`SELECT customer_id, merged_ids FROM customers WHERE customer_id IN ('L0', 'L4', '1010') ORDER BY 1`
      )
    );
    expect(rows).toEqual([
      {customer_id: "1010", merged_ids: 1},
      {customer_id: "L0", merged_ids: 2},
      {customer_id: "L4", merged_ids: 1}
    ]);
  });

  it("finds a person's card by their loyalty id and by any of their accounts", async () => {
    const options = cardOptions({privacy: config.privacy});
    const {index, shards} = await withStore(store, async (s) => {
      const names = await cardShardNames(s);
      const all = [];
      for (const name of names) all.push(await cardShard(s, name, options));
      return {index: await cardIndex(s, options), shards: all};
    });
    const look = (id: string) =>
      findCard(
        index,
        shards.find((s) => s.shard === shardOf(id, index.shards))!,
        id
      );
    expect(look("L0")).toMatchObject({found: "card"});
    expect(look("1001")).toEqual({found: "merged", into: "L0"});
    expect(look("1002")).toEqual({found: "merged", into: "L0"});
  });
});
