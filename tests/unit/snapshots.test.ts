/**
 * Snapshot dates, the PSI bins, the drop test of the at-risk movers, and "what changed" on the
 * reports.
 */
import {describe, expect, it} from "vitest";
import {
  binomialLowerTail,
  binSql,
  edgeSql,
  snapshotDates
} from "../../loaders/history/snapshots.ts";
import type {ClusterColumn} from "../../loaders/profile/matrix.ts";
import {driftReasons} from "../../loaders/site/history.ts";
import {changesView, describeChange} from "../../src/components/changes.ts";
import type {ProfileChanges} from "../../src/contracts/report.ts";
import {expectSnapshot, testDocument} from "../support/snapshot.ts";

describe("edgeSql(edge)", () => {
  it("binds the edge's 17 digits, cast to the DECIMAL DuckDB reads them as", () => {
    expect(edgeSql(0.1).render()).toEqual({
      text: "$1::DECIMAL(18, 17)",
      params: ["0.10000000000000001"]
    });
    expect(edgeSql(-1234.5678).render()).toEqual({
      text: "$1::DECIMAL(17, 13)",
      params: ["-1234.5678000000000"]
    });
    expect(edgeSql(0.0000123).render().text).toBe("$1::DECIMAL(22, 21)");
  });

  it("binds an exponent, a number without fraction, or no number as a DOUBLE", () => {
    expect(edgeSql(1.5e-7).render()).toEqual({
      text: "$1::DOUBLE",
      params: ["1.4999999999999999e-7"]
    });
    expect(edgeSql(12345678901234568).render()).toEqual({
      text: "$1::DOUBLE",
      params: ["12345678901234568"]
    });
    expect(edgeSql(NaN).render()).toEqual({text: "$1::DOUBLE", params: ["0"]});
  });
});

describe("binSql(columns, edgesOf)", () => {
  const column = (c: Partial<ClusterColumn> & Pick<ClusterColumn, "column" | "feature">) =>
    ({level: null, ...c}) as ClusterColumn;

  it("counts the distinct edges a number exceeds, and numbers a category's levels", () => {
    const bins = binSql(
      [
        column({column: "c0", feature: "spend"}),
        column({column: "c1", feature: "tenure_days"}),
        column({column: "c2", feature: "channel", level: "web"}),
        column({column: "c3", feature: "channel", level: "app"})
      ],
      () => [0.5, -1, 0.5]
    );
    expect(bins.map((b) => b.feature)).toEqual(["spend", "channel"]);
    expect(bins[0].sql.render()).toEqual({
      text: 'CASE WHEN "c0" IS NULL THEN -1 ELSE ("c0" > $1::DECIMAL(17, 16))::INTEGER + ("c0" > $2::DECIMAL(18, 17))::INTEGER END',
      params: ["-1.0000000000000000", "0.50000000000000000"]
    });
    expect(bins[1].sql.render()).toEqual({
      text: 'CASE WHEN "c2" > 0 THEN $1 WHEN "c3" > 0 THEN $2 ELSE -1 END',
      params: [0, 1]
    });
  });

  it("puts every value of a number in bin 0 when it has no edges", () => {
    const [bin] = binSql([column({column: "c0", feature: "spend"})], () => []);
    expect(bin.sql.render().text).toBe('CASE WHEN "c0" IS NULL THEN -1 ELSE 0 END');
  });
});

describe("snapshotDates", () => {
  it("steps back by quarters from a month end, to month ends, across years", () => {
    expect(snapshotDates("2026-10-31", "quarter", 4)).toEqual([
      "2025-10-31",
      "2026-01-31",
      "2026-04-30",
      "2026-07-31"
    ]);
    expect(snapshotDates("2026-02-28", "month", 3)).toEqual([
      "2025-11-30",
      "2025-12-31",
      "2026-01-31"
    ]);
  });

  it("keeps the day of the month otherwise, clamped to short months", () => {
    expect(snapshotDates("2026-05-30", "quarter", 2)).toEqual(["2025-11-30", "2026-02-28"]);
    expect(snapshotDates("2026-03-15", "month", 1)).toEqual(["2026-02-15"]);
    expect(snapshotDates("2026-03-15", "month", 0)).toEqual([]);
  });
});

describe("binomialLowerTail", () => {
  it("is the chance of k or fewer of n events in the recent half under an unchanged rate", () => {
    expect(binomialLowerTail(0, 3)).toBeCloseTo(0.125, 12);
    expect(binomialLowerTail(1, 4)).toBeCloseTo(5 / 16, 12);
    expect(binomialLowerTail(5, 5)).toBe(1);
    expect(binomialLowerTail(0, 0)).toBe(1);
    // 20 events a year ago and 2 now: far below chance
    expect(binomialLowerTail(2, 22)).toBeLessThan(0.001);
    // a symmetric split is not a drop
    expect(binomialLowerTail(10, 20)).toBeGreaterThan(0.5);
  });
});

