/**
 * The SQL that computes features (loaders/profile/features.ts), as text: what each builder
 * writes and what it binds. tests/integration/features.test.ts runs the same builders in DuckDB.
 */
import {describe, expect, it} from "vitest";
import {raw, sql} from "../../loaders/core/sql.ts";
import type {Declaration, Levels} from "../../loaders/profile/catalogue.ts";
import {
  activity,
  catalogEntries,
  catalogRowQuery,
  coverageQuery,
  featuresQuery,
  levelsQuery,
  ordersAggregate,
  populationQuery,
  surveyAggregate,
  trendAggregate,
  type Window
} from "../../loaders/profile/features.ts";

const W: Window = {asOf: "2026-06-30", windowDays: 365, trendDays: 90};
const LEVELS: Levels = {order_channel: ["web", "O'Hare kiosk"]};

describe("levelsQuery(table, column, max)", () => {
  it("quotes the names and binds the limit", () => {
    const {text, params} = levelsQuery("orders", "channel", 5).render();
    expect(text).toContain(`SELECT "channel" AS level FROM "orders"`);
    expect(text).toContain("LIMIT $1");
    expect(params).toEqual([5]);
  });
});

describe("ordersAggregate(window, levels)", () => {
  it("binds the as-of date, the window and every level, and names the share columns", () => {
    const {text, params} = ordersAggregate(W, LEVELS).render();
    expect(params).toContain("2026-06-30");
    expect(params).toContain(365);
    expect(params).toContain("O'Hare kiosk");
    expect(text).not.toContain("O'Hare");
    expect(text).toContain(`AS "order_channel_o_hare_kiosk",`);
    expect(text).toContain("LEFT JOIN main USING (customer_id)");
  });

  it("writes no dangling comma when the data has no levels", () => {
    expect(ordersAggregate(W, {}).render().text).toMatch(
      /AS gift_season_share,\s+count\(\*\) AS orders_total/
    );
  });
});

describe("surveyAggregate(asOf, scales, answerRange)", () => {
  it("binds the questions and the flip, and compares with NULL when none is reversed", () => {
    const {text, params} = surveyAggregate(
      "2026-06-30",
      {
        price: {questions: ["q_price", "q_sale"], reverse: ["q_sale"], label: "price"},
        service: {questions: ["q_faq"], reverse: [], label: "service"}
      },
      [1, 5]
    ).render();
    expect(params).toEqual(["q_sale", 6, "q_price", "q_sale", 6, "q_faq", "2026-06-30"]);
    expect(text).toContain("CASE WHEN question IN (NULL)");
    expect(text).toContain(`AS "scale_price"`);
    expect(text).toContain(`AS "scale_service"`);
  });
});

describe("activity(has) and trendAggregate(window, activities)", () => {
  it("reads the tables the data has, e-mails only when opened or clicked", () => {
    const queries = activity(new Set(["orders", "email_events"])).map((q) => q.render().text);
    expect(queries).toEqual([
      "SELECT customer_id, ordered_at AS active_at FROM orders",
      "SELECT customer_id, event_at AS active_at FROM email_events WHERE event IN ('open', 'click')"
    ]);
  });

  it("unites the activities and binds the trend's window", () => {
    const {text, params} = trendAggregate(
      W,
      activity(new Set(["orders", "web_sessions"]))
    ).render();
    expect(text).toContain("FROM orders UNION ALL SELECT");
    expect(text).toContain("to_days(365 + $");
    expect(params).toContain(90);
  });
});

describe("populationQuery(asOf, {signup, firsts, undated})", () => {
  it("takes the signup date, else the first activity in the aggregates", () => {
    const {text} = populationQuery(W.asOf, {
      signup: true,
      firsts: ["orders", "tickets"],
      undated: true
    }).render();
    expect(text).toContain(
      `coalesce(c.signup_date::TIMESTAMP, least((SELECT min(first_at) FROM "agg_orders" x WHERE x.customer_id = c.customer_id), (SELECT min(first_at) FROM "agg_tickets" x`
    );
  });

  it("keeps every customer in the current build when nothing dates them", () => {
    const {text, params} = populationQuery(W.asOf, {
      signup: false,
      firsts: [],
      undated: true
    }).render();
    expect(text).toContain("SELECT c.*, NULL::TIMESTAMP AS _joined FROM customers c");
    expect(text).toContain("WHERE _joined IS NULL OR _joined <");
    expect(params).toEqual(["2026-06-30"]);
    expect(
      populationQuery(W.asOf, {signup: true, firsts: [], undated: true}).render().text
    ).toContain("coalesce(c.signup_date::TIMESTAMP) AS _joined");
  });

  it("leaves customers without a date out of a past snapshot", () => {
    const {text} = populationQuery(W.asOf, {signup: true, firsts: [], undated: false}).render();
    expect(text).not.toContain("_joined IS NULL");
    expect(text).toMatch(/WHERE _joined < /);
  });
});

