/**
 * The CDNOW sample (../shared/datasets/cdnow) and the estimates Fader, Hardie & Lee (2005) and
 * Fader & Hardie (2013) publish for it: the reference the value models are tested against.
 */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {expect} from "vitest";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";

export const CDNOW = join(PROJECT_DIR, "..", "shared", "datasets", "cdnow", "CDNOW_sample.csv");
export const PUBLISHED_BG = {r: 0.243, alpha: 4.414, a: 0.793, b: 2.426};
export const PUBLISHED_LL = -9582.4;
export const PUBLISHED_GG = {p: 6.25, q: 3.74, gamma: 15.44};
/** MBG/NBD (Batislam, Denizel & Filiztekin 2007) on the same data, as the dataset's README gives it. */
export const PUBLISHED_MBG = {r: 0.525, alpha: 6.183, a: 0.891, b: 1.614};
export const PUBLISHED_MBG_LL = -9582.14;
/** Pareto/NBD (Fader, Hardie & Lee's MATLAB note, 2005), as the dataset's README gives it. */
export const PUBLISHED_PNBD = {r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669};
export const PUBLISHED_PNBD_LL = -9595.0;

/** |actual − expected| ≤ share · |expected|, with a message naming the quantity. */
export function within(
  share: number,
  actual: Record<string, number>,
  expected: Record<string, number>
) {
  for (const [key, value] of Object.entries(expected)) {
    const error = Math.abs(actual[key] - value) / Math.abs(value);
    expect(error, `${key}: fitted ${actual[key]}, published ${value}`).toBeLessThan(share);
  }
}

/** |a − b| / |b|. */
export const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

// The CDNOW calibration summary, computed here from the CSV with the README's definitions.

const DAY_MS = 86_400_000;
const CALIBRATION_END = Date.UTC(1997, 8, 30) / DAY_MS;

export interface CdnowSummary {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** x and mean repeat value of the customers with x ≥ 1. */
  repeaters: {x: Float64Array; mean: Float64Array};
}

/** x, t_x and T in weeks of every customer up to 1997-09-30, by customer id. */
export function cdnowSummary(): CdnowSummary {
  const lines = readFileSync(CDNOW, "utf8").trimEnd().split("\n").slice(1);
  const days = new Map<string, Map<number, number>>();
  for (const line of lines) {
    const [id, , date, , amount] = line.split(",");
    const day =
      Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6))) /
      DAY_MS;
    if (day > CALIBRATION_END) continue;
    const customer = days.get(id) ?? new Map<number, number>();
    days.set(id, customer);
    customer.set(day, (customer.get(day) ?? 0) + Number(amount));
  }
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  const rx: number[] = [];
  const mean: number[] = [];
  for (const id of [...days.keys()].sort()) {
    const customer = days.get(id)!;
    const sorted = [...customer.keys()].sort((a, b) => a - b);
    const first = sorted[0];
    x.push(sorted.length - 1);
    tx.push((sorted[sorted.length - 1] - first) / 7);
    T.push((CALIBRATION_END - first) / 7);
    if (sorted.length > 1) {
      rx.push(sorted.length - 1);
      mean.push(sorted.slice(1).reduce((s, d) => s + customer.get(d)!, 0) / (sorted.length - 1));
    }
  }
  return {
    x: Float64Array.from(x),
    tx: Float64Array.from(tx),
    T: Float64Array.from(T),
    repeaters: {x: Float64Array.from(rx), mean: Float64Array.from(mean)}
  };
}
