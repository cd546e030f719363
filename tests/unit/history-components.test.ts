/**
 * The History page's components (trend, flows, movers, drift) rendered into jsdom on the small
 * hand-made fixture tests/fixtures/history.json and pinned by snapshots (tests/snapshots/).
 */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import type {HistoryData} from "../../src/contracts/history.ts";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {driftTable} from "../../src/components/drift.ts";
import {flowChart, flowSummary, flowTable} from "../../src/components/flows.ts";
import {formatShare} from "../../src/components/format.ts";
import {spreadLabels} from "../../src/components/labels.ts";
import {moverReason, moversTable, moversView} from "../../src/components/movers.ts";
import {profileColor} from "../../src/components/palette.ts";
import {trendChart} from "../../src/components/trend.ts";
import {expectSnapshot, testDocument} from "../support/snapshot.ts";

const data: HistoryData = JSON.parse(
  readFileSync(join(PROJECT_DIR, "tests", "fixtures", "history.json"), "utf8")
);
const colors = profileColor(data.profiles.map((p) => p.id));
const names = new Map(data.profiles.map((p) => [p.id, p.name]));
const latest = data.flows.filter((f) => f.from === "2026-07-31");
const common = {profiles: data.profiles, colors, minGroupSize: data.min_group_size};

describe("spreadLabels(positions, gap, lo, hi)", () => {
  it("leaves labels that are far enough apart where they are", () => {
    expect(spreadLabels([10, 50, 30], 13, 0, 100)).toEqual([10, 50, 30]);
  });

  it("pushes close labels apart by the gap, in their order, inside the bounds", () => {
    expect(spreadLabels([50, 52, 51], 10, 0, 100)).toEqual([50, 70, 60]);
    expect(spreadLabels([98, 99], 10, 0, 100)).toEqual([90, 100]);
    expect(spreadLabels([1, 0], 10, 5, 100)).toEqual([15, 5]);
  });

  it("keeps the top and overflows at the bottom when the labels do not fit", () => {
    expect(spreadLabels([5, 5, 5], 10, 0, 10)).toEqual([0, 10, 20]);
  });
});

describe("trendChart(points, options)", () => {
  it("draws a line per profile, labelled at its end, with a gap for a suppressed figure", () => {
    const points = data.series.map((r) => ({
      date: r.snapshot,
      profile_id: r.profile_id,
      value: r.at_risk_customers
    }));
    const chart = trendChart(points, {
      width: 640,
      title: "Customers at risk",
      ariaLabel: "Line chart of customers at risk per profile",
      label: "Customers at risk",
      colors,
      names,
      format: String,
      document: testDocument()
    });
    const text = chart.textContent ?? "";
    for (const p of data.profiles) expect(text).toContain(p.name);
    // p3's first figure is suppressed: its dots are the two it has, plus its label's.
    expect(chart.querySelectorAll('[aria-label="line"] path').length).toBe(3);
    expectSnapshot("history-trend", chart);
  });

  it("draws a threshold as a dashed rule with its label", () => {
    const chart = trendChart(
      data.drift.series.map((d) => ({
        date: d.to,
        profile_id: d.profile_id,
        value: d.centroid_shift
      })),
      {
        width: 640,
        title: "Centroid shift",
        ariaLabel: "Line chart of centroid shift",
        label: "Centroid shift (sd)",
        colors,
        names,
        format: (v) => v.toFixed(2),
        threshold: {value: 0.5, label: "alert above 0.5"},
        document: testDocument()
      }
    );
    expect(chart.querySelector('[stroke-dasharray="4,3"]')).not.toBeNull();
    expect(chart.textContent).toContain("alert above 0.5");
    expectSnapshot("history-drift-trend", chart);
  });
});

