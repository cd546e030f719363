/** The rules every published number obeys (loaders/site/published.ts). */
import {describe, expect, it} from "vitest";
import {cents, DIGITS, round, roundDeep, roundRow, suppress} from "../../loaders/site/published.ts";

describe("round(x, digits)", () => {
  it("rounds to four significant digits on pages and six in exports", () => {
    expect(round(1 / 3)).toBe(0.3333);
    expect(round(1 / 3, DIGITS.export)).toBe(0.333333);
    expect(round(0.1 + 0.2, DIGITS.export)).toBe(0.3);
    expect(round(123456789, DIGITS.export)).toBe(123457000);
    expect(round(-0.000123456789, DIGITS.export)).toBe(-0.000123457);
    expect(round(2 / 3, DIGITS.card)).toBe(0.667);
    expect(round(42)).toBe(42);
  });

  it("gives null for null and for values that are not finite numbers", () => {
    expect(round(null)).toBeNull();
    expect(round(undefined)).toBeNull();
    expect(round(NaN)).toBeNull();
    expect(round(Infinity, DIGITS.export)).toBeNull();
    expect(round("1.5")).toBeNull();
  });
});

describe("cents(x)", () => {
  it("rounds money to the cent", () => {
    expect(cents(12.345678)).toBe(12.35);
    expect(cents(1234567.891)).toBe(1234567.89);
    expect(cents(null)).toBeNull();
  });
});

describe("roundRow(row, digits) and roundDeep(value, digits)", () => {
  it("rounds a row's own numbers and leaves nested values to roundDeep", () => {
    const row = {a: 1 / 3, b: "x", c: [1 / 3], d: null};
    expect(roundRow(row)).toEqual({a: 0.3333, b: "x", c: [1 / 3], d: null});
    expect(roundDeep(row, DIGITS.export)).toEqual({a: 0.333333, b: "x", c: [0.333333], d: null});
  });
});

describe("suppress(n, min)", () => {
  it("publishes zero and counts of at least min, hides the rest", () => {
    expect(suppress(0, 10)).toBe(0);
    expect(suppress(9, 10)).toBeNull();
    expect(suppress(10, 10)).toBe(10);
  });
});
