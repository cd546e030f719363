/** Segments (loaders/profile/segments.ts): the labels of a numeric variable's bins. */
import {describe, expect, it} from "vitest";
import {binLabels} from "../../loaders/profile/segments.ts";

describe("binLabels(bins, unit)", () => {
  it("labels whole units by their first and last value", () => {
    expect(binLabels([25, 35, 45, 55, 65], "years")).toEqual([
      "under 25",
      "25–34",
      "35–44",
      "45–54",
      "55–64",
      "65 and over"
    ]);
    expect(binLabels([1, 3, 5], "orders")).toEqual(["under 1", "1–2", "3–4", "5 and over"]);
    expect(binLabels([1, 2, 5], "orders")).toEqual(["under 1", "1", "2–4", "5 and over"]);
  });

  it("labels other units, and whole units with fractional bins, by their bounds", () => {
    expect(binLabels([25, 35], "currency")).toEqual(["under 25", "25–35", "35 and over"]);
    expect(binLabels([0.5, 1.5], "years")).toEqual(["under 0.5", "0.5–1.5", "1.5 and over"]);
  });

  it("writes thousands with separators and at most two decimals", () => {
    expect(binLabels([1000, 2500.125], "currency")).toEqual([
      "under 1,000",
      "1,000–2,500.13",
      "2,500.13 and over"
    ]);
  });

  it("gives a single bin two labels", () => {
    expect(binLabels([18], "years")).toEqual(["under 18", "18 and over"]);
  });
});
