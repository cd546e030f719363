/**
 * Two profiles side by side: each trait's value in both against the base, and a chart of their
 * effects against the base, the traits where the two differ most on top.
 */
import * as Plot from "npm:@observablehq/plot";
import type {ExploreTrait} from "../contracts/explore.js";
import {formatValue} from "./format.js";
import {profileColor} from "./palette.js";

export interface ComparedTrait {
  feature: string;
  level: string | null;
  label: string;
  unit: string;
  base_value: number | null;
  a_value: number | null;
  b_value: number | null;
  /** Each profile's effect against the base (Hedges' g or Cohen's h). */
  a_effect: number;
  b_effect: number;
  /** a_effect − b_effect: how far apart the two profiles are, on one scale for every trait. */
  gap: number;
}

/**
 * The traits both profiles have an effect on (none suppressed), ranked by how far apart their
 * effects are; ties by label, so the order is the same on every render.
 */
export function compareTraits(
  traits: readonly ExploreTrait[],
  a: string,
  b: string
): ComparedTrait[] {
  const rows: ComparedTrait[] = [];
  for (const t of traits) {
    const pa = t.profiles.find((p) => p.profile_id === a);
    const pb = t.profiles.find((p) => p.profile_id === b);
    if (!pa || !pb || pa.suppressed || pb.suppressed) continue;
    if (pa.effect === null || pb.effect === null) continue;
    rows.push({
      feature: t.feature,
      level: t.level,
      label: t.label,
      unit: t.unit,
      base_value: t.base_value,
      a_value: pa.profile_value,
      b_value: pb.profile_value,
      a_effect: pa.effect,
      b_effect: pb.effect,
      gap: pa.effect - pb.effect
    });
  }
  return rows.sort((x, y) => Math.abs(y.gap) - Math.abs(x.gap) || x.label.localeCompare(y.label));
}

/** A dumbbell chart: for each trait, both profiles' effects against the base, joined. */
export function compareChart(
  rows: readonly ComparedTrait[],
  {
    width,
    document,
    a,
    b,
    currency
  }: {
    width: number;
    document?: Document;
    /** The build's currency (data/site.json), for amounts. */
    currency?: string | null;
    a: {id: string; name: string};
    b: {id: string; name: string};
  }
): HTMLElement | SVGSVGElement {
  const colors = profileColor([a.id, b.id]);
  const colorOf = (id: string) => colors.range[colors.domain.indexOf(id)];
  // When both are the same profile, tell the two dots apart anyway.
  const bColor = a.id === b.id ? "currentColor" : colorOf(b.id);
  const domain = rows.map((r) => r.label);
  const extent = Math.max(1, ...rows.flatMap((r) => [Math.abs(r.a_effect), Math.abs(r.b_effect)]));
  const tip = (r: ComparedTrait, who: "a" | "b") =>
    `${r.label}\n${who === "a" ? a.name : b.name}: ${formatValue(who === "a" ? r.a_value : r.b_value, r.unit, currency)} (effect ${(who === "a" ? r.a_effect : r.b_effect).toFixed(2)})\nAll customers: ${formatValue(r.base_value, r.unit, currency)}`;
  return Plot.plot({
    document,
    title: `Where ${a.name} and ${b.name} differ most`,
    subtitle:
      "Each trait's effect against all customers (Hedges' g for numbers, Cohen's h for shares); 0 is the base.",
    ariaLabel: `Dot plot of the ${rows.length} traits on which ${a.id} and ${b.id} differ most, with each profile's effect against the base`,
    width,
    height: 50 + 24 * rows.length,
    marginLeft: Math.min(300, width / 2.6),
    marginRight: 20,
    x: {
      label: "Effect against all customers (standard deviations)",
      domain: [-extent, extent],
      nice: true,
      grid: true
    },
    y: {label: null, domain},
    color: {
      domain: [`${a.id} ${a.name}`, `${b.id} ${b.name}`],
      range: [colorOf(a.id), bColor],
      legend: true
    },
    marks: [
      Plot.ruleX([0], {stroke: "currentColor", strokeOpacity: 0.5}),
      Plot.link(rows, {
        x1: "a_effect",
        x2: "b_effect",
        y1: "label",
        y2: "label",
        stroke: "currentColor",
        strokeOpacity: 0.35,
        strokeWidth: 2
      }),
      Plot.dot(rows, {
        x: "a_effect",
        y: "label",
        r: 5,
        fill: () => `${a.id} ${a.name}`,
        title: (r: ComparedTrait) => tip(r, "a")
      }),
      Plot.dot(rows, {
        x: "b_effect",
        y: "label",
        r: 5,
        symbol: "diamond",
        fill: () => `${b.id} ${b.name}`,
        title: (r: ComparedTrait) => tip(r, "b")
      })
    ]
  });
}
