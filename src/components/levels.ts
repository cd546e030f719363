/**
 * A category feature's levels, the profile's share in each against the base's: paired bars,
 * with suppressed levels (fewer than the minimum customers) named as such.
 */
import * as Plot from "npm:@observablehq/plot";
import {BASE_COLOR} from "./palette.js";
import {formatShare} from "./format.js";

export interface LevelRow {
  level: string | null;
  profile_value: number | null;
  base_value: number | null;
  suppressed: boolean;
}

/** Paired horizontal bars: each level's share in the profile and in the whole base. */
export function levelsChart(
  levels: LevelRow[],
  {
    width,
    title,
    color,
    profileName,
    minGroupSize,
    document
  }: {
    width: number;
    title: string;
    color: string;
    profileName: string;
    minGroupSize: number;
    document?: Document;
  }
): SVGSVGElement | HTMLElement {
  const rows = [...levels].sort((a, b) => (b.base_value ?? 0) - (a.base_value ?? 0));
  const name = (r: LevelRow) =>
    r.suppressed ? `${r.level ?? "unknown"} (fewer than ${minGroupSize})` : (r.level ?? "unknown");
  const data = rows.map((r) => ({
    level: name(r),
    profile: r.suppressed ? null : r.profile_value,
    base: r.base_value
  }));
  const top = Math.max(0.05, ...data.map((d) => Math.max(d.profile ?? 0, d.base ?? 0)));
  return Plot.plot({
    document,
    width,
    height: 30 + 26 * rows.length,
    title,
    ariaLabel: `Bar chart of ${title} for ${profileName} against all customers`,
    marginLeft: Math.min(200, width * 0.38),
    x: {label: "Share of customers", tickFormat: "%", grid: true, domain: [0, top]},
    y: {label: null, domain: data.map((d) => d.level), tickSize: 0},
    color: {legend: true, domain: [profileName, "All customers"], range: [color, BASE_COLOR]},
    marks: [
      Plot.barX(data, {
        x: "profile",
        y: "level",
        fill: () => profileName,
        insetBottom: 11,
        insetTop: 2,
        title: (d) =>
          `${d.level}\n${profileName}: ${formatShare(d.profile)}\nAll customers: ${formatShare(d.base)}`
      }),
      Plot.barX(data, {
        x: "base",
        y: "level",
        fill: () => "All customers",
        insetTop: 13,
        insetBottom: 3
      }),
      Plot.ruleX([0])
    ]
  });
}
