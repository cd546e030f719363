/**
 * Calendar arithmetic in UTC on integer seconds since 1970-01-01, with hand-written formatting
 * so output never depends on the machine's locale or time zone.
 */

/** Seconds per day. */
export const DAY = 86400;
/** Mean days per year, for rates given per year. */
export const YEAR_DAYS = 365.25;

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The [year, month, day] of a day number (Hinnant's civil_from_days). */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/** Number of days in a month. */
export function daysInMonth(year: number, month: number): number {
  return (
    daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) -
    daysFromCivil(year, month, 1)
  );
}

/** Day of the week of a day number: 0 = Monday ... 6 = Sunday. */
export function weekday(days: number): number {
  return (((days + 3) % 7) + 7) % 7;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses a strict `YYYY-MM-DD` into its day number, or returns null if it is not a real date. */
export function parseDay(text: string): number | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return daysFromCivil(year, month, day);
}

/** Day number of a date literal known to be valid (for constants). */
export function day(text: string): number {
  const d = parseDay(text);
  if (d === null) throw new Error(`invalid date: ${text}`);
  return d;
}

/** Seconds at 00:00:00 UTC of a date literal known to be valid. */
export function at(text: string): number {
  return day(text) * DAY;
}

/** Two-digit, zero-padded strings for 0..99. */
export const PAD2: readonly string[] = Array.from({length: 100}, (_, i) =>
  i < 10 ? `0${i}` : `${i}`
);

/** Formatted days from 1900 to 2099, filled on first use (millions of rows share a few thousand days). */
const CACHE_FIRST = daysFromCivil(1900, 1, 1);
const dayCache: (string | undefined)[] = new Array(daysFromCivil(2100, 1, 1) - CACHE_FIRST);

function formatDayUncached(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${String(y).padStart(4, "0")}-${PAD2[m]}-${PAD2[d]}`;
}

/** `YYYY-MM-DD` of a day number. */
export function formatDay(days: number): string {
  const i = days - CACHE_FIRST;
  if (i < 0 || i >= dayCache.length) return formatDayUncached(days);
  let s = dayCache[i];
  if (s === undefined) {
    s = formatDayUncached(days);
    dayCache[i] = s;
  }
  return s;
}

/** `YYYY-MM-DD` of a time in seconds. */
export function formatDate(seconds: number): string {
  return formatDay(Math.floor(seconds / DAY));
}

/** `YYYY-MM-DD HH:MM:SS` of a time in seconds. */
export function formatTimestamp(seconds: number): string {
  const s = Math.floor(seconds);
  const days = Math.floor(s / DAY);
  const rest = s - days * DAY;
  const h = Math.floor(rest / 3600);
  const m = Math.floor((rest - h * 3600) / 60);
  return `${formatDay(days)} ${PAD2[h]}:${PAD2[m]}:${PAD2[rest - h * 3600 - m * 60]}`;
}
