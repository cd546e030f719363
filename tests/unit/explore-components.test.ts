/**
 * The Explore page's components on small fixtures: the scatter and its brush, the selection's
 * make-up and mix chart, the feature picker, and the comparison of two profiles (rendered
 * charts pinned by snapshots in tests/snapshots/).
 */
import {describe, expect, it} from "vitest";
import type {ExploreFeature, ExploreTrait} from "../../src/contracts/explore.ts";
import {compareChart, compareTraits} from "../../src/components/compare.ts";
import {featurePicker} from "../../src/components/feature-picker.ts";
import {formatEffect, formatValue} from "../../src/components/format.ts";
import {pointsInside, scatter} from "../../src/components/scatter.ts";
import {filterRows, mixChart, selectionMakeup} from "../../src/components/selection.ts";
import {expectSnapshot, testDocument} from "../support/snapshot.ts";

const PROFILES = [
  {id: "p1", name: "App-first"},
  {id: "p2", name: "Deal seekers"},
  {id: "p3", name: "Lapsing"}
];

// Three tight groups of four customers, one per profile.
const X = [-2, -2.2, -1.8, -2.1, 0, 0.2, -0.1, 0.1, 2, 2.1, 1.9, 2.2];
const Y = [1, 1.2, 0.9, 1.1, -1, -1.1, -0.9, -1.2, 0.5, 0.4, 0.6, 0.5];
const PROFILE = ["p1", "p1", "p1", "p1", "p2", "p2", "p2", "p2", "p3", "p3", "p3", "p3"];

describe("scatter(x, y, profile, options)", () => {
  it("draws customers coloured by profile with labelled axes", () => {
    const chart = scatter(X, Y, PROFILE, {
      width: 480,
      height: 320,
      document: testDocument(),
      profiles: PROFILES,
      xLabel: "PC1 (61% of variance)",
      yLabel: "PC2 (22% of variance)"
    });
    expect(chart.value).toBeNull();
    expect(chart.querySelectorAll('g[aria-label="dot"] circle')).toHaveLength(12);
    expectSnapshot("explore-scatter", chart);
  });

  it("restores a brushed rectangle: its value is the rows inside, the others dimmed", () => {
    const chart = scatter(X, Y, PROFILE, {
      width: 480,
      height: 320,
      document: testDocument(),
      profiles: PROFILES,
      xLabel: "PC1",
      yLabel: "PC2",
      extent: [
        [-0.5, -1.5],
        [2.5, 0]
      ]
    });
    expect([...chart.value!]).toEqual([4, 5, 6, 7]);
    const opacity = Array.from(chart.querySelectorAll('g[aria-label="dot"] circle'), (c) =>
      Number(c.getAttribute("fill-opacity"))
    );
    expect(opacity[4]).toBeGreaterThan(opacity[0] * 5);
  });

  it("selects by mouse: a drag over the plot sends the rows inside as an input event", () => {
    const document = testDocument();
    const chart = scatter(X, Y, PROFILE, {
      width: 480,
      height: 320,
      document,
      profiles: PROFILES,
      xLabel: "PC1",
      yLabel: "PC2"
    });
    document.body.append(chart);
    const values: (Int32Array | null)[] = [];
    chart.addEventListener("input", () => values.push(chart.value));
    const overlay = chart.querySelector("g.brush rect.overlay")!;
    const window = document.defaultView!;
    const mouse = (type: string, x: number, y: number) =>
      new window.MouseEvent(type, {clientX: x, clientY: y, bubbles: true, view: window});
    // jsdom lays nothing out, so client coordinates are the SVG's: the left third of the plot.
    overlay.dispatchEvent(mouse("mousedown", 56, 20));
    window.dispatchEvent(mouse("mousemove", 200, 276));
    window.dispatchEvent(mouse("mouseup", 200, 276));
    expect(values).toHaveLength(1);
    expect([...values[0]!]).toEqual([0, 1, 2, 3]);
    expect(chart.extent![0][0]).toBeLessThan(-2.2);
  });
});

