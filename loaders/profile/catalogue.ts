/**
 * The feature catalogue: every feature Portrait knows, as data. Each declaration gives the
 * feature (id, dimension, label, unit, transform, the words a profile name uses), the source it
 * is read from (customers, or the per-customer aggregate of a table), the canonical column it
 * needs, and its SQL over that source's row. features.ts builds the aggregates, runs the SQL
 * and finds out which features the data measures.
 *
 * The order of `catalogue()` is the order of the `features` columns and of the catalog, which
 * the clustering and every page follow: customers' fields first, then each source's behaviour,
 * the survey scales, and the event counts shares are taken over.
 */
import {DIMENSIONS, type Dimension} from "../config/canonical.ts";
import type {
  AttributeConfig,
  CustomFeatureConfig,
  Declared,
  PortraitConfig
} from "../config/project.ts";
import {ident, sql, val, type SQL} from "../core/sql.ts";
import {capitalise} from "../../src/contracts/text.ts";

export {DIMENSIONS, type Dimension};

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

/** The per-customer row a feature is read from: customers, or one aggregate per source. */
export type Source =
  "customers" | "orders" | "tickets" | "email_events" | "web_sessions" | "survey" | "trend";

/** The canonical tables each source reads; an aggregate exists when one of them does. */
export const SOURCE_TABLES: Record<Source, readonly string[]> = {
  customers: ["customers"],
  orders: ["orders"],
  tickets: ["tickets"],
  email_events: ["email_events"],
  web_sessions: ["web_sessions"],
  survey: ["survey_responses"],
  trend: ["orders", "web_sessions", "email_events"]
};

/** What each source reads, in a reader's words: a not-measured note names it. */
export const SOURCE_NAMES: Record<Source, string> = {
  customers: "customers",
  orders: "orders",
  tickets: "support tickets",
  email_events: "e-mail events",
  web_sessions: "web sessions",
  survey: "survey answers",
  trend: "orders, web sessions or e-mail events"
};

/**
 * A feature's value as SQL over its source's row: `row` is that row's alias (the population
 * `c` for customers, the source's aggregate otherwise), `asOf` the date features are taken at.
 */
export type Expression = (row: SQL, asOf: string) => SQL;

export interface Declaration {
  feature: Feature;
  from: Source;
  /** The canonical column whose presence the feature needs (coverage check); optional. */
  needs?: string;
  /** A canonical table the feature needs besides its source (a custom aggregate's). */
  table?: string;
  /** The config key that declares it, for the project's own features. */
  key?: string;
  sql: Expression;
}

/** A psychographic scale: survey questions averaged, reversed ones flipped. */
export interface Scale {
  questions: string[];
  reverse: string[];
  label: string;
  high?: string;
  low?: string;
}

/**
 * A column whose frequent levels each become a share feature (orders via each channel, in
 * each category, …): the levels come from the data, at most eight, each ≥ 1 % of the rows.
 */
export interface Mix {
  /** The table the column is in, which is also the source the shares are read from. */
  from: "orders" | "tickets" | "web_sessions";
  column: string;
  label: (level: string) => string;
  extra?: (level: string) => Partial<Feature>;
}

/** The mixes, by name: a level's feature id is `${name}_${slug(level)}`. */
export const MIXES = {
  order_channel: {
    from: "orders",
    column: "channel",
    label: (l) => `Orders via ${l}`
  },
  category: {
    from: "orders",
    column: "category",
    label: (l) => `Orders in ${l}`,
    extra: (l) => ({high: `${l}-loving`})
  },
  ticket_channel: {
    from: "tickets",
    column: "channel",
    label: (l) => `Tickets via ${l}`,
    extra: (l) => ({high: `${l}-support`})
  },
  ticket_topic: {
    from: "tickets",
    column: "topic",
    label: (l) => `Tickets about ${l}`,
    extra: (l) => ({describeOnly: true, high: `asking about ${l}`})
  },
  device: {
    from: "web_sessions",
    column: "device",
    label: (l) => `Sessions on ${l}`
  }
} satisfies Record<string, Mix>;

