/**
 * The project config (`portrait.config.ts`): sources mapped onto the canonical model,
 * reference tables for enrichment, validation limits, identity rules and privacy. Typed with
 * `defineConfig`, validated with zod, and every error names the config key at fault.
 */
import {existsSync} from "node:fs";
import {dirname, resolve} from "node:path";
import {pathToFileURL} from "node:url";
import {z} from "zod";
import {
  CANONICAL_TABLES,
  CUSTOMERS,
  customersWith,
  DIMENSIONS,
  type CanonicalTable,
  type FieldType
} from "./canonical.ts";

const TABLE_NAMES = CANONICAL_TABLES.map((t) => t.name) as [string, ...string[]];

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date written YYYY-MM-DD")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), "not a calendar date");

const csvOptions = z
  .object({
    /** Field delimiter; default "," for csv and a tab for tsv. */
    delimiter: z.string().min(1).max(4).optional(),
    /** Quote character; default '"'. An empty string turns quoting off. */
    quote: z.string().max(1).optional(),
    /** Escape character inside quotes; default the quote character. */
    escape: z.string().max(1).optional(),
    /** Whether the first line names the columns; default true. */
    header: z.boolean().optional(),
    /** Text encoding: utf-8 (default), utf-16 or latin-1. */
    encoding: z.enum(["utf-8", "utf-16", "latin-1"]).optional(),
    /** Lines to skip before the header. */
    skip: z.number().int().min(0).optional()
  })
  .strict();

/** How a lookup combines the related rows of one key. */
export const LOOKUP_AGGREGATES = ["value", "sum", "min", "max", "mean", "mode", "count"] as const;
export type LookupAggregate = (typeof LOOKUP_AGGREGATES)[number];

/**
 * A value looked up in a related file (see `related`): the rows of `from` whose key equals this
 * row's `on` column (default: the column named like the related file's key), combined by one
 * aggregate: `value` (the one row's, the first by file row when the key repeats), `sum`, `min`,
 * `max`, `mean`, `mode` (the most frequent) of a column, or `count: true` (how many rows).
 */
const lookupSpec = z
  .object({
    /** A related file named in `related`. */
    from: z.string().min(1),
    /** This row's column holding the related file's key; default the key's own name. */
    on: z.string().min(1).optional(),
    value: z.string().min(1).optional(),
    sum: z.string().min(1).optional(),
    min: z.string().min(1).optional(),
    max: z.string().min(1).optional(),
    mean: z.string().min(1).optional(),
    mode: z.string().min(1).optional(),
    count: z.literal(true).optional()
  })
  .strict()
  .refine((l) => LOOKUP_AGGREGATES.filter((a) => l[a] !== undefined).length === 1, {
    message: `give exactly one of ${LOOKUP_AGGREGATES.join(", ")}`
  });

/**
 * A canonical field's source: a column name, a SQL expression over the source's columns, or a
 * lookup in a related file.
 */
const columnSpec = z.union([
  z.string().min(1),
  z.object({column: z.string().min(1)}).strict(),
  z.object({sql: z.string().min(1)}).strict(),
  lookupSpec
]);

/** Which order statuses are purchases, cancellations and returns (values compared case-folded). */
const statusLists = z
  .object({
    purchase: z.array(z.string().min(1)).optional(),
    cancelled: z.array(z.string().min(1)).optional(),
    returned: z.array(z.string().min(1)).optional()
  })
  .strict();

/** Names of the project's own fields and features: lower_snake_case, as columns are. */
const fieldName = z.string().regex(/^[a-z][a-z0-9_]*$/, "names are lower_snake_case");

/** Where a custom attribute or outcome comes from: a column (default: its own name) or SQL. */
const columnChoice = {
  /** The source column; default the attribute's name (ignoring case, spaces, _ - .). */
  column: z.string().min(1).optional(),
  /** Or a SQL expression over the source's columns. */
  sql: z.string().min(1).optional()
};

/** How a flag is written: these values (case-folded) are yes and no; anything else is cleared. */
const flagWords = {
  yes: z.array(z.string()).min(1).optional(),
  no: z.array(z.string()).min(1).optional()
};

/** What a feature says about itself: where it belongs, its words and its unit. */
const featureWords = {
  dimension: z.enum(DIMENSIONS),
  /** How the pages name it; default the name with spaces. */
  label: z.string().min(1).optional(),
  /** currency, days, count, share, score, years, people … (see README); default by type. */
  unit: z.string().min(1).optional(),
  /** log1p before clustering, for skewed amounts and counts; default by unit. */
  transform: z.enum(["log", "none"]).optional(),
  /** Words a profile name uses when a profile is high or low on it. */
  high: z.string().min(1).optional(),
  low: z.string().min(1).optional(),
  /** Described on the pages, never clustered on. */
  describeOnly: z.boolean().optional()
};

const oneColumnChoice = (a: {column?: string; sql?: string}) =>
  a.column === undefined || a.sql === undefined;
const ONE_COLUMN_CHOICE = {message: "give column or sql, not both"};

/** A customers column kept as it is: a number, a category, a flag (yes/no) or a date. */
const attribute = z
  .object({
    ...columnChoice,
    type: z.enum(["number", "category", "flag", "date"]),
    ...flagWords,
    ...featureWords
  })
  .strict()
  .refine(oneColumnChoice, ONE_COLUMN_CHOICE);

