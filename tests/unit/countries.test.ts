/** The countries and their spellings (loaders/clean/countries.ts). */
import {describe, expect, it} from "vitest";
import {
  COUNTRIES,
  countryCode,
  countryKey,
  countrySpellings
} from "../../loaders/clean/countries.ts";

describe("reference/countries.ts", () => {
  it("holds all 249 ISO 3166-1 countries with unique alpha-2 and alpha-3 codes", () => {
    expect(COUNTRIES).toHaveLength(249);
    expect(new Set(COUNTRIES.map((c) => c.alpha2)).size).toBe(249);
    expect(new Set(COUNTRIES.map((c) => c.alpha3)).size).toBe(249);
    for (const c of COUNTRIES) {
      expect(c.alpha2).toMatch(/^[A-Z]{2}$/);
      expect(c.alpha3).toMatch(/^[A-Z]{3}$/);
    }
  });

  it("never lets one spelling name two countries", () => {
    const named = new Map<string, string>();
    for (const {spelling, alpha2} of countrySpellings()) {
      const key = countryKey(spelling);
      expect(key, spelling).not.toBe("");
      expect(named.get(key) ?? alpha2, `${spelling} names ${named.get(key)} and ${alpha2}`).toBe(
        alpha2
      );
      named.set(key, alpha2);
    }
  });

  it("finds a country by any of its spellings", () => {
    expect(countryCode("  deutschland ")).toBe("DE");
    expect(countryCode("U.S.A.")).toBe("US");
    expect(countryCode("the Bahamas")).toBe("BS");
    expect(countryCode("Atlantis")).toBeUndefined();
  });
});
