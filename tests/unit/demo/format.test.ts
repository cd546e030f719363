import {describe, expect, it} from "vitest";
import {
  civilFromDays,
  daysFromCivil,
  formatTimestamp,
  parseDay,
  weekday
} from "../../../loaders/demo/calendar.ts";
import {CAMPAIGNS, salesOf} from "../../../loaders/demo/campaigns.ts";
import {csvField, csvLine} from "../../../loaders/demo/csv.ts";
import {futureTimestamp, malformedTimestamp} from "../../../loaders/demo/dirt.ts";
import {COUNTRIES, postalCodes} from "../../../loaders/demo/geography.ts";
import {isTimestamp} from "./read-csv.ts";

describe("calendar", () => {
  it("round-trips day numbers and agrees with Date.UTC", () => {
    for (const [y, m, d] of [
      [1970, 1, 1],
      [2024, 2, 29],
      [2026, 10, 31],
      [1935, 6, 15]
    ]) {
      const days = daysFromCivil(y, m, d);
      expect(days).toBe(Date.UTC(y, m - 1, d) / 86400000);
      expect(civilFromDays(days)).toEqual([y, m, d]);
    }
  });

  it("formats UTC timestamps and weekdays", () => {
    expect(formatTimestamp(Date.UTC(2025, 10, 28, 7, 5, 9) / 1000)).toBe("2025-11-28 07:05:09");
    expect(weekday(daysFromCivil(2025, 11, 28))).toBe(4);
    expect(parseDay("2025-02-29")).toBeNull();
  });

  it("puts Black Friday on the day after the fourth Thursday of November", () => {
    const bf = salesOf(2025).find((s) => s.slug === "black-friday")!;
    expect(bf.from + 3).toBe(daysFromCivil(2025, 11, 28));
  });

  it("names campaigns like 2025-11-black-friday and newsletter-2025-w11", () => {
    const names = new Set(CAMPAIGNS.map((c) => c.name));
    expect(names.has("2025-11-black-friday")).toBe(true);
    expect(names.has("newsletter-2025-w11")).toBe(true);
    expect(names.size).toBe(CAMPAIGNS.length);
  });
});

describe("csv", () => {
  it("quotes only fields that need it", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("12,50")).toBe('"12,50"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvLine(["a", "", "b\nc"])).toBe('a,,"b\nc"');
  });
});

describe("dirt", () => {
  const t = Date.UTC(2025, 5, 14, 10, 0, 0) / 1000;

  it("writes malformed timestamps that are never valid", () => {
    for (let u = 0; u < 1; u += 0.05)
      expect(isTimestamp(malformedTimestamp(t, u)), malformedTimestamp(t, u)).toBe(false);
  });

  it("writes future-dated typos past the horizon", () => {
    expect(futureTimestamp(t)).toBe("2052-06-14 10:00:00");
  });
});

describe("postalCodes()", () => {
  it("covers every country with unique codes and plausible coordinates", () => {
    const rows = postalCodes();
    expect(rows.length).toBeGreaterThan(200);
    expect(rows.length).toBeLessThan(1000);
    expect(new Set(rows.map((r) => `${r.country}/${r.postalCode}`)).size).toBe(rows.length);
    for (const c of COUNTRIES)
      expect(
        rows.some((r) => r.country === c.code),
        c.code
      ).toBe(true);
    for (const r of rows) {
      expect(Math.abs(r.latitude)).toBeLessThan(70);
      expect(r.areaIncome).toBeGreaterThan(10000);
    }
  });
});
