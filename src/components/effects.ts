/**
 * What sets a profile apart: its distinguishing traits as standardised effects against the
 * base (Hedges' g or Cohen's h) with their 95 % intervals, strongest first.
 */
import * as Plot from "npm:@observablehq/plot";
import type {ReportTrait} from "../contracts/report.js";
import {BASE_COLOR} from "./palette.js";
import {formatValue} from "./format.js";

export type EffectRow = Pick<
  ReportTrait,
  | "label"
  | "unit"
  | "kind"
  | "profile_value"
  | "base_value"
  | "effect"
  | "effect_low"
  | "effect_high"
>;

/** A label inside a sentence: "Orders via phone" → "orders via phone" (not "UK" → "uK"). */
const lowerFirst = (label: string) =>
  /^[A-Z][a-z]/.test(label) ? label[0].toLowerCase() + label.slice(1) : label;

/**
 * A forest plot of the traits' effects, one row each, in the order given (strongest first): its
 * title names the first.
 */
export function effectsChart(
  traits: EffectRow[],
  {
    width,
    color,
    currency,
    document
  }: {width: number; color: string; currency?: string | null; document?: Document}
): SVGSVGElement | HTMLElement {
  const rows = traits.filter((t) => t.effect !== null);
  const reach = Math.max(
    1,
    ...rows.map((t) => Math.abs(t.effect_high ?? 0)),
    ...rows.map((t) => Math.abs(t.effect_low ?? 0))
  );
  const describe = (t: EffectRow) =>
    `${t.label}\n${formatValue(t.profile_value, t.unit, currency)} against ${formatValue(t.base_value, t.unit, currency)} for all customers\neffect ${t.effect!.toFixed(2)} (95% CI ${t.effect_low?.toFixed(2)} to ${t.effect_high?.toFixed(2)})`;
  return Plot.plot({
    document,
    width,
    height: 44 + 24 * rows.length,
    title: rows.length
      ? `Most apart on ${lowerFirst(rows[0].label)}: ${formatValue(rows[0].profile_value, rows[0].unit, currency)} against ${formatValue(rows[0].base_value, rows[0].unit, currency)} for all customers`
      : "What sets them apart",
    subtitle:
      "Standardised difference from all customers, with its 95% interval: ±0.5 is a medium effect, ±0.8 a large one.",
    ariaLabel: "Dot chart of the profile's distinguishing traits and their effect sizes",
    marginLeft: Math.min(260, width * 0.42),
    x: {
      label: "Effect size (lower ← 0 → higher than all customers)",
      domain: [-reach, reach],
      grid: true
    },
    y: {label: null, domain: rows.map((t) => t.label), tickSize: 0},
    marks: [
      Plot.ruleX([0], {stroke: BASE_COLOR}),
      Plot.ruleX([-0.8, -0.5, 0.5, 0.8], {
        stroke: BASE_COLOR,
        strokeOpacity: 0.35,
        strokeDasharray: "2,3"
      }),
      Plot.ruleY(rows, {
        y: "label",
        x1: "effect_low",
        x2: "effect_high",
        stroke: color,
        strokeWidth: 2
      }),
      Plot.dot(rows, {
        y: "label",
        x: "effect",
        r: 4.5,
        fill: color,
        stroke: "var(--theme-background, white)",
        title: describe
      })
    ]
  });
}
