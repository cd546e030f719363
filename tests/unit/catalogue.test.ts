/** The feature catalogue (loaders/profile/catalogue.ts): every feature Portrait knows, as data. */
import {describe, expect, it} from "vitest";
import {parseConfig} from "../../loaders/config/project.ts";
import {ident, sql} from "../../loaders/core/sql.ts";
import {
  catalogue,
  DIMENSIONS,
  MIXES,
  questionScales,
  slug,
  type Levels
} from "../../loaders/profile/catalogue.ts";
import {featureOptions} from "../../loaders/profile/features.ts";

const LEVELS: Levels = {
  order_channel: ["web", "app"],
  category: ["Books", "Home & Garden"],
  ticket_channel: ["phone"],
  ticket_topic: ["billing"],
  device: ["mobile"]
};

const config = parseConfig(
  {
    sources: {crm: {table: "customers", file: "customers.csv"}},
    features: {
      trendDays: 60,
      scales: {
        price_sensitivity: {questions: ["q_price", "q_sale"], reverse: ["q_sale"]},
        self_service: {questions: ["q_faq"], label: "Self-service", high: "do-it-yourself"}
      }
    }
  },
  "/project/portrait.config.ts"
);
const options = featureOptions(config, "2026-06-30");
const all = catalogue({levels: LEVELS, trendDays: options.trendDays, scales: options.scales});
const byId = new Map(all.map((d) => [d.feature.id, d]));

describe("catalogue({levels, trendDays, scales})", () => {
  it("gives every feature a dimension, a unit and a label", () => {
    for (const {feature} of all) {
      expect(DIMENSIONS, feature.id).toContain(feature.dimension);
      expect(feature.unit, feature.id).not.toBe("");
      expect(feature.label, feature.id).not.toBe("");
      expect(["number", "category"], feature.id).toContain(feature.kind);
    }
    expect(new Set(all.map((d) => d.feature.dimension))).toEqual(new Set(DIMENSIONS));
  });

  it("names each feature once", () => {
    const ids = all.map((d) => d.feature.id);
    expect(ids.length).toBeGreaterThan(40);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("lists the scales the config declares as psychographic scores, with their words", () => {
    const scales = all.filter((d) => d.feature.dimension === "psychographic");
    expect(scales.map((d) => d.feature)).toEqual([
      expect.objectContaining({
        id: "scale_price_sensitivity",
        label: "price sensitivity",
        unit: "score",
        high: "high on price sensitivity",
        low: "low on price sensitivity"
      }),
      expect.objectContaining({
        id: "scale_self_service",
        label: "Self-service",
        high: "do-it-yourself",
        low: "low on self-service"
      })
    ]);
    expect(scales.every((d) => d.from === "survey")).toBe(true);
    expect(options.scales.price_sensitivity.reverse).toEqual(["q_sale"]);
  });

  it("labels the trend with the configured window", () => {
    expect(byId.get("engagement_trend")?.feature.label).toBe(
      "Activity in the last 60 days against a year earlier"
    );
  });

  it("makes each level of a mix a share, taken over its source's count", () => {
    expect(byId.get("category_home_garden")?.feature).toMatchObject({
      label: "Orders in Home & Garden",
      unit: "share",
      high: "Home & Garden-loving",
      base: "orders_total"
    });
    expect(byId.get("order_channel_web")?.feature).toMatchObject({high: "web-first"});
    expect(byId.get("ticket_topic_billing")?.feature).toMatchObject({
      describeOnly: true,
      base: "tickets_total"
    });
    expect(byId.get("email_open_rate")?.feature.base).toBe("emails_received");
    expect(byId.get("device_mobile")).toMatchObject({from: "web_sessions", needs: "device"});
    expect(
      catalogue({levels: {}, trendDays: 90, scales: {}}).filter((d) =>
        Object.keys(MIXES).some((name) => d.feature.id.startsWith(`${name}_`))
      )
    ).toEqual([]);
  });

  it("puts customers' fields first, then behaviour by source, scales, and the counts last", () => {
    const sources = all.map((d) => d.from);
    expect(sources.slice(0, 18).every((s) => s === "customers")).toBe(true);
    expect(all.slice(0, 2).map((d) => d.feature.id)).toEqual(["tenure_days", "age"]);
    expect(all.slice(-4).map((d) => d.feature.id)).toEqual([
      "orders_total",
      "tickets_total",
      "sessions_total",
      "emails_received"
    ]);
    const order = [...new Set(sources)];
    expect(order).toEqual([
      "customers",
      "orders",
      "tickets",
      "email_events",
      "web_sessions",
      "trend",
      "survey"
    ]);
  });

  it("writes each feature's SQL over the row alias it is given, with the as-of date bound", () => {
    const orders = byId.get("orders_12m")!.sql(ident("a_orders"), "2026-06-30").render();
    expect(orders).toEqual({text: `coalesce("a_orders"."orders_window", 0)`, params: []});
    const tenure = byId
      .get("tenure_days")!
      .sql(sql`c`, "2026-06-30")
      .render();
    expect(tenure).toEqual({
      text: "date_diff('day', c._joined::DATE, $1::DATE)",
      params: ["2026-06-30"]
    });
    expect(
      byId
        .get("is_business")!
        .sql(sql`c`, "2026-06-30")
        .render().text
    ).toBe("(c.company IS NOT NULL)::DOUBLE");
  });

  it("says which column a customers' field needs", () => {
    const fields = all.filter((d) => d.from === "customers" && d.feature.id !== "tenure_days");
    expect(fields.every((d) => d.needs)).toBe(true);
    expect(byId.get("is_business")?.needs).toBe("company");
  });
});

describe("questionScales(questions)", () => {
  it("makes each question its own scale, named by its slug", () => {
    expect(questionScales(["How likely, 1-5?"])).toEqual({
      how_likely_1_5: {questions: ["How likely, 1-5?"], reverse: [], label: "How likely, 1-5?"}
    });
  });
});

describe("slug(level)", () => {
  it("makes a safe column suffix of any level name", () => {
    expect(slug(" Home & Garden ")).toBe("home_garden");
    expect(slug("Café")).toBe("cafe");
    expect(slug("???")).toBe("other");
  });
});
