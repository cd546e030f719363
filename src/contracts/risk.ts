/**
 * What the build's backtest found about risk and value (data/site.json `risk`), and the words
 * every page puts beside a risk or value figure, on both sides: the engine's sentences and the
 * pages. A figure that was not assessed is never shown as 0 % or "no": it says "not assessed"
 * and why. Pure: no libraries.
 */
import {formatMoney} from "./money.js";
import {formatShare} from "./share.js";

export interface RiskSummary {
  /**
   * "purchases": risk is no purchase in the next `horizon_days`, backtested one horizon back;
   * "subscription": risk is leaving in the next `period`, cross-validated against the churn
   * the data records.
   */
  kind: "purchases" | "subscription";
  /** Subscriptions: the period ("month"); null for purchases. */
  period: string | null;
  /** Whether customers carry a probability of lapsing (a risk model beat recency alone). */
  assessed: boolean;
  /** Whether the at-risk flag is set (assessed, and a threshold met the rule). */
  flagged: boolean;
  /** Why risk, or the flag, was not assessed; null when both were. */
  reason: string | null;
  /** "Lapsed" = no purchase in this many days. */
  horizon_days: number;
  /** Customers need this many purchase days to be flagged. */
  min_orders: number;
  /** The risk model's name ("MBG/NBD", "Learned from history"); null when not assessed. */
  model: string | null;
  /** The purchase model P(alive), expected purchases and value come from. */
  purchase_model: string | null;
  /** False when there was too little history to backtest it. */
  purchase_tested: boolean;
  /** The backtest's scoring date (as-of minus the horizon); null without a backtest. */
  calibration_date: string | null;
  /** Flag at or above this probability of lapsing. */
  threshold: number | null;
  rule: "precision" | "share";
  rule_value: number;
  /** In the backtest, of those the flag picked, the share that lapsed… */
  precision: number | null;
  /** …and of those who lapsed, the share the flag picked. */
  recall: number | null;
  /** The share of eligible customers who lapsed: what flagging at random would reach. */
  base_rate: number | null;
  /** The risk model's and recency's AUC in the backtest. */
  auc: number | null;
  baseline_auc: number | null;
  /** Value in the holdout: predicted from the calibration date, and spent. */
  value_predicted: number | null;
  value_actual: number | null;
  /** "gamma_gamma", or "shrunk" (too few repeat buyers for Gamma-Gamma). */
  value_spend: "gamma_gamma" | "shrunk" | null;
}

/**
 * Whether an at-risk share stays unpublished because it would single out a small group: 1 to
 * min − 1 customers at risk, or a group of 1 to min − 1 customers (privacy.minGroupSize). Such
 * a share is published as null with `at_risk_suppressed` true, and pages say "fewer than N
 * customers" where it would be: not "not assessed", which means no model could say. None at
 * risk is published as 0 %, like a count of 0.
 */
export function fewAtRisk(atRisk: number, customers: number, min: number): boolean {
  const small = (n: number) => n > 0 && n < min;
  return small(atRisk) || small(customers);
}

/**
 * How an at-risk share is published: false, as it is; true, suppressed because fewer than
 * min_group_size customers are at risk (or in the group); "complement", hidden beside such a
 * share so that it cannot be worked out from all customers' share by subtraction (it may be
 * large).
 */
export type AtRiskSuppressed = boolean | "complement";

/**
 * Where a suppressed at-risk share would be: "fewer than 10 customers"; "suppressed" for a
 * share hidden beside one (it may be large).
 */
export function fewerAtRisk(min: number, suppressed: AtRiskSuppressed = true): string {
  return suppressed === "complement" ? "suppressed" : `fewer than ${min} customers`;
}

/** "a 62%" or "an 85%": the article as the number is read (eight, eighty…, eleven, eighteen). */
export function withArticle(share: string): string {
  return `${/^(8|1[18](?![0-9]))/.test(share) ? "an" : "a"} ${share}`;
}

