import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {acceptedColumnsSql, CANONICAL_TABLES} from "../../loaders/config/canonical.ts";
import {
  activity,
  buildFeatures,
  coverageQuery,
  distinctQuery,
  emailAggregate,
  featuresQuery,
  levelsQuery,
  numericQuestionsQuery,
  ordersAggregate,
  populationQuery,
  readCatalog,
  surveyAggregate,
  trendAggregate,
  type FeatureOptions,
  type Window
} from "../../loaders/profile/features.ts";
import {catalogue, slug, type Levels} from "../../loaders/profile/catalogue.ts";
import {ident, raw, sql, val} from "../../loaders/core/sql.ts";
import {Store} from "../../loaders/core/store.ts";

const OPTIONS: FeatureOptions = {
  asOf: "2026-06-30",
  windowDays: 365,
  trendDays: 90,
  answerRange: [1, 5],
  exclude: [],
  scales: {
    price: {questions: ["q_price", "q_sale"], reverse: ["q_sale"], label: "price sensitivity"}
  }
};

let store: Store;

/** A canonical table as the pipeline leaves it (every field, NULL where unmapped), with rows. */
async function table(name: string, columns: string, rows: string): Promise<void> {
  const canonical = CANONICAL_TABLES.find((t) => t.name === name)!;
  await store.run(sql`CREATE TABLE ${ident(name)} (${acceptedColumnsSql(canonical)})`);
  await store.run(sql`INSERT INTO ${ident(name)} (${raw(columns)}) VALUES ${raw(rows)}`);
}

beforeEach(async () => {
  store = await Store.open(":memory:");
  // The pipeline's customers table: canonical fields (income is never mapped here, so the
  // standardised table has no such column), then the enrichment.
  await store.run(sql`CREATE TABLE customers AS SELECT * FROM (VALUES
    ('C1', DATE '2024-01-01', 30, 'DE', NULL),
    ('C2', DATE '2025-06-01', NULL, 'FR', NULL),
    ('C3', DATE '2026-07-15', 41, 'DE', NULL),
    ('C4', NULL, 55, NULL, 'Acme')
  ) t(customer_id, signup_date, age, country, company)`);
  await table(
    "orders",
    "order_id, customer_id, ordered_at, amount, channel, category, discount",
    `('o1', 'C1', '2026-06-20 10:00', 100.0, 'web', 'books', 10.0),
     ('o2', 'C1', '2025-06-10 10:00', 50.0, 'app', 'books', NULL),
     ('o3', 'C1', '2026-07-05 10:00', 999.0, 'web', 'toys', NULL),
     ('o4', 'C2', '2025-12-01 09:00', 30.0, 'web', 'toys', 0.0)`
  );
  await table(
    "email_events",
    "customer_id, event_at, event",
    `('C1', '2026-05-01', 'sent'), ('C1', '2026-05-01', 'open'),
     ('C1', '2026-05-02', 'sent'), ('C2', '2026-05-02', 'sent')`
  );
  await table(
    "survey_responses",
    "customer_id, question, answer, answered_at",
    `('C1', 'q_price', '4', '2026-01-01'), ('C1', 'q_sale', '2', '2026-01-01'),
     ('C2', 'q_price', '1', '2026-08-01'), ('C4', 'q_price', '2', '2026-02-01')`
  );
});

afterEach(() => store.close());

const row = async (id: string) =>
  store.one(sql`SELECT * FROM features WHERE customer_id = ${val(id)}`);

