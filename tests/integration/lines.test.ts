/**
 * Orders built from lines, credits netted and statuses decided, through the whole pipeline on
 * small hand-made files: a line-item export in Online Retail's shape.
 */
import {mkdir, mkdtemp, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {parseConfig} from "../../loaders/config/project.ts";
import {qualityText} from "../../loaders/clean/quality.ts";
import {runPipeline, runProfiling} from "../../loaders/engine.ts";
import {sql} from "../../loaders/core/sql.ts";
import {Store} from "../../loaders/core/store.ts";
import onlineRetail from "../fixtures/online-retail/portrait.config.ts";

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "portrait-lines-"));
  store = await Store.open(":memory:");
});
afterEach(async () => {
  store.close();
  await rm(dir, {recursive: true, force: true});
});

const RETAIL = `InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
536365,X1,MUG,6,2010-12-01 08:26:00,2.55,A,United Kingdom
536365,X2,CUP,2,2010-12-01 08:26:00,3.00,A,United Kingdom
536366,X1,MUG,1,2010-12-02 09:00:00,2.55,A,United Kingdom
C536400,X2,CUP,-1,2010-12-03 10:00:00,3.00,A,United Kingdom
536367,X3,JAR,10,2010-12-02 10:00:00,1.00,B,France
C536401,X3,JAR,-10,2010-12-04 10:00:00,1.00,B,France
C536402,X9,TIN,-2,2010-12-04 10:00:00,5.00,C,France
C536403,X9,TIN,-1,2010-12-04 10:00:00,5.00,,France
536368,X1,MUG,two,2010-12-04 11:00:00,2.55,B,France
C536000,X1,MUG,-1,2010-11-30 11:00:00,2.55,B,France
`;

/** The README's line-item example (the fixture's config), on the file above. */
async function pipeline() {
  await mkdir(join(dir, "data"));
  await writeFile(join(dir, "data", "online-retail.csv"), RETAIL);
  const config = parseConfig(
    {...onlineRetail, asOf: "2010-12-31"},
    join(dir, "portrait.config.ts")
  );
  return {config, result: await runPipeline(store, config)};
}

describe("an orders source of lines (lines: true)", () => {
  it("accounts for every line: accepted into an order or quarantined with its file row", async () => {
    const {result} = await pipeline();
    const invoices = result.validation.sources.find((s) => s.source === "invoices")!;
    expect(invoices).toMatchObject({read: 10, accepted: 6, quarantined: 4});
    expect(invoices.accepted + invoices.quarantined).toBe(invoices.read);
    expect(invoices.byReason).toEqual({
      missing_value: 1,
      not_a_number: 1,
      unmatched_credit: 2
    });
    const source = result.quality.sources.find((s) => s.source === "invoices")!;
    expect(source.lines).toMatchObject({lines: 8, orders: 3, credits: 4, unmatchedCredits: 2});
    expect(qualityText(result.quality)).toContain(
      "8 lines made 3 orders; 4 credit lines: 2 netted against the order of the same product, 0 against the customer's latest order, 2 unmatched; 1 orders cancelled by credits, 1 returned in part"
    );
    expect(
      await store.all(
        sql`SELECT "row"::INTEGER AS "row", file, reason FROM quarantine WHERE source = 'invoices' ORDER BY "row"`
      )
    ).toEqual([
      {row: 7, file: "data/online-retail.csv", reason: "unmatched_credit"},
      {row: 8, file: "data/online-retail.csv", reason: "missing_value"},
      {row: 9, file: "data/online-retail.csv", reason: "not_a_number"},
      {row: 10, file: "data/online-retail.csv", reason: "unmatched_credit"}
    ]);
  });

  it("counts a customer's distinct invoices as their orders, nets credits, and keeps cancelled orders apart", async () => {
    await pipeline();
    expect(
      await store.all(
        sql`SELECT order_id, customer_id, round(amount, 2) AS amount, quantity::INTEGER AS quantity, status FROM orders ORDER BY order_id`
      )
    ).toEqual([
      {order_id: "536365", customer_id: "A", amount: 18.3, quantity: 7, status: "returned"},
      {order_id: "536366", customer_id: "A", amount: 2.55, quantity: 1, status: "purchase"}
    ]);
    expect(
      await store.all(sql`SELECT order_id, customer_id, status FROM cancelled_orders`)
    ).toEqual([{order_id: "536367", customer_id: "B", status: "cancelled"}]);
  });

  it("never counts a cancelled order as a purchase in the features", async () => {
    const {config, result} = await pipeline();
    await runProfiling(store, config, result.validation.asOf);
    expect(
      await store.all(
        sql`SELECT customer_id, orders_total::INTEGER AS orders, round(spend_12m, 2) AS spend FROM features ORDER BY customer_id`
      )
    ).toEqual([
      {customer_id: "A", orders: 2, spend: 20.85},
      {customer_id: "B", orders: 0, spend: 0},
      {customer_id: "C", orders: 0, spend: 0}
    ]);
  });
});