/** A known result (churned, responded, converted): a flag, or a date it happened on. */
const outcome = z
  .object({
    ...columnChoice,
    type: z.enum(["flag", "date"]),
    ...flagWords,
    /** How the pages name it; default the name with spaces. */
    label: z.string().min(1).optional()
  })
  .strict()
  .refine(oneColumnChoice, ONE_COLUMN_CHOICE);

/**
 * A feature the config computes: SQL over the customer's row (its canonical fields and
 * attributes), or with `from` an aggregate over that table's rows of the customer.
 */
const customFeature = z
  .object({
    sql: z.string().min(1),
    /** A canonical table to aggregate over (orders, tickets …); default the customer's row. */
    from: z.enum(TABLE_NAMES).optional(),
    kind: z.enum(["number", "category"]).optional(),
    ...featureWords
  })
  .strict();

const validationOptions = z
  .object({
    /** Fail the build when a source rejects more than this share of its rows; default 0.05. */
    maxRejectShare: z.number().min(0).max(1).optional(),
    /** Negative order amounts: rejected (default) or allowed (refunds). */
    negativeAmounts: z.enum(["reject", "allow"]).optional(),
    /**
     * Exact duplicate rows: rejected or kept; default rejected, unless a column expression
     * reads `_row` (the rows are then told apart by their place in the file, as lines are).
     */
    duplicateRows: z.enum(["reject", "keep"]).optional(),
    /**
     * Values that mean "missing" in text fields and ids, compared trimmed and ignoring case
     * (an empty value always is); default DEFAULT_MISSING_VALUES. A source's list replaces it.
     */
    missingValues: z.array(z.string()).optional()
  })
  .strict();

const mapping = {
  /** The canonical table this source feeds. */
  table: z.enum(TABLE_NAMES),
  /** Canonical field → source column or SQL expression. */
  columns: z.record(z.string(), columnSpec).optional(),
  /** Map canonical fields that the source has under the same name (any case); default true. */
  autoColumns: z.boolean().optional(),
  /** strptime formats for dates and timestamps (e.g. "%d/%m/%Y"); default ISO 8601. */
  dateFormat: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  /** This source's own validation settings, over the project's. */
  validation: validationOptions.optional(),
  /** Orders only: one row per order line, grouped into orders by order_id (README, Line items). */
  lines: z.boolean().optional(),
  /** Orders only: status values that are purchases, cancelled or returned, over the defaults. */
  status: statusLists.optional(),
  /** Customers sources only: more columns to keep, each a feature (README, Custom attributes). */
  attributes: z.record(fieldName, attribute).optional(),
  /** Customers sources only: known results, reported per profile and never clustered on. */
  outcomes: z.record(fieldName, outcome).optional(),
  /** Ids written as numbers ("12347.0") read as the number they are ("12347"); default identity.numericIds. */
  numericIds: z.boolean().optional()
};

const fileSource = z
  .object({
    ...mapping,
    /** A file or a glob, relative to the config file. */
    file: z.string().min(1),
    /** Default: from the extension (.csv, .tsv, .txt, .parquet, .json, .ndjson, .jsonl). */
    format: z.enum(["csv", "tsv", "parquet", "json", "ndjson"]).optional(),
    csv: csvOptions.optional()
  })
  .strict();

const postgresSource = z
  .object({
    ...mapping,
    postgres: z
      .object({
        /** The environment variable holding the connection string (never the secret itself). */
        env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an environment variable name"),
        /** A table, optionally schema-qualified. */
        table: z.string().min(1).optional(),
        /** Or a query. */
        query: z.string().min(1).optional()
      })
      .strict()
      .refine((p) => (p.table === undefined) !== (p.query === undefined), {
        message: "give exactly one of table or query"
      })
  })
  .strict();

const source = z.union([fileSource, postgresSource]);

const reference = z
  .object({
    file: z.string().min(1),
    format: z.enum(["csv", "tsv", "parquet", "json", "ndjson"]).optional(),
    csv: csvOptions.optional()
  })
  .strict();

const combineRule = z.enum(["mean", "mode", "first"]);
const related = z
  .object({
    file: z.string().min(1),
    format: z.enum(["csv", "tsv", "parquet", "json", "ndjson"]).optional(),
    csv: csvOptions.optional(),
    /** The column other files look this one up by. */
    key: z.string().min(1),
    /** Columns of its own to add: a SQL expression over its columns, or a lookup in another related file. */
    columns: z.record(z.string().min(1), columnSpec).optional()
  })
  .strict();

const enrichment = z
  .object({
    /** A reference table named in `references`. */
    reference: z.string().min(1),
    /** customers field → reference column, the join key. */
    on: z.record(z.string(), z.string()).refine((o) => Object.keys(o).length > 0, "name a key"),
    /** New customers field → reference column. */
    fields: z.record(z.string(), z.string()),
    /**
     * How several reference rows of one key combine (for every field, or per field): their
     * mean, their commonest value or the first row's. Default: a field they disagree on stays
     * empty, and the build warns.
     */
    combine: z.union([combineRule, z.record(z.string(), combineRule)]).optional()
  })
  .strict();

const identityRule = z.union([
  z.object({rule: z.literal("email")}).strict(),
  z.object({rule: z.literal("phone")}).strict(),
  z.object({rule: z.literal("key"), field: z.string().min(1)}).strict()
]);