describe("flows between two snapshots", () => {
  it("flowSummary adds up the published flows and counts the suppressed ones", () => {
    expect(flowSummary(latest)).toEqual({
      total: 579,
      stayed: 505,
      moved: 44,
      joined: 30,
      suppressed: 3
    });
  });

  it("flowChart draws a focusable band with a title for every published flow, none for suppressed ones", () => {
    const chart = flowChart(latest, {
      ...common,
      width: 720,
      from: "2026-07-31",
      to: "2026-10-31",
      document: testDocument()
    });
    const bands = chart.querySelectorAll("path.flow-band");
    expect(bands.length).toBe(latest.filter((f) => f.customers !== null).length);
    for (const band of bands) {
      expect(band.getAttribute("tabindex")).toBe("0");
      expect(band.querySelector("title")?.textContent).toBe(band.getAttribute("aria-label"));
    }
    const labels = [...bands].map((b) => b.getAttribute("aria-label"));
    expect(labels).toContain("20 customers moved from App-first regulars to Cooling, lapsed");
    expect(labels).toContain("48 customers stayed in Cooling, lapsed");
    expect(labels).toContain("30 customers joined and are in App-first regulars");
    expect(chart.querySelectorAll("path.flow-band.move").length).toBe(4);
    expect(chart.textContent).toContain("New customers");
    expectSnapshot("history-flows", chart);
  });

  it("flowChart labels the nodes with the profiles' sizes when given, 'fewer than' when suppressed", () => {
    const chart = flowChart(latest, {
      ...common,
      width: 720,
      from: "2026-07-31",
      to: "2026-10-31",
      sizes: {
        from: new Map([
          ["p1", 310],
          ["p2", 190],
          ["p3", null]
        ]),
        to: new Map([
          ["p1", 320],
          ["p2", 200],
          ["p3", 80]
        ])
      },
      document: testDocument()
    });
    const text = chart.textContent ?? "";
    expect(text).toContain("310 customers");
    expect(text).toContain("fewer than 10 customers");
    expect(text).toContain("30 joined");
  });

  it("flowTable has a row per source and a column per profile now, suppressed cells marked", () => {
    const table = flowTable(latest, {
      ...common,
      from: "2026-07-31",
      to: "2026-10-31",
      document: testDocument()
    });
    const rows = [...table.querySelectorAll("tbody tr")].map((tr) =>
      [...tr.children].map((c) => c.textContent)
    );
    expect(rows).toEqual([
      ["App-first regulars", "285", "×", "20"],
      ["Deal seekers", "×", "172", "12"],
      ["Cooling, lapsed", "–", "12", "48"],
      ["New customers", "30", "×", "–"]
    ]);
    expect(table.querySelector("caption")?.textContent).toContain(
      "×: not published (suppressed), fewer than 10 customers, or hidden so that"
    );
    expectSnapshot("history-flow-table", table);
  });
});

describe("moversTable(movers, options)", () => {
  it("ranks the movers with a link to each customer's card, their profiles then and now, reason and evidence", () => {
    const table = moversTable(data.movers!, {
      profiles: data.profiles,
      colors,
      document: testDocument()
    });
    const rows = table.querySelectorAll("tbody tr");
    expect(rows.length).toBe(4);
    const first = rows[0];
    expect(first.querySelector("a")?.getAttribute("href")).toBe("./customer?id=C0000412");
    expect(first.textContent).toContain("App-first regulars → Cooling, lapsed");
    expect(first.textContent).toContain("into risk, activity dropped");
    expect(first.querySelector(".badge.strong")?.textContent).toBe("strong");
    expect(first.textContent).toContain("22 → 2");
    expect(first.lastElementChild?.textContent).toBe("2,411");
    expect(rows[1].textContent).toContain("(same)");
    expect(rows[3].lastElementChild?.textContent).toBe("41.00");
    expect(table.querySelectorAll(".badge.strong").length).toBe(2);
    expectSnapshot("history-movers", table);
  });

  it("shows only the rows it is given", () => {
    const table = moversTable(data.movers!, {
      rows: data.movers!.rows.slice(0, 2),
      profiles: data.profiles,
      colors,
      document: testDocument()
    });
    expect(table.querySelectorAll("tbody tr").length).toBe(2);
  });

  it("moverReason says why in words and fails on an unknown reason", () => {
    expect(moverReason("at_risk")).toBe("into risk");
    expect(moverReason("engagement_drop")).toBe("activity dropped");
    expect(() => moverReason("other" as never)).toThrow("invalid reason: other");
  });
});

