/**
 * A public dataset nobody here wrote, mapped from the README alone: the CDNOW purchase log
 * (../shared/datasets/cdnow), one line per purchase, with no order id, compact dates and the
 * customers only implied by the purchases.
 */
import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {parseConfig} from "../../loaders/config/project.ts";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {runPipeline} from "../../loaders/engine.ts";
import {Store} from "../../loaders/core/store.ts";
import {sql} from "../../loaders/core/sql.ts";

const CDNOW = join(PROJECT_DIR, "..", "shared", "datasets", "cdnow", "CDNOW_sample.csv");

describe("the CDNOW purchase log, mapped by config alone", () => {
  it("accepts every purchase, identical lines too (the order id reads _row), and finds the 2,357 customers", async () => {
    expect(existsSync(CDNOW), `${CDNOW} is part of the shared datasets`).toBe(true);
    const lines = readFileSync(CDNOW, "utf8").trimEnd().split("\n").slice(1);
    // Identical lines are separate purchases (Fader and Hardie's summaries count them all).
    expect(lines.length - new Set(lines).size).toBeGreaterThan(0);
    const config = parseConfig(
      {
        sources: {
          buyers: {
            table: "customers",
            file: CDNOW,
            columns: {customer_id: "master_customer_id"},
            validation: {duplicateRows: "keep"}
          },
          purchases: {
            table: "orders",
            file: CDNOW,
            dateFormat: "%Y%m%d",
            columns: {
              order_id: "master_customer_id || '-' || _row",
              customer_id: "master_customer_id",
              ordered_at: "date",
              amount: "dollar_amount",
              quantity: "num_cds"
            }
          }
        }
      },
      join(PROJECT_DIR, "cdnow.config.ts")
    );
    const store = await Store.open(":memory:");
    try {
      const result = await runPipeline(store, config);
      expect(result.validation.problems).toEqual([]);
      expect(result.validation.asOf).toBe("1998-06-30");
      const purchases = result.validation.sources.find((s) => s.source === "purchases")!;
      expect(purchases).toMatchObject({read: 6919, accepted: 6919, quarantined: 0});
      expect(purchases.byReason).toEqual({});
      expect(result.identity.persons).toBe(2357);
      const totals = await store.one<{orders: number; customers: number; spend: number}>(
        sql`SELECT count(*)::INTEGER AS orders, count(DISTINCT customer_id)::INTEGER AS customers, round(sum(amount), 2) AS spend FROM orders`
      );
      expect(totals).toMatchObject({orders: 6919, customers: 2357});
    } finally {
      store.close();
    }
  });
});