describe("buildFeatures(store, {asOf, …})", () => {
  it("counts only what happened by the as-of date, for customers who had joined by then", async () => {
    await buildFeatures(store, OPTIONS);
    const ids = (await store.all<{customer_id: string}>(sql`SELECT customer_id FROM features`)).map(
      (r) => r.customer_id
    );
    // C3 joins after the as-of date; C4 has no date at all and is kept.
    expect(ids).toEqual(["C1", "C2", "C4"]);
    const c1 = await row("C1");
    expect(c1).toMatchObject({
      recency_days: 10,
      orders_12m: 1,
      spend_12m: 100,
      order_value: 75,
      order_channel_web: 0.5,
      order_channel_app: 0.5,
      discount_share: 1,
      email_open_rate: 0.5,
      tenure_days: 911,
      age: 30,
      country: "DE"
    });
    expect((await row("C2"))?.recency_days).toBe(211);
  });

  it("compares the last trendDays with the same days a year earlier", async () => {
    await buildFeatures(store, OPTIONS);
    // C1: an order and an e-mail open in the last 90 days, one order in the same days of 2025.
    expect((await row("C1"))?.engagement_trend).toBeCloseTo(Math.log(3 / 2), 12);
    // C2's only order is in neither window.
    expect((await row("C2"))?.engagement_trend).toBe(0);
  });

  it("averages a scale's questions, flipping reversed ones, and ignores later answers", async () => {
    await buildFeatures(store, OPTIONS);
    expect((await row("C1"))?.scale_price).toBe(4); // 4 and 6 − 2
    expect((await row("C2"))?.scale_price).toBeNull(); // answered after the as-of date
  });

  it("gives a customer who never ordered the time since joining as recency, and no order value", async () => {
    await store.run(sql`INSERT INTO customers VALUES ('C5', DATE '2026-06-01', 20, 'DE', NULL)`);
    await buildFeatures(store, OPTIONS);
    expect(await row("C5")).toMatchObject({recency_days: 29, orders_12m: 0, order_value: null});
  });

  it("lists features without data as not measured, and never adds them as zeros", async () => {
    const catalog = await buildFeatures(store, OPTIONS);
    const byId = new Map(catalog.map((f) => [f.id, f]));
    expect(byId.get("tickets_12m")).toMatchObject({
      measured: false,
      note: "no support tickets in the data"
    });
    expect(byId.get("sessions_12m")).toMatchObject({
      measured: false,
      note: "no web sessions in the data"
    });
    expect(byId.get("income")).toMatchObject({
      measured: false,
      note: "no income column in customers"
    });
    expect(byId.get("is_business")).toMatchObject({measured: true, unit: "flag"});
    const columns = Object.keys((await row("C1")) ?? {});
    expect(columns).not.toContain("tickets_12m");
    expect(columns).not.toContain("income");
    expect(byId.get("age")?.coverage).toBeCloseTo(2 / 3, 12);
    // What was written is what is read back.
    expect(await readCatalog(store)).toEqual(catalog);
  });

  it("reports a feature with one value for everyone as not measured", async () => {
    await store.run(sql`UPDATE customers SET country = 'DE'`);
    const catalog = await buildFeatures(store, OPTIONS);
    expect(catalog.find((f) => f.id === "country")).toMatchObject({
      measured: false,
      note: "the same value for every customer"
    });
  });

  it("leaves out the features the config excludes", async () => {
    const catalog = await buildFeatures(store, {...OPTIONS, exclude: ["age"]});
    expect(catalog.find((f) => f.id === "age")).toMatchObject({
      measured: false,
      note: "excluded by the config"
    });
    expect(Object.keys((await row("C1")) ?? {})).not.toContain("age");
  });

  it("makes each frequent category level a share feature with a safe column name", async () => {
    const catalog = await buildFeatures(store, OPTIONS);
    expect(catalog.filter((f) => f.id.startsWith("category_")).map((f) => f.id)).toEqual([
      "category_books",
      "category_toys"
    ]);
    expect(slug(" Home & Garden ")).toBe("home_garden");
    expect(slug("Café")).toBe("cafe");
    expect(slug("???")).toBe("other");
  });
});