export type MixName = keyof typeof MIXES;
/** The levels the data has for each mix; a mix left out (its table absent) has none. */
export type Levels = Partial<Record<MixName, readonly string[]>>;

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

/** The id of a mix's share feature for one level, which is also its aggregate's column. */
export function mixId(name: MixName, level: string): string {
  return `${name}_${slug(level)}`;
}

/** The id of a scale's feature, which is also its aggregate's column. */
export function scaleId(name: string): string {
  return `scale_${slug(name)}`;
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

/** The aggregate's column of the same name: most features of a source read one. */
const column =
  (name: string): Expression =>
  (row) =>
    sql`${row}.${ident(name)}`;

/** A count that is zero for a customer the source has no rows for. */
const count =
  (name: string): Expression =>
  (row) =>
    sql`coalesce(${row}.${ident(name)}, 0)`;

/** A customers' column read as it is, needing that column. */
const field = (feature: Feature): Declaration => ({
  from: "customers",
  needs: feature.id,
  feature,
  sql: column(feature.id)
});

// Customers' fields, by dimension.

const TENURE: Declaration = {
  from: "customers",
  feature: num("tenure_days", "behavioral", "Time as a customer", "days", "log", {
    high: "long-standing",
    low: "new"
  }),
  sql: (c, asOf) => sql`date_diff('day', ${c}._joined::DATE, ${val(asOf)}::DATE)`
};

// A category's `high` is a template for its levels' words in a name ("{level}-educated").
const DEMOGRAPHIC: Declaration[] = [
  field(num("age", "demographic", "Age", "years", "none", {high: "older", low: "younger"})),
  field(cat("gender", "demographic", "Gender")),
  field(
    num("income", "demographic", "Income", "currency", "log", {
      high: "higher-income",
      low: "lower-income"
    })
  ),
  field(cat("education", "demographic", "Education", {high: "{level}-educated"})),
  field(cat("occupation", "demographic", "Occupation", {high: "{level}"})),
  field(
    num("household_size", "demographic", "Household size", "people", "none", {
      high: "larger-household",
      low: "smaller-household"
    })
  ),
  field(cat("marital_status", "demographic", "Marital status", {high: "{level}"}))
];

/** How a customer came and how they like to be reached: described, never clustered on. */
const CONTACT: Declaration[] = [
  field(cat("acquisition_channel", "behavioral", "Acquired through", {describeOnly: true})),
  field(cat("preferred_channel", "behavioral", "Preferred contact channel", {describeOnly: true}))
];

const GEOGRAPHIC: Declaration[] = [
  field(cat("country", "geographic", "Country", {high: "{level}-based"})),
  field(cat("region", "geographic", "Region", {high: "{level}-based"})),
  field(cat("urbanicity", "geographic", "Urbanicity", {high: "{level}"})),
  field(num("area_income", "geographic", "Area income", "currency", "log"))
];

const FIRMOGRAPHIC: Declaration[] = [
  {
    from: "customers",
    needs: "company",
    feature: num("is_business", "firmographic", "Business accounts", "flag", "none", {
      high: "business"
    }),
    sql: (c) => sql`(${c}.company IS NOT NULL)::DOUBLE`
  },
  field(cat("industry", "firmographic", "Industry")),
  field(
    num("employees", "firmographic", "Employees", "people", "log", {
      high: "larger-company",
      low: "smaller-company"
    })
  ),
  field(num("annual_revenue", "firmographic", "Annual revenue", "currency", "log"))
];

// Behaviour, per source: the aggregates' columns (features.ts) they read.

const ORDERS: Declaration[] = [
  {
    from: "orders",
    feature: num("recency_days", "behavioral", "Time since the last order", "days", "log", {
      high: "lapsed",
      low: "recently active"
    }),
    sql: column("recency_days")
  },
  {
    from: "orders",
    feature: num("orders_12m", "behavioral", "Orders in the last 12 months", "orders", "log", {
      high: "frequent",
      low: "occasional"
    }),
    sql: count("orders_window")
  },
  {
    from: "orders",
    feature: num("spend_12m", "behavioral", "Spend in the last 12 months", "currency", "log", {
      high: "high-spend",
      low: "low-spend"
    }),
    sql: count("spend_window")
  },
  {
    from: "orders",
    feature: num("order_value", "behavioral", "Average order value", "currency", "log", {
      high: "big-basket",
      low: "small-basket"
    }),
    sql: column("order_value")
  },
  {
    from: "orders",
    needs: "quantity",
    feature: num("items_per_order", "behavioral", "Items per order", "items", "log", {
      high: "bulk-buying",
      low: "single-item"
    }),
    sql: column("items_per_order")
  },
  {
    from: "orders",
    needs: "discount",
    feature: num("discount_share", "behavioral", "Orders with a discount", "share", "none", {
      high: "deal-seeking",
      low: "full-price"
    }),
    sql: column("discount_share")
  },
  {
    from: "orders",
    needs: "status",
    feature: num("return_share", "behavioral", "Orders returned", "share", "none", {
      high: "return-prone",
      low: "keep-what-they-buy"
    }),
    sql: column("return_share")
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
    sql: column("gift_season_share")
  }
];

const MAIN_ORDER_CHANNEL: Declaration = {
  from: "orders",
  needs: "channel",
  feature: cat("main_order_channel", "behavioral", "Main order channel", {describeOnly: true}),
  sql: column("main_order_channel")
};

const TICKETS: Declaration[] = [
  {
    from: "tickets",
    feature: num(
      "tickets_12m",
      "behavioral",
      "Support tickets in the last 12 months",
      "tickets",
      "log",
      {high: "support-heavy", low: "low-maintenance"}
    ),
    sql: count("tickets_window")
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
      {high: "slow-to-resolve", low: "quickly helped"}
    ),
    sql: column("resolution_hours")
  },
  {
    from: "tickets",
    needs: "satisfaction",
    feature: num("satisfaction", "behavioral", "Support satisfaction", "score", "none", {
      high: "satisfied",
      low: "dissatisfied"
    }),
    sql: column("satisfaction")
  }
];