describe("drift reasons", () => {
  it("names the shift and the features past their thresholds, largest first", () => {
    const reasons = driftReasons(
      {
        centroid_shift: 0.72,
        features: [
          {label: "Time since the last order", psi: 0.58},
          {label: "Orders via app", psi: 0.3},
          {label: "Age", psi: 0.01}
        ]
      },
      {centroidShift: 0.5, psi: 0.25}
    );
    expect(reasons).toEqual([
      "Its members' averages moved 0.72 standard deviations from where they stood (above 0.5 is a large move).",
      "Time since the last order: its spread shifted, PSI 0.58 (above 0.25 is a large shift).",
      "Orders via app: its spread shifted, PSI 0.30 (above 0.25 is a large shift)."
    ]);
    expect(
      driftReasons({centroid_shift: 0.1, features: []}, {centroidShift: 0.5, psi: 0.25})
    ).toEqual([]);
  });
});

const changes: ProfileChanges = {
  previous: "2026-07-31",
  current: "2026-10-31",
  customers: {before: 1715, after: 2901},
  share: {before: 0.094, after: 0.145},
  at_risk_share: {before: 0.0356, after: 0.0262},
  at_risk_suppressed: {before: false, after: false},
  value_per_customer: {before: 748.6, after: 735.42},
  moved_in: [
    {profile_id: "joined", name: "new customers", customers: 1753},
    {profile_id: "p1", name: "Self-reliant, app-first", customers: null}
  ],
  moved_out: [{profile_id: "p2", name: "Deal-seeking, price-sensitive", customers: 222}],
  traits: [
    {feature: "tenure_days", label: "Time as a customer", unit: "days", before: 175, after: 133.6}
  ],
  drift: {
    alert: true,
    reasons: [
      "Its members' averages moved 0.63 standard deviations from where they stood (above 0.5 is a large move)."
    ]
  }
};

describe("what changed on a profile report", () => {
  it("describes changes in points for shares and in per cent otherwise", () => {
    expect(describeChange({before: 0.094, after: 0.145}, "share")).toBe("+5.1 pts");
    expect(describeChange({before: 1715, after: 2901}, "ratio")).toBe("+69%");
    expect(describeChange({before: 100, after: 100.2}, "ratio")).toBe("unchanged");
    expect(describeChange({before: null, after: 3}, "ratio")).toBe("–");
  });

  it("renders then, now, where customers came from and went, and the alert", () => {
    const view = changesView(changes, {minGroupSize: 10, document: testDocument()});
    expect(view.querySelector(".alert")?.textContent).toContain("0.63 standard deviations");
    // a suppressed flow may be small, or hidden so that a small one cannot be worked out
    expect(view.textContent).toContain("an undisclosed number from Self-reliant, app-first");
    expect(view.textContent).toContain("222 to Deal-seeking, price-sensitive");
    expect([...view.querySelectorAll("tbody tr")].map((r) => r.firstChild?.textContent)).toEqual([
      "Customers",
      "Share of all customers",
      "At risk",
      "Expected value per customer, 12 months",
      "Time as a customer"
    ]);
    expectSnapshot("profile-changes", view);
  });

  /** The "At risk" row's cells for these changes. */
  const riskRow = (c: ProfileChanges) => {
    const view = changesView(c, {minGroupSize: 10, document: testDocument()});
    const row = [...view.querySelectorAll("tbody tr")].find(
      (r) => r.firstChild?.textContent === "At risk"
    );
    return [...row!.children].map((cell) => cell.textContent);
  };

  it("says 'not assessed' for a side whose risk was not assessed, and no change in risk", () => {
    const unassessed = {...changes, at_risk_share: {before: null, after: 0.0262}};
    expect(riskRow(unassessed)).toEqual(["At risk", "not assessed", "2.6%", "–"]);
  });

  it("says 'fewer than 10 customers' for a side with a suppressed share, 'suppressed' for one hidden beside it", () => {
    const few = {
      ...changes,
      at_risk_share: {before: null, after: null},
      at_risk_suppressed: {before: true, after: "complement" as const}
    };
    expect(riskRow(few)).toEqual(["At risk", "fewer than 10 customers", "suppressed", "–"]);
  });

  it("says so when there is no earlier snapshot", () => {
    const view = changesView(null, {minGroupSize: 10, document: testDocument()});
    expect(view.textContent).toMatch(/No earlier snapshot/);
  });
});
