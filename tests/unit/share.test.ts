/** The one share format (src/contracts/share.ts), written by the engine and by every page. */
import * as d3 from "d3";
import {describe, expect, it} from "vitest";
import {formatPercent, formatPercentChange, formatShare} from "../../src/contracts/share.ts";

describe("formatShare(x)", () => {
  it("writes a percentage with no space, a decimal under 10%, a true minus sign", () => {
    expect(formatShare(0.123)).toBe("12%");
    expect(formatShare(0.0456)).toBe("4.6%");
    expect(formatShare(0)).toBe("0%");
    expect(formatShare(1)).toBe("100%");
    expect(formatShare(-0.25)).toBe("−25%");
    expect(formatShare(-0.00001)).toBe("0.0%");
    expect(formatShare(null)).toBe("–");
    expect(formatShare(Number.NaN)).toBe("–");
  });

  it("reads exactly as d3's .0% and .1% formats, so charts and sentences agree", () => {
    const pct = d3.format(".0%");
    const pct1 = d3.format(".1%");
    const values = [0, -0, 0.0999, 0.09995, 0.995, 2 / 3, -2 / 3, 1e-9, -0.0004, 12.5];
    for (let i = 1; i <= 2000; i++) values.push(Math.sin(i) * (i % 3 === 0 ? 0.2 : 3));
    for (const x of values)
      expect(formatShare(x), String(x)).toBe(Math.abs(x) < 0.1 && x !== 0 ? pct1(x) : pct(x));
  });
});

describe("formatPercentChange(x, digits) and formatPercent(percent, digits)", () => {
  it("signs a change, and writes a number of percent", () => {
    expect(formatPercentChange(0.69)).toBe("+69%");
    expect(formatPercentChange(-0.024)).toBe("−2%");
    expect(formatPercentChange(0)).toBe("0%");
    expect(formatPercentChange(undefined)).toBe("–");
    expect(formatPercent(12.345, 1)).toBe("12.3%");
  });
});
