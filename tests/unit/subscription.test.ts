/**
 * Subscribers' tenure and churn as the config's `subscription` reads them, and the two
 * candidates' tables (loaders/value/subscription.ts), on small customers tables in DuckDB.
 */
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {parseConfig, type PortraitConfigInput} from "../../loaders/config/project.ts";
import {sql} from "../../loaders/core/sql.ts";
import {Store} from "../../loaders/core/store.ts";
import {assessSubscription, subscriptionInputQuery} from "../../loaders/value/subscription.ts";

let store: Store;
beforeAll(async () => {
  store = await Store.open(":memory:");
});
afterAll(() => store.close());

const ASOF = "2024-06-30";

/** A config whose customers source has these attributes and outcomes, and this subscription. */
function configWith(
  crm: object,
  subscription: PortraitConfigInput["subscription"],
  features?: PortraitConfigInput["features"]
) {
  return parseConfig(
    {
      asOf: ASOF,
      sources: {crm: {table: "customers", file: "c.csv", ...crm}},
      subscription,
      features
    },
    "/p/portrait.config.ts"
  );
}

describe("subscriptionInputQuery(config, asOf)", () => {
  it("reads a tenure count and a churn flag; a churn in period 0 is one in period 1", async () => {
    await store.run(sql`CREATE OR REPLACE TABLE customers AS
      SELECT * FROM (VALUES ('a', 3, 1.0), ('b', 3, 0.0), ('c', 0, 1.0), ('d', 0, 0.0),
        ('e', -1, 0.0), ('f', 2.5, 0.0), ('g', 4, NULL)) AS t(customer_id, months, churned)`);
    const config = configWith(
      {
        attributes: {months: {type: "number", dimension: "behavioral"}},
        outcomes: {churned: {type: "flag"}}
      },
      {tenure: "months", churned: "churned", period: "month"}
    );
    const query = subscriptionInputQuery(config, ASOF);
    const {text, params} = query.render();
    expect(text).toContain(
      'TRY_CAST("months" AS DOUBLE) AS t, "churned" AS churned FROM customers'
    );
    expect(params).toEqual([]);
    expect(await store.all(query)).toEqual([
      {customer_id: "a", tenure: 3, churned: 1},
      {customer_id: "b", tenure: 3, churned: 0},
      {customer_id: "c", tenure: 1, churned: 1},
      {customer_id: "d", tenure: 0, churned: 0},
      {customer_id: "e", tenure: null, churned: 0},
      {customer_id: "f", tenure: null, churned: 0},
      {customer_id: "g", tenure: 4, churned: null}
    ]);
  });

  it("counts periods between a start and an end date, the period of a churn included", async () => {
    await store.run(sql`CREATE OR REPLACE TABLE customers AS
      SELECT customer_id, signup_date::DATE AS signup_date, ended::DATE AS ended FROM (VALUES
        ('a', '2024-01-15', NULL),          -- 5 months completed by June 30
        ('b', '2024-01-15', '2024-03-15'),  -- left at the end of month 2
        ('c', '2024-01-15', '2024-03-20'),  -- left during month 3
        ('d', '2024-06-01', '2024-06-01'),  -- left the day they joined
        ('e', '2024-01-15', '2024-09-15'),  -- ends after the as-of date: still subscribed
        ('f', '2024-07-01', NULL)           -- starts after the as-of date
      ) AS t(customer_id, signup_date, ended)`);
    const crm = {attributes: {ended: {type: "date", dimension: "behavioral"}}};
    const dates = {start: "signup_date", end: "ended"};
    const months = configWith(crm, {...dates, period: "month"});
    expect(await store.all(subscriptionInputQuery(months, ASOF))).toEqual([
      {customer_id: "a", tenure: 5, churned: 0},
      {customer_id: "b", tenure: 2, churned: 1},
      {customer_id: "c", tenure: 3, churned: 1},
      {customer_id: "d", tenure: 1, churned: 1},
      {customer_id: "e", tenure: 5, churned: 0},
      {customer_id: "f", tenure: null, churned: 0}
    ]);
    expect(subscriptionInputQuery(months, ASOF).render().text).toContain("date_sub($");
    const fortnights = configWith(crm, {...dates, period: {days: 14}});
    const rows = await store.all(subscriptionInputQuery(fortnights, ASOF));
    // a: 167 days, 11 fortnights; c: 65 days, the last in the fifth.
    expect(rows.map((r) => r.tenure)).toEqual([11, 5, 5, 1, 11, null]);
  });
});

