/**
 * When customers act: daily intensity curves (season, sales, gift season, weekday), the
 * personal activity level (lapse, background drop-out) and an inhomogeneous Poisson process
 * sampled by thinning. Events come out in time order, one draw sequence per stream, so
 * stopping at an earlier end date yields a prefix of a later run's events.
 */

import type {Rhythm} from "./archetypes.ts";
import {civilFromDays, DAY, weekday, YEAR_DAYS} from "./calendar.ts";
import {isGiftSeason, SALES} from "./campaigns.ts";
import {Weighted} from "./random.ts";
import type {Random} from "./random.ts";
import {HISTORY_START_S, HORIZON_S} from "./timeline.ts";

const YEAR_S = YEAR_DAYS * DAY;
const FIRST_DAY = Math.floor(HISTORY_START_S / DAY);
const LAST_DAY = Math.floor(HORIZON_S / DAY);

/** Retail seasonality by month, January first. */
const SEASON = [0.95, 0.9, 1, 1, 1, 1, 0.95, 0.95, 1, 1.02, 1.15, 1.3];
/** Weekday effect, Monday first. */
const WEEKDAY = [1, 0.95, 0.95, 1, 1.05, 1.1, 1];
/** Share of activity left after a customer quietly drops out. */
export const DROPOUT_RESIDUAL = 0.05;

const saleDays = new Uint8Array(LAST_DAY - FIRST_DAY + 1);
for (const sale of SALES) {
  for (let d = sale.from; d <= sale.to; d++)
    if (d >= FIRST_DAY && d <= LAST_DAY) saleDays[d - FIRST_DAY] = 1;
}

/** True on days a sale is on. */
export function isSaleDay(day: number): boolean {
  return day >= FIRST_DAY && day <= LAST_DAY && saleDays[day - FIRST_DAY] === 1;
}

/** Relative daily intensity from history start to the horizon. */
export interface DayCurve {
  readonly values: Float64Array;
  readonly max: number;
}

const curves = new Map<string, DayCurve>();

/** The daily intensity curve of a rhythm (cached: there are only a few rhythms). */
export function dayCurve(rhythm: Rhythm): DayCurve {
  const key = `${rhythm.seasonality}/${rhythm.promo}/${rhythm.gifts}`;
  let curve = curves.get(key);
  if (curve === undefined) {
    const values = new Float64Array(LAST_DAY - FIRST_DAY + 1);
    let max = 0;
    for (let i = 0; i < values.length; i++) {
      const day = FIRST_DAY + i;
      const [, month] = civilFromDays(day);
      let v = Math.pow(SEASON[month - 1], rhythm.seasonality) * WEEKDAY[weekday(day)];
      if (saleDays[i] === 1) v *= rhythm.promo;
      if (isGiftSeason(day)) v *= rhythm.gifts;
      values[i] = v;
      if (v > max) max = v;
    }
    curve = {values, max};
    curves.set(key, curve);
  }
  return curve;
}

/** What limits a person's activity over time. */
export interface ActivityLevel {
  /** When a planted lapse starts (Infinity if never) and the share of activity left after it. */
  readonly lapseAt: number;
  readonly lapseResidual: number;
  /** When the customer quietly drops out (Infinity if never). */
  readonly dropoutAt: number;
}

/** The share of a person's normal activity at a time. */
export function activityFactor(level: ActivityLevel, seconds: number): number {
  let f = 1;
  if (seconds >= level.lapseAt) f *= level.lapseResidual;
  if (seconds >= level.dropoutAt) f *= DROPOUT_RESIDUAL;
  return f;
}

/**
 * Emits event times of a Poisson process with `perYear` events per year at intensity 1,
 * modulated by a day curve and the person's activity, over [from, to].
 */
export function poissonTimes(
  random: Random,
  perYear: number,
  from: number,
  to: number,
  curve: DayCurve,
  level: ActivityLevel,
  emit: (seconds: number) => void
): void {
  if (!(perYear > 0)) return;
  const end = Math.min(to, HORIZON_S);
  const meanGap = YEAR_S / (perYear * curve.max);
  let t = Math.max(from, HISTORY_START_S);
  for (;;) {
    t += random.exponential(meanGap);
    if (t > end) return;
    const p =
      (curve.values[Math.floor(t / DAY) - FIRST_DAY] / curve.max) * activityFactor(level, t);
    if (random.next() < p) emit(t);
  }
}

function hours(weights: readonly number[]): Weighted<number> {
  return new Weighted(weights.map((w, h) => [h, w] as const));
}

/** Hour-of-day profiles: online (evening peak), shop opening hours, office hours. */
export const HOURS = {
  online: hours([
    1, 0.6, 0.3, 0.2, 0.2, 0.4, 1, 2, 3, 3.5, 3.5, 3.5, 4, 3.5, 3.5, 3.5, 4, 4.5, 5, 6, 7, 6.5, 4.5,
    2.5
  ]),
  store: hours([0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 4, 5, 6, 5, 5, 5, 6, 6, 5, 3, 1, 0, 0, 0]),
  office: hours([
    0, 0, 0, 0, 0, 0, 0, 0.5, 3, 5, 5, 4.5, 3, 4.5, 5, 4.5, 3.5, 2, 0.5, 0, 0, 0, 0, 0
  ])
} as const;

/** A time on the same day as `seconds`, at an hour drawn from a profile. */
export function atHour(random: Random, seconds: number, profile: Weighted<number>): number {
  return Math.floor(seconds / DAY) * DAY + profile.pick(random) * 3600 + random.int(0, 3599);
}

/** Moves a weekend time to the following Monday (offices are closed). */
export function nextWorkday(seconds: number): number {
  const wd = weekday(Math.floor(seconds / DAY));
  return wd >= 5 ? seconds + (7 - wd) * DAY : seconds;
}
