import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {acceptedColumnsSql, CANONICAL_TABLES} from "../../loaders/config/canonical.ts";
import {buildFeatures, readCatalog, type FeatureOptions} from "../../loaders/profile/features.ts";
import {slug} from "../../loaders/profile/catalogue.ts";
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
  await store.run(`CREATE TABLE ${name} (${acceptedColumnsSql(canonical)})`);
  await store.run(`INSERT INTO ${name} (${columns}) VALUES ${rows}`);
}

beforeEach(async () => {
  store = await Store.open(":memory:");
  // The pipeline's customers table: canonical fields (income is never mapped here, so the
  // standardised table has no such column), then the enrichment.
  await store.run(`CREATE TABLE customers AS SELECT * FROM (VALUES
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

const row = async (id: string) => store.one("SELECT * FROM features WHERE customer_id = $id", {id});

describe("buildFeatures(store, {asOf, …})", () => {
  it("counts only what happened by the as-of date, for customers who had joined by then", async () => {
    await buildFeatures(store, OPTIONS);
    const ids = (await store.all<{customer_id: string}>("SELECT customer_id FROM features")).map(
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
    await store.run("INSERT INTO customers VALUES ('C5', DATE '2026-06-01', 20, 'DE', NULL)");
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
    await store.run("UPDATE customers SET country = 'DE'");
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