const EMAIL: Declaration[] = [
  {
    from: "email_events",
    feature: num("email_open_rate", "behavioral", "E-mails opened", "share", "none", {
      high: "e-mail-engaged",
      low: "e-mail-ignoring"
    }),
    sql: column("open_rate")
  },
  {
    from: "email_events",
    feature: num("email_click_rate", "behavioral", "E-mails clicked", "share", "none", {
      high: "click-happy",
      low: "non-clicking"
    }),
    sql: column("click_rate")
  },
  {
    from: "email_events",
    feature: num("unsubscribed", "behavioral", "Unsubscribed from e-mail", "flag", "none", {
      high: "e-mail-averse",
      describeOnly: true
    }),
    sql: count("unsubscribed")
  }
];

const SESSIONS: Declaration[] = [
  {
    from: "web_sessions",
    feature: num(
      "sessions_12m",
      "behavioral",
      "Web sessions in the last 12 months",
      "sessions",
      "log",
      {high: "frequently online", low: "rarely online"}
    ),
    sql: count("sessions_window")
  },
  {
    from: "web_sessions",
    needs: "duration_s",
    feature: num("session_minutes", "behavioral", "Median session length", "minutes", "log", {
      high: "long-browsing",
      low: "quick-visit"
    }),
    sql: column("session_minutes")
  }
];

/**
 * Engagement trend: activity (orders, sessions, e-mail opens and clicks) in the recent window
 * against the same days a year earlier, as log((recent + 1) / (year earlier + 1)). The year
 * earlier, not the weeks just before, so seasonal buyers do not look as if they were lapsing.
 */