const declaration = (id: string, from: Declaration["from"], needs?: string): Declaration => ({
  feature: {
    id,
    dimension: "behavioral",
    label: id,
    unit: "days",
    kind: "number",
    transform: "none"
  },
  from,
  needs,
  sql: (row) => sql`${row}.${raw(id)}`
});

describe("featuresQuery(table, asOf, declarations, aggregates)", () => {
  it("reads each declaration through its source's alias and joins each aggregate once", () => {
    const {text} = featuresQuery(
      "snapshot_features",
      W.asOf,
      [declaration("age", "customers"), declaration("recent", "trend")],
      ["orders", "trend"]
    ).render();
    expect(text).toContain(`CREATE OR REPLACE TABLE "snapshot_features" AS`);
    expect(text).toContain(`c.age AS "age"`);
    expect(text).toContain(`"a_trend".recent AS "recent"`);
    expect(text).toContain(
      `FROM population c LEFT JOIN "agg_orders" "a_orders" USING (customer_id) LEFT JOIN "agg_trend" "a_trend" USING (customer_id)`
    );
    expect(text).toMatch(/ORDER BY c\.customer_id$/);
  });
});

describe("coverageQuery(ids, population)", () => {
  it("binds the population", () => {
    expect(coverageQuery(["age"], 3).render()).toEqual({
      text: `SELECT count("age") / $1 AS "age" FROM features`,
      params: [3]
    });
  });
});

describe("catalogEntries(declarations, measurement)", () => {
  const age = declaration("age", "customers", "age");
  const income = declaration("income", "customers", "income");
  const tickets = declaration("tickets_12m", "tickets");
  const share = {
    ...declaration("discount_share", "orders", "discount"),
    feature: {...declaration("discount_share", "orders").feature, base: "orders_total"}
  };
  const total = declaration("orders_total", "orders");
  const country = declaration("country", "customers", "country");
  const entries = catalogEntries([age, income, tickets, share, total, country], {
    excluded: new Set(),
    present: new Set(["customers", "orders"]),
    kept: new Set([age, share, total, country]),
    coverage: {age: 0.5, discount_share: 0, orders_total: 1, country: 1},
    distinct: {age: 20, discount_share: 0, orders_total: 3, country: 1}
  });
  const byId = new Map(entries.map((e) => [e.id, e]));

  it("says why each feature is not measured", () => {
    expect(byId.get("age")).toMatchObject({measured: true, coverage: 0.5, note: null});
    expect(byId.get("income")?.note).toBe("no income column in customers");
    expect(byId.get("tickets_12m")?.note).toBe("no support tickets in the data");
    expect(byId.get("discount_share")?.note).toBe("no discount values in orders");
    expect(byId.get("country")?.note).toBe("the same value for every customer");
    expect(entries.every((e) => e.measured || e.coverage === 0)).toBe(true);
  });

  it("keeps a share's base only when the base was measured", () => {
    expect(byId.get("discount_share")?.base).toBe("orders_total");
    const without = catalogEntries([share], {
      excluded: new Set(["orders_total"]),
      present: new Set(["orders"]),
      kept: new Set([share]),
      coverage: {discount_share: 0.5},
      distinct: {discount_share: 2}
    });
    expect(without[0]).not.toHaveProperty("base");
  });
});

describe("catalogRowQuery(position, entry)", () => {
  it("binds every field, absent words as NULL", () => {
    const income = declaration("income", "customers", "income");
    const [entry] = catalogEntries([income], {
      excluded: new Set(),
      present: new Set(["customers"]),
      kept: new Set(),
      coverage: undefined,
      distinct: undefined
    });
    const {text, params} = catalogRowQuery(4, entry).render();
    expect(text).toMatch(/^INSERT INTO feature_catalog VALUES \(\$1, \$2,/);
    expect(params).toEqual([
      4,
      "income",
      "behavioral",
      "income",
      "days",
      "number",
      "none",
      null,
      null,
      false,
      null,
      false,
      0,
      "no income column in customers",
      false
    ]);
  });
});