describe("pointsInside(x, y, extent)", () => {
  it("keeps the rows within the rectangle, bounds included, whichever corner comes first", () => {
    expect([
      ...pointsInside(
        [0, 1, 2],
        [0, 1, 2],
        [
          [2, 2],
          [1, 0]
        ]
      )
    ]).toEqual([1, 2]);
  });
});

describe("selectionMakeup(profile, features, selected, {profiles, top})", () => {
  const features = [
    {id: "orders", label: "Orders", unit: "orders", values: [1, 2, 1, 2, 8, 9, 8, 9, 4, 5, 4, 5]},
    {
      id: "age",
      label: "Age",
      unit: "years",
      values: [30, 40, 30, 40, 30, 40, 30, 40, 30, 40, 30, NaN]
    }
  ];

  it("counts the selection, its profile mix and the features it differs most on", () => {
    const makeup = selectionMakeup(PROFILE, features, [4, 5, 6, 7, 8], {
      profiles: ["p1", "p2", "p3"]
    });
    expect(makeup.customers).toBe(5);
    expect(makeup.total_customers).toBe(12);
    expect(makeup.mix).toEqual([
      {profile: "p1", customers: 0, share: 0, base_share: 1 / 3},
      {profile: "p2", customers: 4, share: 0.8, base_share: 1 / 3},
      {profile: "p3", customers: 1, share: 0.2, base_share: 1 / 3}
    ]);
    expect(makeup.features.map((f) => f.id)).toEqual(["orders", "age"]);
    expect(makeup.features[0].mean).toBeCloseTo((8 + 9 + 8 + 9 + 4) / 5, 12);
    const base = features[0].values;
    const mean = base.reduce((a, b) => a + b, 0) / base.length;
    const sd = Math.sqrt(base.reduce((a, b) => a + (b - mean) ** 2, 0) / (base.length - 1));
    expect(makeup.features[0].difference).toBeCloseTo((7.6 - mean) / sd, 12);
    expect(makeup.features[1].coverage).toBe(1);
  });

  it("describes everyone when nothing is selected", () => {
    const makeup = selectionMakeup(PROFILE, features, null, {profiles: ["p1", "p2", "p3"]});
    expect(makeup.customers).toBe(12);
    expect(makeup.features.every((f) => Math.abs(f.difference ?? 0) < 1e-12)).toBe(true);
    expect(makeup.features.find((f) => f.id === "age")!.coverage).toBeCloseTo(11 / 12, 12);
  });

  it("draws the selection's mix over the sample's", () => {
    const makeup = selectionMakeup(PROFILE, features, [4, 5, 6, 7, 8], {
      profiles: ["p1", "p2", "p3"]
    });
    expectSnapshot(
      "explore-mix",
      mixChart(makeup.mix, {width: 420, document: testDocument(), profiles: PROFILES})
    );
  });
});

describe("filterRows(columns, {profile, segment})", () => {
  it("matches a profile, a segment, or both", () => {
    const segment = ["DE", "FR", "DE", null, "DE", "FR", "DE", "FR", "DE", "FR", "DE", "FR"];
    expect([...filterRows({profile: PROFILE, segment}, {profile: "p1", segment: null})]).toEqual([
      1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0
    ]);
    expect([...filterRows({profile: PROFILE, segment}, {profile: "p1", segment: "DE"})]).toEqual([
      1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0
    ]);
  });
});

const value = (profile_id: string, profile_value: number | null, effect: number | null) => ({
  profile_id,
  profile_value,
  effect,
  effect_low: effect === null ? null : effect - 0.2,
  effect_high: effect === null ? null : effect + 0.2,
  distinguishing: Math.abs(effect ?? 0) >= 0.3,
  suppressed: profile_value === null
});