function trend(days: number): Declaration[] {
  return [
    {
      from: "trend",
      feature: num(
        "engagement_trend",
        "behavioral",
        `Activity in the last ${days} days against a year earlier`,
        "log ratio",
        "none",
        {high: "warming", low: "cooling"}
      ),
      sql: (a) => sql`ln((coalesce(${a}.recent, 0) + 1) / (coalesce(${a}.previous, 0) + 1))`
    },
    {
      from: "trend",
      feature: num(
        "activity_recent",
        "behavioral",
        `Activities in the last ${days} days`,
        "activities",
        "log",
        {describeOnly: true}
      ),
      sql: count("recent")
    },
    {
      from: "trend",
      feature: num(
        "activity_previous",
        "behavioral",
        `Activities in the same ${days} days a year earlier`,
        "activities",
        "log",
        {describeOnly: true}
      ),
      sql: count("previous")
    }
  ];
}

/**
 * How many events each share is taken over: a share of one order is 0 or 100 %, and the
 * clustering smooths shares towards the base's by these counts (matrix.ts).
 */
const COUNTS: Declaration[] = (
  [
    ["orders", "orders_total", "Orders, all time", "orders"],
    ["tickets", "tickets_total", "Support tickets, all time", "tickets"],
    ["web_sessions", "sessions_total", "Web sessions, all time", "sessions"],
    ["email_events", "emails_received", "E-mails received in the last 12 months", "e-mails"]
  ] as const
).map(([from, id, label, unit]) => ({
  from,
  feature: num(id, "behavioral", label, unit, "log", {describeOnly: true}),
  sql: count(id)
}));

/** A mix's share features, one per level. */
function mixDeclarations(name: MixName, levels: readonly string[]): Declaration[] {
  const mix: Mix = MIXES[name];
  return levels.map((level) => {
    const id = mixId(name, level);
    return {
      from: mix.from,
      needs: mix.column,
      feature: num(id, "behavioral", mix.label(level), "share", "none", {
        high: `${level}-first`,
        ...mix.extra?.(level)
      }),
      sql: column(id)
    };
  });
}

/** The psychographic features: one per scale, its score the average of its answers. */
function scaleDeclarations(scales: Record<string, Scale>): Declaration[] {
  return Object.entries(scales).map(([name, s]) => {
    const words = s.label.toLowerCase();
    return {
      from: "survey",
      feature: num(scaleId(name), "psychographic", s.label, "score", "none", {
        high: s.high ?? `high on ${words}`,
        low: s.low ?? `low on ${words}`
      }),
      sql: column(scaleId(name))
    };
  });
}

/** The scales a config declares, with their defaults (label: the name with spaces). */
export function configScales(scales: PortraitConfig["features"]["scales"]): Record<string, Scale> {
  return Object.fromEntries(
    Object.entries(scales).map(([name, s]) => [
      name,
      {
        questions: s.questions,
        reverse: s.reverse ?? [],
        label: s.label ?? name.replaceAll("_", " "),
        high: s.high,
        low: s.low
      }
    ])
  );
}

/** With no scales configured, each question with numeric answers is its own scale. */
export function questionScales(questions: readonly string[]): Record<string, Scale> {
  return Object.fromEntries(
    questions.map((q) => [slug(q), {questions: [q], reverse: [], label: q}])
  );
}

/** Units whose values are skewed amounts or counts: their features are clustered on log1p. */
const LOG_UNITS = new Set(["currency", "count", "days", "months", "orders", "items", "visits"]);

/** A name as a label: spaces for underscores, the first letter capitalised. */
export function humanise(name: string): string {
  return capitalise(name.replaceAll("_", " "));
}