const scale = z
  .object({
    /** The questions averaged into this scale. */
    questions: z.array(z.string().min(1)).min(1),
    /** Questions worded the other way round: their answers are flipped before averaging. */
    reverse: z.array(z.string().min(1)).optional(),
    /** How the pages name the scale; default the key with spaces. */
    label: z.string().min(1).optional(),
    /** Words a profile name uses for a high and a low score; default "high on <label>". */
    high: z.string().min(1).optional(),
    low: z.string().min(1).optional()
  })
  .strict();

const dimensionWeights = z
  .object({
    behavioral: z.number().min(0).optional(),
    psychographic: z.number().min(0).optional(),
    demographic: z.number().min(0).optional(),
    geographic: z.number().min(0).optional(),
    firmographic: z.number().min(0).optional()
  })
  .strict();

const segmentVariable = z.union([
  z.object({feature: z.string().min(1), bins: z.array(z.number()).min(1)}).strict(),
  z
    .object({
      feature: z.string().min(1),
      /** Group label → the values it gathers; values in no group keep their own name. */
      groups: z.record(z.string(), z.array(z.string())).optional()
    })
    .strict()
]);

/** The length of a subscription period: a calendar unit, or a number of days. */
const subscriptionPeriod = z.union(
  [z.enum(["month", "week", "year"]), z.object({days: z.number().int().min(1)}).strict()],
  {error: 'expected "month", "week", "year" or {days: n}'}
);

/** Contractual data: where each subscriber's periods and churn are (README, Subscriptions). */
const subscription = z
  .object({
    /**
     * A customers number field counting the periods each subscriber completed (for one who
     * left, the period they left in)…
     */
    tenure: z.string().min(1).optional(),
    /** …or the date fields each subscription started and ended on (the end empty while subscribed). */
    start: z.string().min(1).optional(),
    end: z.string().min(1).optional(),
    /** The outcome saying who churned (a flag or a date); default with dates: an end date. */
    churned: z.string().min(1).optional(),
    period: subscriptionPeriod,
    /**
     * The export holds only the subscribers of its last `window` periods (those subscribed at
     * its start, and those who joined since), and churned says who left during it. Default:
     * every subscriber there ever was, whenever they left.
     */
    window: z.number().int().min(1).optional()
  })
  .strict()
  .refine((s) => (s.tenure === undefined) === (s.start !== undefined && s.end !== undefined), {
    message: "give tenure (a field counting periods), or start and end (date fields), not both"
  });

