/**
 * Outcomes (churned, responded, converted …): how often a group had a known result against the
 * whole base, as a rate with its 95 % interval beside the base's rate, in a chart and in words.
 */
import * as Plot from "npm:@observablehq/plot";
import type {OutcomeRate} from "../contracts/profiles.js";
import {builder} from "./dom.js";
import {formatShare, shareTick} from "./format.js";
import {BASE_COLOR} from "./palette.js";

/** A rate of some group: the fields both a profile's and a segment's outcome carry. */
export type RateRow = Pick<
  OutcomeRate,
  "label" | "customers" | "rate" | "low" | "high" | "base_rate" | "lift"
> & {
  /** The group's name on the chart's axis. */
  group: string;
  /** The group's colour; default the page's foreground. */
  color?: string;
};

/** "2.3× the base" or "0.4× the base", or "" without a lift. */
export function formatLift(lift: number | null): string {
  if (lift === null || !Number.isFinite(lift)) return "";
  return `${lift >= 10 ? lift.toFixed(0) : lift.toFixed(1)}× the base`;
}

/**
 * Why a group's rate is not shown: few customers with a known outcome, few who had it or few who
 * did not (the rate times the group's size would count them), or hidden beside such a group so
 * that the base's rate cannot give it (complementary suppression).
 */
export function rateSuppressedWhy(min: number): string {
  return `fewer than ${min} customers with a known outcome, fewer than ${min} who had it or did not, or hidden so that a smaller group cannot be worked out from the totals`;
}

/** One group's rate in words: "34% (95% interval 29–39%), 2.3× the base's 15%". */
export function rateSentence(r: RateRow, minGroupSize: number): string {
  if (r.rate === null)
    return r.customers === null
      ? `suppressed (${rateSuppressedWhy(minGroupSize)})`
      : "not assessed";
  const interval = `95% interval ${formatShare(r.low)}–${formatShare(r.high)}`;
  const lift = formatLift(r.lift);
  return `${formatShare(r.rate)} (${interval})${lift ? `, ${lift}'s ${formatShare(r.base_rate)}` : `, against ${formatShare(r.base_rate)} for all customers`}`;
}

/**
 * One outcome's rate per group, each a dot with its 95 % interval, and the base's rate as a
 * grey rule; suppressed groups are listed under the chart, not drawn.
 */
export function outcomeChart(
  rows: RateRow[],
  {
    width,
    title,
    subtitle,
    minGroupSize,
    document
  }: {width: number; title: string; subtitle?: string; minGroupSize: number; document?: Document}
): HTMLElement {
  const shown = rows.filter((r) => r.rate !== null);
  const hidden = rows.filter((r) => r.rate === null);
  const base = rows.find((r) => r.base_rate !== null)?.base_rate ?? null;
  const reach = Math.max(base ?? 0, ...shown.map((r) => r.high ?? r.rate ?? 0));
  const chart = Plot.plot({
    document,
    width,
    height: 50 + 26 * Math.max(1, shown.length),
    title,
    subtitle:
      subtitle ??
      `Share who had it, with its 95% interval; the grey tick is all customers${shown.every((r) => r.base_rate === base) ? ` (${formatShare(base)})` : ""}.`,
    ariaLabel: `Dot chart of ${title.toLowerCase()} per group with 95% intervals`,
    marginLeft: Math.min(220, width * 0.4),
    x: {
      label: "Share of customers →",
      domain: [0, Math.min(1, reach * 1.1 || 1)],
      tickFormat: shareTick,
      grid: true
    },
    y: {label: null, domain: shown.map((r) => r.group), tickSize: 0},
    marks: [
      // Each row's own base: one outcome across groups shares it, several outcomes do not.
      Plot.tickX(shown, {y: "group", x: "base_rate", stroke: BASE_COLOR, strokeWidth: 2}),
      Plot.ruleY(shown, {
        y: "group",
        x1: "low",
        x2: "high",
        stroke: (r: RateRow) => r.color ?? "currentColor",
        strokeWidth: 2
      }),
      Plot.dot(shown, {
        y: "group",
        x: "rate",
        r: 4.5,
        fill: (r: RateRow) => r.color ?? "currentColor",
        stroke: "var(--theme-background, white)",
        title: (r: RateRow) => `${r.group}\n${rateSentence(r, minGroupSize)}`
      })
    ]
  }) as HTMLElement;
  const h = builder(document ?? globalThis.document);
  return h(
    "div",
    {class: "outcome-chart"},
    chart,
    hidden.length > 0
      ? h(
          "p",
          {class: "muted"},
          `Suppressed (${rateSuppressedWhy(minGroupSize)}): ${hidden.map((r) => r.group).join(", ")}.`
        )
      : null
  );
}