describe("driftTable(drift, options)", () => {
  it("gives each profile its shift, top PSI features, and an alert badge with the reasons", () => {
    const table = driftTable(data.drift, {
      profiles: data.profiles,
      colors,
      document: testDocument()
    });
    const rows = table.querySelectorAll("tbody tr");
    expect(rows.length).toBe(3);
    expect(rows[0].querySelector(".badge")?.textContent).toBe("Stable");
    expect(rows[1].classList.contains("alerted")).toBe(true);
    expect(rows[1].querySelector(".alert-badge")?.textContent).toBe("Alert");
    expect(rows[1].querySelector(".reasons")?.textContent).toContain("PSI 0.41");
    expect(rows[1].querySelector("li.over")?.textContent).toBe("Time since the last order 0.41");
    expect(rows[2].textContent).toContain("Not measured: fewer than 50 members");
    expect(rows[0].querySelector("a")?.getAttribute("href")).toBe("./profiles/p1#what-changed");
    expect(table.querySelector("caption")?.textContent).toContain(
      "more than 0.5 standard deviations"
    );
    expectSnapshot("history-drift", table);
  });
});

describe("moversView(movers, options)", () => {
  const options = {shown: 3, profiles: data.profiles, colors, minGroupSize: 10};

  it("sums up the movers with the rule from the config, then the first rows", () => {
    const view = moversView(data.movers, {...options, document: testDocument()});
    const summary = view.querySelector("#movers-summary")?.textContent ?? "";
    expect(summary).toContain(
      "Between 30 Apr 2026 and 31 Oct 2026, 41 customers moved into the at-risk state"
    );
    expect(summary).toContain("fell by more than 50%");
    expect(summary).toContain("p < 0.001");
    expect(summary).toContain("12 show both signals");
    expect(summary).toContain("was 21,831");
    expect(view.querySelectorAll("tbody tr").length).toBe(3);
    expectSnapshot("history-movers-view", view);
  });

  it("says 'fewer than' for a suppressed total", () => {
    const movers = {...data.movers!, total_customers: null, strong_customers: null};
    const view = moversView(movers, {...options, document: testDocument()});
    expect(view.textContent).toContain("fewer than 10 customers moved");
  });

  it("says customer-level lists are left out of a build of aggregates only", () => {
    const view = moversView(null, {...options, document: testDocument()});
    expect(view.id).toBe("movers-left-out");
    expect(view.textContent).toContain("Customer-level lists are left out of this build");
    expect(view.querySelector("table")).toBeNull();
  });

  it("says so when no customer moved", () => {
    const view = moversView(
      {...data.movers!, rows: [], total_customers: 0},
      {
        ...options,
        document: testDocument()
      }
    );
    expect(view.textContent).toContain("No customer moved into risk");
  });
});

describe("the fixture", () => {
  it("covers what the page must handle: suppressed counts and a profile moving into risk", () => {
    expect(data.series.some((r) => r.at_risk_customers === null)).toBe(true);
    expect(data.flows.some((f) => f.customers === null)).toBe(true);
    const p3 = data.series.filter((r) => r.profile_id === "p3");
    // 6 of 40 at risk at first: fewer than 10, so the share is suppressed, then 75 %
    expect(p3[0]).toMatchObject({at_risk_share: null, at_risk_suppressed: true});
    expect(formatShare(p3.at(-1)!.at_risk_share)).toBe("75%");
  });
});
