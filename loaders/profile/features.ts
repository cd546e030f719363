/**
 * Features per dimension (DESIGN.md), computed in DuckDB as of a date so that snapshots reuse
 * the same code: every row counts only if it happened on or before the as-of date, and a
 * customer belongs to the population once they have joined.
 *
 * Writes two tables:
 * - `features`: one row per customer, one column per measured feature;
 * - `feature_catalog`: every feature Portrait knows, with its dimension, label, unit, whether it
 *   was measured (a feature with no data is reported as not measured and left out of
 *   `features`, never zero-filled), its coverage, and whether it is clustered on.
 */
import type {PortraitConfig} from "../config/project.ts";
import {usedParams, type Store} from "../core/store.ts";
import {ident} from "../core/sql.ts";

export const DIMENSIONS = [
  "behavioral",
  "psychographic",
  "demographic",
  "geographic",
  "firmographic"
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface Feature {
  /** Column name in `features`. */
  id: string;
  dimension: Dimension;
  label: string;
  /** How values read: "days", "orders", "currency", "share", "score", "hours", … */
  unit: string;
  kind: "number" | "category";
  /** The clustering transform: log1p for skewed counts and amounts. */
  transform: "log" | "none";
  /** Phrases a profile name uses when the profile is high or low on this feature. */
  high?: string;
  low?: string;
  /** Described on the pages but never clustered on (e.g. topic mix, model outputs). */
  describeOnly?: boolean;
  /** For a share: the count feature it is taken over (the clustering smooths it by that). */
  base?: string;
}

export interface CatalogEntry extends Feature {
  measured: boolean;
  /** Share of the population with a value. */
  coverage: number;
  /** Why a feature is not measured. */
  note: string | null;
  clustered: boolean;
}

export interface FeatureOptions {
  asOf: string;
  /** Length of the window for per-year rates, in days (default 365). */
  windowDays: number;
  /** Length of each of the two windows the engagement trend compares, in days (default 90). */
  trendDays: number;
  /** Psychographic scales: name → questions (answers averaged; reversed ones flipped). */
  scales: Record<
    string,
    {questions: string[]; reverse: string[]; label: string; high?: string; low?: string}
  >;
  /** Answer range of survey questions, for reversing (default 1–5). */
  answerRange: [number, number];
  /** Feature ids left out entirely. */
  exclude: string[];
  /**
   * A past snapshot's table to write instead of `features`: every column the data can fill is
   * kept (none dropped for a lack of values that date), and the catalog is left alone, so the
   * current build's clustering recipe applies to it unchanged.
   */
  snapshotTable?: string;
}

/** What each aggregate reads, in a reader's words. */
const SOURCE_NAMES: Record<Piece["from"], string> = {
  customers: "customers",
  orders: "orders",
  tickets: "support tickets",
  email_events: "e-mail events",
  web_sessions: "web sessions",
  survey: "survey answers",
  trend: "orders, web sessions or e-mail events"
};

interface Piece {
  feature: Feature;
  /** SQL over the aggregate table for the feature's source (alias `a`), or over `c` (customers). */
  sql: string;
  /** Which per-customer aggregate table it reads. */
  from: "customers" | "orders" | "tickets" | "email_events" | "web_sessions" | "survey" | "trend";
  /** The canonical column whose presence the feature needs (coverage check); optional. */
  needs?: string;
}

const num = (
  id: string,
  dimension: Dimension,
  label: string,
  unit: string,
  transform: "log" | "none",
  extra: Partial<Feature> = {}
): Feature => ({id, dimension, label, unit, kind: "number", transform, ...extra});
const cat = (id: string, dimension: Dimension, label: string, extra: Partial<Feature> = {}) =>
  ({
    id,
    dimension,
    label,
    unit: "category",
    kind: "category",
    transform: "none",
    ...extra
  }) as Feature;

/** Level names become column suffixes: lower_snake_case, ASCII. */
export function slug(level: string): string {
  const s = level
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return s || "other";
}

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** The most frequent levels of a column (at most `max`, each ≥ 1 % of non-null rows). */
async function levels(store: Store, table: string, column: string, max = 8): Promise<string[]> {
  const rows = await store.all<{level: string}>(
    `SELECT ${ident(column)} AS level FROM ${ident(table)}
     WHERE ${ident(column)} IS NOT NULL
     GROUP BY 1 HAVING count(*) >= 0.01 * (SELECT count(${ident(column)}) FROM ${ident(table)})
     ORDER BY count(*) DESC, level LIMIT ${max}`
  );
  return rows.map((r) => r.level);
}

function mixPieces(
  from: Piece["from"],
  column: string,
  prefix: string,
  labelOf: (level: string) => string,
  lv: string[],
  extra: (level: string) => Partial<Feature> = () => ({})
): Piece[] {
  return lv.map((level) => ({
    from,
    needs: column,
    feature: num(`${prefix}_${slug(level)}`, "behavioral", labelOf(level), "share", "none", {
      high: `${level}-first`,
      ...extra(level)
    }),
    sql: `avg((${ident(column)} = ${lit(level)})::DOUBLE) FILTER (WHERE ${ident(column)} IS NOT NULL)`
  }));
}

/**
 * What counts as a customer's activity, one query per table the data has, each giving
 * (customer_id, active_at): orders, web sessions, and e-mail opens and clicks. The engagement
 * trend counts these, and so do the History page's engagement drops.
 */
export function activityQueries(has: {
  orders: boolean;
  web_sessions: boolean;
  email_events: boolean;
}): string[] {
  return [
    has.orders ? "SELECT customer_id, ordered_at AS active_at FROM orders" : null,
    has.web_sessions ? "SELECT customer_id, started_at AS active_at FROM web_sessions" : null,
    has.email_events
      ? "SELECT customer_id, event_at AS active_at FROM email_events WHERE event IN ('open', 'click')"
      : null
  ].filter((s): s is string => s !== null);
}

/** Aggregates every feature as of options.asOf into `features` and `feature_catalog`. */
export async function buildFeatures(
  store: Store,
  options: FeatureOptions
): Promise<CatalogEntry[]> {
  const has = {
    orders: await store.has("orders"),
    tickets: await store.has("tickets"),
    email_events: await store.has("email_events"),
    web_sessions: await store.has("web_sessions"),
    survey: await store.has("survey_responses")
  };
  const params = {
    asOf: options.asOf,
    window: options.windowDays,
    trend: options.trendDays
  };
  // end: the first instant after the as-of date; windows count back from it.
  const end = "($asOf::DATE + INTERVAL 1 DAY)";
  const since = (days: string) => `(${end} - to_days(${days}))`;

  const pieces: Piece[] = [];
  const aggregates: Record<string, string> = {};

  // The population: customers who had joined by the as-of date (or show no date at all).
  aggregates.customers = `SELECT * FROM customers`;

  // Every table's features are listed; those of a table the data lacks as not measured.
  {
    const channels = has.orders ? await levels(store, "orders", "channel") : [];
    const categories = has.orders ? await levels(store, "orders", "category") : [];
    pieces.push(
      {
        from: "orders",
        feature: num("recency_days", "behavioral", "Time since the last order", "days", "log", {
          high: "lapsed",
          low: "recently active"
        }),
        sql: "a.recency_days"
      },
      {
        from: "orders",
        feature: num("orders_12m", "behavioral", "Orders in the last 12 months", "orders", "log", {
          high: "frequent",
          low: "occasional"
        }),
        sql: "coalesce(a.orders_window, 0)"
      },
      {
        from: "orders",
        feature: num("spend_12m", "behavioral", "Spend in the last 12 months", "currency", "log", {
          high: "high-spend",
          low: "low-spend"
        }),
        sql: "coalesce(a.spend_window, 0)"
      },
      {
        from: "orders",
        feature: num("order_value", "behavioral", "Average order value", "currency", "log", {
          high: "big-basket",
          low: "small-basket"
        }),
        sql: "a.order_value"
      },
      {
        from: "orders",
        needs: "quantity",
        feature: num("items_per_order", "behavioral", "Items per order", "items", "log", {
          high: "bulk-buying",
          low: "single-item"
        }),
        sql: "a.items_per_order"
      },
      {
        from: "orders",
        needs: "discount",
        feature: num("discount_share", "behavioral", "Orders with a discount", "share", "none", {
          high: "deal-seeking",
          low: "full-price"
        }),
        sql: "a.discount_share"
      },
      {
        from: "orders",
        needs: "status",
        feature: num("return_share", "behavioral", "Orders returned", "share", "none", {
          high: "return-prone",
          low: "keep-what-they-buy"
        }),
        sql: "a.return_share"
      },
      {
        from: "orders",
        feature: num(
          "gift_season_share",
          "behavioral",
          "Orders in the gift season (15 Nov – 24 Dec)",
          "share",
          "none",
          {high: "seasonal", low: "year-round"}
        ),
        sql: "a.gift_season_share"
      },
      ...mixPieces("orders", "channel", "order_channel", (l) => `Orders via ${l}`, channels),
      ...mixPieces(
        "orders",
        "category",
        "category",
        (l) => `Orders in ${l}`,
        categories,
        (l) => ({
          high: `${l}-loving`
        })
      ),
      {
        from: "orders",
        needs: "channel",
        feature: cat("main_order_channel", "behavioral", "Main order channel", {
          describeOnly: true
        }),
        sql: "a.main_order_channel"
      }
    );
    if (has.orders)
      // The main channel is ranked apart: an ordered aggregate (mode … ORDER BY) keeps every
      // customer's values in memory at once, which a million customers do not fit.
      aggregates.orders = `WITH channel_counts AS (
          SELECT customer_id, channel, row_number() OVER (
            PARTITION BY customer_id ORDER BY count(*) DESC, channel) AS position
          FROM orders WHERE ordered_at < ${end} AND channel IS NOT NULL GROUP BY customer_id, channel),
        main AS (SELECT customer_id, channel AS main_order_channel FROM channel_counts WHERE position = 1)
        SELECT * FROM (SELECT customer_id,
        date_diff('day', max(ordered_at)::DATE, $asOf::DATE) AS recency_days,
        count(*) FILTER (WHERE ordered_at >= ${since("$window")}) AS orders_window,
        sum(amount) FILTER (WHERE ordered_at >= ${since("$window")}) AS spend_window,
        avg(amount) AS order_value,
        avg(quantity) AS items_per_order,
        avg((discount > 0)::DOUBLE) FILTER (WHERE discount IS NOT NULL) AS discount_share,
        avg((status IN ('returned', 'refunded'))::DOUBLE) FILTER (WHERE status IS NOT NULL) AS return_share,
        avg((strftime(ordered_at, '%m-%d') BETWEEN '11-15' AND '12-24')::DOUBLE) AS gift_season_share,
        ${[
          ...channels.map(
            (l) =>
              `avg((channel = ${lit(l)})::DOUBLE) FILTER (WHERE channel IS NOT NULL) AS ${ident(`order_channel_${slug(l)}`)}`
          ),
          ...categories.map(
            (l) =>
              `avg((category = ${lit(l)})::DOUBLE) FILTER (WHERE category IS NOT NULL) AS ${ident(`category_${slug(l)}`)}`
          )
        ].join(",\n        ")}${channels.length + categories.length > 0 ? "," : ""}
        count(*) AS orders_total,
        min(ordered_at) AS first_at
      FROM orders WHERE ordered_at < ${end} GROUP BY customer_id) LEFT JOIN main USING (customer_id)`;
    // The mix pieces read the aggregate's columns of the same name.
    for (const p of pieces) {
      if (p.feature.id.startsWith("order_channel_") || p.feature.id.startsWith("category_"))
        p.sql = `a.${ident(p.feature.id)}`;
    }
  }

  {
    const channels = has.tickets ? await levels(store, "tickets", "channel") : [];
    const topics = has.tickets ? await levels(store, "tickets", "topic") : [];
    const ticketPieces: Piece[] = [
      {
        from: "tickets",
        feature: num(
          "tickets_12m",
          "behavioral",
          "Support tickets in the last 12 months",
          "tickets",
          "log",
          {
            high: "support-heavy",
            low: "low-maintenance"
          }
        ),
        sql: "coalesce(a.tickets_window, 0)"
      },
      {
        from: "tickets",
        needs: "resolved_at",
        feature: num(
          "resolution_hours",
          "behavioral",
          "Median time to resolve a ticket",
          "hours",
          "log",
          {
            high: "slow-to-resolve",
            low: "quickly helped"
          }
        ),
        sql: "a.resolution_hours"
      },
      {
        from: "tickets",
        needs: "satisfaction",
        feature: num("satisfaction", "behavioral", "Support satisfaction", "score", "none", {
          high: "satisfied",
          low: "dissatisfied"
        }),
        sql: "a.satisfaction"
      },
      ...mixPieces(
        "tickets",
        "channel",
        "ticket_channel",
        (l) => `Tickets via ${l}`,
        channels,
        (l) => ({
          high: `${l}-support`
        })
      ),
      ...mixPieces(
        "tickets",
        "topic",
        "ticket_topic",
        (l) => `Tickets about ${l}`,
        topics,
        () => ({
          describeOnly: true
        })
      )
    ];
    for (const p of ticketPieces) {
      if (p.feature.id.startsWith("ticket_channel_") || p.feature.id.startsWith("ticket_topic_"))
        p.sql = `a.${ident(p.feature.id)}`;
    }
    pieces.push(...ticketPieces);
    if (has.tickets)
      aggregates.tickets = `SELECT customer_id,
        count(*) FILTER (WHERE opened_at >= ${since("$window")}) AS tickets_window,
        median(date_diff('minute', opened_at, resolved_at) / 60.0)
          FILTER (WHERE resolved_at >= opened_at AND resolved_at < ${end}) AS resolution_hours,
        avg(satisfaction) AS satisfaction,
        ${[
          ...channels.map(
            (l) =>
              `avg((channel = ${lit(l)})::DOUBLE) FILTER (WHERE channel IS NOT NULL) AS ${ident(`ticket_channel_${slug(l)}`)}`
          ),
          ...topics.map(
            (l) =>
              `avg((topic = ${lit(l)})::DOUBLE) FILTER (WHERE topic IS NOT NULL) AS ${ident(`ticket_topic_${slug(l)}`)}`
          )
        ].join(",\n        ")}${channels.length + topics.length > 0 ? "," : ""}
        count(*) AS tickets_total,
        min(opened_at) AS first_at
      FROM tickets WHERE opened_at < ${end} GROUP BY customer_id`;
  }

  {
    pieces.push(
      {
        from: "email_events",
        feature: num("email_open_rate", "behavioral", "E-mails opened", "share", "none", {
          high: "e-mail-engaged",
          low: "e-mail-ignoring"
        }),
        sql: "a.open_rate"
      },
      {
        from: "email_events",
        feature: num("email_click_rate", "behavioral", "E-mails clicked", "share", "none", {
          high: "click-happy",
          low: "non-clicking"
        }),
        sql: "a.click_rate"
      },
      {
        from: "email_events",
        feature: num("unsubscribed", "behavioral", "Unsubscribed from e-mail", "flag", "none", {
          high: "e-mail-averse",
          describeOnly: true
        }),
        sql: "coalesce(a.unsubscribed, 0)"
      }
    );
    if (has.email_events)
      aggregates.email_events = `SELECT customer_id,
        count(*) FILTER (WHERE event = 'open' AND event_at >= ${since("$window")})
          / nullif(count(*) FILTER (WHERE event = 'sent' AND event_at >= ${since("$window")}), 0) AS open_rate,
        count(*) FILTER (WHERE event = 'click' AND event_at >= ${since("$window")})
          / nullif(count(*) FILTER (WHERE event = 'sent' AND event_at >= ${since("$window")}), 0) AS click_rate,
        max((event = 'unsubscribe')::DOUBLE) AS unsubscribed,
        count(*) FILTER (WHERE event = 'sent' AND event_at >= ${since("$window")}) AS emails_received,
        min(event_at) AS first_at
      FROM email_events WHERE event_at < ${end} GROUP BY customer_id`;
  }

  {
    const devices = has.web_sessions ? await levels(store, "web_sessions", "device") : [];
    pieces.push(
      {
        from: "web_sessions",
        feature: num(
          "sessions_12m",
          "behavioral",
          "Web sessions in the last 12 months",
          "sessions",
          "log",
          {
            high: "frequently online",
            low: "rarely online"
          }
        ),
        sql: "coalesce(a.sessions_window, 0)"
      },
      {
        from: "web_sessions",
        needs: "duration_s",
        feature: num("session_minutes", "behavioral", "Median session length", "minutes", "log", {
          high: "long-browsing",
          low: "quick-visit"
        }),
        sql: "a.session_minutes"
      },
      ...mixPieces("web_sessions", "device", "device", (l) => `Sessions on ${l}`, devices).map(
        (p) => ({...p, sql: `a.${ident(p.feature.id)}`})
      )
    );
    if (has.web_sessions)
      aggregates.web_sessions = `SELECT customer_id,
        count(*) FILTER (WHERE started_at >= ${since("$window")}) AS sessions_window,
        median(duration_s) / 60.0 AS session_minutes,
        ${devices
          .map(
            (l) =>
              `avg((device = ${lit(l)})::DOUBLE) FILTER (WHERE device IS NOT NULL) AS ${ident(`device_${slug(l)}`)},`
          )
          .join("\n        ")}
        count(*) AS sessions_total,
        min(started_at) AS first_at
      FROM web_sessions WHERE started_at < ${end} GROUP BY customer_id`;
  }

  // Engagement trend: activity (orders, sessions, e-mail opens and clicks) in the recent window
  // against the same days a year earlier, as log((recent + 1) / (year earlier + 1)). The year
  // earlier, not the weeks just before, so seasonal buyers do not look as if they were lapsing.
  const activity = activityQueries(has);
  {
    pieces.push(
      {
        from: "trend",
        feature: num(
          "engagement_trend",
          "behavioral",
          `Activity in the last ${options.trendDays} days against a year earlier`,
          "log ratio",
          "none",
          {high: "warming", low: "cooling"}
        ),
        sql: "ln((coalesce(a.recent, 0) + 1) / (coalesce(a.previous, 0) + 1))"
      },
      {
        from: "trend",
        feature: num(
          "activity_recent",
          "behavioral",
          `Activities in the last ${options.trendDays} days`,
          "activities",
          "log",
          {
            describeOnly: true
          }
        ),
        sql: "coalesce(a.recent, 0)"
      },
      {
        from: "trend",
        feature: num(
          "activity_previous",
          "behavioral",
          `Activities in the same ${options.trendDays} days a year earlier`,
          "activities",
          "log",
          {
            describeOnly: true
          }
        ),
        sql: "coalesce(a.previous, 0)"
      }
    );
    if (activity.length > 0)
      aggregates.trend = `SELECT customer_id,
        count(*) FILTER (WHERE active_at >= ${since("$trend")}) AS recent,
        count(*) FILTER (WHERE active_at < ${since("365")} AND active_at >= ${since("365 + $trend")}) AS previous
      FROM (${activity.join(" UNION ALL ")}) WHERE active_at < ${end} AND active_at >= ${since("365 + $trend")}
      GROUP BY customer_id`;
  }

  {
    const [lo, hi] = options.answerRange;
    let scales = options.scales;
    if (Object.keys(scales).length === 0 && has.survey) {
      // No scales configured: each question with numeric answers is its own item.
      const questions = await store.all<{question: string}>(
        `SELECT question FROM survey_responses GROUP BY question
         HAVING count(TRY_CAST(answer AS DOUBLE)) >= 0.9 * count(answer) ORDER BY question`
      );
      scales = Object.fromEntries(
        questions.map((q) => [
          slug(q.question),
          {questions: [q.question], reverse: [], label: q.question}
        ])
      );
    }
    const columns = Object.entries(scales).map(([name, s]) => {
      const value = `CASE WHEN question IN (${s.reverse.map(lit).join(", ") || "NULL"})
          THEN ${lo + hi} - TRY_CAST(answer AS DOUBLE) ELSE TRY_CAST(answer AS DOUBLE) END`;
      return `avg(${value}) FILTER (WHERE question IN (${s.questions.map(lit).join(", ")})) AS ${ident(`scale_${slug(name)}`)}`;
    });
    for (const [name, s] of Object.entries(scales)) {
      const words = s.label.toLowerCase();
      pieces.push({
        from: "survey",
        feature: num(`scale_${slug(name)}`, "psychographic", s.label, "score", "none", {
          high: s.high ?? `high on ${words}`,
          low: s.low ?? `low on ${words}`
        }),
        sql: `a.${ident(`scale_${slug(name)}`)}`
      });
    }
    if (columns.length > 0 && has.survey) {
      aggregates.survey = `SELECT customer_id, ${columns.join(",\n        ")}
        FROM survey_responses WHERE answered_at IS NULL OR answered_at < ${end}
        GROUP BY customer_id`;
    }
  }

  // Customer-level fields: demographic, geographic, firmographic; tenure.
  const customerPieces: Piece[] = [
    {
      from: "customers",
      feature: num("tenure_days", "behavioral", "Time as a customer", "days", "log", {
        high: "long-standing",
        low: "new"
      }),
      sql: "date_diff('day', c._joined::DATE, $asOf::DATE)"
    },
    {
      from: "customers",
      needs: "age",
      feature: num("age", "demographic", "Age", "years", "none"),
      sql: "c.age"
    },
    {
      from: "customers",
      needs: "gender",
      feature: cat("gender", "demographic", "Gender"),
      sql: "c.gender"
    },
    {
      from: "customers",
      needs: "income",
      feature: num("income", "demographic", "Income", "currency", "log"),
      sql: "c.income"
    },
    {
      from: "customers",
      needs: "education",
      feature: cat("education", "demographic", "Education"),
      sql: "c.education"
    },
    {
      from: "customers",
      needs: "occupation",
      feature: cat("occupation", "demographic", "Occupation"),
      sql: "c.occupation"
    },
    {
      from: "customers",
      needs: "household_size",
      feature: num("household_size", "demographic", "Household size", "people", "none"),
      sql: "c.household_size"
    },
    {
      from: "customers",
      needs: "marital_status",
      feature: cat("marital_status", "demographic", "Marital status"),
      sql: "c.marital_status"
    },
    {
      from: "customers",
      needs: "acquisition_channel",
      feature: cat("acquisition_channel", "behavioral", "Acquired through", {describeOnly: true}),
      sql: "c.acquisition_channel"
    },
    {
      from: "customers",
      needs: "preferred_channel",
      feature: cat("preferred_channel", "behavioral", "Preferred contact channel", {
        describeOnly: true
      }),
      sql: "c.preferred_channel"
    },
    {
      from: "customers",
      needs: "country",
      feature: cat("country", "geographic", "Country"),
      sql: "c.country"
    },
    {
      from: "customers",
      needs: "region",
      feature: cat("region", "geographic", "Region"),
      sql: "c.region"
    },
    {
      from: "customers",
      needs: "urbanicity",
      feature: cat("urbanicity", "geographic", "Urbanicity"),
      sql: "c.urbanicity"
    },
    {
      from: "customers",
      needs: "area_income",
      feature: num("area_income", "geographic", "Area income", "currency", "log"),
      sql: "c.area_income"
    },
    {
      from: "customers",
      needs: "company",
      feature: num("is_business", "firmographic", "Business accounts", "flag", "none", {
        high: "business"
      }),
      sql: "(c.company IS NOT NULL)::DOUBLE"
    },
    {
      from: "customers",
      needs: "industry",
      feature: cat("industry", "firmographic", "Industry"),
      sql: "c.industry"
    },
    {
      from: "customers",
      needs: "employees",
      feature: num("employees", "firmographic", "Employees", "people", "log"),
      sql: "c.employees"
    },
    {
      from: "customers",
      needs: "annual_revenue",
      feature: num("annual_revenue", "firmographic", "Annual revenue", "currency", "log"),
      sql: "c.annual_revenue"
    }
  ];
  // How many events each share is taken over: a share of one order is 0 or 100 %, and the
  // clustering smooths shares towards the base's by these counts (matrix.ts).
  const counts: [Piece["from"], string, string, string][] = [
    ["orders", "orders_total", "Orders, all time", "orders"],
    ["tickets", "tickets_total", "Support tickets, all time", "tickets"],
    ["web_sessions", "sessions_total", "Web sessions, all time", "sessions"],
    ["email_events", "emails_received", "E-mails received in the last 12 months", "e-mails"]
  ];
  for (const [from, id, label, unit] of counts) {
    for (const p of pieces) {
      if (p.from === from && p.feature.unit === "share") p.feature = {...p.feature, base: id};
    }
    pieces.push({
      from,
      feature: num(id, "behavioral", label, unit, "log", {describeOnly: true}),
      sql: `coalesce(a.${id}, 0)`
    });
  }
  pieces.unshift(...customerPieces);
  const customerColumns = new Set(
    (
      await store.all<{name: string}>(
        "SELECT column_name AS name FROM duckdb_columns() WHERE table_name = 'customers' AND schema_name = 'main'"
      )
    ).map((r) => r.name)
  );

  const excluded = new Set(options.exclude);
  const present = (p: Piece) => p.from === "customers" || aggregates[p.from] !== undefined;
  const kept = pieces.filter(
    (p) =>
      !excluded.has(p.feature.id) &&
      present(p) &&
      (p.from !== "customers" || !p.needs || customerColumns.has(p.needs))
  );

  // When a customer joined: the signup date, else their first activity, else unknown (kept).
  const firsts = ["orders", "tickets", "email_events", "web_sessions"]
    .filter((t) => aggregates[t])
    .map((t) => `(SELECT min(first_at) FROM agg_${t} x WHERE x.customer_id = c.customer_id)`);
  for (const [name, sql] of Object.entries(aggregates)) {
    if (name === "customers") continue;
    await store.run(
      `CREATE OR REPLACE TEMP TABLE ${ident(`agg_${name}`)} AS ${sql}`,
      usedParams(sql, params)
    );
  }
  const joined = customerColumns.has("signup_date")
    ? `coalesce(c.signup_date::TIMESTAMP${firsts.length ? `, least(${firsts.join(", ")})` : ""})`
    : firsts.length
      ? `least(${firsts.join(", ")})`
      : "NULL::TIMESTAMP";
  await store.run(
    `CREATE OR REPLACE TEMP TABLE population AS
     SELECT * FROM (SELECT c.*, ${joined} AS _joined FROM customers c)
     WHERE _joined IS NULL OR _joined < ${end}`,
    {asOf: options.asOf}
  );

  const joins = Object.keys(aggregates)
    .filter((t) => t !== "customers")
    .map((t) => `LEFT JOIN ${ident(`agg_${t}`)} ${ident(`a_${t}`)} USING (customer_id)`);
  const select = kept.map((p) => {
    const alias = p.from === "customers" ? "c" : ident(`a_${p.from}`);
    const expr = p.sql.replaceAll(/\ba\./g, `${alias}.`).replaceAll(/\bc\./g, "c.");
    // Counts that are zero-filled stay NULL for customers absent from the table only when the
    // whole table is absent, which never reaches here.
    return `${expr} AS ${ident(p.feature.id)}`;
  });
  const table = options.snapshotTable ?? "features";
  const featuresSql = `CREATE OR REPLACE TABLE ${ident(table)} AS
     SELECT c.customer_id, ${select.join(",\n       ")}
     FROM population c ${joins.join(" ")}
     ORDER BY c.customer_id`;
  await store.run(featuresSql, usedParams(featuresSql, params));
  // recency for customers who never ordered: days since joining.
  if (
    kept.some((p) => p.feature.id === "recency_days") &&
    kept.some((p) => p.feature.id === "tenure_days")
  ) {
    await store.run(
      `UPDATE ${ident(table)} SET recency_days = tenure_days WHERE recency_days IS NULL`
    );
  }
  if (options.snapshotTable !== undefined) {
    await dropAggregates(store, Object.keys(aggregates));
    return [];
  }

  const population = (await store.one<{n: number}>("SELECT count(*) AS n FROM features"))?.n ?? 0;
  const coverage = population
    ? await store.one<Record<string, number>>(
        `SELECT ${kept.map((p) => `count(${ident(p.feature.id)}) / ${population} AS ${ident(p.feature.id)}`).join(", ")} FROM features`
      )
    : undefined;
  // Distinct values: a feature with a single value everywhere says nothing.
  const distinct = population
    ? await store.one<Record<string, number>>(
        `SELECT ${kept.map((p) => `approx_count_distinct(${ident(p.feature.id)}) AS ${ident(p.feature.id)}`).join(", ")} FROM features`
      )
    : undefined;

  const catalog: CatalogEntry[] = [];
  const dropped: string[] = [];
  for (const p of pieces) {
    const f = p.feature;
    let note: string | null = null;
    const cov = Number(coverage?.[f.id] ?? 0);
    if (excluded.has(f.id)) note = "excluded by the config";
    else if (!present(p)) note = `no ${SOURCE_NAMES[p.from]} in the data`;
    else if (!kept.includes(p)) note = `no ${p.needs} column in customers`;
    else if (cov === 0) note = p.needs ? `no ${p.needs} values in ${p.from}` : "no data";
    else if (Number(distinct?.[f.id] ?? 0) < 2) note = "the same value for every customer";
    const measured = note === null;
    if (!measured && kept.includes(p)) dropped.push(f.id);
    catalog.push({
      ...f,
      describeOnly: f.describeOnly ?? false,
      measured,
      coverage: measured ? cov : 0,
      note,
      clustered: false
    });
  }
  // A share is smoothed only by a count the features table has.
  const measuredIds = new Set(catalog.filter((f) => f.measured).map((f) => f.id));
  for (const f of catalog) if (f.base && !measuredIds.has(f.base)) delete f.base;
  if (dropped.length > 0) {
    await store
      .run(`ALTER TABLE features DROP COLUMN ${dropped.map(ident).join(", DROP COLUMN ")}`)
      .catch(async () => {
        for (const id of dropped) await store.run(`ALTER TABLE features DROP COLUMN ${ident(id)}`);
      });
  }
  await writeCatalog(store, catalog);
  await dropAggregates(store, Object.keys(aggregates));
  return catalog;
}

async function dropAggregates(store: Store, names: string[]): Promise<void> {
  for (const name of names) {
    if (name !== "customers") await store.run(`DROP TABLE IF EXISTS ${ident(`agg_${name}`)}`);
  }
  await store.run("DROP TABLE IF EXISTS population");
}

export async function writeCatalog(store: Store, catalog: CatalogEntry[]): Promise<void> {
  await store.run(`CREATE OR REPLACE TABLE feature_catalog (
    position INTEGER, feature VARCHAR, dimension VARCHAR, label VARCHAR, unit VARCHAR, kind VARCHAR,
    transform VARCHAR, high VARCHAR, low VARCHAR, describe_only BOOLEAN, base VARCHAR,
    measured BOOLEAN, coverage DOUBLE, note VARCHAR, clustered BOOLEAN)`);
  for (const [position, f] of catalog.entries()) {
    await store.run(
      `INSERT INTO feature_catalog VALUES ($position, $feature, $dimension, $label, $unit, $kind,
        $transform, $high, $low, $describeOnly, $base, $measured, $coverage, $note, $clustered)`,
      {
        position,
        feature: f.id,
        dimension: f.dimension,
        label: f.label,
        unit: f.unit,
        kind: f.kind,
        transform: f.transform,
        high: f.high ?? null,
        low: f.low ?? null,
        describeOnly: f.describeOnly ?? false,
        base: f.base ?? null,
        measured: f.measured,
        coverage: f.coverage,
        note: f.note,
        clustered: f.clustered
      }
    );
  }
}

export async function readCatalog(store: Store): Promise<CatalogEntry[]> {
  const rows = await store.all("SELECT * FROM feature_catalog ORDER BY position");
  return rows.map((r) => ({
    id: String(r.feature),
    dimension: r.dimension as Dimension,
    label: String(r.label),
    unit: String(r.unit),
    kind: r.kind as Feature["kind"],
    transform: r.transform as Feature["transform"],
    high: (r.high as string | null) ?? undefined,
    low: (r.low as string | null) ?? undefined,
    describeOnly: Boolean(r.describe_only),
    base: (r.base as string | null) ?? undefined,
    measured: Boolean(r.measured),
    coverage: Number(r.coverage),
    note: (r.note as string | null) ?? null,
    clustered: Boolean(r.clustered)
  }));
}

/** The feature options a config gives, with defaults. */
export function featureOptions(config: PortraitConfig, asOf: string): FeatureOptions {
  const f = config.features;
  return {
    asOf,
    windowDays: f.windowDays,
    trendDays: f.trendDays,
    answerRange: f.answerRange,
    exclude: f.exclude,
    scales: Object.fromEntries(
      Object.entries(f.scales).map(([name, s]) => [
        name,
        {
          questions: s.questions,
          reverse: s.reverse ?? [],
          label: s.label ?? name.replaceAll("_", " "),
          high: s.high,
          low: s.low
        }
      ])
    )
  };
}
