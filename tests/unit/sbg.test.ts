/**
 * The shifted-beta-geometric model (loaders/value/clv/sbg.ts) against Fader and Hardie (2007):
 * the two published retention curves and their maximum-likelihood estimates, as
 * ../shared/datasets/sbg/README.md records them.
 */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {
  fitSbg,
  fitSbgGroups,
  sbgChurn,
  sbgGroups,
  sbgHazard,
  sbgResidualLifetime,
  sbgSurvival,
  type SbgGroup
} from "../../loaders/value/clv/sbg.ts";

const README = readFileSync(
  join(PROJECT_DIR, "..", "shared", "datasets", "sbg", "README.md"),
  "utf8"
);

/** A cohort's published retention curve and estimates. */
function cohort(name: string) {
  const row = README.split("\n").find((l) => l.startsWith(`| ${name} |`))!;
  const curve = row.split("|").slice(2, -1).map(Number);
  const [, alpha, beta] = new RegExp(`${name}: alpha = ([0-9.]+), beta = ([0-9.]+)`).exec(README)!;
  return {curve, published: {alpha: Number(alpha), beta: Number(beta)}};
}

/** The cohort of 1,000 as counts: lost in each period, and still there after the last. */
function counts(curve: number[]): {lost: number[]; survivors: number} {
  const alive = [1000, ...curve.map((r) => Math.round(r * 1000))];
  return {lost: curve.map((_, t) => alive[t] - alive[t + 1]), survivors: alive.at(-1)!};
}

describe("fitSbg(lost, survivors) on the published cohorts", () => {
  for (const name of ["regular", "high end"]) {
    it(`reproduces the ${name} cohort's alpha and beta to 3 decimals`, () => {
      const {curve, published} = cohort(name);
      expect(curve).toHaveLength(7);
      const {lost, survivors} = counts(curve);
      const fit = fitSbg(lost, survivors);
      expect(fit.converged).toBe(true);
      expect(fit.params.alpha).toBeCloseTo(published.alpha, 3);
      expect(fit.params.beta).toBeCloseTo(published.beta, 3);
    });
  }

  it("projects the regular cohort's curve within a point of the published one", () => {
    const {curve} = cohort("regular");
    const {lost, survivors} = counts(curve);
    const {params} = fitSbg(lost, survivors);
    curve.forEach((r, i) => expect(Math.abs(sbgSurvival(params, i + 1) - r)).toBeLessThan(0.01));
  });
});

describe("sbgChurn and sbgSurvival", () => {
  const params = {alpha: 0.704, beta: 1.182};

  it("follow the paper's recursion: P(T = 1) = α / (α + β), P(T = t) = P(T = t − 1)(β + t − 2)/(α + β + t − 1)", () => {
    expect(sbgChurn(params, 1)).toBeCloseTo(0.704 / 1.886, 12);
    for (let t = 2; t <= 10; t++)
      expect(sbgChurn(params, t)).toBeCloseTo(
        (sbgChurn(params, t - 1) * (1.182 + t - 2)) / (0.704 + 1.182 + t - 1),
        12
      );
  });

  it("make S(t) one less everything lost by t", () => {
    let lost = 0;
    expect(sbgSurvival(params, 0)).toBeCloseTo(1, 12);
    for (let t = 1; t <= 12; t++) {
      lost += sbgChurn(params, t);
      expect(sbgSurvival(params, t)).toBeCloseTo(1 - lost, 12);
    }
  });

  it("refuses what no cohort could be", () => {
    expect(() => fitSbg([0, 0], 1000)).toThrow("sBG: nobody churned, so churn cannot be estimated");
    expect(() => fitSbg([], 10)).toThrow("sBG: no periods to fit");
    expect(() => sbgSurvival({alpha: 0, beta: 1}, 1)).toThrow(
      "sBG parameter alpha = 0 must be > 0"
    );
  });
});

