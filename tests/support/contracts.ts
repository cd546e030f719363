/**
 * The page contracts (src/contracts/) as values a test can hold a document to. A contract is a
 * type, gone at run time; its shape here is a value that tsc holds to the type, key by key: a
 * field renamed, added or dropped in a contract fails to compile here until the shape follows,
 * and a document whose keys differ from its shape (a column renamed in SQL, a key added by a
 * page loader) fails `shapeErrors`.
 */
import type {Briefing} from "../../src/contracts/briefing.ts";
import type {CardIndex, CardShard, CardTrait} from "../../src/contracts/cards.ts";
import type {ExploreDocument, ExploreRow} from "../../src/contracts/explore.ts";
import type {HistoryData} from "../../src/contracts/history.ts";
import type {MethodDocument} from "../../src/contracts/method.ts";
import type {ActivitySummary, Overview} from "../../src/contracts/overview.ts";
import type {
  OutcomeRate,
  Profile,
  ProfilesPage,
  ProfileTrait
} from "../../src/contracts/profiles.ts";
import type {QualityReport} from "../../src/contracts/quality.ts";
import type {CountryShare, ProfileReport, ReportTrait} from "../../src/contracts/report.ts";
import type {SegmentsDocument} from "../../src/contracts/segments.ts";
import type {RiskSummary} from "../../src/contracts/risk.ts";
import type {SiteSettings} from "../../src/contracts/site.ts";
import type {CountryProperties} from "../../src/contracts/world.ts";

/** T's keys but its index signature (a record keyed by data also declares some fixed keys). */
type Fixed<T> = {[K in keyof T as string extends K ? never : K]: T[K]};

/** Each key of T: "?" when optional, else the shape of its value. */
type Keys<T> = {
  [K in keyof T]-?: Pick<T, K> extends Required<Pick<T, K>> ? Shape<T[K]> : "?";
};

/**
 * The shape of a value of type T: `true` for a primitive (nullable or not), the element's shape
 * for a list, and for an object its keys with their shapes, plus `"*": true` when the object is
 * keyed by data (ids, features) and may hold other keys.
 */
export type Shape<T> =
  NonNullable<T> extends readonly (infer E)[]
    ? Shape<E>
    : NonNullable<T> extends object
      ? Keys<Fixed<NonNullable<T>>> & (string extends keyof NonNullable<T> ? {"*": true} : unknown)
      : true;

type AnyShape = true | "?" | {[key: string]: AnyShape};

/**
 * Where value's keys differ from shape's, as "path: …" sentences (none when they agree). Lists
 * are checked element by element (an error said once for all) and null stands for any value; `seen` collects the paths of
 * the objects checked, so a test can tell which parts of a shape its documents exercised.
 */
export function shapeErrors(
  value: unknown,
  shape: AnyShape,
  path = "$",
  seen = new Set<string>()
): string[] {
  if (shape === true || shape === "?" || value === null || value === undefined) return [];
  // An error of many elements is said once.
  if (Array.isArray(value))
    return [...new Set(value.flatMap((v) => shapeErrors(v, shape, path, seen)))];
  if (typeof value !== "object") return [`${path}: a ${typeof value} where the contract has keys`];
  seen.add(path);
  const record = value as Record<string, unknown>;
  const open = shape["*"] === true;
  const errors: string[] = [];
  for (const [key, inner] of Object.entries(shape)) {
    if (key === "*") continue;
    if (!Object.hasOwn(record, key)) {
      if (inner !== "?") errors.push(`${path}: no key "${key}"`);
      continue;
    }
    errors.push(...shapeErrors(record[key], inner, `${path}.${key}`, seen));
  }
  if (!open)
    for (const key of Object.keys(record))
      if (!Object.hasOwn(shape, key)) errors.push(`${path}: key "${key}" is not in the contract`);
  return errors;
}

/** Every path of shape that holds an object's keys: what `seen` covers when all was checked. */
export function objectPaths(shape: AnyShape, path = "$"): string[] {
  if (shape === true || shape === "?") return [];
  return [
    path,
    ...Object.entries(shape).flatMap(([key, inner]) => objectPaths(inner, `${path}.${key}`))
  ];
}

const PROFILE_TRAIT: Shape<ProfileTrait> = {
  feature: true,
  level: true,
  dimension: true,
  label: true,
  unit: true,
  profile_value: true,
  base_value: true,
  lift: true,
  effect: true,
  effect_low: true,
  effect_high: true,
  coverage: true,
  rank: true
};