describe("the builders, bound against DuckDB on the rows above", () => {
  const W: Window = {asOf: OPTIONS.asOf, windowDays: 365, trendDays: 90};
  const byCustomer = (rows: Record<string, unknown>[]) =>
    Object.fromEntries(rows.map(({customer_id, ...rest}) => [String(customer_id), rest]));

  it("levelsQuery finds the frequent levels, the most frequent first", async () => {
    const rows = await store.all(levelsQuery("orders", "channel"));
    expect(rows.map((r) => r.level)).toEqual(["web", "app"]);
    expect(await store.all(levelsQuery("orders", "channel", 1))).toEqual([{level: "web"}]);
  });

  it("numericQuestionsQuery lists the questions answered with numbers", async () => {
    await store.run(
      sql`INSERT INTO survey_responses (customer_id, question, answer) VALUES ('C1', 'q_why', 'because')`
    );
    const rows = await store.all(numericQuestionsQuery());
    expect(rows.map((r) => r.question)).toEqual(["q_price", "q_sale"]);
  });

  it("ordersAggregate counts orders up to the as-of date, with a share per level", async () => {
    const levels: Levels = {order_channel: ["web", "app"], category: ["books"]};
    const rows = byCustomer(await store.all(ordersAggregate(W, levels)));
    expect(rows.C1).toMatchObject({
      recency_days: 10,
      orders_window: 1,
      order_value: 75,
      order_channel_web: 0.5,
      order_channel_app: 0.5,
      category_books: 1,
      orders_total: 2,
      main_order_channel: "app"
    });
    expect(rows.C2).toMatchObject({recency_days: 211, orders_window: 1, discount_share: 0});
  });

  it("emailAggregate takes opens over the e-mails sent in the window", async () => {
    const rows = byCustomer(await store.all(emailAggregate(W)));
    expect(rows.C1).toMatchObject({open_rate: 0.5, click_rate: 0, emails_received: 2});
    expect(rows.C2).toMatchObject({open_rate: 0, emails_received: 1});
  });

  it("trendAggregate counts activity in the last days and the same days a year earlier", async () => {
    const has = new Set(["orders", "email_events"]);
    const rows = byCustomer(await store.all(trendAggregate(W, activity(has))));
    expect(rows.C1).toEqual({recent: 2, previous: 1});
    expect(rows.C2).toEqual({recent: 0, previous: 0});
  });

  it("surveyAggregate averages answered scales, flipping reversed questions", async () => {
    const rows = byCustomer(
      await store.all(surveyAggregate(W.asOf, OPTIONS.scales, OPTIONS.answerRange))
    );
    expect(rows).toEqual({C1: {scale_price: 4}, C4: {scale_price: 2}});
  });

  it("populationQuery and featuresQuery read each source through its alias", async () => {
    await store.run(sql`CREATE TEMP TABLE agg_orders AS ${ordersAggregate(W, {})}`);
    await store.run(populationQuery(W.asOf, {signup: true, firsts: ["orders"]}));
    const declarations = catalogue({levels: {}, trendDays: 90, scales: {}}).filter((d) =>
      ["tenure_days", "age", "orders_12m"].includes(d.feature.id)
    );
    await store.run(featuresQuery("features", W.asOf, declarations, ["orders"]));
    expect(await store.all(sql`SELECT * FROM features`)).toEqual([
      {customer_id: "C1", tenure_days: 911, age: 30, orders_12m: 1},
      {customer_id: "C2", tenure_days: 394, age: null, orders_12m: 1},
      {customer_id: "C4", tenure_days: null, age: 55, orders_12m: 0}
    ]);
    expect(await store.one(coverageQuery(["age", "tenure_days"], 3))).toEqual({
      age: 2 / 3,
      tenure_days: 2 / 3
    });
    expect(await store.one(distinctQuery(["orders_12m"]))).toEqual({orders_12m: 2});
  });
});

describe("buildFeatures: the config's own features", () => {
  const own = (custom: FeatureOptions["custom"]): FeatureOptions => ({
    ...OPTIONS,
    custom,
    configPath: "/project/portrait.config.ts"
  });

  it("computes a feature over the customer's row, and aggregates another over a table up to the as-of date", async () => {
    const catalog = await buildFeatures(
      store,
      own({
        age_in_months: {sql: "age * 12", dimension: "demographic", unit: "months"},
        books_share: {
          sql: "avg((category = 'books')::DOUBLE)",
          from: "orders",
          dimension: "behavioral",
          unit: "share",
          high: "bookish"
        }
      })
    );
    // C1's toy order (5 July) is after the as-of date: both earlier orders are books.
    expect(await row("C1")).toMatchObject({age_in_months: 360, books_share: 1});
    expect(await row("C2")).toMatchObject({age_in_months: null, books_share: 0});
    expect((await row("C4"))?.books_share).toBeNull();
    expect(catalog.find((f) => f.id === "books_share")).toMatchObject({
      measured: true,
      unit: "share",
      high: "bookish",
      dimension: "behavioral"
    });
  });

  it("leaves an aggregate over a table the data lacks not measured, and says why", async () => {
    const catalog = await buildFeatures(
      store,
      own({tickets_open: {sql: "count(*)", from: "tickets", dimension: "behavioral"}})
    );
    expect(catalog.find((f) => f.id === "tickets_open")).toMatchObject({
      measured: false,
      note: "no tickets in the data"
    });
  });

  it("names the config key, the problem and the columns when the SQL does not bind", async () => {
    await expect(
      buildFeatures(store, own({kids: {sql: "kids + teens", dimension: "demographic"}}))
    ).rejects.toThrow(
      /portrait\.config\.ts: features\.custom\.kids: .*"kids".*computed over each customer's row, whose columns are: customer_id, signup_date, age, country, company/
    );
  });

  it("refuses a name one of Portrait's features has", async () => {
    await expect(
      buildFeatures(store, own({spend_12m: {sql: "age", dimension: "behavioral"}}))
    ).rejects.toThrow(
      "features.custom.spend_12m: spend_12m is already one of Portrait's features (Spend in the last 12 months): give it another name"
    );
  });
});
