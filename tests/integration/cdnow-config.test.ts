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
import {runPipeline, runProfiling} from "../../loaders/engine.ts";
import {Store} from "../../loaders/core/store.ts";
import {sql} from "../../loaders/core/sql.ts";
import {pageSettings} from "../../loaders/config/settings.ts";
import {methodDocument} from "../../loaders/site/method.ts";
import {riskSummary} from "../../loaders/site/risk.ts";

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
        },
        // The paper's split: 39 weeks of holdout before the as-of date, 1997-09-30 to 1998-06-30.
        churn: {horizonDays: 273}
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

      // The Method page's backtest: calibration to 1997-09-30, holdout to 1998-06-30, predicted
      // against actual repeat purchases in total (1,882 made) and by calibration purchases.
      const profiling = await runProfiling(store, config, "1998-06-30");
      expect(profiling.value?.backtest?.calibrationDate).toBe("1997-09-30");
      const method = await methodDocument(store, pageSettings(config));
      const used = method.backtest.candidates.find((c) => c.purchase_model)!;
      expect(used.actual_purchases).toBe(1882);
      const rows = method.backtest.frequency.filter((f) => f.model === used.model);
      expect(rows.map((r) => r.frequency)).toEqual(["0", "1", "2", "3", "4", "5", "6", "7+"]);
      // Means are published to 4 significant digits.
      expect(rows.reduce((n, r) => n + r.actual! * r.customers!, 0)).toBeCloseTo(1882, 0);
      const risk = await riskSummary(store);
      expect(risk).toMatchObject({calibration_date: "1997-09-30", horizon_days: 273});
      console.log(
        `CDNOW backtest: ${method.backtest.candidates.map((c) => `${c.label} AUC ${c.auc?.toFixed(3)}, holdout purchases ${c.predicted_purchases === null ? "–" : Math.round(c.predicted_purchases)} of ${c.actual_purchases ?? "–"}`).join("; ")}; risk: ${risk.model ?? `not assessed (${risk.reason})`}; recency AUC ${risk.baseline_auc}`
      );
    } finally {
      store.close();
    }
  });
});