const OUTCOME_RATE: Shape<OutcomeRate> = {
  outcome: true,
  label: true,
  kind: true,
  customers: true,
  rate: true,
  low: true,
  high: true,
  base_rate: true,
  lift: true
};

/** A profile's document but its traits (the report draws them with the rest). */
const PROFILE_FACTS: Shape<Omit<Profile, "traits">> = {
  id: true,
  name: true,
  generated_name: true,
  summary: true,
  brief: true,
  customers: true,
  share: true,
  revenue_share: true,
  value_12m: true,
  p_alive: true,
  at_risk_share: true,
  at_risk_suppressed: true,
  quality: {silhouette: true, stability: true},
  narrative: {section: true, title: true, sentences: true},
  notes: true,
  outcomes: OUTCOME_RATE
};

const PROFILE: Shape<Profile> = {...PROFILE_FACTS, traits: PROFILE_TRAIT};

/** data/profiles.json. */
export const PROFILES_PAGE: Shape<ProfilesPage> = {
  as_of: true,
  k: true,
  silhouette: true,
  profiles: PROFILE,
  customer_level: true
};

/** data/briefing.json. */
export const BRIEFING: Shape<Briefing> = {
  as_of: true,
  k: true,
  silhouette: true,
  customers: true,
  previous_as_of: true,
  has_previous: true,
  changes: {text: true, weight: true, profile_id: true},
  quality: {rows: true, quarantined: true, merged: true},
  customer_level: true,
  min_group_size: true,
  alerts: {profile_id: true, name: true, since: true, reasons: true},
  profiles: {
    id: true,
    name: true,
    summary: true,
    customers: true,
    share: true,
    revenue_share: true,
    value_12m: true,
    p_alive: true,
    at_risk_share: true,
    at_risk_suppressed: true,
    outcomes: PROFILE_FACTS.outcomes,
    stability: true
  },
  headline: true,
  story: {kind: true, text: true, href: true, link: true, profile_id: true},
  base: {
    customers: true,
    value_12m: true,
    p_alive: true,
    at_risk_share: true,
    at_risk_suppressed: true,
    revenue_12m: true
  },
  trend: {
    snapshot: true,
    customers: true,
    value_12m: true,
    at_risk_share: true,
    at_risk_suppressed: true,
    revenue_12m: true
  }
};

const REPORT_TRAIT: Shape<ReportTrait> = {
  ...PROFILE_TRAIT,
  kind: true,
  customers: true,
  suppressed: true,
  distinguishing: true,
  levels: true
};

const COUNTRY: Shape<CountryShare> = {
  country: true,
  latitude: true,
  longitude: true,
  customers: true,
  base_customers: true,
  share: true,
  base_share: true
};

const BEFORE_AFTER = {before: true, after: true} as const;
const MOVE = {profile_id: true, name: true, customers: true} as const;

/** data/profiles/<id>.json. */
export const PROFILE_REPORT: Shape<ProfileReport> = {
  as_of: true,
  k: true,
  silhouette: true,
  min_group_size: true,
  customers_total: true,
  profile: PROFILE_FACTS,
  others: {id: true, name: true},
  traits: REPORT_TRAIT,
  distributions: {
    feature: true,
    label: true,
    unit: true,
    dimension: true,
    effect: true,
    distinguishing: true,
    rank: true,
    clipped: true,
    profile_median: true,
    base_median: true,
    bins: {
      edges: true,
      customers: true,
      base_customers: true,
      profile_customers: true,
      all_customers: true
    }
  },
  geography: {countries: COUNTRY, regions: {...COUNTRY, region: true}},
  segments: {
    segment: true,
    value: true,
    position: true,
    customers: true,
    suppressed: true,
    segment_customers: true,
    share: true,
    share_of_segment: true
  },
  changes: {
    previous: true,
    current: true,
    customers: BEFORE_AFTER,
    share: BEFORE_AFTER,
    at_risk_share: BEFORE_AFTER,
    at_risk_suppressed: BEFORE_AFTER,
    value_per_customer: BEFORE_AFTER,
    moved_in: MOVE,
    moved_out: MOVE,
    traits: {feature: true, label: true, unit: true, before: true, after: true},
    drift: {alert: true, reasons: true}
  },
  hints: {notes: "?", outcomes: "?"}
};

