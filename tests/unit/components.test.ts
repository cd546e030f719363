/**
 * The report charts (src/components/*.ts) rendered into jsdom on small fixed data and pinned by
 * snapshots (tests/snapshots/<name>.html): floats rounded, ids renumbered.
 */
import {describe, expect, it} from "vitest";
import type {Distribution} from "../../src/contracts/report.ts";
import {distributionChart} from "../../src/components/distribution.ts";
import {effectsChart} from "../../src/components/effects.ts";
import {
  formatCustomers,
  formatShare,
  formatValue,
  numberTick,
  shareTick
} from "../../src/components/format.ts";
import {profileMap} from "../../src/components/geomap.ts";
import {sharesChart, valueRiskChart} from "../../src/components/glance.ts";
import {levelsChart} from "../../src/components/levels.ts";
import {crosstabChart, mixChart} from "../../src/components/mix.ts";
import {formatLift, outcomeChart, rateSentence} from "../../src/components/outcomes.ts";
import {calibrationChart, frequencyChart} from "../../src/components/backtest.ts";
import {profileColor} from "../../src/components/palette.ts";
import {runsChart} from "../../src/components/runs.ts";
import {MAX_SEGMENTS, spreadChart} from "../../src/components/spread.ts";
import {expectSnapshot, testDocument} from "../support/snapshot.ts";

const colors = profileColor(["p1", "p2", "p3"]);
const common = {width: 640, minGroupSize: 10, profileName: "Deal seekers", color: colors.range[1]};

const distribution: Distribution = {
  feature: "discount_share",
  label: "Orders with a discount",
  unit: "share",
  dimension: "behavioral",
  effect: 1.2,
  distinguishing: true,
  rank: 1,
  clipped: false,
  profile_median: 0.6,
  base_median: 0.2,
  bins: {
    edges: [0, 0.25, 0.5, 0.75, 1],
    customers: [12, null, 40, 30],
    base_customers: [300, 120, 80, 40],
    profile_customers: 85,
    all_customers: 540
  }
};

const profiles = [
  {
    id: "p1",
    name: "App-first regulars",
    customers: 400,
    share: 0.5,
    revenue_share: 0.3,
    value_12m: 450,
    at_risk_share: 0.07,
    at_risk_suppressed: false
  },
  {
    id: "p2",
    name: "Deal seekers",
    customers: 250,
    share: 0.3125,
    revenue_share: 0.1,
    value_12m: 250,
    at_risk_share: 0.2,
    at_risk_suppressed: false
  },
  {
    id: "p3",
    name: "Bulk buyers",
    customers: 150,
    share: 0.1875,
    revenue_share: 0.6,
    value_12m: 8000,
    at_risk_share: 0.12,
    at_risk_suppressed: false
  }
];

