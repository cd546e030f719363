/**
 * Churn risk on a real subscription export (tests/fixtures/telco-churn, drawn by `npm run
 * fixtures`): the stages up to the features, then assessSubscription, checked against the raw
 * file. The export holds the subscribers of its last month, and `Churn` says who left in it.
 */
import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {loadConfig, type PortraitConfig} from "../../loaders/config/project.ts";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {sql} from "../../loaders/core/sql.ts";
import {Store} from "../../loaders/core/store.ts";
import {featuresChecked, runPipeline} from "../../loaders/engine.ts";
import {auc} from "../../loaders/value/scoring.ts";
import {assessSubscription, type SubscriptionAssessment} from "../../loaders/value/subscription.ts";

const FIXTURE = join(PROJECT_DIR, "tests", "fixtures", "telco-churn");
const FILE = join(FIXTURE, "data", "Telco-Customer-Churn.csv");

/** The raw file's tenure and churn, by row (no field of it is quoted). */
function raw(): {tenure: number[]; churned: number[]} {
  const [header, ...lines] = readFileSync(FILE, "utf8").trimEnd().split(/\r?\n/);
  const names = header.split(",");
  const rows = lines.map((l) => l.split(","));
  const at = (name: string) => names.indexOf(name);
  return {
    tenure: rows.map((r) => Number(r[at("tenure")])),
    churned: rows.map((r) => (r[at("Churn")] === "Yes" ? 1 : 0))
  };
}

describe("assessSubscription on the telco-churn export", () => {
  let store: Store;
  let config: PortraitConfig;
  let result: SubscriptionAssessment;
  beforeAll(async () => {
    expect(existsSync(FILE), "npm run fixtures draws tests/fixtures/*/data").toBe(true);
    config = await loadConfig(join(FIXTURE, "portrait.config.ts"));
    store = await Store.open(":memory:");
    const {validation} = await runPipeline(store, config);
    await featuresChecked(store, config, validation.asOf);
    result = (await assessSubscription(store, config, {
      asOf: validation.asOf,
      rule: {share: 0.2}
    }))!;
  });
  afterAll(() => store.close());

  it("counts the subscribers, those who churned, and those seen through a month", () => {
    const {tenure, churned} = raw();
    expect(result.customers).toBe(tenure.length);
    expect(result.churned).toBe(churned.filter(Boolean).length);
    expect(result.backtested).toBe(tenure.filter((t) => t >= 1).length);
    expect(result.notes).toEqual([
      "11 subscribers have not completed a month yet: scored, but not in the backtest"
    ]);
  });

  it("fits the sBG on everyone where scipy does, each subscriber watched over the last month", () => {
    // scipy 1.17.1 on the raw file: Σ churned ln(P(T = t) / S(t − 1)) + Σ subscribed
    // ln(S(t) / S(t − 1)) (S(0) = 1 below), Nelder-Mead then BFGS over ln α, ln β.
    const [sbg] = result.candidates;
    expect(sbg.params.alpha).toBeCloseTo(7.4251985, 4);
    expect(sbg.params.beta).toBeCloseTo(4.26442384, 4);
  });

  it("ranks churn out of fold: sBG as tenure alone does, the learned model better", () => {
    const {tenure, churned} = raw();
    const seen = tenure.flatMap((t, i) => (t >= 1 ? [i] : []));
    const byTenure = auc(
      seen.map((i) => -tenure[i]),
      seen.map((i) => churned[i])
    );
    const [sbg, learned] = result.candidates;
    expect(Math.abs(sbg.auc! - byTenure)).toBeLessThan(0.005);
    expect(learned.auc!).toBeGreaterThan(sbg.auc! + 0.05);
    expect(learned.brier!).toBeLessThan(sbg.brier!);
    for (const c of result.candidates) {
      const predicted = c.calibration.reduce((s, g) => s + g.predicted * g.customers, 0);
      const actual = c.calibration.reduce((s, g) => s + g.actual * g.customers, 0);
      expect(Math.abs(predicted - actual) / result.backtested).toBeLessThan(0.02);
      expect(c.flag.flag!.share).toBeCloseTo(0.2, 2);
    }
  });

  it("learns from the plan and charges, never from the churn outcome", () => {
    const [, learned] = result.candidates;
    expect(learned.columns).toContain("tenure_months");
    expect(learned.columns).toContain("contract = two year");
    expect(learned.columns.some((c) => c.startsWith("churned"))).toBe(false);
  });

  it("writes the tables the value stage reads: a score for each subscriber, none for those who left", async () => {
    const rows = await store.all(
      sql`SELECT model, churned, count(*)::INTEGER AS n, count(p_churn)::INTEGER AS scored
          FROM subscription_scores GROUP BY ALL ORDER BY ALL`
    );
    expect(rows).toEqual([
      {model: "learned", churned: false, n: 1087, scored: 1087},
      {model: "learned", churned: true, n: 385, scored: 0},
      {model: "sbg", churned: false, n: 1087, scored: 1087},
      {model: "sbg", churned: true, n: 385, scored: 0}
    ]);
    const backtest = await store.all<{model: string; p: number[]; y: boolean[]}>(
      sql`SELECT model, list(p_churn ORDER BY customer_id) AS p, list(churned ORDER BY customer_id) AS y
          FROM subscription_backtest GROUP BY model ORDER BY model`
    );
    for (const {model, p, y} of backtest)
      expect(auc(p, y.map(Number))).toBeCloseTo(
        result.candidates.find((c) => c.model === model)!.auc!,
        12
      );
  });
});
