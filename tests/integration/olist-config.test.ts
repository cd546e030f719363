/**
 * A public multi-file export nobody here wrote, mapped through the README's related-files
 * example: a sample of the Olist marketplace export (tests/fixtures/olist, drawn by
 * `npm run fixtures`), orders with their payments, items, products, category translations and
 * reviews in separate files, and a person id only in the customers file.
 */
import {existsSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {loadConfig} from "../../loaders/config/project.ts";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {runPipeline, type PipelineResult} from "../../loaders/engine.ts";
import {Store} from "../../loaders/core/store.ts";
import {sql} from "../../loaders/core/sql.ts";

const DIR = join(PROJECT_DIR, "tests", "fixtures", "olist", "data");

let store: Store;
let result: PipelineResult;
beforeAll(async () => {
  expect(existsSync(join(DIR, "olist_orders_dataset.csv")), `${DIR}: run npm run fixtures`).toBe(
    true
  );
  store = await Store.open(":memory:");
  result = await runPipeline(store, await loadConfig(join(DIR, "..", "portrait.config.ts")));
});
afterAll(() => store?.close());

describe("Olist (sample), mapped by the README's related-files example", () => {
  it("accounts for every row of every file: sources accepted + quarantined, related matched + unmatched", () => {
    expect(result.validation.problems).toEqual([]);
    const read = Object.fromEntries(result.validation.sources.map((s) => [s.source, s.read]));
    expect(read).toEqual({buyers: 1584, shop: 1584, reviews: 1587});
    for (const s of result.validation.sources) expect(s.accepted + s.quarantined).toBe(s.read);
    const related = Object.fromEntries(result.quality.related.map((r) => [r.name, r]));
    expect(Object.fromEntries(Object.entries(related).map(([k, r]) => [k, r.read]))).toEqual({
      people: 1584,
      payments: 1652,
      items: 1833,
      products: 1421,
      categories: 56,
      order_list: 1584
    });
    for (const r of result.quality.related)
      expect(r.matched + r.unmatched + r.malformed).toBe(r.read);
    // 41 orders with several payment rows; 15 orders without a review (SOURCE.md).
    expect(related.payments.duplicateKeys).toBe(41);
    expect(related.order_list.unmatched).toBe(15);
  });

  it("shows the 11 orders without items as unmatched, never as quantity 0", async () => {
    const quantity = result.quality.related
      .find((r) => r.name === "items")!
      .lookups.find((l) => l.field === "quantity")!;
    expect(quantity).toMatchObject({user: "shop", rows: 1584, missed: 11});
    expect(
      await store.one(sql`SELECT count(*)::INTEGER AS n FROM orders WHERE quantity = 0`)
    ).toEqual({n: 0});
  });

  it("finds each order's person, and each review's person through its order", async () => {
    expect(
      await store.one(
        sql`SELECT count(*)::INTEGER AS n FROM orders WHERE customer_id NOT IN (SELECT customer_id FROM customers)`
      )
    ).toEqual({n: 0});
    // The person with four orders (SOURCE.md): three delivered, one unavailable.
    const person = sql`customer_id = '8d50f5eadf50201ccdcedfb9e2ac8455'`;
    expect(
      await store.one(
        sql`SELECT (SELECT count(*) FROM orders WHERE ${person})::INTEGER AS orders,
          (SELECT count(*) FROM cancelled_orders WHERE ${person})::INTEGER AS cancelled`
      )
    ).toEqual({orders: 3, cancelled: 1});
    expect(
      await store.one(
        sql`SELECT count(*)::INTEGER AS n FROM survey_responses WHERE customer_id NOT IN (SELECT customer_id FROM customers)`
      )
    ).toEqual({n: 0});
  });

  it("keeps canceled and unavailable orders apart: never purchases", async () => {
    const statuses = result.quality.sources.find((s) => s.source === "shop")!.statuses!;
    const cancelled = statuses.filter((s) => s.countsAs === "cancelled");
    expect(cancelled.map((s) => s.status).sort()).toEqual(["canceled", "unavailable"]);
    expect(
      await store.one(
        sql`SELECT (SELECT count(*) FROM cancelled_orders)::INTEGER AS cancelled,
          (SELECT count(*) FROM orders WHERE status IN ('canceled', 'unavailable'))::INTEGER AS among_orders`
      )
    ).toEqual({cancelled: cancelled.reduce((sum, s) => sum + s.orders, 0), among_orders: 0});
    expect(statuses.some((s) => s.countsAs === "unlisted")).toBe(false);
  });
});