export const configSchema = z
  .object({
    /** The date the data describes; default: derived from the data (see README). */
    asOf: isoDate.optional(),
    /** The currency amounts are in (ISO 4217, e.g. "EUR"): every page and export names it. */
    currency: z
      .string()
      .refine(
        (c) => Intl.supportedValuesOf("currency").includes(c),
        'expected an ISO 4217 currency code in capitals, such as "EUR", "USD" or "BRL"'
      )
      .optional(),
    sources: z
      .record(z.string().regex(/^[a-z][a-z0-9_]*$/, "source names are lower_snake_case"), source)
      .refine((s) => Object.values(s).some((src) => src.table === "customers"), {
        message: "at least one source must feed the customers table"
      }),
    references: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), reference).optional(),
    /** Files a source looks values up in by key (payments per order, a product's category …). */
    related: z
      .record(
        z.string().regex(/^[a-z][a-z0-9_]*$/, "related file names are lower_snake_case"),
        related
      )
      .optional(),
    enrich: z.array(enrichment).optional(),
    validation: validationOptions.optional(),
    /**
     * Plausible ranges of numbers, by field (customers) or table.field: a value outside is
     * cleared and recorded, so it stays out of features; default {age: [0, 110]}.
     */
    ranges: z.record(z.string(), z.tuple([z.number(), z.number()])).optional(),
    identity: z
      .object({
        rules: z.array(identityRule).optional(),
        survivorship: z
          .record(z.string(), z.enum(["most_recent", "oldest", "most_frequent", "max", "min"]))
          .optional(),
        /** The key field whose value is a person's id (one of the key rules' fields); default customer_id. */
        id: z.string().min(1).optional(),
        /** Ids written as numbers ("12347.0") read as the number they are ("12347"); default false. */
        numericIds: z.boolean().optional()
      })
      .strict()
      .optional(),
    features: z
      .object({
        /** Window for per-year counts and spend, in days; default 365. */
        windowDays: z.number().int().min(7).optional(),
        /** The engagement trend compares this many recent days with the same days a year earlier; default 90. */
        trendDays: z.number().int().min(7).max(365).optional(),
        /** Survey answer range, for reversed questions; default [1, 5]. */
        answerRange: z.tuple([z.number(), z.number()]).optional(),
        /** Psychographic scales built from survey questions. */
        scales: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), scale).optional(),
        /** Feature ids to leave out. */
        exclude: z.array(z.string()).optional(),
        /** Features computed by the config's own SQL (README, Custom features). */
        custom: z.record(fieldName, customFeature).optional()
      })
      .strict()
      .optional(),
    clustering: z
      .object({
        /** Weight of each dimension's features; default behavioral 1, psychographic 1, others 0. */
        dimensions: dimensionWeights.optional(),
        /** Cluster on exactly these features instead (ids from the feature catalog). */
        features: z.array(z.string()).min(1).optional(),
        /** A fixed number of profiles, or the range automatic k searches; default 3–10. */
        k: z
          .union([
            z.number().int().min(2),
            z.object({min: z.number().int().min(2), max: z.number().int().min(2)}).strict()
          ])
          .optional(),
        /** The smallest profile automatic k accepts, as a share of customers; default 0.05. */
        minProfileShare: z.number().min(0).max(0.5).optional(),
        /** The bootstrap Jaccard every profile of an automatic k must reach; default 0.85. */
        minStability: z.number().min(0).max(1).optional(),
        /** How far below the best silhouette of the stable k a larger k may be; default 0.15. */
        silhouetteTolerance: z.number().min(0).max(1).optional(),
        /** Customers sampled to fit the clustering; default 50,000. */
        sample: z.number().int().min(100).optional(),
        /** Customers sampled for silhouettes; default 3,000. */
        silhouetteSample: z.number().int().min(100).optional(),
        /** Customers the bootstrap refits draw from; default 10,000. */
        stabilitySample: z.number().int().min(100).optional(),
        /** Bootstrap refits per k for stability; default 10. */
        bootstrap: z.number().int().min(0).optional(),
        /** k-means restarts per k (the fit with the lowest inertia wins); default 10. */
        restarts: z.number().int().min(1).optional(),
        seed: z.number().int().optional()
      })
      .strict()
      .optional(),
    subscription: subscription.optional(),
    churn: z
      .object({
        /** The risk horizon in days: "lapsed" = no purchase in this many days; default 90. */
        horizonDays: z.number().int().min(1).optional(),
        /** Only customers with at least this many purchase days are flagged; default 2. */
        minOrders: z.number().int().min(1).optional(),
        /**
         * How the at-risk threshold is chosen on the backtest: the lowest probability of lapsing
         * at which this share of those flagged did lapse ({precision}), or the customers most
         * likely to lapse ({share}); default {precision: 0.8}.
         */
        flag: z
          .union([
            z.object({precision: z.number().gt(0).max(1)}).strict(),
            z.object({share: z.number().gt(0).max(1)}).strict()
          ])
          .optional(),
        pAliveBelow: z
          .never({
            error:
              "churn.pAliveBelow is no longer used: the at-risk threshold is chosen by the backtest; set churn.flag ({precision: 0.8} or {share: 0.1}) instead"
          })
          .optional(),
        engagementDropAbove: z
          .never({
            error:
              "churn.engagementDropAbove is no longer used: risk is learned from the purchase history and measured by the backtest; remove it (set churn.flag to choose the threshold)"
          })
          .optional()
      })
      .strict()
      .optional(),
    segments: z
      .record(
        z.string().regex(/^[a-z][a-z0-9_]*$/, "segment names are lower_snake_case"),
        z.array(segmentVariable).min(1).max(2)
      )
      .optional(),
    profiles: z
      .object({
        /** The analysts' file of names and notes, relative to the config; default portrait.notes.json. */
        notes: z.string().min(1).optional(),
        /** Distinguishing traits need at least this effect size (absolute); default 0.3. */
        minEffect: z.number().min(0).optional(),
        /** … and at least this coverage within the profile; default 0.5. */
        minCoverage: z.number().min(0).max(1).optional(),
        /**
         * The file that keeps profile ids and names from build to build, relative to the
         * config; default portrait.state.json. Commit it with the config.
         */
        state: z.string().min(1).optional(),
        /**
         * Two profiles of consecutive builds are the same when closer than this share of the
         * median distance between the previous build's profiles; default 0.5.
         */
        matchThreshold: z.number().positive().max(2).optional()
      })
      .strict()
      .optional(),
    history: z
      .object({
        /** Snapshots at the end of every month or quarter, counted back from the as-of date; default quarter. */
        period: z.enum(["month", "quarter"]).optional(),
        /** Past snapshots before the current one; 0 leaves history out; default 4. */
        periods: z.number().int().min(0).max(36).optional(),
        /**
         * The at-risk movers compare the current snapshot with the one this many periods
         * before; default 2 (capped by periods).
         */
        moversLookback: z.number().int().min(1).max(36).optional(),
        /** At-risk movers listed on the History page, ranked by value at stake; default 100. */
        moversLimit: z.number().int().min(1).max(10_000).optional(),
        /**
         * Engagement dropped: activity since the lookback snapshot fell by more than this share
         * against the same days a year earlier; default 0.5…
         */
        activityDropAbove: z.number().gt(0).max(1).optional(),
        /** …and significantly: a one-sided binomial test below this p-value; default 0.001. */
        dropSignificance: z.number().gt(0).max(1).optional(),
        drift: z
          .object({
            /** Alert when a profile's centroid moved more than this, in standard deviations; default 0.5. */
            centroidShift: z.number().positive().optional(),
            /** Alert when a key feature's population stability index passes this; default 0.25. */
            psi: z.number().positive().optional()
          })
          .strict()
          .optional()
      })
      .strict()
      .optional(),
    explore: z
      .object({
        /**
         * Customers the Explore page receives, a seeded random sample (pseudonymous ids and
         * derived features only); 0 leaves customer-level data out of the build; default 10,000.
         */
        sample: z.number().int().min(0).max(200_000).optional()
      })
      .strict()
      .optional(),
    privacy: z
      .object({
        minGroupSize: z.number().int().min(1).optional(),
        /** Publish direct identifiers (e-mail, phone, name, street) on internal builds. */
        identifiers: z.boolean().optional(),
        /**
         * Publish customer-level pages and files (customer card, Explore, customers.csv);
         * false for a build meant for wide sharing, which then holds aggregates only.
         */
        customerLevel: z.boolean().optional()
      })
      .strict()
      .optional()
  })
  .strict();

