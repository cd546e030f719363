/**
 * The profiles at a glance, for leadership: who the customers are (share of customers against
 * share of revenue) and where the value and the risk sit (value per customer against the share
 * at risk, sized by customers).
 */
import * as Plot from "npm:@observablehq/plot";
import type {BriefingProfile} from "../contracts/briefing.js";
import {BASE_COLOR} from "./palette.js";
import {formatMoney, formatShare, LOG_TICKS, moneyUnit, shareTick} from "./format.js";

export type GlanceProfile = Pick<
  BriefingProfile,
  | "id"
  | "name"
  | "customers"
  | "share"
  | "revenue_share"
  | "value_12m"
  | "at_risk_share"
  | "at_risk_suppressed"
>;

type Colors = {domain: string[]; range: string[]};

/** The finding of the shares chart: the profile whose revenue share most exceeds its size. */
export function sharesFinding(profiles: readonly GlanceProfile[]): string {
  const priced = profiles.filter((p) => p.revenue_share !== null);
  if (priced.length === 0) {
    const largest = [...profiles].sort((a, b) => b.share - a.share)[0];
    return largest
      ? `“${largest.name}” is the largest profile, ${formatShare(largest.share)} of customers`
      : "Share of customers";
  }
  const top = [...priced].sort(
    (a, b) => b.revenue_share! - b.share - (a.revenue_share! - a.share) || a.id.localeCompare(b.id)
  )[0];
  return `“${top.name}” is ${formatShare(top.share)} of customers and ${formatShare(top.revenue_share)} of revenue`;
}

/** The finding of the value-and-risk chart: where the value per customer and the risk peak. */
export function valueRiskFinding(
  profiles: readonly GlanceProfile[],
  currency?: string | null
): string {
  const valued = profiles.filter((p) => p.value_12m !== null);
  const risky = profiles.filter((p) => p.at_risk_share !== null);
  if (!valued.length || !risky.length) return "Where the value and the risk are";
  const value = [...valued].sort(
    (a, b) => b.value_12m! - a.value_12m! || a.id.localeCompare(b.id)
  )[0];
  const risk = [...risky].sort(
    (a, b) => b.at_risk_share! - a.at_risk_share! || a.id.localeCompare(b.id)
  )[0];
  return value.id === risk.id
    ? `“${value.name}” holds the most value per customer (${formatMoney(value.value_12m, currency)}) and the most risk (${formatShare(value.at_risk_share)})`
    : `The value is in “${value.name}” (${formatMoney(value.value_12m, currency)} per customer), the risk in “${risk.name}” (${formatShare(risk.at_risk_share)} at risk)`;
}

/** Below this width (a phone), names go above the bars and the scatter's dots get a legend. */
const NARROW = 560;

/** Per profile, its share of customers (bar) and of the last 12 months' revenue (tick). */
export function sharesChart(
  profiles: GlanceProfile[],
  {width, colors, document}: {width: number; colors: Colors; document?: Document}
): SVGSVGElement | HTMLElement {
  const top = Math.max(0.05, ...profiles.map((p) => Math.max(p.share, p.revenue_share ?? 0)));
  const narrow = width < NARROW;
  return Plot.plot({
    document,
    width,
    height: 50 + (narrow ? 48 : 34) * profiles.length,
    title: sharesFinding(profiles),
    subtitle: "Bars: share of all customers. Ticks: share of the last 12 months' revenue.",
    ariaLabel: "Bar chart of each profile's share of customers, with its share of revenue",
    marginLeft: narrow ? 12 : Math.min(240, width * 0.36),
    x: {label: "Share", tickFormat: shareTick, grid: true, domain: [0, top]},
    y: {
      label: null,
      domain: profiles.map((p) => p.name),
      tickSize: 0,
      axis: narrow ? null : "left"
    },
    color: colors,
    marks: [
      Plot.barX(profiles, {
        x: "share",
        y: "name",
        fill: "id",
        insetTop: narrow ? 20 : 5,
        insetBottom: narrow ? 4 : 5,
        title: (p) =>
          `${p.name}\n${formatShare(p.share)} of customers\n${formatShare(p.revenue_share)} of revenue`
      }),
      Plot.tickX(
        profiles.filter((p) => p.revenue_share !== null),
        {
          x: "revenue_share",
          y: "name",
          stroke: "currentColor",
          strokeWidth: 3,
          insetTop: narrow ? 18 : 0
        }
      ),
      narrow
        ? Plot.text(profiles, {x: 0, y: "name", text: "name", textAnchor: "start", dy: -12})
        : null,
      Plot.ruleX([0])
    ]
  });
}