describe("assessSubscription(store, config, options)", () => {
  // 200 subscribers: churn falls with tenure, and a plan flag doubles it.
  beforeAll(async () => {
    await store.run(sql`CREATE OR REPLACE TABLE customers AS
      SELECT 'c' || lpad(i::VARCHAR, 3, '0') AS customer_id, (i % 12)::DOUBLE AS months,
        (i % 2)::DOUBLE AS basic, CASE WHEN i % 3 = 0 THEN 'north' ELSE 'south' END AS area,
        CASE WHEN (i * 7919) % 100 < (CASE WHEN i % 2 = 1 THEN 60 ELSE 25 END) / (1 + i % 12 / 4)
          THEN 1.0 ELSE 0.0 END AS churned
      FROM range(200) AS r(i)`);
    await store.run(sql`CREATE OR REPLACE TABLE features AS
      SELECT customer_id, months, basic, area, churned AS leaked, churned AS copied,
        basic + churned AS derived FROM customers`);
  });
  const config = () =>
    configWith(
      {
        attributes: {
          months: {type: "number", dimension: "behavioral"},
          basic: {type: "flag", dimension: "behavioral"},
          area: {type: "category", dimension: "geographic"},
          copied: {sql: "2 * Churned", type: "number", dimension: "behavioral"}
        },
        outcomes: {churned: {type: "flag"}, leaked: {type: "flag"}}
      },
      {tenure: "months", churned: "churned", period: "month", window: 1},
      {custom: {derived: {sql: "basic + coalesce(c.copied, 0)", dimension: "behavioral"}}}
    );

  it("is null without a subscription", async () => {
    const none = parseConfig(
      {sources: {crm: {table: "customers", file: "c.csv"}}},
      "/p/portrait.config.ts"
    );
    expect(await assessSubscription(store, none, {asOf: ASOF, rule: {share: 0.2}})).toBeNull();
  });

  it("scores both candidates out of fold on the same folds, from the features and never an outcome", async () => {
    const result = (await assessSubscription(store, config(), {asOf: ASOF, rule: {share: 0.2}}))!;
    const zeroTenure = (await store.one<{n: number}>(
      sql`SELECT count(*)::INTEGER AS n FROM customers WHERE months = 0 AND churned = 0`
    ))!.n;
    expect(result.customers).toBe(200);
    expect(result.backtested).toBe(200 - zeroTenure);
    const [sbg, learned] = result.candidates;
    expect(sbg.model).toBe("sbg");
    expect(sbg.columns).toEqual(["tenure"]);
    expect(learned.columns).toEqual(["months", "basic", "area = south", "area = north"]);
    expect(learned.notes).toEqual([
      "left out as outcomes, the end date, or read from them: leaked, copied, derived"
    ]);
    expect(learned.auc!).toBeGreaterThan(sbg.auc!);
    const folds = await store.all(
      sql`SELECT customer_id, count(DISTINCT fold)::INTEGER AS folds, count(*)::INTEGER AS models
          FROM subscription_backtest GROUP BY customer_id HAVING folds <> 1 OR models <> 2`
    );
    expect(folds).toEqual([]);
  });

  it("fits the learned model on a seeded sample past maxFitRows, and says so", async () => {
    const options = {asOf: ASOF, rule: {share: 0.2}, maxFitRows: 60};
    const first = (await assessSubscription(store, config(), options))!.candidates[1];
    const again = (await assessSubscription(store, config(), options))!.candidates[1];
    expect(first.notes).toContain("fitted on a seeded sample of 60 customers where more are given");
    expect(first.params).toEqual(again.params);
    expect(first.auc).not.toBeNull();
  });

  it("gives churned customers no score, with the reason, and subscribers the next period's", async () => {
    await assessSubscription(store, config(), {asOf: ASOF, rule: {share: 0.2}});
    const rows = await store.all(
      sql`SELECT model, churned, reason, count(*)::INTEGER AS n, count(p_churn)::INTEGER AS scored,
            min(p_churn) > 0 AND max(p_churn) < 1 AS probabilities
          FROM subscription_scores GROUP BY ALL ORDER BY ALL`
    );
    const churned = (await store.one<{n: number}>(
      sql`SELECT count(*)::INTEGER AS n FROM customers WHERE churned = 1`
    ))!.n;
    expect(rows).toEqual(
      ["learned", "sbg"].flatMap((model) => [
        {
          model,
          churned: false,
          reason: null,
          n: 200 - churned,
          scored: 200 - churned,
          probabilities: true
        },
        {model, churned: true, reason: "churned", n: churned, scored: 0, probabilities: null}
      ])
    );
  });
});