/** data/segments.json. */
export const SEGMENTS: Shape<SegmentsDocument> = {
  min_group_size: true,
  customers_total: true,
  profiles: {id: true, name: true, customers: true},
  features: {feature: true, label: true, unit: true},
  segmentations: {
    segment: true,
    segments: {
      value: true,
      position: true,
      customers: true,
      profiles: {profile_id: true, customers: true}
    }
  },
  means: {segment: true, value: true, profile_id: true, customers: true, "*": true},
  outcomes: (({kind: _, ...rate}) => ({...rate, segment: true, value: true, position: true}))(
    OUTCOME_RATE
  )
};

/** data/history.json. */
export const HISTORY: Shape<HistoryData> = {
  period: true,
  no_history: true,
  min_group_size: true,
  snapshots: {date: true, current: true, customers: true},
  profiles: {id: true, name: true},
  series: {
    snapshot: true,
    profile_id: true,
    customers: true,
    share: true,
    at_risk_customers: true,
    at_risk_share: true,
    at_risk_suppressed: true,
    value_12m: true,
    spend_12m: true
  },
  base: {snapshot: true, customers: true, at_risk_share: true, at_risk_suppressed: true},
  flows: {from: true, to: true, source: true, target: true, customers: true},
  movers: {
    since: true,
    until: true,
    limit: true,
    activity_drop_above: true,
    drop_significance: true,
    total_customers: true,
    strong_customers: true,
    value_at_stake: true,
    rows: {
      rank: true,
      customer_id: true,
      profile_id: true,
      previous_profile_id: true,
      reason: true,
      evidence: true,
      value_at_stake: true,
      p_alive_before: true,
      p_alive: true,
      spend_before: true,
      spend_now: true,
      activity_before: true,
      activity_now: true,
      engagement_change: true
    }
  },
  drift: {
    thresholds: {centroid_shift: true, psi: true, min_customers: true},
    latest: {
      profile_id: true,
      from: true,
      to: true,
      centroid_shift: true,
      psi_max: true,
      psi_feature: true,
      psi_label: true,
      features: {feature: true, label: true, psi: true},
      alert: true,
      reasons: true
    },
    series: {profile_id: true, from: true, to: true, centroid_shift: true, psi_max: true}
  }
};

/** data/explore.json. */
export const EXPLORE: Shape<ExploreDocument> = {
  as_of: true,
  sample: {
    customers: true,
    total_customers: true,
    withheld: true,
    min_group_size: true,
    smallest_group: true,
    quasi_identifiers: {column: true, label: true, published: true, withheld: true}
  },
  features: {
    id: true,
    dimension: true,
    label: true,
    unit: true,
    transform: true,
    clustered: true,
    coverage: true,
    band: true
  },
  segments: {id: true, column: true, label: true},
  profiles: {
    id: true,
    name: true,
    customers: true,
    share: true,
    value_12m: true,
    p_alive: true,
    at_risk_share: true,
    at_risk_suppressed: true
  },
  traits: {
    feature: true,
    level: true,
    dimension: true,
    label: true,
    unit: true,
    kind: true,
    base_value: true,
    profiles: {
      profile_id: true,
      profile_value: true,
      effect: true,
      effect_low: true,
      effect_high: true,
      distinguishing: true,
      suppressed: true
    }
  }
};

/** A row of data/explore.arrow: its fixed columns; segments and features are columns too. */
export const EXPLORE_ROW: Shape<ExploreRow> = {
  customer_id: true,
  profile_id: true,
  p_alive: "?",
  expected_value_12m: "?",
  at_risk: "?",
  "*": true
};

const CARD_TRAIT: Shape<CardTrait> = {
  feature: true,
  level: true,
  label: true,
  unit: true,
  kind: true,
  profile: true,
  base: true
};

/** The backtest's summary, in data/site.json and data/cards.json. */
export const RISK_SUMMARY: Shape<RiskSummary> = {
  kind: true,
  period: true,
  assessed: true,
  flagged: true,
  reason: true,
  horizon_days: true,
  min_orders: true,
  model: true,
  purchase_model: true,
  purchase_tested: true,
  calibration_date: true,
  threshold: true,
  rule: true,
  rule_value: true,
  precision: true,
  recall: true,
  base_rate: true,
  auc: true,
  baseline_auc: true,
  value_predicted: true,
  value_actual: true,
  value_spend: true
};

