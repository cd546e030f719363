/**
 * The customer-value stage (loaders/value/customer-value.ts) on the CDNOW sample loaded into a
 * store: its SQL summary gives the x, t_x and T of the published definitions, and the models
 * fitted on it the published estimates (Fader, Hardie & Lee 2005; Fader & Hardie 2013). The
 * models alone are tested in tests/unit (bg-nbd, gamma-gamma).
 */
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {sql, val} from "../../loaders/core/sql.ts";
import {Store} from "../../loaders/core/store.ts";
import {buildCustomerValue} from "../../loaders/value/customer-value.ts";
import {
  CDNOW,
  cdnowSummary,
  PUBLISHED_BG,
  PUBLISHED_GG,
  PUBLISHED_LL,
  within
} from "../support/cdnow.ts";

describe("buildCustomerValue on the CDNOW sample loaded into a store", () => {
  let store: Store;

  beforeAll(async () => {
    store = await Store.open(":memory:");
    // One row per line, as the README describes the file; orders after 1997-09-30 are loaded
    // too, for the stage to leave out.
    await store.run(
      sql`CREATE TABLE orders AS
       SELECT 'o' || row_number() OVER () AS order_id, master_customer_id AS customer_id,
         strptime(date, '%Y%m%d') AS ordered_at, dollar_amount::DOUBLE AS amount,
         'web' AS channel, NULL::VARCHAR AS category, num_cds::INTEGER AS quantity,
         NULL::DOUBLE AS discount, NULL::VARCHAR AS status
       FROM read_csv(${val(CDNOW)}, header = true,
         columns = {master_customer_id: 'VARCHAR', sample_customer_id: 'VARCHAR',
                    date: 'VARCHAR', num_cds: 'INTEGER', dollar_amount: 'DOUBLE'})`
    );
    await store.run(sql`CREATE TABLE customers AS SELECT DISTINCT customer_id FROM orders`);
  });
  afterAll(() => store.close());

  it("fits the published BG/NBD and Gamma-Gamma parameters from the SQL summary", async () => {
    const summary = await buildCustomerValue(store, {
      asOf: "1997-09-30",
      horizonDays: 90,
      pAliveBelow: 0.5,
      engagementDropAbove: 0.5,
      minOrders: 2
    });
    expect(summary.notes).toEqual([]);
    expect(summary).toMatchObject({customers: 2357, modelled: 2357});
    const rows = await store.all<{model: string; parameter: string; value: number}>(
      sql`SELECT model, parameter, value FROM value_models ORDER BY model, parameter`
    );
    const model = (name: string) =>
      Object.fromEntries(rows.filter((r) => r.model === name).map((r) => [r.parameter, r.value]));
    const bg = model("bgnbd");
    const gg = model("gamma_gamma");
    within(0.01, bg, PUBLISHED_BG);
    expect(Math.abs(bg.log_likelihood - PUBLISHED_LL)).toBeLessThan(0.5);
    expect(bg).toMatchObject({customers: 2357, converged: 1, horizon_days: 90});
    within(0.01, gg, PUBLISHED_GG);
    expect(gg).toMatchObject({customers: 946, converged: 1});
    const repeat = await store.one<{n: number; mean: number}>(
      sql`SELECT count(*)::INTEGER AS n, avg(mean_repeat_value) AS mean
       FROM customer_value WHERE repeat_purchases >= 1`
    );
    expect(repeat?.n).toBe(946);
    expect(repeat?.mean).toBeCloseTo(35.08, 2);
  });

  it("computes the same x, t_x and T as the README's definitions", async () => {
    const data = cdnowSummary();
    const [x, tx, T] = await store.columns(
      sql`SELECT repeat_purchases, t_x_weeks, t_weeks FROM customer_value ORDER BY customer_id`
    );
    expect(x).toEqual(Array.from(data.x));
    expect(tx).toEqual(Array.from(data.tx));
    expect(T).toEqual(Array.from(data.T));
  });
});