const TRAITS: ExploreTrait[] = [
  {
    feature: "orders_12m",
    level: null,
    dimension: "behavioral",
    label: "Orders in the last 12 months",
    unit: "orders",
    kind: "number",
    base_value: 4,
    profiles: [value("p1", 6, 0.8), value("p2", 3, -0.4)]
  },
  {
    feature: "discount_share",
    level: null,
    dimension: "behavioral",
    label: "Orders with a discount",
    unit: "share",
    kind: "number",
    base_value: 0.3,
    profiles: [value("p1", 0.1, -0.6), value("p2", 0.7, 1.5)]
  },
  {
    feature: "country",
    level: "DE",
    dimension: "geographic",
    label: "Country: DE",
    unit: "share",
    kind: "category",
    base_value: 0.5,
    profiles: [value("p1", 0.52, 0.04), value("p2", 0.49, -0.02)]
  },
  {
    feature: "industry",
    level: "retail",
    dimension: "firmographic",
    label: "Industry: retail",
    unit: "share",
    kind: "category",
    base_value: 0.01,
    profiles: [value("p1", null, null), value("p2", 0.02, 0.1)]
  }
];

describe("compareTraits(traits, a, b)", () => {
  it("ranks the traits by how far apart the two profiles are, leaving out suppressed ones", () => {
    const rows = compareTraits(TRAITS, "p1", "p2");
    expect(rows.map((r) => r.feature)).toEqual(["discount_share", "orders_12m", "country"]);
    expect(rows[0]).toMatchObject({a_value: 0.1, b_value: 0.7, base_value: 0.3});
    expect(rows[0].gap).toBeCloseTo(-2.1, 12);
  });

  it("draws both profiles' effects against the base, joined per trait", () => {
    const rows = compareTraits(TRAITS, "p1", "p2");
    const chart = compareChart(rows, {
      width: 560,
      document: testDocument(),
      a: PROFILES[0],
      b: PROFILES[1]
    });
    expect(chart.querySelectorAll('g[aria-label="dot"]')).toHaveLength(2);
    expectSnapshot("explore-compare", chart);
  });
});

describe("featurePicker(features, {value})", () => {
  const features: ExploreFeature[] = [
    {
      id: "orders_12m",
      dimension: "behavioral",
      label: "Orders",
      unit: "orders",
      transform: "log",
      clustered: true,
      coverage: 1,
      band: null
    },
    {
      id: "discount_share",
      dimension: "behavioral",
      label: "Discounted orders",
      unit: "share",
      transform: "none",
      clustered: true,
      coverage: 0.9,
      band: null
    },
    {
      id: "age",
      dimension: "demographic",
      label: "Age",
      unit: "years",
      transform: "none",
      clustered: false,
      coverage: 0.8,
      band: "5-year bands"
    }
  ];

  it("groups checkboxes by dimension and reports the chosen ids on input", () => {
    const document = testDocument();
    const picker = featurePicker(features, {value: ["orders_12m"], document});
    expect(picker.value).toEqual(["orders_12m"]);
    expect(Array.from(picker.querySelectorAll("summary"), (s) => s.textContent)).toEqual([
      "Behavioral (1 of 2)",
      "Demographic (0 of 1)"
    ]);
    expect(picker.textContent).toContain("share, 90% have it");
    expect(picker.textContent).toContain("years, in 5-year bands, 80% have it");
    const events: string[][] = [];
    picker.addEventListener("input", () => events.push(picker.value));
    const age = picker.querySelector<HTMLInputElement>('input[value="age"]')!;
    age.checked = true;
    age.dispatchEvent(new document.defaultView!.Event("input", {bubbles: true}));
    expect(events).toEqual([["orders_12m", "age"]]);
    const clustered = Array.from(picker.querySelectorAll("button")).find(
      (b) => b.textContent === "Clustered features"
    )!;
    clustered.click();
    expect(picker.value).toEqual(["orders_12m", "discount_share"]);
    expect(picker.querySelector("summary")!.textContent).toBe("Behavioral (2 of 2)");
  });
});

describe("formatValue(value, unit), formatEffect(value)", () => {
  it("writes values in their units", () => {
    expect(formatValue(0.256, "share")).toBe("26%");
    expect(formatValue(1234.5, "currency")).toBe("1,235");
    expect(formatValue(12.34, "days")).toBe("12 days");
    expect(formatValue(null, "score")).toBe("–");
    expect(formatEffect(-0.314)).toBe("−0.31");
    expect(formatEffect(0.8)).toBe("+0.80");
  });
});