/** What a user writes in portrait.config.ts. */
export type PortraitConfigInput = z.input<typeof configSchema>;
export type SourceConfig = z.output<typeof source>;
export type FileSourceConfig = z.output<typeof fileSource>;
export type PostgresSourceConfig = z.output<typeof postgresSource>;
export type ReferenceConfig = z.output<typeof reference>;
export type CsvOptions = z.output<typeof csvOptions>;
export type ColumnSpec = z.output<typeof columnSpec>;
export type LookupSpec = z.output<typeof lookupSpec>;
export type RelatedConfig = z.output<typeof related>;
export type StatusLists = z.output<typeof statusLists>;
export type AttributeConfig = z.output<typeof attribute>;
export type OutcomeConfig = z.output<typeof outcome>;
export type CustomFeatureConfig = z.output<typeof customFeature>;
/** An attribute or outcome with the config key that declares it, for messages. */
export type Declared<T> = T & {key: string};

export interface ValidationSettings {
  maxRejectShare: number;
  negativeAmounts: "reject" | "allow";
  /** Undefined: the default, which depends on the source's mapping (see validate.ts). */
  duplicateRows: "reject" | "keep" | undefined;
  missingValues: string[];
}

/** Values that stand for a missing value in exports: placeholders, never data. */
export const DEFAULT_MISSING_VALUES = ["", "-", "n/a", "unknown", "(blank)"];

/** A source's validation settings: its own, else the project's. */
export function sourceValidation(config: PortraitConfig, source: SourceConfig): ValidationSettings {
  return {
    maxRejectShare: source.validation?.maxRejectShare ?? config.validation.maxRejectShare,
    negativeAmounts: source.validation?.negativeAmounts ?? config.validation.negativeAmounts,
    duplicateRows: source.validation?.duplicateRows ?? config.validation.duplicateRows,
    missingValues: source.validation?.missingValues ?? config.validation.missingValues
  };
}

/** The validated config with defaults filled in and paths made absolute. */
export interface PortraitConfig {
  /** The config file, or a description for configs built in code. */
  path: string;
  /** The folder relative paths are resolved against. */
  dir: string;
  asOf?: string;
  /** The currency of amounts (ISO 4217); null when the config does not say. */
  currency: string | null;
  sources: Record<string, SourceConfig>;
  references: Record<string, ReferenceConfig>;
  related: Record<string, RelatedConfig>;
  enrich: z.output<typeof enrichment>[];
  validation: ValidationSettings;
  /** Plausible ranges of numbers (customers' age always among them). */
  ranges: {table: string; field: string; min: number; max: number}[];
  identity: {
    rules: z.output<typeof identityRule>[];
    survivorship: Record<string, string>;
    /** The key field whose value is a person's id; undefined: the customer_id of their first signup. */
    id?: string;
    numericIds: boolean;
  };
  features: {
    windowDays: number;
    trendDays: number;
    answerRange: [number, number];
    scales: Record<string, z.output<typeof scale>>;
    exclude: string[];
    custom: Record<string, CustomFeatureConfig>;
  };
  /** The customers sources' attributes, by name (the first source to declare one defines it). */
  attributes: Record<string, Declared<AttributeConfig>>;
  /** The customers sources' outcomes, by name. */
  outcomes: Record<string, Declared<OutcomeConfig>>;
  clustering: {
    dimensions: Record<string, number>;
    features?: string[];
    k: {min: number; max: number};
    minProfileShare: number;
    minStability: number;
    silhouetteTolerance: number;
    sample: number;
    silhouetteSample: number;
    stabilitySample: number;
    bootstrap: number;
    restarts: number;
    seed: number;
  };
  /** Contractual data: null when the config declares none. */
  subscription: SubscriptionSettings | null;
  churn: {horizonDays: number; minOrders: number; flag: {precision: number} | {share: number}};
  segments: Record<string, SegmentVariable[]>;
  profiles: {
    notes: string;
    minEffect: number;
    minCoverage: number;
    state: string;
    matchThreshold: number;
  };
  history: {
    period: "month" | "quarter";
    periods: number;
    moversLookback: number;
    moversLimit: number;
    activityDropAbove: number;
    dropSignificance: number;
    drift: {centroidShift: number; psi: number};
  };
  explore: {sample: number};
  privacy: {minGroupSize: number; identifiers: boolean; customerLevel: boolean};
}

export type SegmentVariable = z.output<typeof segmentVariable>;

/** A subscription as the build reads it: the fields checked against the customers table. */
export interface SubscriptionSettings {
  /** A number field counting completed periods, or the start and end date fields. */
  tenure: string | {start: string; end: string};
  /** The outcome saying who churned; null: an end date on or before the as-of date says it. */
  churned: string | null;
  period: z.output<typeof subscriptionPeriod>;
  /** Periods the export watches (its subscribers as of their start); null: all of history. */
  window: number | null;
}

/** Segments that work on most data: age band by main order channel, and country. */
export const DEFAULT_SEGMENTS: Record<string, SegmentVariable[]> = {
  age_by_channel: [{feature: "age", bins: [25, 35, 45, 55, 65]}, {feature: "main_order_channel"}],
  country: [{feature: "country"}]
};

/** Types a config in portrait.config.ts; returns it unchanged. */
export function defineConfig(config: PortraitConfigInput): PortraitConfigInput {
  return config;
}