/** data/cards.json. */
export const CARD_INDEX: Shape<CardIndex> = {
  as_of: true,
  shards: true,
  identifiers: true,
  example: true,
  risk: RISK_SUMMARY,
  profiles: {id: true, name: true, serve: true, traits: CARD_TRAIT}
};

/** data/cards/<shard>.json. */
export const CARD_SHARD: Shape<CardShard> = {
  shard: true,
  as_of: true,
  fields: true,
  order_levels: {channel: true, category: true, status: true},
  cards: {"*": true},
  merged: {"*": true}
};

/** data/method.json. */
export const METHOD: Shape<MethodDocument> = {
  warnings: true,
  runs: {
    k: true,
    silhouette: true,
    min_share: true,
    min_stability: true,
    mean_stability: true,
    accepted: true,
    reason: true,
    chosen: true
  },
  features: {
    feature: true,
    dimension: true,
    label: true,
    unit: true,
    kind: true,
    transform: true,
    measured: true,
    coverage: true,
    note: true,
    clustered: true,
    describe_only: true
  },
  models: {model: true, parameter: true, value: true},
  quality: {
    profile_id: true,
    name: true,
    customers: true,
    share: true,
    silhouette: true,
    stability: true
  },
  backtest: {
    customers: true,
    lapsed: true,
    candidates: {
      model: true,
      label: true,
      auc: true,
      brier: true,
      log_loss: true,
      predicted_purchases: true,
      actual_purchases: true,
      mse: true,
      error: true,
      how: true,
      risk_model: true,
      purchase_model: true
    },
    frequency: {model: true, frequency: true, customers: true, predicted: true, actual: true},
    deciles: {model: true, decile: true, customers: true, predicted: true, actual: true}
  },
  settings: {
    k: {min: true, max: true},
    minProfileShare: true,
    minStability: true,
    silhouetteTolerance: true,
    sample: true,
    bootstrap: true,
    restarts: true,
    seed: true,
    horizonDays: true,
    minOrders: true,
    minEffect: true,
    minCoverage: true,
    minGroupSize: true
  }
};

/** data/quality.json. */
export const QUALITY: Shape<QualityReport> = {
  asOf: true,
  sources: {
    source: true,
    table: true,
    location: true,
    read: true,
    accepted: true,
    quarantined: true,
    cleared: true,
    clearedBy: {column: true, reason: true, rows: true},
    ignored: true,
    reasons: {reason: true, column: true, rows: true},
    samples: {
      row: true,
      file: true,
      column: true,
      reason: true,
      message: true,
      record: {"*": true}
    },
    lines: "?",
    statuses: "?"
  },
  related: {
    name: true,
    location: true,
    key: true,
    read: true,
    matched: true,
    unmatched: true,
    malformed: true,
    duplicateKeys: true,
    duplicateRows: true,
    lookups: {user: true, field: true, column: true, rows: true, missed: true},
    samples: {row: true, file: true, key: true, record: {"*": true}},
    misses: {user: true, field: true, row: true, file: true, key: true}
  },
  identity: {ids: true, persons: true, merged: true, byRule: {rule: true, ids: true}},
  filled: {table: true, field: true, method: true, rows: true},
  issues: {table: true, field: true, reason: true, rows: true},
  coverage: {table: true, field: true, rows: true, present: true}
};

/** data/overview.json (its tables are data/tables.csv's rows, its months data/activity.arrow's). */
export const OVERVIEW: Shape<Overview> = {
  asOf: true,
  tables: {
    table: true,
    label: true,
    rows: true,
    customers: true,
    first: true,
    last: true,
    quarantined: true
  },
  monthly: {table: true, label: true, month: true, rows: true}
};

/** data/activity.json: the Activity explorer's first view. */
export const ACTIVITY: Shape<ActivitySummary> = {
  query: true,
  busiest: {Table: true, Month: true, Rows: true},
  yearly: {label: true, year: true, rows: true},
  labels: true
};

/** A country's properties in data/world.json. */
export const COUNTRY_PROPERTIES: Shape<CountryProperties> = {name: true, code: true};

/** data/site.json. */
export const SITE: Shape<SiteSettings> = {
  currency: true,
  min_group_size: true,
  risk: RISK_SUMMARY
};
