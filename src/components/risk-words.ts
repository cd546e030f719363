/**
 * The short words a page puts where a risk or value figure goes: the figure, "fewer than 10
 * customers" where it would single out a few, or "not assessed", never 0 % for a figure the
 * build could not estimate; and the few words beside it that say how well the backtest did (the
 * long sentences are in src/contracts/risk.ts).
 */
import {formatMoney} from "../contracts/money.js";
import {fewerAtRisk, type AtRiskSuppressed, type RiskSummary} from "../contracts/risk.js";
import {formatShare} from "../contracts/share.js";

/**
 * A share at risk; "fewer than N customers" when it is suppressed (`at_risk_suppressed`: 1 to
 * N − 1 customers at risk, contracts/risk.ts), "suppressed" when hidden beside such a share;
 * "not assessed" when the build did not set the flag.
 */
export function atRiskFigure(
  risk: RiskSummary,
  share: number | null | undefined,
  few?: {suppressed: AtRiskSuppressed | null | undefined; minGroupSize: number}
): string {
  if (!risk.flagged) return "not assessed";
  if (few?.suppressed) return fewerAtRisk(few.minGroupSize, few.suppressed);
  return share != null ? formatShare(share) : "not assessed";
}

/**
 * Beside the at-risk figure: who counts, and how precise the flag was in the backtest; beside
 * a suppressed share ("fewer than 10 customers"), why no share is shown.
 */
export function riskNote(risk: RiskSummary, suppressed: AtRiskSuppressed = false): string {
  if (!risk.flagged)
    return risk.assessed
      ? `no at-risk flag: ${risk.reason ?? "no threshold met the rule"}`
      : `risk not assessed: ${risk.reason ?? "no risk model was fitted"}`;
  const who =
    suppressed === "complement"
      ? "hidden so that a smaller share cannot be worked out from all customers' share"
      : suppressed
        ? "at risk: too few to show as a share without singling them out"
        : risk.kind === "subscription"
          ? "of current subscribers"
          : "of customers with a purchase";
  const checked = risk.kind === "subscription" ? "in cross-validation" : "in the backtest";
  return risk.precision === null
    ? who
    : `${who}; ${checked}, ${formatShare(risk.precision)} of those flagged did ${risk.kind === "subscription" ? "leave" : "lapse"}`;
}

/** Beside a value figure: how the value predicted in the backtest compared with what was spent. */
export function valueNote(risk: RiskSummary, currency: string | null): string {
  if (risk.purchase_model && !risk.purchase_tested)
    return ` (${risk.purchase_model}, untested: too little history)`;
  if (risk.value_predicted === null || risk.value_actual === null) return "";
  return `; backtest: ${formatMoney(risk.value_predicted, currency)} predicted, ${formatMoney(risk.value_actual, currency)} spent over ${risk.horizon_days} days`;
}
