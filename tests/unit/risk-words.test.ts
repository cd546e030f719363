/**
 * The words beside every risk and value figure (src/contracts/risk.ts, src/components/
 * risk-words.ts) in the three states a build can be in: flagged, risk estimated but no flag
 * (no threshold met the rule), and not assessed at all. "0 %" or "not at risk" never stands
 * in for a figure the build did not estimate.
 */
import {describe, expect, it} from "vitest";
import {atRiskFigure, riskNote, valueNote} from "../../src/components/risk-words.ts";
import {
  flagEvidence,
  flagRule,
  riskNotAssessed,
  valueEvidence,
  withArticle,
  type RiskSummary
} from "../../src/contracts/risk.ts";

const FLAGGED: RiskSummary = {
  kind: "purchases",
  period: null,
  assessed: true,
  flagged: true,
  reason: null,
  horizon_days: 90,
  min_orders: 2,
  model: "Learned from history",
  purchase_model: "BG/NBD",
  purchase_tested: true,
  calibration_date: "2026-08-02",
  threshold: 0.6535,
  rule: "precision",
  rule_value: 0.8,
  precision: 0.8,
  recall: 0.0579,
  base_rate: 0.38,
  auc: 0.6873,
  baseline_auc: 0.635,
  value_predicted: 60449.12,
  value_actual: 70976.5,
  value_spend: "gamma_gamma"
};

const NO_FLAG: RiskSummary = {
  ...FLAGGED,
  flagged: false,
  threshold: null,
  precision: null,
  recall: null,
  reason: "no threshold reached a precision of 80% in the backtest (the best was 64%)"
};

const NOT_ASSESSED: RiskSummary = {
  ...NO_FLAG,
  assessed: false,
  model: null,
  auc: null,
  reason:
    "no model ranked the customers who lapsed better than recency alone did (best AUC 0.612, BG/NBD, against 0.640 for the time since the last purchase)"
};

describe("a flagged build", () => {
  it("shows the share, who counts and how precise the flag was", () => {
    expect(atRiskFigure(FLAGGED, 0.123)).toBe("12%");
    expect(atRiskFigure(FLAGGED, 0.123, {suppressed: false, minGroupSize: 10})).toBe("12%");
    expect(riskNote(FLAGGED)).toBe(
      "of customers with a purchase; in the backtest, 80% of those flagged did lapse"
    );
  });

  it("says 'fewer than N customers' for a suppressed share: a few at risk, not an unassessed risk", () => {
    expect(atRiskFigure(FLAGGED, null, {suppressed: true, minGroupSize: 10})).toBe(
      "fewer than 10 customers"
    );
    expect(atRiskFigure(FLAGGED, null, {suppressed: false, minGroupSize: 10})).toBe("not assessed");
    expect(atRiskFigure(NOT_ASSESSED, null, {suppressed: true, minGroupSize: 10})).toBe(
      "not assessed"
    );
    // hidden beside such a share: it may be large, so not "fewer than 10"
    expect(atRiskFigure(FLAGGED, null, {suppressed: "complement", minGroupSize: 10})).toBe(
      "suppressed"
    );
    expect(riskNote(FLAGGED, "complement")).toMatch(
      /^hidden so that a smaller share cannot be worked out from all customers' share; in the backtest/
    );
    expect(riskNote(FLAGGED, true)).toBe(
      "at risk: too few to show as a share without singling them out; in the backtest, 80% of those flagged did lapse"
    );
  });

  it("states the rule and the evidence in a manager's words", () => {
    expect(flagRule(FLAGGED)).toBe(
      "At risk: at least 2 purchases and a 65% or higher chance of buying nothing in the next 90 days (Learned from history; the threshold is the lowest at which at least 80% of those flagged lapsed in the backtest)."
    );
    expect(flagEvidence(FLAGGED)).toBe(
      "Of the customers it would have flagged on 2 August 2026, 80% bought nothing in the next 90 days (against 38% of all); the flag caught 5.8% of those who lapsed."
    );
    expect(riskNotAssessed(FLAGGED)).toBeNull();
  });

  it("says how value did in the backtest", () => {
    expect(valueEvidence(FLAGGED, "USD")).toMatch(
      /^Predicted on 2 August 2026, these customers would spend \$60,449(\.12)? in the next 90 days; they spent \$70,97[67](\.50)?\.$/
    );
    expect(valueNote(FLAGGED, "USD")).toMatch(
      /^; backtest: \$60,449.* predicted, \$70,97.* spent over 90 days$/
    );
  });
});

describe("a build whose risk model was chosen but no threshold met the rule", () => {
  it("shows 'not assessed' for the share, never 0 %", () => {
    expect(atRiskFigure(NO_FLAG, 0)).toBe("not assessed");
    expect(atRiskFigure(NO_FLAG, null)).toBe("not assessed");
  });

  it("says there is no flag, why, and that each customer's chance is still estimated", () => {
    expect(riskNote(NO_FLAG)).toBe(
      "no at-risk flag: no threshold reached a precision of 80% in the backtest (the best was 64%)"
    );
    expect(riskNotAssessed(NO_FLAG)).toBe(
      "No at-risk flag: no threshold reached a precision of 80% in the backtest (the best was 64%). Each customer's chance of buying nothing in the next 90 days is still estimated (Learned from history), but no one is called at risk."
    );
    expect(flagRule(NO_FLAG)).toBeNull();
    expect(flagEvidence(NO_FLAG)).toBeNull();
  });
});

describe("a build whose risk was not assessed", () => {
  it("shows 'not assessed' and the reason", () => {
    expect(atRiskFigure(NOT_ASSESSED, 0)).toBe("not assessed");
    expect(riskNote(NOT_ASSESSED)).toBe(`risk not assessed: ${NOT_ASSESSED.reason}`);
    expect(riskNotAssessed(NOT_ASSESSED)).toBe(`Risk not assessed: ${NOT_ASSESSED.reason}.`);
  });

  it("says so for a subscription too, in its own words", () => {
    const subscription: RiskSummary = {
      ...FLAGGED,
      kind: "subscription",
      period: "month",
      calibration_date: null,
      recall: 0.187
    };
    expect(riskNote(subscription)).toBe(
      "of current subscribers; in cross-validation, 80% of those flagged did leave"
    );
    expect(flagEvidence(subscription)).toBe(
      "Checked against the churn the data records, each customer scored by a model that had not seen them: 80% of those it flagged had left in their last month (against 38% of all); the flag caught 19% of those who left."
    );
    expect(
      riskNotAssessed({
        ...subscription,
        assessed: false,
        flagged: false,
        reason: "the data record no churn"
      })
    ).toBe("Risk not assessed: the data record no churn.");
  });
});

describe("withArticle", () => {
  it("reads the number aloud: an 8, 11, 18 or eighty-something; a 1, 62, 110 or 180", () => {
    expect(
      ["8%", "11%", "18%", "80%", "85%", "1%", "62%", "110%", "180%"].map(withArticle)
    ).toEqual([
      "an 8%",
      "an 11%",
      "an 18%",
      "an 80%",
      "an 85%",
      "a 1%",
      "a 62%",
      "a 110%",
      "a 180%"
    ]);
  });
});