/** A config problem: names the file and the key. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly key: string,
    readonly problem: string
  ) {
    super(`${file}: ${key ? `${key}: ` : ""}${problem}`);
    this.name = "ConfigError";
  }
}

/** Validates a config object; throws a ConfigError naming the first bad key. */
export function parseConfig(input: unknown, path: string, dir = dirname(path)): PortraitConfig {
  const result = configSchema.safeParse(input);
  if (!result.success) {
    const issue = innermostIssue(result.error.issues[0], input);
    throw new ConfigError(path, issue.path.map(String).join("."), describeIssue(issue));
  }
  const c = result.data;
  checkLinesAndLookups(c, path);
  const columns = customerColumns(c.sources, path);
  return {
    path,
    dir,
    asOf: c.asOf,
    currency: c.currency ?? null,
    sources: c.sources,
    references: c.references ?? {},
    related: c.related ?? {},
    enrich: c.enrich ?? [],
    validation: {
      maxRejectShare: c.validation?.maxRejectShare ?? 0.05,
      negativeAmounts: c.validation?.negativeAmounts ?? "reject",
      duplicateRows: c.validation?.duplicateRows,
      missingValues: c.validation?.missingValues ?? DEFAULT_MISSING_VALUES
    },
    ranges: rangeSettings(c.ranges ?? {}, path),
    identity: identitySettings(c.identity, path),
    features: {
      windowDays: c.features?.windowDays ?? 365,
      trendDays: c.features?.trendDays ?? 90,
      answerRange: c.features?.answerRange ?? [1, 5],
      scales: c.features?.scales ?? {},
      exclude: c.features?.exclude ?? [],
      custom: c.features?.custom ?? {}
    },
    ...columns,
    clustering: clusteringSettings(c.clustering, path),
    subscription: subscriptionSettings(c.subscription, columns, path),
    churn: {
      horizonDays: c.churn?.horizonDays ?? 90,
      minOrders: c.churn?.minOrders ?? 2,
      flag: c.churn?.flag ?? {precision: 0.8}
    },
    segments: c.segments ?? DEFAULT_SEGMENTS,
    profiles: {
      notes: resolve(dir, c.profiles?.notes ?? "portrait.notes.json"),
      minEffect: c.profiles?.minEffect ?? 0.3,
      minCoverage: c.profiles?.minCoverage ?? 0.5,
      state: resolve(dir, c.profiles?.state ?? "portrait.state.json"),
      matchThreshold: c.profiles?.matchThreshold ?? 0.5
    },
    history: {
      period: c.history?.period ?? "quarter",
      periods: c.history?.periods ?? 4,
      moversLookback: c.history?.moversLookback ?? 2,
      moversLimit: c.history?.moversLimit ?? 100,
      activityDropAbove: c.history?.activityDropAbove ?? 0.5,
      dropSignificance: c.history?.dropSignificance ?? 0.001,
      drift: {
        centroidShift: c.history?.drift?.centroidShift ?? 0.5,
        psi: c.history?.drift?.psi ?? 0.25
      }
    },
    explore: {sample: c.explore?.sample ?? 10_000},
    privacy: {
      minGroupSize: c.privacy?.minGroupSize ?? 10,
      identifiers: c.privacy?.identifiers ?? false,
      customerLevel: c.privacy?.customerLevel ?? true
    }
  };
}

/** The plausible ranges, with age 0–110 unless the config sets it; keys name numeric fields. */
function rangeSettings(
  ranges: Record<string, [number, number]>,
  path: string
): PortraitConfig["ranges"] {
  const all = {age: [0, 110] as [number, number], ...ranges};
  return Object.entries(all).map(([key, [min, max]]) => {
    const [table, field] = key.includes(".") ? key.split(".", 2) : ["customers", key];
    const canonical = CANONICAL_TABLES.find((t) => t.name === table);
    if (canonical === undefined)
      throw new ConfigError(path, `ranges.${key}`, `no table ${table}; write field or table.field`);
    const type = canonical.fields[field];
    if (type !== undefined && type !== "number" && type !== "integer")
      throw new ConfigError(path, `ranges.${key}`, `${table}.${field} is not a number`);
    if (canonical.required.includes(field))
      throw new ConfigError(
        path,
        `ranges.${key}`,
        `${table}.${field} is required: validation rejects rows, a range would only empty it`
      );
    if (min > max) throw new ConfigError(path, `ranges.${key}`, `min ${min} is above max ${max}`);
    return {table, field, min, max};
  });
}

/**
 * The subscription's fields, checked against the customers table: tenure a number, start and
 * end dates, churned an outcome; without churned, the tenure must be dates (the end says it).
 */
