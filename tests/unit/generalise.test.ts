/** k-anonymity by generalisation then suppression (loaders/site/generalise.ts). */
import {describe, expect, it} from "vitest";
import {generalise, type QuasiColumn} from "../../loaders/site/generalise.ts";
import {equivalenceClasses, quasiIdentifiers} from "../../loaders/site/quasi-identifiers.ts";

/** 600 customers: exact ages 18–77, tenure in days up to about 12 years, a country of five. */
const N = 600;
const age = Array.from({length: N}, (_, i) => 18 + ((i * 37) % 60));
const tenure = Array.from({length: N}, (_, i) => (i * 7919) % 4400);
const country = Array.from({length: N}, (_, i) => ["DE", "FR", "GB", "US", "NL"][(i * 13) % 5]);
const columns: QuasiColumn[] = [
  {column: "age", kind: "number", unit: "years", values: age},
  {column: "tenure_days", kind: "number", unit: "days", values: tenure, weight: 4},
  {column: "segment_country", kind: "category", unit: "category", values: country}
];

function smallest(published: ReturnType<typeof generalise>): number {
  const kept = published.columns
    .filter((c) => !c.withheld)
    .map((c) => c.values.filter((_, i) => published.keep[i]));
  return Math.min(...equivalenceClasses(kept, N - published.suppressed).sizes);
}

describe("generalise(columns, rows, {k, maxSuppressed})", () => {
  it("coarsens until every combination of the kept rows covers k, withholding at most maxSuppressed", () => {
    // As drawn, almost every customer is alone in their (age, tenure in days).
    const exact = equivalenceClasses([age, tenure], N).sizes;
    expect(exact.filter((n) => n === 1).length).toBeGreaterThan(N * 0.9);
    const published = generalise(columns, N, {k: 10, maxSuppressed: 12});
    expect(published.suppressed).toBeLessThanOrEqual(12);
    expect(published.smallest).toBeGreaterThanOrEqual(10);
    expect(smallest(published)).toBe(published.smallest);
    expect(published.keep.reduce((a, b) => a + b, 0)).toBe(N - published.suppressed);
  });

  it("publishes a band's midpoint, and says how each column is published", () => {
    const published = generalise(columns, N, {k: 10, maxSuppressed: 12});
    const byColumn = new Map(published.columns.map((c) => [c.column, c]));
    const ageOut = byColumn.get("age")!;
    expect(ageOut.description).toMatch(/^(5|10|20)-year bands$|^withheld$/);
    if (!ageOut.withheld)
      for (const v of ageOut.values)
        expect(((v as number) - (ageOut.width! - 1) / 2) % ageOut.width!).toBe(0);
    const tenureOut = byColumn.get("tenure_days")!;
    expect(tenureOut.description).toMatch(/-(month|year) bands$/);
    // Whole days, each the middle of its band of months.
    expect(tenureOut.values.every((v) => Number.isInteger(v))).toBe(true);
    expect(new Set(tenureOut.values).size).toBeLessThan(new Set(tenure).size / 10);
  });

  it("is deterministic, and withholds every row when fewer than k are drawn", () => {
    expect(generalise(columns, N, {k: 10, maxSuppressed: 12})).toEqual(
      generalise(columns, N, {k: 10, maxSuppressed: 12})
    );
    const few = columns.map((c) => ({...c, values: c.values.slice(0, 6)}));
    const published = generalise(few, 6, {k: 10, maxSuppressed: 0});
    expect(published.suppressed).toBe(6);
    expect(published.smallest).toBe(0);
  });

  it('pools a category\'s rare values as "other", with the next rarest while it is under k', () => {
    const values = Array.from({length: 100}, (_, i) =>
      i < 80 ? "DE" : i < 92 ? "FR" : `rare${i}`
    );
    const published = generalise(
      [{column: "segment_country", kind: "category", unit: "category", values}],
      100,
      {k: 10, maxSuppressed: 0}
    );
    expect(published.columns[0].description).toBe(
      'rare values (fewer than 10 customers each) pooled as "other"'
    );
    expect(published.columns[0].values.filter((v) => v === "other")).toHaveLength(20);
    expect(published.columns[0].values.filter((v) => v === "DE")).toHaveLength(80);
    expect(published.suppressed).toBe(0);
  });
});

describe("quasiIdentifiers(columns, catalogue)", () => {
  it("takes demographics, geography, firms, dates, segments and unknown columns, not behaviour or the models' output", () => {
    const catalogue = new Map([
      ["age", {dimension: "demographic", unit: "years"}],
      ["area_income", {dimension: "geographic", unit: "currency"}],
      ["employees", {dimension: "firmographic", unit: "people"}],
      ["tenure_days", {dimension: "behavioral", unit: "days"}],
      ["orders_12m", {dimension: "behavioral", unit: "orders"}],
      ["scale_price", {dimension: "psychographic", unit: "score"}]
    ]);
    expect(
      quasiIdentifiers(
        [
          "customer_id",
          "profile_id",
          "segment_country",
          "p_alive",
          "expected_value_12m",
          "at_risk",
          "age",
          "area_income",
          "employees",
          "tenure_days",
          "orders_12m",
          "scale_price",
          "birth_date"
        ],
        catalogue
      )
    ).toEqual(["segment_country", "age", "area_income", "employees", "tenure_days", "birth_date"]);
  });
});
