/**
 * Related files through the whole pipeline, on small hand-made files in the shape of a
 * multi-file marketplace export: payments and items per order, reviews keyed by order, a
 * product's category two files away in another language.
 */
import {mkdir, mkdtemp, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {parseConfig} from "../../loaders/config/project.ts";
import {qualityText} from "../../loaders/clean/quality.ts";
import {runPipeline} from "../../loaders/engine.ts";
import {sql} from "../../loaders/core/sql.ts";
import {Store} from "../../loaders/core/store.ts";
import {objectPaths, QUALITY, shapeErrors} from "../support/contracts.ts";
import olist from "../fixtures/olist/portrait.config.ts";

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "portrait-related-"));
  store = await Store.open(":memory:");
  // Olist's file names and headers (fewer columns), so the README's config maps them.
  const files: Record<string, string> = {
    "olist_customers_dataset.csv": `customer_id,customer_unique_id,customer_city,customer_state
c1,u1,sao paulo,SP
c2,u2,rio de janeiro,RJ
c3,u3,rio de janeiro,RJ
c4,u1,sao paulo,SP
`,
    "olist_orders_dataset.csv": `order_id,customer_id,order_status,order_purchase_timestamp
o1,c1,delivered,2018-01-01 10:00:00
o2,c2,canceled,2018-01-02 10:00:00
o3,c3,shipped,2018-01-03 10:00:00
o4,c4,unavailable,2018-01-04 10:00:00
`,
    "olist_order_payments_dataset.csv":
      "order_id,payment_sequential,payment_value\no1,1,10.50\no1,2,5.00\no2,1,20\no3,1,7\no9,1,99\n",
    "olist_order_items_dataset.csv":
      "order_id,order_item_id,product_id\no1,1,p1\no1,2,p2\no2,1,p1\no4,1,p3\n",
    "olist_products_dataset.csv":
      "product_id,product_category_name\np1,beleza_saude\np2,esporte_lazer\np2,esporte_lazer\np3,\n",
    "product_category_name_translation.csv":
      "product_category_name,product_category_name_english\nbeleza_saude,health_beauty\nesporte_lazer,sports_leisure\n",
    "olist_order_reviews_dataset.csv":
      "review_id,order_id,review_score,review_creation_date\nr1,o1,5,2018-01-05\nr2,o3,2,2018-01-06\nr3,o8,1,2018-01-07\n"
  };
  await mkdir(join(dir, "data"));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, "data", name), text);
});
afterEach(async () => {
  store.close();
  await rm(dir, {recursive: true, force: true});
});

/** The README's related-files example (the fixture's config), on the files above. */
const CONFIG = olist;

