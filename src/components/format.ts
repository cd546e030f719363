/** Number formats by a feature's unit, one place for every page and chart. */
import * as d3 from "npm:d3";
import {formatMoney, moneyUnit} from "../contracts/money.js";
import {formatShare} from "../contracts/share.js";
import {capitalise} from "../contracts/text.js";

const whole = d3.format(",.0f");
const one = d3.format(",.1f");
const two = d3.format(",.2f");

/** A share as a percentage, an amount, the unit of amounts: the one way both sides write them (src/contracts/). */
export {formatShare, formatMoney, moneyUnit, capitalise};

/**
 * A value in its unit: shares as %, money in the build's currency (when given) and counts whole,
 * scores with one decimal.
 */
export function formatValue(
  x: number | null | undefined,
  unit: string,
  currency?: string | null
): string {
  if (x == null || !Number.isFinite(x)) return "–";
  switch (unit) {
    case "share":
    case "flag":
      return formatShare(x);
    case "currency":
      return formatMoney(x, currency);
    case "days":
      return `${whole(x)} days`;
    case "hours":
      return `${one(x)} h`;
    case "minutes":
      return `${one(x)} min`;
    case "score":
    case "log ratio":
      return two(x);
    case "years":
      return `${whole(x)} years`;
    case "months":
      return `${whole(x)} months`;
    default:
      return Math.abs(x) >= 100 ? whole(x) : one(x);
  }
}

const percentTick = d3.format(".1~%");
const plainTick = d3.format(",~r");
const compactTick = d3.format(".3~s");

/**
 * An axis tick for a share: "0%", "5%", "2.5%", "10%", like every share on the site, with no
 * run of zeros even when every value is 0.
 */
export function shareTick(x: number): string {
  return Number.isFinite(x) ? percentTick(x) : "";
}

/**
 * An axis tick for a count or an amount: as it is below 1,000 ("0.4", "250"), then "1.5k",
 * "20M", "3B": never an SI prefix on a value below 1,000 ("400m" for 0.4).
 */
export function numberTick(x: number): string {
  if (!Number.isFinite(x)) return "";
  if (Math.abs(x) < 1000) return plainTick(x);
  return compactTick(x).replace("G", "B");
}

/**
 * The tick format of a log axis, as a d3 specifier so that d3 still picks which ticks to label:
 * plain numbers with thousands separated ("0.4", "300", "20,000"), never an SI prefix.
 */
export const LOG_TICKS = ",~r";

/** A unit as an axis label suffix: "%", "days", the currency's code for money. */
export function unitLabel(unit: string, currency?: string | null): string {
  switch (unit) {
    case "share":
    case "flag":
      return "%";
    case "currency":
      return moneyUnit(currency);
    case "score":
      return "score";
    default:
      return unit;
  }
}

/**
 * Why a count is not shown: it is small, or it is hidden beside a small one so that subtraction
 * from the published totals cannot give that one (complementary suppression).
 */
export function suppressedWhy(min: number): string {
  return `fewer than ${min} customers, or hidden so that a smaller count cannot be worked out from the totals`;
}

/** A count of customers, or "fewer than N" when the figure is suppressed. */
export function formatCustomers(n: number | null | undefined, min: number): string {
  return n == null ? `fewer than ${min}` : whole(n);
}

/**
 * A cell of a table with totals: "N customers", or "suppressed" (it may be hidden beside a small
 * one, not small itself), and why when given the minimum.
 */
export function formatCell(n: number | null | undefined, min?: number): string {
  if (n != null) return `${whole(n)} customers`;
  return min === undefined ? "suppressed" : `suppressed (${suppressedWhy(min)})`;
}

/** A label with its unit for a heading or an axis, when the unit is not already obvious. */
export function labelWithUnit(label: string, unit: string, currency?: string | null): string {
  if (unit === "share" || unit === "flag" || unit === "category" || unit === "value") return label;
  return `${label} (${unit === "currency" ? moneyUnit(currency) : unit})`;
}

/** A signed effect size, "+0.84" or "−0.31". */
export function formatEffect(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  return `${value >= 0 ? "+" : "−"}${Math.abs(value).toFixed(2)}`;
}

const dateFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC"
});

/** 2026-07-31 as "31 Jul 2026". */
export function formatDate(date: string): string {
  return dateFormat.format(new Date(`${date}T00:00:00Z`));
}

/** Average width of a character of 10 px sans-serif, for laying out labels inside a chart. */
export const CHAR_PX = 6;
