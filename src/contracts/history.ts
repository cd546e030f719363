/**
 * The History page (data/history.json): how profiles move over the snapshots. Sizes, risk and
 * value per profile and snapshot; customers flowing between profiles from one snapshot to the
 * next; the at-risk movers ranked by value at stake (customer-level, null when the build
 * publishes aggregates only); and the drift of each profile with the reasons for any alert.
 * Every count of customers covers at least min_group_size customers or is null.
 */
import type {AtRiskSuppressed} from "./risk.js";

/** A snapshot: the customer base as it stood at the end of a period; the current build last. */
export interface HistorySnapshot {
  date: string;
  current: boolean;
  customers: number;
}

/** One profile at one snapshot; every figure null when the profile had too few customers. */
export interface HistoryPoint {
  snapshot: string;
  profile_id: string;
  customers: number | null;
  share: number | null;
  /** Null where risk was not assessed at that snapshot, or when suppressed. */
  at_risk_customers: number | null;
  at_risk_share: number | null;
  /**
   * True when 1 to min_group_size − 1 customers were at risk, or the profile had that few
   * customers (fewAtRisk in contracts/risk.ts): the share is null and the page says "fewer than
   * N customers", not "not assessed"; "complement" when hidden beside such a share.
   */
  at_risk_suppressed: AtRiskSuppressed;
  value_12m: number | null;
  spend_12m: number | null;
}

/** Customers moving from `source` (a profile, or "joined") at `from` to `target` at `to`. */
export interface HistoryFlow {
  from: string;
  to: string;
  source: string;
  target: string;
  customers: number | null;
}

/** A customer who moved into risk or whose activity dropped, ranked by value at stake. */
export interface Mover {
  rank: number;
  customer_id: string;
  profile_id: string;
  previous_profile_id: string;
  reason: "both" | "at_risk" | "engagement_drop";
  evidence: "strong" | "one signal";
  value_at_stake: number | null;
  p_alive_before: number | null;
  p_alive: number | null;
  spend_before: number | null;
  spend_now: number | null;
  activity_before: number;
  activity_now: number;
  engagement_change: number | null;
}

/** The at-risk movers between two snapshots: the top `limit`, and totals over all of them. */
export interface Movers {
  since: string;
  until: string;
  limit: number;
  /** The rule for "activity dropped": fell by more than this share, at this significance. */
  activity_drop_above: number;
  drop_significance: number;
  total_customers: number | null;
  strong_customers: number | null;
  value_at_stake: number | null;
  rows: Mover[];
}

/** A profile's drift in the latest pair of snapshots, with the reasons for an alert. */
export interface DriftRow {
  profile_id: string;
  from: string;
  to: string;
  centroid_shift: number | null;
  psi_max: number | null;
  psi_feature: string | null;
  psi_label: string | null;
  /** The features with the highest PSI, highest first. */
  features: {feature: string; label: string; psi: number}[];
  alert: boolean;
  reasons: string[];
}

/** What the History page reads (src/data/history.json). */
export interface HistoryData {
  period: "month" | "quarter";
  /** Why the build has no earlier snapshot (the page says it); null when it has one. */
  no_history: string | null;
  min_group_size: number;
  snapshots: HistorySnapshot[];
  profiles: {id: string; name: string}[];
  series: HistoryPoint[];
  /**
   * All customers at each snapshot: the share at risk over every profile, suppressed as a
   * profile's is (the profiles' suppressed shares leave it out of any sum of theirs).
   */
  base: {
    snapshot: string;
    customers: number;
    at_risk_share: number | null;
    at_risk_suppressed: boolean;
  }[];
  flows: HistoryFlow[];
  /** Null when the build publishes aggregates only (privacy.customerLevel false). */
  movers: Movers | null;
  drift: {
    thresholds: {centroid_shift: number; psi: number; min_customers: number};
    latest: DriftRow[];
    series: {
      profile_id: string;
      from: string;
      to: string;
      centroid_shift: number | null;
      psi_max: number | null;
    }[];
  };
}
