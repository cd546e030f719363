/** The Overview's KPI tiles: sparkline, change in words (src/components/sparkline.ts), short amounts. */
import {describe, expect, it} from "vitest";
import {changeSince, sparkline} from "../../src/components/sparkline.ts";
import {sharesFinding, valueRiskFinding} from "../../src/components/glance.ts";
import {formatMoneyShort} from "../../src/contracts/money.ts";
import {testDocument} from "../support/snapshot.ts";

const dates = ["2026-01-31", "2026-04-30", "2026-07-31", "2026-10-31"];

describe("sparkline(values, options)", () => {
  const document = testDocument();
  const format = (v: number) => `${Math.round(v * 100)}%`;

  it("draws one line through the values, the last marked, and reads them aloud", () => {
    const svg = sparkline([0.02, 0.01, 0.03, 0.11], {format, label: "At risk", dates, document})!;
    expect(svg.getAttribute("role")).toBe("img");
    expect(svg.getAttribute("aria-label")).toBe(
      "At risk. 31 January 2026: 2%; 30 April 2026: 1%; 31 July 2026: 3%; 31 October 2026: 11%."
    );
    const d = svg.querySelector("path")!.getAttribute("d")!;
    expect(d.match(/[ML]/g)).toEqual(["M", "L", "L", "L"]);
    // the highest value is drawn at the top, the lowest at the bottom
    const ys = [...d.matchAll(/,([0-9.]+)/g)].map((m) => Number(m[1]));
    expect(ys[3]).toBe(Math.min(...ys));
    expect(ys[1]).toBe(Math.max(...ys));
    expect(svg.querySelectorAll("circle")).toHaveLength(1);
  });

  it("breaks the line at a value not measured, and says so", () => {
    const svg = sparkline([5, null, 7, 8], {format: String, label: "Customers", dates, document})!;
    expect(svg.querySelector("path")!.getAttribute("d")!.match(/[ML]/g)).toEqual(["M", "M", "L"]);
    expect(svg.getAttribute("aria-label")).toContain("30 April 2026: not measured");
  });

  it("draws nothing from fewer than two values", () => {
    expect(sparkline([5], {format: String, label: "x", dates, document})).toBeNull();
    expect(sparkline([null, 3, null], {format: String, label: "x", dates, document})).toBeNull();
  });
});

describe("changeSince(previous, now, kind)", () => {
  it("gives counts and amounts as a relative change, shares in points", () => {
    expect(changeSince(18242, 20005, "relative")).toBe("+9.7%");
    expect(changeSince(1282.86, 1161.41, "relative")).toBe("−9.5%");
    expect(changeSince(0.0266, 0.1079, "points")).toBe("+8.1 points");
    expect(changeSince(0.1079, 0.0266, "points")).toBe("−8.1 points");
    expect(changeSince(100, 100, "relative")).toBe("no change");
  });

  it("says nothing where a side is missing, never 0", () => {
    expect(changeSince(null, 0.1, "points")).toBeNull();
    expect(changeSince(0.1, undefined, "points")).toBeNull();
    expect(changeSince(0, 5, "relative")).toBeNull();
  });
});

describe("formatMoneyShort(x, currency)", () => {
  it("writes amounts in full below a million and in millions above, in the currency", () => {
    expect(formatMoneyShort(1161.41, "USD")).toBe("$1,161");
    expect(formatMoneyShort(845210, null)).toBe("845,210");
    expect(formatMoneyShort(23339451.9, "USD")).toBe("$23.3M");
    expect(formatMoneyShort(23339451.9, null)).toBe("23.3M");
    expect(formatMoneyShort(-2_500_000, "EUR")).toBe("−€2.5M");
    expect(formatMoneyShort(null, "USD")).toBe("–");
  });
});

describe("sharesFinding(profiles) and valueRiskFinding(profiles, currency)", () => {
  const p = (
    id: string,
    name: string,
    share: number,
    revenue: number | null,
    value: number | null,
    risk: number | null
  ) => ({
    id,
    name,
    customers: Math.round(share * 1000),
    share,
    revenue_share: revenue,
    value_12m: value,
    at_risk_share: risk,
    at_risk_suppressed: false
  });
  const profiles = [
    p("p1", "Regulars", 0.5, 0.3, 300, 0.05),
    p("p2", "Business", 0.1, 0.6, 8000, 0.04),
    p("p3", "Lapsing", 0.4, 0.1, 200, 0.5)
  ];

  it("names the profile whose revenue most exceeds its size, or the largest without revenue", () => {
    expect(sharesFinding(profiles)).toBe("“Business” is 10% of customers and 60% of revenue");
    expect(sharesFinding(profiles.map((x) => ({...x, revenue_share: null})))).toBe(
      "“Regulars” is the largest profile, 50% of customers"
    );
  });

  it("says where the value and where the risk are, in the currency", () => {
    expect(valueRiskFinding(profiles, "USD")).toBe(
      "The value is in “Business” ($8,000 per customer), the risk in “Lapsing” (50% at risk)"
    );
    expect(valueRiskFinding([profiles[1]], null)).toBe(
      "“Business” holds the most value per customer (8,000) and the most risk (4.0%)"
    );
  });

  it("leaves out a profile whose at-risk share is suppressed (fewer than 10 at risk)", () => {
    const few = {...profiles[2], at_risk_share: null, at_risk_suppressed: true};
    expect(valueRiskFinding([profiles[0], profiles[1], few], "USD")).toBe(
      "The value is in “Business” ($8,000 per customer), the risk in “Regulars” (5.0% at risk)"
    );
  });
});
