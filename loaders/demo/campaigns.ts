/**
 * The retailer's commercial calendar: sales (which lift orders and discounts) and the e-mail
 * campaigns (weekly newsletters, sale announcements, gift guides). Fixed for every seed.
 */

import {civilFromDays, DAY, daysFromCivil, PAD2, weekday} from "./calendar.ts";
import {HISTORY_START_S, HORIZON_S} from "./timeline.ts";

export interface Sale {
  readonly slug: string;
  /** First and last day (inclusive), as day numbers. */
  readonly from: number;
  readonly to: number;
  /** Also send a reminder the day before it ends. */
  readonly reminder: boolean;
}

export interface Campaign {
  readonly name: string;
  /** When sending starts, in seconds. */
  readonly at: number;
  readonly promo: boolean;
  /** Aimed at gift buyers (late autumn). */
  readonly gift: boolean;
}

const FIRST_YEAR = 2024;
const LAST_YEAR = 2028;

function blackFriday(year: number): number {
  const nov1 = daysFromCivil(year, 11, 1);
  const firstThursday = nov1 + ((3 - weekday(nov1) + 7) % 7);
  return firstThursday + 21 + 1;
}

/** The sales of one year, in date order. */
export function salesOf(year: number): Sale[] {
  const d = (month: number, day: number) => daysFromCivil(year, month, day);
  const bf = blackFriday(year);
  return [
    {slug: "january-sale", from: d(1, 2), to: d(1, 14), reminder: true},
    {slug: "spring-sale", from: d(3, 15), to: d(3, 22), reminder: false},
    {slug: "summer-sale", from: d(6, 24), to: d(7, 7), reminder: true},
    {slug: "back-to-school", from: d(8, 20), to: d(8, 27), reminder: false},
    {slug: "mid-season-sale", from: d(10, 10), to: d(10, 16), reminder: false},
    {slug: "singles-day", from: d(11, 11), to: d(11, 11), reminder: false},
    {slug: "black-friday", from: bf - 3, to: bf + 3, reminder: true}
  ];
}

/** All sales from the first history year to the horizon year. */
export const SALES: readonly Sale[] = Array.from({length: LAST_YEAR - FIRST_YEAR + 1}, (_, i) =>
  salesOf(FIRST_YEAR + i)
).flat();

/** True in the gift season: 15 November to 23 December. */
export function isGiftSeason(day: number): boolean {
  const [, month, dom] = civilFromDays(day);
  return (month === 11 && dom >= 15) || (month === 12 && dom <= 23);
}

function monthTag(day: number): string {
  const [year, month] = civilFromDays(day);
  return `${year}-${PAD2[month]}`;
}

function buildCampaigns(): Campaign[] {
  const list: Campaign[] = [];
  const firstDay = Math.floor(HISTORY_START_S / DAY);
  const lastDay = Math.floor(HORIZON_S / DAY);
  // Weekly newsletter on Thursdays; an ISO week is numbered by its Thursday's year and day.
  for (let day = firstDay; day <= lastDay; day++) {
    if (weekday(day) !== 3) continue;
    const [year] = civilFromDays(day);
    const week = Math.floor((day - daysFromCivil(year, 1, 1)) / 7) + 1;
    list.push({
      name: `newsletter-${year}-w${PAD2[week]}`,
      at: day * DAY + 8 * 3600,
      promo: false,
      gift: false
    });
  }
  for (const sale of SALES) {
    const gift = sale.slug === "black-friday" || sale.slug === "singles-day";
    list.push({
      name: `${monthTag(sale.from)}-${sale.slug}`,
      at: sale.from * DAY + 9 * 3600,
      promo: true,
      gift
    });
    if (sale.reminder) {
      const day = sale.to - 1;
      list.push({
        name: `${monthTag(sale.from)}-${sale.slug}-last-chance`,
        at: day * DAY + 17 * 3600,
        promo: true,
        gift
      });
    }
  }
  for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
    list.push({
      name: `${year}-11-gift-ideas`,
      at: daysFromCivil(year, 11, 18) * DAY + 10 * 3600,
      promo: false,
      gift: true
    });
    list.push({
      name: `${year}-12-gift-guide`,
      at: daysFromCivil(year, 12, 4) * DAY + 10 * 3600,
      promo: false,
      gift: true
    });
  }
  return list
    .filter((c) => c.at <= HORIZON_S)
    .sort((a, b) => a.at - b.at || (a.name < b.name ? -1 : 1));
}

/** Every e-mail campaign from history start to the horizon, by send time. */
export const CAMPAIGNS: readonly Campaign[] = buildCampaigns();

/** Index of the first campaign sent at or after a time (binary search). */
export function firstCampaignFrom(seconds: number): number {
  let lo = 0;
  let hi = CAMPAIGNS.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (CAMPAIGNS[mid].at < seconds) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