describe("related files (related, and lookups in columns)", () => {
  it("sums, counts and chains lookups; a row with nothing related gets NULL, never 0", async () => {
    await runPipeline(store, parseConfig(CONFIG, join(dir, "portrait.config.ts")));
    expect(
      await store.all(
        sql`SELECT order_id, customer_id, amount, quantity::INTEGER AS quantity, category, status FROM orders ORDER BY order_id`
      )
    ).toEqual([
      {
        order_id: "o1",
        customer_id: "u1",
        amount: 15.5,
        quantity: 2,
        category: "health_beauty",
        status: "delivered"
      },
      {
        order_id: "o3",
        customer_id: "u3",
        amount: 7,
        quantity: null,
        category: null,
        status: "shipped"
      }
    ]);
    expect(await store.all(sql`SELECT order_id FROM cancelled_orders`)).toEqual([{order_id: "o2"}]);
    // A review finds its customer through the order it is about.
    expect(
      await store.all(sql`SELECT customer_id, answer FROM survey_responses ORDER BY customer_id`)
    ).toEqual([
      {customer_id: "u1", answer: "5"},
      {customer_id: "u3", answer: "2"}
    ]);
  });

  it("accounts for every row of every file: read = matched + unmatched, keys on several rows, rows that found nothing", async () => {
    const {quality, validation} = await runPipeline(
      store,
      parseConfig(CONFIG, join(dir, "portrait.config.ts"))
    );
    // The report the data-quality page reads has its contract's keys, related files included.
    const seen = new Set<string>();
    expect(shapeErrors(JSON.parse(JSON.stringify(quality)), QUALITY, "$", seen)).toEqual([]);
    expect(objectPaths(QUALITY.related, "$.related").filter((p) => !seen.has(p))).toEqual([]);
    for (const s of validation.sources) expect(s.accepted + s.quarantined).toBe(s.read);
    // The column a lookup reads its key from is used, not listed as ignored.
    expect(validation.sources.find((s) => s.source === "shop")!.ignored).toEqual([]);
    for (const r of quality.related) expect(r.matched + r.unmatched + r.malformed).toBe(r.read);
    const byName = Object.fromEntries(quality.related.map((r) => [r.name, r]));
    expect(Object.keys(byName)).toEqual([
      "people",
      "payments",
      "items",
      "products",
      "categories",
      "order_list"
    ]);
    expect(byName.payments).toMatchObject({
      read: 5,
      matched: 4,
      unmatched: 1,
      duplicateKeys: 1,
      duplicateRows: 2
    });
    expect(byName.payments.samples).toEqual([
      {
        row: 5,
        file: "data/olist_order_payments_dataset.csv",
        key: "o9",
        // Columns no lookup reads are named, their values hidden.
        record: {order_id: "o9", payment_sequential: "(hidden)", payment_value: "99"}
      }
    ]);
    expect(byName.items.lookups).toEqual([
      {user: "shop", field: "quantity", column: "items.count()", rows: 4, missed: 1},
      {user: "shop", field: "category", column: "items.mode(category)", rows: 4, missed: 1}
    ]);
    expect(byName.items.misses).toContainEqual({
      user: "shop",
      field: "quantity",
      row: 3,
      file: "data/olist_orders_dataset.csv",
      key: "o3"
    });
    expect(byName.order_list).toMatchObject({read: 4, matched: 2, unmatched: 2});
    // Two per-order customer ids of one person (c1 and c4 are u1): one customer.
    expect(byName.people).toMatchObject({read: 4, matched: 4, unmatched: 0});
    // An order without payments is quarantined, and the message says where the amount was sought.
    expect(
      await store.all(
        sql`SELECT source, "row"::INTEGER AS "row", message FROM quarantine ORDER BY source, "row"`
      )
    ).toEqual([
      {
        source: "reviews",
        row: 3,
        message: "customer_id is missing: order_list.value(person) found nothing for this row"
      },
      {
        source: "shop",
        row: 4,
        message: "amount is missing: payments.sum(payment_value) found nothing for this row"
      }
    ]);
    const text = qualityText(quality);
    expect(text).toContain(
      "  payments by order_id (data/olist_order_payments_dataset.csv)\n    read 5, matched 4, unmatched 1; 1 keys on several rows (2 rows)"
    );
    expect(text).toContain(
      "    shop.quantity = items.count(): 3 of 4 rows found a match, 1 found none (25%)\n      e.g. data/olist_orders_dataset.csv row 3: no items row has order_id o3"
    );
  });

  it("sums a related file's own SQL column", async () => {
    const input = structuredClone(CONFIG);
    input.related!.payments.columns = {cents: "TRY_CAST(payment_value AS DOUBLE) * 100"};
    input.sources.shop.columns!.amount = {from: "payments", sum: "cents"};
    await runPipeline(store, parseConfig(input, join(dir, "portrait.config.ts")));
    expect(await store.all(sql`SELECT order_id, amount FROM orders ORDER BY order_id`)).toEqual([
      {order_id: "o1", amount: 1550},
      {order_id: "o3", amount: 700}
    ]);
  });

  it("warns of a related file's repeated column names, as of a source's", async () => {
    await writeFile(
      join(dir, "data", "olist_order_payments_dataset.csv"),
      "order_id,payment_sequential,payment_value,payment_value\no1,1,10.50,1\no3,1,7,1\n"
    );
    const {warnings} = await runPipeline(
      store,
      parseConfig(CONFIG, join(dir, "portrait.config.ts"))
    );
    expect(warnings).toContain(
      'data/olist_order_payments_dataset.csv: columns 3 and 4 are both named "payment_value" (read as payment_value and payment_value_1; a mapping by that name reads column 3). Rename them in the file so each name says what it holds, or map the one you mean by the name it is read as (e.g. "payment_value_1")'
    );
  });

  it("names the key when a lookup's column is not in the related file", async () => {
    const input = structuredClone(CONFIG);
    input.sources.shop.columns!.amount = {from: "payments", sum: "payment_vaule"};
    await expect(
      runPipeline(store, parseConfig(input, join(dir, "portrait.config.ts")))
    ).rejects.toThrow(
      'sources.shop.columns.amount: no column "payment_vaule" in related.payments; did you mean "payment_value"? Its columns: order_id, payment_sequential, payment_value'
    );
  });
});
