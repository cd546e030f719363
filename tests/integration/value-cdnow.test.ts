/**
 * The customer-value stage (loaders/value/customer-value.ts) on the CDNOW sample loaded into a
 * store: its SQL summary gives the x, t_x and T of the published definitions; its backtest, on the
 * published calibration/holdout split, fits every model to the published estimates (Fader,
 * Hardie & Lee 2005 and 2005 note; Batislam et al. 2007; Fader & Hardie 2013) and counts the
 * 1,882 holdout repeat purchases. The models alone are tested in tests/unit.
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
  PUBLISHED_MBG,
  PUBLISHED_MBG_LL,
  PUBLISHED_PNBD,
  PUBLISHED_PNBD_LL,
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

  it("backtests on the published split: calibration to 1997-09-30, holdout to 1998-06-30", async () => {
    // One horizon of 39 weeks before the as-of date is the paper's calibration date.
    const summary = await buildCustomerValue(store, {
      asOf: "1998-06-30",
      horizonDays: 273,
      minOrders: 2,
      flag: {precision: 0.8}
    });
    const b = summary.backtest!;
    expect(b).toMatchObject({
      calibrationDate: "1997-09-30",
      holdoutEnd: "1998-06-30",
      customers: 2357
    });
    const fit = (model: string) => b.candidates.find((c) => c.model === model)!;
    // Each model, fitted on the calibration period alone, has the published estimates.
    within(0.01, fit("bgnbd").params, PUBLISHED_BG);
    within(0.01, fit("mbgnbd").params, PUBLISHED_MBG);
    within(0.01, fit("pareto_nbd").params, PUBLISHED_PNBD);
    expect(Math.abs(fit("bgnbd").params.log_likelihood - PUBLISHED_LL)).toBeLessThan(0.5);
    expect(Math.abs(fit("mbgnbd").params.log_likelihood - PUBLISHED_MBG_LL)).toBeLessThan(0.5);
    expect(Math.abs(fit("pareto_nbd").params.log_likelihood - PUBLISHED_PNBD_LL)).toBeLessThan(0.5);
    // 1,882 repeat purchase days in the holdout, as the dataset's README counts them, and by
    // calibration frequency 0 … 7+ for every probabilistic model.
    for (const model of ["bgnbd", "mbgnbd", "pareto_nbd"]) {
      const purchases = fit(model).purchases!;
      expect(purchases.actual).toBe(1882);
      expect(purchases.byFrequency.map((f) => f.frequency)).toEqual([
        "0",
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7+"
      ]);
      const customers = purchases.byFrequency.reduce((n, f) => n + f.customers, 0);
      expect(customers).toBe(2357);
      const actual = purchases.byFrequency.reduce((n, f) => n + f.customers * f.actual, 0);
      expect(actual).toBeCloseTo(1882, 6);
      // Every model predicts the holdout total within 20 % (they range 1,577 to 1,666).
      expect(Math.abs(purchases.predicted - 1882) / 1882).toBeLessThan(0.2);
    }
    // The spend model at the calibration date is the published Gamma-Gamma.
    expect(b.value?.spend).toBe("gamma_gamma");
    const spend = await store.one<{actual: number}>(
      sql`SELECT sum(dollar_amount)::DOUBLE AS actual FROM read_csv(${val(CDNOW)}, header = true)
          WHERE date > '19970930'`
    );
    expect(b.value!.actual).toBeCloseTo(spend!.actual, 6);
  });

  it("fits the published Gamma-Gamma and computes the summary as of the calibration date", async () => {
    const summary = await buildCustomerValue(store, {
      asOf: "1997-09-30",
      horizonDays: 90,
      minOrders: 2,
      flag: {precision: 0.8}
    });
    within(0.01, {...summary.gammaGamma!.params}, PUBLISHED_GG);
    expect(summary.gammaGamma).toMatchObject({customers: 946, converged: true});
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
