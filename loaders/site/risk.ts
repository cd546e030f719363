/**
 * The build's risk and value evidence for every page (data/site.json `risk`): what the backtest
 * chose, how well it did, and why anything was not assessed; read from `risk_assessment` and
 * `value_backtest` (loaders/value/backtest.ts).
 */
import {purchaseModelLabel, type PurchaseModelName} from "../value/clv/purchase-models.ts";
import type {Store} from "../core/store.ts";
import {sql} from "../core/sql.ts";
import {cents, round} from "./published.ts";
import type {RiskSummary} from "../../src/contracts/risk.ts";

/** The summary when the build has no value stage at all. */
const NONE: RiskSummary = {
  kind: "purchases",
  period: null,
  assessed: false,
  flagged: false,
  reason: "this build has no value and risk stage",
  horizon_days: 90,
  min_orders: 2,
  model: null,
  purchase_model: null,
  purchase_tested: false,
  calibration_date: null,
  threshold: null,
  rule: "precision",
  rule_value: 0.8,
  precision: null,
  recall: null,
  base_rate: null,
  auc: null,
  baseline_auc: null,
  value_predicted: null,
  value_actual: null,
  value_spend: null
};

interface AssessmentRow {
  kind: "purchases" | "subscription";
  period: string | null;
  calibration_date: string | null;
  horizon_days: number;
  baseline_auc: number | null;
  risk_model: string | null;
  risk_reason: string | null;
  purchase_model: PurchaseModelName | null;
  purchase_tested: boolean;
  rule: "precision" | "share";
  rule_value: number;
  min_orders: number;
  threshold: number | null;
  precision: number | null;
  recall: number | null;
  base_rate: number | null;
  flag_reason: string | null;
  value_predicted: number | null;
  value_actual: number | null;
  value_spend: "gamma_gamma" | "shrunk" | null;
}

export async function riskSummary(store: Store): Promise<RiskSummary> {
  if (!(await store.has("risk_assessment"))) return NONE;
  const a = await store.one<AssessmentRow & Record<string, unknown>>(
    sql`SELECT kind, period, strftime(calibration_date, '%Y-%m-%d') AS calibration_date, horizon_days,
          baseline_auc, risk_model, risk_reason, purchase_model, purchase_tested, rule,
          rule_value, min_orders, threshold, precision, recall, base_rate, flag_reason,
          value_predicted, value_actual, value_spend
        FROM risk_assessment`
  );
  if (!a) return NONE;
  const chosen = a.risk_model
    ? await store.one<{label: string; auc: number | null}>(
        sql`SELECT label, auc FROM value_backtest WHERE risk_model`
      )
    : undefined;
  return {
    kind: a.kind,
    period: a.period,
    assessed: a.risk_model !== null,
    flagged: a.threshold !== null,
    reason: a.risk_reason ?? a.flag_reason,
    horizon_days: a.horizon_days,
    min_orders: a.min_orders,
    model: chosen?.label ?? null,
    purchase_model: a.purchase_model ? purchaseModelLabel(a.purchase_model) : null,
    purchase_tested: a.purchase_tested,
    calibration_date: a.calibration_date,
    threshold: a.threshold === null ? null : round(a.threshold, 4),
    rule: a.rule,
    rule_value: a.rule_value,
    precision: a.precision === null ? null : round(a.precision, 4),
    recall: a.recall === null ? null : round(a.recall, 4),
    base_rate: a.base_rate === null ? null : round(a.base_rate, 4),
    auc: chosen?.auc == null ? null : round(chosen.auc, 4),
    baseline_auc: a.baseline_auc === null ? null : round(a.baseline_auc, 4),
    value_predicted: cents(a.value_predicted),
    value_actual: cents(a.value_actual),
    value_spend: a.value_spend
  };
}