describe("fitSbgGroups(groups) on subscribers one by one", () => {
  for (const name of ["regular", "high end"]) {
    it(`reproduces the ${name} cohort's fit from its 1,000 subscribers' tenures`, () => {
      const {curve, published} = cohort(name);
      const {lost, survivors} = counts(curve);
      // Each subscriber: the period they churned in, or 7 periods completed and still there.
      const tenure = [...lost.flatMap((k, t) => Array(k).fill(t + 1)), ...Array(survivors).fill(7)];
      const churned = tenure.map((_, i) => (i < 1000 - survivors ? 1 : 0));
      const groups = sbgGroups(tenure, churned);
      expect(groups).toHaveLength(7); // tenure 7 holds those lost in period 7 and the survivors
      const fit = fitSbgGroups(groups);
      expect(fit.params.alpha).toBeCloseTo(published.alpha, 3);
      expect(fit.params.beta).toBeCloseTo(published.beta, 3);
      expect(fit.logLikelihood).toBeCloseTo(fitSbg(lost, survivors).logLikelihood, 8);
    });
  }

  // Subscribers censored at different tenures, some watched only from a later period on (the
  // likelihood given that they were there then). The references were computed once with scipy
  // 1.17.1 (scipy.special.betaln; Nelder-Mead then BFGS over ln α, ln β), summing for each group
  // churned (ln P(T = t) − ln S(from)) + subscribed (ln S(t) − ln S(from)).
  const groups: SbgGroup[] = [
    [1, 0, 40, 0],
    [2, 0, 25, 0],
    [3, 0, 12, 0],
    [3, 0, 0, 30],
    [5, 0, 8, 0],
    [6, 0, 0, 50],
    [8, 4, 6, 0],
    [8, 4, 0, 20],
    [10, 9, 9, 0],
    [10, 9, 0, 41],
    [12, 0, 0, 15],
    [2, 1, 5, 0],
    [2, 1, 0, 12],
    [0, 0, 0, 7]
  ].map(([tenure, from, churned, subscribed]) => ({tenure, from, churned, subscribed}));

  it("maximises the censored likelihood where scipy does", () => {
    const fit = fitSbgGroups(groups);
    expect(fit.converged).toBe(true);
    expect(fit.params.alpha).toBeCloseTo(0.42123669, 5);
    expect(fit.params.beta).toBeCloseTo(1.40723899, 5);
    expect(fit.logLikelihood).toBeCloseTo(-307.1616873627483, 8);
  });

  it("counts subscribers by tenure, watched from the start or over the last window", () => {
    const tenure = [3, 3, 3, 0, 5, NaN];
    const churned = [1, 0, 0, 0, 1, 1];
    expect(sbgGroups(tenure, churned)).toEqual([
      {tenure: 0, from: 0, churned: 0, subscribed: 1},
      {tenure: 3, from: 0, churned: 1, subscribed: 2},
      {tenure: 5, from: 0, churned: 1, subscribed: 0}
    ]);
    expect(sbgGroups(tenure, churned, 1, [0, 4, 3])).toEqual([
      {tenure: 0, from: 0, churned: 0, subscribed: 1},
      {tenure: 3, from: 2, churned: 1, subscribed: 0},
      {tenure: 5, from: 4, churned: 1, subscribed: 0}
    ]);
  });

  it("refuses a churn nobody could have seen", () => {
    expect(() => fitSbgGroups([{tenure: 2, from: 2, churned: 1, subscribed: 0}])).toThrow(
      "sBG: group 0 (tenure 2, from 2): a churn is seen in a period after the watch began, and ≥ 1"
    );
    expect(() => fitSbgGroups([{tenure: 2, from: 0, churned: 0, subscribed: 5}])).toThrow(
      "sBG: nobody churned, so churn cannot be estimated"
    );
  });
});

describe("sbgHazard(params, t)", () => {
  it("is P(T = t + 1) / S(t), the churn of a subscriber who has completed t periods", () => {
    const params = {alpha: 0.704, beta: 1.182};
    expect(sbgHazard(params, 0)).toBeCloseTo(0.704 / 1.886, 12);
    for (let t = 0; t <= 10; t++)
      expect(sbgHazard(params, t)).toBeCloseTo(
        sbgChurn(params, t + 1) / sbgSurvival(params, t),
        12
      );
  });
});

describe("sbgResidualLifetime(params, t, discount)", () => {
  // References from scipy 1.17.1, (β + t) / (α + β + t) · hyp2f1(1, β + t + 1, α + β + t + 1,
  // 1 / (1 + d)), checked against mpmath's hyp2f1 at 15 digits.
  const cases: [number, number, number, number, number][] = [
    [0.704, 1.182, 0, 0.1, 2.9646621461320284],
    [0.704, 1.182, 4, 0.1, 5.894422859844158],
    [0.668, 3.806, 0, 0.1, 5.414856048374033],
    [0.668, 3.806, 6, 0.1, 7.34505225928385],
    [7.4251985, 4.26442384, 12, 0.01, 2.454683969187043]
  ];
  it("is Fader and Hardie's DERL, the hypergeometric series", () => {
    for (const [alpha, beta, t, d, expected] of cases)
      expect(sbgResidualLifetime({alpha, beta}, t, d)).toBeCloseTo(expected, 9);
  });

  it("is (β + t) / (α − 1) undiscounted, and infinite when α ≤ 1", () => {
    expect(sbgResidualLifetime({alpha: 7.4251985, beta: 4.26442384}, 12, 0)).toBeCloseTo(
      (4.26442384 + 12) / 6.4251985,
      12
    );
    expect(sbgResidualLifetime({alpha: 0.704, beta: 1.182}, 3, 0)).toBe(Infinity);
  });
});
