import {describe, expect, it} from "vitest";
import {
  readSuppression,
  storedSuppression,
  suppressRisk
} from "../../loaders/profile/risk-suppression.ts";

describe("suppressRisk(groups, min)", () => {
  it("publishes every share when none stands for 1 to min − 1 customers at risk", () => {
    const groups = [
      {atRisk: 40, customers: 200},
      {atRisk: 0, customers: 100}
    ];
    expect(suppressRisk(groups, 10)).toEqual({profiles: [false, false], base: false});
  });

  it("hides the smallest other share beside one of 3 at risk, so all customers' share cannot give it back", () => {
    const groups = [
      {atRisk: 3, customers: 500},
      {atRisk: 60, customers: 300},
      {atRisk: 40, customers: 200},
      {atRisk: 0, customers: 100}
    ];
    expect(suppressRisk(groups, 10)).toEqual({
      profiles: [true, false, "complement", false],
      base: false
    });
  });

  it("never hides a profile whose risk was not assessed, and suppresses all customers' share when it is small too", () => {
    const unassessed = [
      {atRisk: 3, customers: 500},
      {atRisk: null, customers: 300},
      {atRisk: 40, customers: 200}
    ];
    expect(suppressRisk(unassessed, 10).profiles).toEqual([true, false, "complement"]);
    const few = [
      {atRisk: 3, customers: 500},
      {atRisk: 4, customers: 300}
    ];
    expect(suppressRisk(few, 10)).toEqual({profiles: [true, true], base: true});
  });

  it("keeps its state in the store as text", () => {
    for (const state of [true, false, "complement"] as const)
      expect(readSuppression(storedSuppression(state))).toBe(state);
  });
});