function subscriptionSettings(
  c: z.output<typeof configSchema>["subscription"],
  columns: Pick<PortraitConfig, "attributes" | "outcomes">,
  path: string
): SubscriptionSettings | null {
  if (c === undefined) return null;
  const own = Object.fromEntries(
    [...Object.entries(columns.attributes), ...Object.entries(columns.outcomes)].map(
      ([name, spec]) => [name, FIELD_TYPES[spec.type]]
    )
  );
  const fields: Record<string, FieldType> = {...CUSTOMERS.fields, ...own};
  const check = (key: string, name: string, types: FieldType[], what: string) => {
    const type = fields[name];
    const fitting = Object.keys(fields).filter((f) => types.includes(fields[f]));
    const choices = fitting.length ? ` (the customers fields that are: ${fitting.join(", ")})` : "";
    if (type === undefined)
      throw new ConfigError(
        path,
        `subscription.${key}`,
        `no customers field ${name}: name ${what}, a canonical field or an attribute or outcome of a customers source${choices}`
      );
    if (!types.includes(type))
      throw new ConfigError(
        path,
        `subscription.${key}`,
        `${name} is a ${type} field; name ${what}${choices}`
      );
  };
  const tenure = c.tenure ?? {start: c.start!, end: c.end!};
  if (typeof tenure === "string")
    check("tenure", tenure, ["number", "integer"], "a number field counting completed periods");
  else {
    check("start", tenure.start, ["date", "timestamp"], "the date each subscription started");
    check("end", tenure.end, ["date", "timestamp"], "the date each subscription ended");
  }
  if (c.churned !== undefined && !(c.churned in columns.outcomes)) {
    const names = Object.keys(columns.outcomes);
    throw new ConfigError(
      path,
      "subscription.churned",
      `no outcome ${c.churned}: name a flag or date outcome of a customers source${names.length ? ` (the outcomes: ${names.join(", ")})` : " (see README, Outcomes)"}`
    );
  }
  if (c.churned === undefined && typeof tenure === "string")
    throw new ConfigError(
      path,
      "subscription.churned",
      "name the outcome saying who churned: with a tenure count, nothing else says it"
    );
  return {
    tenure,
    churned: c.churned ?? null,
    period: c.period,
    window: c.window ?? null
  };
}

/** The keys zod cannot check alone: lines and status on orders only, lookups into known files. */
function checkLinesAndLookups(c: z.output<typeof configSchema>, path: string): void {
  const relatedNames = Object.keys(c.related ?? {});
  const checkLookups = (key: string, columns: Record<string, ColumnSpec> | undefined) => {
    for (const [field, spec] of Object.entries(columns ?? {})) {
      if (typeof spec !== "object" || !("from" in spec) || relatedNames.includes(spec.from))
        continue;
      throw new ConfigError(
        path,
        `${key}.${field}.from`,
        relatedNames.length > 0
          ? `no related file ${JSON.stringify(spec.from)}; the related files: ${relatedNames.join(", ")}`
          : `no related file ${JSON.stringify(spec.from)}: declare it under related (see README, Related files)`
      );
    }
  };
  for (const [name, s] of Object.entries(c.sources)) {
    for (const key of ["lines", "status"] as const) {
      if (s[key] !== undefined && s.table !== "orders")
        throw new ConfigError(path, `sources.${name}.${key}`, `only an orders source has ${key}`);
    }
    checkLookups(`sources.${name}.columns`, s.columns);
  }
  for (const [name, r] of Object.entries(c.related ?? {})) {
    if (name in c.sources)
      throw new ConfigError(
        path,
        `related.${name}`,
        `a source is named ${name} too: name the related file differently`
      );
    checkLookups(`related.${name}.columns`, r.columns);
  }
}

/** Columns identity resolution and standardisation add to customers: no attribute may take them. */
const RESERVED_CUSTOMER_COLUMNS = ["email_key", "phone_key", "person_id"];

/**
 * The attributes and outcomes of every customers source, by name. A name means one thing
 * across sources (two CRMs may both carry `plan`), never a canonical field's or another kind's.
 */
function customerColumns(
  sources: z.output<typeof configSchema>["sources"],
  path: string
): Pick<PortraitConfig, "attributes" | "outcomes"> {
  const attributes: PortraitConfig["attributes"] = {};
  const outcomes: PortraitConfig["outcomes"] = {};
  const seen = new Map<string, {kind: "attributes" | "outcomes"; type: string; source: string}>();
  for (const [name, source] of Object.entries(sources)) {
    for (const kind of ["attributes", "outcomes"] as const) {
      const declared = source[kind] ?? {};
      for (const [key, spec] of Object.entries(declared)) {
        const at = `sources.${name}.${kind}.${key}`;
        if (source.table !== "customers") {
          throw new ConfigError(
            path,
            `sources.${name}.${kind}`,
            `only a customers source has ${kind}; this one feeds ${source.table}. Declare them on the customers source, or compute a feature from ${source.table} under features.custom (see README, Custom features).`
          );
        }
        if (key in CUSTOMERS.fields || RESERVED_CUSTOMER_COLUMNS.includes(key)) {
          throw new ConfigError(
            path,
            at,
            `${key} is a ${key in CUSTOMERS.fields ? "canonical customers field" : "column Portrait adds"}: map a canonical field under columns, or give the ${kind === "attributes" ? "attribute" : "outcome"} another name`
          );
        }
        const before = seen.get(key);
        if (before && (before.kind !== kind || before.type !== spec.type)) {
          throw new ConfigError(
            path,
            at,
            `sources.${before.source}.${before.kind}.${key} already declares ${key} as a ${before.type} ${before.kind === "attributes" ? "attribute" : "outcome"}: one name means one thing in every source`
          );
        }
        if (before) continue;
        seen.set(key, {kind, type: spec.type, source: name});
        if (kind === "attributes") attributes[key] = {...(spec as AttributeConfig), key: at};
        else outcomes[key] = {...spec, key: at};
      }
    }
  }
  return {attributes, outcomes};
}

/** The field type a custom attribute or outcome is stored as. */
const FIELD_TYPES: Record<AttributeConfig["type"], FieldType> = {
  number: "number",
  category: "text",
  flag: "flag",
  date: "date"
};

