/**
 * The shifted-beta-geometric model (loaders/value/clv/sbg.ts) against Fader and Hardie (2007):
 * the two published retention curves and their maximum-likelihood estimates, as
 * ../shared/datasets/sbg/README.md records them.
 */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {fitSbg, sbgChurn, sbgSurvival} from "../../loaders/value/clv/sbg.ts";

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
