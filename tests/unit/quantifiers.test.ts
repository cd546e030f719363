/** Quantifiers (loaders/profile/quantifiers.ts): the word for a share agrees with its number. */
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {quantifier, shownPercent} from "../../loaders/profile/quantifiers.ts";
import {QUANTIFIER_TRUTH, RUNS} from "../support/words.ts";

describe("shownPercent(share)", () => {
  it("is the percentage formatShare prints: whole above 10 %, one decimal below", () => {
    expect(shownPercent(0.274)).toBe(27);
    expect(shownPercent(0.0456)).toBe(4.6);
    expect(shownPercent(0.996)).toBe(100);
    expect(shownPercent(0)).toBe(0);
  });
});

describe("quantifier(share)", () => {
  it("says most only above half, and a third only near a third", () => {
    expect(quantifier(0.27)).toBe("more than a quarter");
    expect(quantifier(0.29)).toBe("more than a quarter");
    expect(quantifier(0.5)).toBe("half");
    expect(quantifier(0.504)).toBe("half"); // printed 50%
    expect(quantifier(0.51)).toBe("most");
    expect(quantifier(0.34)).toBe("a third");
    expect(quantifier(0.4)).toBe("more than a third");
    expect(quantifier(0.25)).toBe("a quarter");
    expect(quantifier(0.2)).toBe("a fifth");
    expect(quantifier(0.1)).toBe("one in ten");
    expect(quantifier(0.05)).toBe("a few");
    expect(quantifier(0)).toBe("none");
  });

  it("says all only for 100 % as printed, and nearly all from 90 %", () => {
    expect(quantifier(1)).toBe("all");
    expect(quantifier(0.996)).toBe("all"); // printed 100%
    expect(quantifier(0.994)).toBe("nearly all"); // printed 99%
    expect(quantifier(0.9)).toBe("nearly all");
    expect(quantifier(0.89)).toBe("most");
  });

  it("is true of the percentage printed beside it, for any share", () => {
    fc.assert(
      fc.property(fc.double({min: 0, max: 1, noNaN: true}), (share) => {
        const word = quantifier(share);
        expect(Object.keys(QUANTIFIER_TRUTH)).toContain(word);
        expect(
          QUANTIFIER_TRUTH[word](shownPercent(share)),
          `${word} for ${shownPercent(share)}%`
        ).toBe(true);
      }),
      RUNS
    );
  });
});
