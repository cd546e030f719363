import {describe, expect, it} from "vitest";
import {
  auc,
  brier,
  calibration,
  chooseThreshold,
  flagAt,
  logLoss
} from "../../loaders/value/scoring.ts";

/** AUC by brute force over every (positive, negative) pair, ties half. */
function pairwise(s: number[], y: number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < s.length; i++)
    for (let j = 0; j < s.length; j++)
      if (y[i] === 1 && y[j] === 0) {
        pairs++;
        wins += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
      }
  return wins / pairs;
}

describe("auc(scores, outcomes)", () => {
  it("equals the share of positive-over-negative pairs, ties counted half", () => {
    const s = [0.9, 0.8, 0.8, 0.7, 0.3, 0.3, 0.3, 0.1, 0.05, 0.9];
    const y = [1, 0, 1, 1, 0, 1, 0, 0, 0, 0];
    expect(auc(s, y)).toBeCloseTo(pairwise(s, y), 12);
  });
  it("is 1 for a perfect ranking, 0 for a reversed one, 0.5 for a constant score", () => {
    expect(auc([3, 2, 1, 0], [1, 1, 0, 0])).toBe(1);
    expect(auc([0, 1, 2, 3], [1, 1, 0, 0])).toBe(0);
    expect(auc([1, 1, 1, 1], [1, 0, 1, 0])).toBe(0.5);
  });
  it("is NaN with one class only, and skips NaN pairs", () => {
    expect(auc([0.2, 0.4], [1, 1])).toBeNaN();
    expect(auc([0.9, NaN, 0.1], [1, 0, 0])).toBe(1);
  });
});

describe("brier and logLoss", () => {
  it("score probabilities against outcomes", () => {
    expect(brier([1, 0, 0.5], [1, 0, 1])).toBeCloseTo(0.25 / 3, 12);
    expect(logLoss([0.5, 0.5], [1, 0])).toBeCloseTo(Math.log(2), 12);
    expect(Number.isFinite(logLoss([0, 1], [1, 0]))).toBe(true);
  });
});

describe("calibration(probabilities, outcomes, groups)", () => {
  it("groups by prediction from the lowest, with mean predicted and actual rates", () => {
    const p = [0.1, 0.9, 0.2, 0.8];
    const y = [0, 1, 1, 1];
    expect(calibration(p, y, 2)).toEqual([
      {group: 1, customers: 2, predicted: expect.closeTo(0.15, 12), actual: 0.5},
      {group: 2, customers: 2, predicted: expect.closeTo(0.85, 12), actual: 1}
    ]);
  });
});

describe("auc and calibration on many tied scores", () => {
  // 2,000 scores on 37 levels (−0 and 0 among them), some NaN, from a fixed generator.
  let state = 12345;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const s = Array.from({length: 2000}, (_, i) =>
    i % 97 === 0 ? NaN : i % 89 === 0 ? -0 : Math.floor(next() * 37) / 36
  );
  const y = s.map((v) => (next() < (Number.isNaN(v) ? 0.5 : v) ? 1 : 0));

  it("gives the brute-force AUC", () => {
    const kept = s.flatMap((v, i) => (Number.isNaN(v) ? [] : [i]));
    const expected = pairwise(
      kept.map((i) => s[i]),
      kept.map((i) => y[i])
    );
    expect(auc(s, y)).toBeCloseTo(expected, 12);
  });

  it("splits ties between groups by input order, as a sort of the indices does", () => {
    const kept = s.flatMap((v, i) => (Number.isNaN(v) ? [] : [i]));
    const order = [...kept].sort((a, b) => s[b] - s[a] || a - b).reverse();
    const groups = calibration(s, y, 7);
    let from = 0;
    groups.forEach((group) => {
      const members = order.slice(from, from + group.customers);
      from += group.customers;
      const predicted = members.reduce((sum, i) => sum + s[i], 0) / members.length;
      const actual = members.reduce((sum, i) => sum + y[i], 0) / members.length;
      expect(group.predicted).toBeCloseTo(predicted, 12);
      expect(group.actual).toBeCloseTo(actual, 12);
    });
    expect(from).toBe(kept.length);
  });
});

describe("flagAt and chooseThreshold", () => {
  const s = [0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.55, 0.4, 0.3, 0.2];
  const y = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1];
  it("measure precision and recall of flagging at or above a threshold", () => {
    expect(flagAt(s, y, 0.8)).toEqual({
      threshold: 0.8,
      flagged: 4,
      share: 0.4,
      precision: 0.75,
      recall: 0.5,
      baseRate: 0.6
    });
  });
  it("pick the lowest threshold that keeps the target precision, never below the floor", () => {
    const choice = chooseThreshold(s, y, {precision: 0.7});
    // ≥ 0.55 flags 7 with 5 lapsed (0.714); ≥ 0.4 would be below the floor of 0.5.
    expect(choice.flag?.threshold).toBe(0.55);
    expect(choice.flag?.precision).toBeCloseTo(5 / 7, 12);
  });
  it("say why when no threshold reaches the target", () => {
    const choice = chooseThreshold(s, y, {precision: 1.01});
    expect(choice.flag).toBeNull();
    if (choice.flag === null) expect(choice.reason).toMatch(/best was 100%/);
  });
  it("flag a top share, ties at the cut included", () => {
    expect(chooseThreshold(s, y, {share: 0.3}).flag?.threshold).toBe(0.85);
    expect(chooseThreshold([1, 1, 1, 0], [1, 0, 1, 0], {share: 0.25}).flag?.flagged).toBe(3);
  });
});