/** Value per customer against the share at risk, one dot per profile sized by customers. */
export function valueRiskChart(
  profiles: GlanceProfile[],
  {
    width,
    colors,
    baseValue,
    baseRisk,
    currency,
    minGroupSize = 10,
    document
  }: {
    width: number;
    colors: Colors;
    baseValue: number | null;
    baseRisk: number | null;
    /** The build's currency (data/site.json), named on the value axis. */
    currency?: string | null;
    /** privacy.minGroupSize, to say why a profile with a suppressed share is not drawn. */
    minGroupSize?: number;
    document?: Document;
  }
): SVGSVGElement | HTMLElement {
  const data = profiles.filter(
    (p) => p.value_12m !== null && p.value_12m > 0 && p.at_risk_share !== null
  );
  const named = (state: boolean | string) =>
    profiles.filter((p) => p.at_risk_suppressed === state).map((p) => `“${p.name}”`);
  const few = named(true);
  const hidden = named("complement");
  const notDrawn = [
    few.length ? `${few.join(", ")}, fewer than ${minGroupSize} customers at risk` : "",
    hidden.length ? `${hidden.join(", ")}, hidden so that a smaller share cannot be worked out` : ""
  ].filter(Boolean);
  const notDrawnText = notDrawn.length ? ` Not drawn: ${notDrawn.join("; ")}.` : "";
  // On a phone the names beside the dots run into each other: a legend names the colours.
  const narrow = width < NARROW;
  const names = new Map(profiles.map((p) => [p.id, p.name]));
  return Plot.plot({
    document,
    width,
    height: Math.min(420, Math.max(300, width * 0.55)),
    title: valueRiskFinding(profiles, currency),
    subtitle: `Expected value per customer over the next 12 months against the share of customers at risk; dot area is customers.${notDrawnText}`,
    ariaLabel:
      "Scatter chart of each profile's expected value per customer against its share at risk",
    inset: 28,
    marginLeft: 56,
    x: {label: "Customers at risk (%)", tickFormat: shareTick, grid: true, zero: true},
    y: {
      type: "log",
      label: `Expected value per customer, next 12 months (${moneyUnit(currency)}, log scale)`,
      grid: true,
      tickFormat: LOG_TICKS
    },
    r: {range: [5, 24]},
    color: narrow
      ? {...colors, legend: true, tickFormat: (id: string) => names.get(id) ?? id}
      : colors,
    marks: [
      baseRisk === null
        ? null
        : Plot.ruleX([baseRisk], {stroke: BASE_COLOR, strokeDasharray: "4,3"}),
      baseValue === null
        ? null
        : Plot.ruleY([baseValue], {stroke: BASE_COLOR, strokeDasharray: "4,3"}),
      Plot.dot(data, {
        x: "at_risk_share",
        y: "value_12m",
        r: "customers",
        fill: "id",
        fillOpacity: 0.85,
        stroke: "var(--theme-background, white)",
        title: (p) =>
          `${p.name}\n${formatShare(p.share)} of customers\n${formatShare(p.at_risk_share)} at risk\nvalue ${Math.round(p.value_12m!).toLocaleString("en-US")} per customer`
      }),
      narrow
        ? null
        : Plot.text(data, {
            x: "at_risk_share",
            y: "value_12m",
            text: "name",
            dy: -18,
            fontSize: 11,
            lineWidth: 12,
            stroke: "var(--theme-background, white)",
            strokeWidth: 3,
            fill: "currentColor"
          })
    ]
  });
}