/** The feature a config declares, with its defaults: label from the name, unit by type. */
function ownFeature(
  id: string,
  spec: Omit<CustomFeatureConfig, "sql" | "from" | "kind">,
  kind: Feature["kind"],
  defaultUnit: string
): Feature {
  const unit = kind === "category" ? "category" : (spec.unit ?? defaultUnit);
  return {
    id,
    dimension: spec.dimension,
    label: spec.label ?? humanise(id),
    unit,
    kind,
    transform:
      kind === "category" ? "none" : (spec.transform ?? (LOG_UNITS.has(unit) ? "log" : "none")),
    ...(spec.high === undefined ? {} : {high: spec.high}),
    ...(spec.low === undefined ? {} : {low: spec.low}),
    ...(spec.describeOnly ? {describeOnly: true} : {})
  };
}

/** The default unit of an attribute's type: a date is read as the days since it. */
const ATTRIBUTE_UNITS: Record<AttributeConfig["type"], string> = {
  number: "value",
  category: "category",
  flag: "flag",
  date: "days"
};

/**
 * The customers' attributes (README, Custom attributes), each a feature read from its column: a
 * number, a category, a flag (its mean the share of yes) or a date (the days from it to the
 * as-of date).
 */
export function attributeDeclarations(
  attributes: Readonly<Record<string, Declared<AttributeConfig>>>
): Declaration[] {
  return Object.entries(attributes).map(([id, spec]) => {
    const kind = spec.type === "category" ? "category" : "number";
    return {
      from: "customers",
      needs: id,
      key: spec.key,
      feature: ownFeature(id, spec, kind, ATTRIBUTE_UNITS[spec.type]),
      sql:
        spec.type === "date"
          ? (c, asOf) => sql`date_diff('day', ${c}.${ident(id)}, ${val(asOf)}::DATE)`
          : column(id)
    };
  });
}

/** The column of the population a custom feature's value is computed into (features.ts). */
export function customColumn(id: string): string {
  return `_custom_${id}`;
}

/**
 * The config's custom features (README, Custom features): each computed into the population,
 * from the customer's row or aggregated over a table, and read from there.
 */
export function customDeclarations(
  custom: Readonly<Record<string, CustomFeatureConfig>>
): Declaration[] {
  return Object.entries(custom).map(([id, spec]) => ({
    from: "customers",
    ...(spec.from === undefined || spec.from === "customers" ? {} : {table: spec.from}),
    key: `features.custom.${id}`,
    feature: ownFeature(id, spec, spec.kind ?? "number", "value"),
    sql: column(customColumn(id))
  }));
}

/** A share of a source with a count takes that count as its base. */
function withBase(d: Declaration): Declaration {
  const base = COUNTS.find((c) => c.from === d.from);
  return base && d.feature.unit === "share"
    ? {...d, feature: {...d.feature, base: base.feature.id}}
    : d;
}

/**
 * Every feature, in the catalog's order, for the levels the data has, the trend window in days
 * and the survey scales. Features whose source or column the data lacks are listed all the same:
 * features.ts reports them as not measured.
 */
export function catalogue(options: {
  levels: Levels;
  trendDays: number;
  scales: Record<string, Scale>;
  /** The customers' attributes, after the canonical fields. */
  attributes?: readonly Declaration[];
  /** The config's custom features, after the behaviour and scales. */
  custom?: readonly Declaration[];
}): Declaration[] {
  const mix = (name: MixName) => mixDeclarations(name, options.levels[name] ?? []);
  const behaviour = [
    ...ORDERS,
    ...mix("order_channel"),
    ...mix("category"),
    MAIN_ORDER_CHANNEL,
    ...TICKETS,
    ...mix("ticket_channel"),
    ...mix("ticket_topic"),
    ...EMAIL,
    ...SESSIONS,
    ...mix("device"),
    ...trend(options.trendDays),
    ...scaleDeclarations(options.scales)
  ].map(withBase);
  return [
    TENURE,
    ...DEMOGRAPHIC,
    ...CONTACT,
    ...GEOGRAPHIC,
    ...FIRMOGRAPHIC,
    ...(options.attributes ?? []),
    ...behaviour,
    ...(options.custom ?? []),
    ...COUNTS
  ];
}