/** "2 October 2024" from "2024-10-02". */
export function longDate(date: string): string {
  const [y, m, d] = date.split("-").map(Number);
  const month = new Date(Date.UTC(y, m - 1, d)).toLocaleString("en-GB", {
    month: "long",
    timeZone: "UTC"
  });
  return `${d} ${month} ${y}`;
}

/** What "lapsing" means here: "buying nothing in the next 90 days", "leaving in the next month". */
export function lapseEvent(risk: RiskSummary): string {
  return risk.kind === "subscription"
    ? `leaving in the next ${risk.period ?? "period"}`
    : `buying nothing in the next ${risk.horizon_days} days`;
}

/**
 * How well the flag did, in words a manager reads: "Of the customers flagged on 2 October 2024,
 * 84% bought nothing in the next 90 days (against 73% of all); the flag caught 89% of those who
 * lapsed." Null when the flag was not assessed.
 */
export function flagEvidence(risk: RiskSummary): string | null {
  if (!risk.flagged || risk.precision === null) return null;
  const base = risk.base_rate === null ? "" : ` (against ${formatShare(risk.base_rate)} of all)`;
  if (risk.kind === "subscription") {
    const caught =
      risk.recall === null ? "" : `; the flag caught ${formatShare(risk.recall)} of those who left`;
    return `Checked against the churn the data records, each customer scored by a model that had not seen them: ${formatShare(risk.precision)} of those it flagged had left in their last ${risk.period ?? "period"}${base}${caught}.`;
  }
  if (risk.calibration_date === null) return null;
  const recall =
    risk.recall === null ? "" : `; the flag caught ${formatShare(risk.recall)} of those who lapsed`;
  return `Of the customers it would have flagged on ${longDate(risk.calibration_date)}, ${formatShare(risk.precision)} bought nothing in the next ${risk.horizon_days} days${base}${recall}.`;
}

/** What "at risk" means in this build: the rule, in a sentence. */
export function flagRule(risk: RiskSummary): string | null {
  if (!risk.flagged || risk.threshold === null) return null;
  const chosen =
    risk.rule === "precision"
      ? `the lowest at which at least ${formatShare(risk.rule_value)} of those flagged lapsed in the backtest`
      : `the top ${formatShare(risk.rule_value)} of customers in the backtest`;
  const who =
    risk.kind === "subscription" ? "subscribers with" : `at least ${risk.min_orders} purchases and`;
  return `At risk: ${who} ${withArticle(formatShare(risk.threshold))} or higher chance of ${lapseEvent(risk)} (${risk.model}; the threshold is ${chosen}).`;
}

/**
 * "Risk not assessed: …" where the probabilities were not assessed; "No at-risk flag: …" where
 * they were but no threshold met the rule (each customer's chance is still shown); else null.
 */
export function riskNotAssessed(risk: RiskSummary): string | null {
  if (risk.flagged) return null;
  if (risk.assessed)
    return `No at-risk flag: ${risk.reason ?? "no threshold met the rule"}. Each customer's chance of ${lapseEvent(risk)} is still estimated (${risk.model ?? "the risk model"}), but no one is called at risk.`;
  return `Risk not assessed: ${risk.reason ?? "no risk model was fitted"}.`;
}

/**
 * How well value did: "Predicted from 2 October 2024, customers would spend €8,194 in the next
 * 90 days; they spent €8,078." Null without a backtest of value.
 */
export function valueEvidence(risk: RiskSummary, currency?: string | null): string | null {
  if (risk.value_predicted === null || risk.value_actual === null || !risk.calibration_date)
    return null;
  const shrunk =
    risk.value_spend === "shrunk"
      ? " (spend per purchase is each customer's average, pulled towards everyone's: too few repeat buyers for a spend model)"
      : "";
  return `Predicted on ${longDate(risk.calibration_date)}, these customers would spend ${formatMoney(risk.value_predicted, currency)} in the next ${risk.horizon_days} days; they spent ${formatMoney(risk.value_actual, currency)}${shrunk}.`;
}