describe("report charts", () => {
  it("distributionChart: the profile's bins against the base's, a suppressed bin a mark on the baseline with a note", () => {
    const chart = distributionChart(distribution, {...common, document: testDocument()});
    // three bars for the three published bins; the suppressed one is no bar at all
    expect(chart.querySelectorAll('g[aria-label="bar"] rect').length).toBe(3);
    expect(chart.outerHTML).toContain(
      "suppressed (fewer than 10 customers, or hidden so that a smaller count cannot be worked out from the totals)"
    );
    expect(chart.outerHTML).not.toContain("hatch");
    expect(chart.textContent).toContain("× a bin not shown (suppressed): fewer than 10 customers");
    // the title states the finding
    expect(chart.querySelector("h2")?.textContent).toBe(
      "Orders with a discount: higher than for all customers"
    );
    const same = distributionChart(
      {...distribution, effect: 0.1, distinguishing: false},
      {...common, document: testDocument()}
    );
    expect(same.querySelector("h2")?.textContent).toBe(
      "Orders with a discount: no clear difference from all customers"
    );
    const unmeasured = distributionChart(
      {...distribution, effect: null, distinguishing: false},
      {...common, document: testDocument()}
    );
    expect(unmeasured.querySelector("h2")?.textContent).toBe("Orders with a discount");
    expectSnapshot("distribution", chart);
  });

  it("distributionChart on a phone: names only as many bins as their labels have room for", () => {
    const edges = Array.from({length: 11}, (_, i) => i / 10);
    const tenBins: Distribution = {
      ...distribution,
      bins: {
        edges,
        customers: edges.slice(1).map(() => 20),
        base_customers: edges.slice(1).map(() => 60),
        profile_customers: 200,
        all_customers: 600
      }
    };
    const named = (width: number) =>
      Array.from(
        distributionChart(tenBins, {...common, width, document: testDocument()}).querySelectorAll(
          '[aria-label="x-axis tick label"] text'
        )
      ).filter((t) => t.textContent !== "").length;
    expect(named(640)).toBe(10);
    expect(named(340)).toBeLessThanOrEqual(5);
  });

  it("effectsChart: one dot and interval per distinguishing trait", () => {
    const traits = [
      {
        label: "Orders with a discount",
        unit: "share",
        kind: "number",
        profile_value: 0.6,
        base_value: 0.2,
        effect: 1.2,
        effect_low: 1.0,
        effect_high: 1.4
      },
      {
        label: "Average order value",
        unit: "currency",
        kind: "number",
        profile_value: 33,
        base_value: 176,
        effect: -0.9,
        effect_low: -1.1,
        effect_high: -0.7
      },
      {
        label: "No effect",
        unit: "share",
        kind: "number",
        profile_value: 0.1,
        base_value: 0.1,
        effect: null,
        effect_low: null,
        effect_high: null
      }
    ];
    const chart = effectsChart(traits, {
      width: 640,
      color: colors.range[1],
      document: testDocument()
    });
    expect(chart.querySelectorAll("circle").length).toBe(2);
    expect(chart.querySelector("h2")?.textContent).toMatch(/^Most apart on /);
    expectSnapshot("effects", chart);
  });

  it("levelsChart: paired bars per level, suppressed levels named", () => {
    const levels = [
      {
        level: "web",
        profile_value: 0.8,
        base_value: 0.45,
        suppressed: false,
        effect: 0.73,
        distinguishing: true
      },
      {
        level: "store",
        profile_value: 0.05,
        base_value: 0.3,
        suppressed: false,
        effect: -0.74,
        distinguishing: false
      },
      {level: "phone", profile_value: null, base_value: 0.1, suppressed: true}
    ];
    const chart = levelsChart(levels, {
      ...common,
      title: "Main order channel",
      document: testDocument()
    });
    // a suppressed level may be large (a complement): "suppressed", not "fewer than 10"
    expect(chart.outerHTML).toContain("phone (suppressed)");
    expect(chart.outerHTML).toContain(
      "Deal seekers: suppressed (fewer than 10 customers, or hidden so that a smaller count cannot be worked out from the totals)"
    );
    // the title states the finding: the distinguishing level with the largest effect
    expect(chart.querySelector("h2")?.textContent).toBe(
      "Main order channel: web 80%, against 45% of all customers"
    );
    // direct labels name the bars, at the ends of the shortest row's; no legend
    const texts = [...chart.querySelectorAll("svg text")].map((t) => t.textContent);
    expect(texts).toEqual(expect.arrayContaining(["Deal seekers", "All customers"]));
    expect(chart.querySelector('[class$="-swatches"]')).toBeNull();
    expect(
      levelsChart(
        levels.map((l) => ({...l, distinguishing: false})),
        {...common, title: "Main order channel", document: testDocument()}
      ).querySelector("h2")?.textContent
    ).toBe("Main order channel: no clear difference from all customers");
    expectSnapshot("levels", chart);
  });

  it("spreadChart: the profile across one segmentation", () => {
    const rows = [
      {
        value: "under 25",
        position: 0,
        customers: 20,
        segment_customers: 100,
        share: 0.2,
        share_of_segment: 0.2
      },
      {
        value: "25–34",
        position: 1,
        customers: null,
        segment_customers: 50,
        share: null,
        share_of_segment: null
      },
      {
        value: "35 and over",
        position: 2,
        customers: 80,
        segment_customers: 650,
        share: 0.8,
        share_of_segment: 0.12
      }
    ];
    const chart = spreadChart(rows, {
      ...common,
      title: "Age",
      total: 800,
      document: testDocument()
    });
    expect(chart.outerHTML).toContain("25–34 (suppressed)");
    // the segment whose share differs most (20% against 100 of 800), not the largest one
    expect(chart.querySelector("h2")?.textContent).toBe(
      "Age: 20% in under 25, against 13% of all customers"
    );
    expectSnapshot("spread", chart);
  });

  it("spreadChart: a title that names an under-represented segment says 'only'", () => {
    const row = (value: string, position: number, customers: number, segment: number) => ({
      value,
      position,
      customers,
      segment_customers: segment,
      share: customers / 100,
      share_of_segment: customers / segment
    });
    const chart = spreadChart([row("A", 0, 5, 400), row("B", 1, 60, 240), row("C", 2, 35, 160)], {
      ...common,
      title: "Age",
      total: 800,
      document: testDocument()
    });
    expect(chart.querySelector("h2")?.textContent).toBe(
      "Age: only 5.0% in A, against 50% of all customers"
    );
  });

  it("spreadChart: of many segments, the ones where the profile differs most, in their order", () => {
    // 20 segments of 5% each; the profile is over-represented in 3 and 7, under in 12
    const rows = Array.from({length: 20}, (_, i) => ({
      value: `s${i}`,
      position: i,
      customers: i === 19 ? null : 10,
      segment_customers: 40,
      share: i === 19 ? null : i === 3 || i === 7 ? 0.2 : i === 12 ? 0 : 0.05 + i * 0.001,
      share_of_segment: 0.25
    }));
    const chart = spreadChart(rows, {
      ...common,
      title: "Age by channel",
      total: 800,
      document: testDocument()
    });
    const labels = [...chart.querySelectorAll('g[aria-label="y-axis tick label"] text')].map(
      (t) => t.textContent
    );
    expect(labels).toHaveLength(MAX_SEGMENTS);
    expect(labels.slice(0, 3)).toEqual(["s3", "s7", "s9"]);
    expect(labels).toContain("s12");
    expect(labels).not.toContain("s19 (suppressed)");
    expect(chart.textContent).toContain(
      "The 12 of 20 segments where Deal seekers differs most from all customers. In each of 7 others its share is within 0.8 percentage points of everyone's. 1 other is suppressed: fewer than 10 customers, or hidden so that a smaller count cannot be worked out from the totals."
    );
  });

  it("profileMap: countries shaded by representation, regions as dots, the neutral class grey", () => {
    const square = (x: number, y: number) => ({
      type: "Polygon",
      coordinates: [
        [
          [x, y],
          [x + 10, y],
          [x + 10, y + 10],
          [x, y + 10],
          [x, y]
        ]
      ]
    });
    const world = {
      type: "FeatureCollection" as const,
      features: [
        {
          type: "Feature" as const,
          id: "276",
          properties: {code: "DE", name: "Germany"},
          geometry: square(5, 45)
        },
        {
          type: "Feature" as const,
          id: "250",
          properties: {code: "FR", name: "France"},
          geometry: square(-5, 40)
        },
        {
          type: "Feature" as const,
          id: "724",
          properties: {code: "ES", name: "Spain"},
          geometry: square(-10, 30)
        }
      ]
    };
    const place = (
      country: string,
      customers: number | null,
      base: number,
      share: number | null,
      baseShare: number
    ) => ({
      country,
      latitude: null,
      longitude: null,
      customers,
      base_customers: base,
      share,
      base_share: baseShare
    });
    const region = (name: string, ...args: Parameters<typeof place>) => ({
      ...place(...args),
      region: name,
      latitude: 50,
      longitude: 10
    });
    const chart = profileMap(
      world,
      {
        countries: [place("DE", 60, 300, 0.6, 0.5), place("FR", 40, 300, 0.4, 0.5)],
        regions: [
          region("Bavaria", "DE", 30, 100, 0.3, 0.2),
          region("Saxony", "DE", null, 40, null, 0.1)
        ]
      },
      {...common, document: testDocument()}
    );
    expect(chart.querySelectorAll("path").length).toBeGreaterThanOrEqual(3);
    expect(chart.outerHTML).toContain("Saxony, DE");
    // "as everywhere" is a mid grey on either theme, never a near-white that glares on a dark page
    expect(chart.outerHTML).toContain('fill="#8c8c8c"');
    expect(chart.outerHTML).not.toMatch(/#f7f7f7|rgb\(247, 247, 247\)/i);
    expectSnapshot("map", chart);
  });

  it("sharesChart and valueRiskChart: the overview's profiles at a glance", () => {
    const shares = sharesChart(profiles, {width: 640, colors, document: testDocument()});
    expect(shares.querySelectorAll("rect").length).toBeGreaterThanOrEqual(3);
    expectSnapshot("shares", shares);
    const risk = valueRiskChart(profiles, {
      width: 640,
      colors,
      baseValue: 1500,
      baseRisk: 0.12,
      document: testDocument()
    });
    expect(risk.querySelectorAll("circle").length).toBe(3);
    expect(risk.textContent).not.toContain("Not drawn");
    expectSnapshot("value-risk", risk);
  });

  it("valueRiskChart: a profile with fewer than minGroupSize customers at risk is named, not drawn", () => {
    const few = [
      profiles[0],
      {...profiles[1], at_risk_share: null, at_risk_suppressed: "complement" as const},
      {...profiles[2], at_risk_share: null, at_risk_suppressed: true}
    ];
    const risk = valueRiskChart(few, {
      width: 640,
      colors,
      baseValue: 1500,
      baseRisk: 0.12,
      minGroupSize: 10,
      document: testDocument()
    });
    expect(risk.querySelectorAll("circle").length).toBe(1);
    expect(risk.textContent).toContain(
      "Not drawn: “Bulk buyers”, fewer than 10 customers at risk; “Deal seekers”, hidden so that a smaller share cannot be worked out."
    );
  });

  it("sharesChart and valueRiskChart on a phone: names above the bars, a legend for the dots", () => {
    const shares = sharesChart(profiles, {width: 360, colors, document: testDocument()});
    const texts = Array.from(shares.querySelectorAll("text"), (t) => t.textContent);
    for (const p of profiles) expect(texts).toContain(p.name);
    expect(shares.querySelector('[aria-label="y-axis tick label"]')).toBeNull();
    const risk = valueRiskChart(profiles, {
      width: 360,
      colors,
      baseValue: 1500,
      baseRisk: 0.12,
      document: testDocument()
    });
    const svg = risk.querySelector('svg[aria-label^="Scatter chart"]')!;
    for (const p of profiles) {
      expect(risk.textContent).toContain(p.name);
      expect(Array.from(svg.querySelectorAll("text"), (t) => t.textContent)).not.toContain(p.name);
    }
  });

  it("mixChart and crosstabChart: profiles inside segments, suppressed cells marked", () => {
    const mix = mixChart(
      [
        {profile_id: "p1", name: "App-first regulars", customers: 60, share: 0.6, base_share: 0.5},
        {profile_id: "p2", name: "Deal seekers", customers: null, share: null, base_share: 0.3}
      ],
      {
        width: 640,
        title: "Profiles inside “under 25”",
        colors,
        minGroupSize: 10,
        document: testDocument()
      }
    );
    expect(mix.outerHTML).toContain("Deal seekers (suppressed)");
    // 60% against 50% is a gap of ten points: the profile most over-represented is named
    expect(mix.querySelector("h2")?.textContent).toBe(
      "Profiles inside “under 25”: App-first regulars 60% of it, against 50% of all customers"
    );
    expectSnapshot("mix", mix);
    const cells = [
      {value: "under 25", profile_id: "p1", name: "App-first regulars", customers: 60, share: 0.6},
      {value: "under 25", profile_id: "p2", name: "Deal seekers", customers: null, share: null},
      {
        value: "25 and over",
        profile_id: "p1",
        name: "App-first regulars",
        customers: 340,
        share: 0.45
      },
      {value: "25 and over", profile_id: "p2", name: "Deal seekers", customers: 240, share: 0.32}
    ];
    const grid = crosstabChart(cells, {
      width: 640,
      title: "Age",
      segments: ["under 25", "25 and over"],
      profiles: profiles.slice(0, 2),
      minGroupSize: 10,
      document: testDocument()
    });
    expect(grid.outerHTML).toContain("suppressed (fewer than 10 customers, or hidden so that");
    // a suppressed cell is an outlined empty cell marked "×" (small or not), not a shade
    expect([...grid.querySelectorAll("text")].map((t) => t.textContent)).toContain("×");
    // App-first regulars are 400 of the 640 counted (62.5%): 60% of "under 25" is no lift of
    // 1.5; Deal seekers are 37.5% and 32% of "25 and over": no profile stands out
    expect(grid.querySelector("h2")?.textContent).toBe(
      "Age: no profile fills any segment far beyond its size"
    );
    // no legend of long decimals, no shade that depends on the theme's background
    expect(grid.textContent).not.toMatch(/\d\.\d{3,}%/);
    expect(grid.outerHTML).not.toMatch(/fill="rgb\(/);
    expectSnapshot("crosstab", grid);
  });

  it("runsChart: the k tried, rejected ones hollow, the chosen one marked", () => {
    const runs = [
      {
        k: 3,
        silhouette: 0.15,
        min_share: 0.08,
        min_stability: 0.99,
        accepted: true,
        reason: null,
        chosen: false
      },
      {
        k: 4,
        silhouette: 0.16,
        min_share: 0.08,
        min_stability: 0.83,
        accepted: false,
        reason: "least stable profile 0.83 < 0.85",
        chosen: false
      },
      {
        k: 5,
        silhouette: 0.155,
        min_share: 0.06,
        min_stability: 0.95,
        accepted: true,
        reason: null,
        chosen: true
      },
      {
        k: 6,
        silhouette: 0.15,
        min_share: 0.03,
        min_stability: null,
        accepted: false,
        reason: "smallest profile 3.0 % < 5.0 %",
        chosen: false
      }
    ];
    const chart = runsChart(runs, {width: 640, minStability: 0.85, document: testDocument()});
    expect(chart.outerHTML).toContain("chosen: k = 5");
    expectSnapshot("runs", chart);
  });
});

describe("outcome charts", () => {
  const base = {label: "Churned", base_rate: 0.26};
  const rows = [
    {
      ...base,
      group: "New, bare-plan",
      customers: 277,
      rate: 0.61,
      low: 0.551,
      high: 0.666,
      lift: 2.33,
      color: colors.range[0]
    },
    {
      ...base,
      group: "Budget, bare-plan",
      customers: 337,
      rate: 0.077,
      low: 0.052,
      high: 0.11,
      lift: 0.29,
      color: colors.range[1]
    },
    {...base, group: "Tiny", customers: null, rate: null, low: null, high: null, lift: null}
  ];

  it("outcomeChart: one dot and interval per group, the base as a tick, suppressed groups named", () => {
    const chart = outcomeChart(rows, {
      width: 640,
      title: "Churned",
      minGroupSize: 10,
      document: testDocument()
    });
    expect(chart.querySelectorAll("circle").length).toBe(2);
    expect(chart.textContent).toContain(
      "Suppressed (fewer than 10 customers with a known outcome, fewer than 10 who had it or did not, or hidden so that a smaller group cannot be worked out from the totals): Tiny."
    );
    expect(chart.textContent).toContain("the grey tick is all customers (26%)");
    expectSnapshot("outcomes", chart);
  });

  it("says a rate with its interval and lift, and a suppressed one as such", () => {
    expect(rateSentence(rows[0], 10)).toBe("61% (95% interval 55%–67%), 2.3× the base's 26%");
    expect(rateSentence(rows[2], 10)).toBe(
      "suppressed (fewer than 10 customers with a known outcome, fewer than 10 who had it or did not, or hidden so that a smaller group cannot be worked out from the totals)"
    );
    expect(formatLift(12.4)).toBe("12× the base");
    expect(formatLift(null)).toBe("");
  });
});

describe("formats", () => {
  it("formats values by unit and suppressed counts as such", () => {
    expect(formatShare(0.456)).toBe("46%");
    expect(formatShare(0.0456)).toBe("4.6%");
    expect(formatShare(null)).toBe("–");
    expect(formatValue(33.284, "currency")).toBe("33.28");
    expect(formatValue(1234.5, "currency")).toBe("1,235");
    expect(formatValue(12, "days")).toBe("12 days");
    expect(formatValue(4.3174, "score")).toBe("4.32");
    expect(formatCustomers(null, 10)).toBe("fewer than 10");
    expect(formatCustomers(1234, 10)).toBe("1,234");
  });

  it("writes axis ticks without an SI prefix below 1,000 and shares as every share is written", () => {
    expect([0, 0.4, 12.5, 250, 999].map(numberTick)).toEqual(["0", "0.4", "12.5", "250", "999"]);
    expect([1000, 1500, 2e7, 3e9, -2500].map(numberTick)).toEqual([
      "1k",
      "1.5k",
      "20M",
      "3B",
      "−2.5k"
    ]);
    expect([0, 0.05, 0.025, 0.1, 1, -0.05].map(shareTick)).toEqual([
      "0%",
      "5%",
      "2.5%",
      "10%",
      "100%",
      "−5%"
    ]);
  });

  it("gives each profile id the same colour whatever the order", () => {
    expect(profileColor(["p2", "p1"]).range).toEqual(profileColor(["p1", "p2"]).range);
    expect(profileColor(["p1", "p2"]).domain).toEqual(["p1", "p2"]);
    expect(new Set(profileColor(["p1", "p2", "p3", "p4"]).range).size).toBe(4);
  });
});

describe("the backtest charts on the Method page", () => {
  const frequency = [
    {model: "pareto_nbd", frequency: "0", customers: 1411, predicted: 0.14, actual: 0.24},
    {model: "pareto_nbd", frequency: "1", customers: 439, predicted: 0.6, actual: 0.7},
    {model: "pareto_nbd", frequency: "7+", customers: 43, predicted: 6.4, actual: 6.36}
  ];
  const deciles = Array.from({length: 10}, (_, k) => ({
    model: "learned",
    decile: k + 1,
    customers: 236,
    predicted: 0.05 + k * 0.1,
    actual: 0.04 + k * 0.1
  }));

  it("frequencyChart: predicted and actual per customer, one point per calibration frequency", () => {
    const chart = frequencyChart(frequency, {
      width: 640,
      label: "Pareto/NBD",
      days: 273,
      minGroupSize: 10,
      document: testDocument()
    });
    expect(chart.querySelectorAll("circle").length).toBe(6);
    expect(chart.textContent).toContain("Pareto/NBD predicted the holdout's purchases");
    expect(chart.textContent).not.toContain("suppressed");
    expectSnapshot("backtest-frequency", chart);
  });

  it("frequencyChart: a suppressed bucket marked × with why, and neither its prediction nor its count", () => {
    const hidden = {model: "pareto_nbd", customers: null, predicted: null, actual: null};
    const chart = frequencyChart(
      [frequency[0], {...hidden, frequency: "1"}, {...hidden, frequency: "2"}, frequency[2]],
      {width: 640, label: "Pareto/NBD", days: 273, minGroupSize: 10, document: testDocument()}
    );
    // two published buckets × predicted and actual, and no dot for the suppressed ones
    expect(chart.querySelectorAll("circle").length).toBe(4);
    expect(chart.textContent).toContain(
      "× 2 buckets not shown (suppressed): fewer than 10 customers, or hidden so that a smaller count cannot be worked out from the totals."
    );
    expect(chart.textContent).toContain("Customers with 1 repeat purchase: suppressed");
    expect(chart.textContent).not.toContain("0 customers with 1");
    expectSnapshot("backtest-frequency-suppressed", chart);
  });

  it("calibrationChart: one point per tenth against the diagonal", () => {
    const chart = calibrationChart(deciles, {
      width: 640,
      label: "Learned from history",
      days: 90,
      minGroupSize: 10,
      document: testDocument()
    });
    expect(chart.querySelectorAll("circle").length).toBe(10);
    expectSnapshot("backtest-calibration", chart);
  });

  it("calibrationChart: a suppressed tenth left out and named in the caption", () => {
    const hidden = {customers: null, predicted: null, actual: null};
    const chart = calibrationChart(
      deciles.map((d) => (d.decile <= 2 ? {...d, ...hidden} : d)),
      {
        width: 640,
        label: "Learned from history",
        days: 90,
        minGroupSize: 300,
        document: testDocument()
      }
    );
    expect(chart.querySelectorAll("circle").length).toBe(8);
    expect(chart.textContent).toContain(
      "2 tenths not shown (suppressed): fewer than 300 customers, or hidden so that a smaller count cannot be worked out from the totals."
    );
  });
});