/** The project's own customers fields (attributes, then outcomes), by name, with their types. */
export function customerFields(config: PortraitConfig): Record<string, FieldType> {
  return Object.fromEntries(
    [...Object.entries(config.attributes), ...Object.entries(config.outcomes)].map(
      ([name, spec]) => [name, FIELD_TYPES[spec.type]]
    )
  );
}

/**
 * The person keys identity rules name that are neither canonical fields nor attributes: source
 * columns read as ids into customers (`{rule: "key", field: "loyalty_id"}`).
 */
export function keyFields(config: PortraitConfig): string[] {
  const own = customerFields(config);
  return config.identity.rules.flatMap((r) =>
    r.rule === "key" && !(r.field in CUSTOMERS.fields) && !(r.field in own) ? [r.field] : []
  );
}

/** A canonical table as this project has it: customers with its attributes, outcomes and keys. */
export function canonicalTable(config: PortraitConfig, name: string): CanonicalTable {
  if (name === "customers")
    return customersWith({
      ...customerFields(config),
      ...Object.fromEntries(keyFields(config).map((k) => [k, "id" as const]))
    });
  const table = CANONICAL_TABLES.find((t) => t.name === name);
  if (!table) throw new Error(`no canonical table ${name}`);
  return table;
}

function identitySettings(
  c: z.output<typeof configSchema>["identity"],
  path: string
): PortraitConfig["identity"] {
  const rules = c?.rules ?? [{rule: "email"}, {rule: "phone"}];
  const keys = rules.flatMap((r) => (r.rule === "key" ? [r.field] : []));
  if (c?.id !== undefined && !keys.includes(c.id))
    throw new ConfigError(
      path,
      "identity.id",
      `${c.id} is not the field of a key rule: add {rule: "key", field: "${c.id}"} to identity.rules${keys.length ? ` (its keys: ${keys.join(", ")})` : ""}`
    );
  return {
    rules,
    survivorship: c?.survivorship ?? {},
    ...(c?.id !== undefined ? {id: c.id} : {}),
    numericIds: c?.numericIds ?? false
  };
}

function clusteringSettings(
  c: z.output<typeof configSchema>["clustering"],
  path: string
): PortraitConfig["clustering"] {
  const k =
    c?.k === undefined ? {min: 3, max: 10} : typeof c.k === "number" ? {min: c.k, max: c.k} : c.k;
  if (k.min > k.max)
    throw new ConfigError(path, "clustering.k", `min ${k.min} is above max ${k.max}`);
  return {
    dimensions: {
      behavioral: 1,
      psychographic: 1,
      demographic: 0,
      geographic: 0,
      firmographic: 0,
      ...c?.dimensions
    },
    features: c?.features,
    k,
    minProfileShare: c?.minProfileShare ?? 0.05,
    minStability: c?.minStability ?? 0.85,
    silhouetteTolerance: c?.silhouetteTolerance ?? 0.15,
    sample: c?.sample ?? 50_000,
    silhouetteSample: c?.silhouetteSample ?? 3_000,
    stabilitySample: c?.stabilitySample ?? 10_000,
    bootstrap: c?.bootstrap ?? 10,
    restarts: c?.restarts ?? 10,
    seed: c?.seed ?? 42
  };
}

/** Loads and validates a config file (TypeScript or JavaScript, default export). */
export async function loadConfig(path: string): Promise<PortraitConfig> {
  const file = resolve(path);
  if (!existsSync(file)) {
    throw new ConfigError(
      file,
      "",
      "config file not found: create it (see README, Configuration) or set PORTRAIT_CONFIG"
    );
  }
  let module: {default?: unknown};
  try {
    module = await import(pathToFileURL(file).href);
  } catch (error) {
    throw new ConfigError(file, "", `cannot be loaded: ${(error as Error).message}`);
  }
  if (module.default === undefined) {
    throw new ConfigError(
      file,
      "",
      "has no default export: write `export default defineConfig({...})`"
    );
  }
  return parseConfig(module.default, file);
}

/**
 * A union's issue says only that no branch matched; the useful one is inside the branch the
 * user meant: a PostgreSQL source when the object has `postgres`, a file source otherwise.
 */
function innermostIssue(issue: z.core.$ZodIssue, input: unknown): z.core.$ZodIssue {
  if (issue.code !== "invalid_union" || issue.errors.length === 0 || ownMessage(issue))
    return issue;
  const value = issue.path.reduce<unknown>(
    (v, k) => (v as Record<PropertyKey, unknown>)?.[k],
    input
  );
  if (typeof value !== "object" || value === null) return issue;
  const branch =
    "postgres" in value ? 1 : "from" in value ? 3 : "sql" in value || "column" in value ? -1 : 0;
  const issues = branch >= 0 ? issue.errors[branch] : issue.errors.find((e) => e.length > 0);
  // An unknown key usually explains the missing one (a typo), so it is the one to report.
  const inner = issues?.find((i) => i.code === "unrecognized_keys") ?? issues?.[0];
  if (!inner) return issue;
  return innermostIssue(
    {...inner, path: [...issue.path, ...inner.path]} as z.core.$ZodIssue,
    input
  );
}

/** Whether a union says itself what it expects (zod's own message is "Invalid input"). */
const ownMessage = (issue: z.core.$ZodIssue) => issue.message !== "Invalid input";

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "unrecognized_keys":
      return `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`;
    case "invalid_union":
      if (ownMessage(issue)) return issue.message;
      return 'expected a column name, {column: "Name"}, {sql: "expression"} or a lookup {from: "related_file", sum: "Column"}';
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return issue.message;
  }
}
