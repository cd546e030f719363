/**
 * The Method page's backtest buckets, suppressed as every table with a published total
 * (loaders/site/method.ts).
 */
import {describe, expect, it} from "vitest";
import {suppressBuckets} from "../../loaders/site/method.ts";

describe("suppressBuckets(rows, min)", () => {
  const row = (model: string, frequency: string, customers: number, mean: number) => ({
    model,
    frequency,
    customers,
    predicted: mean,
    actual: mean / 2
  });

  it("publishes null for a small bucket and the smallest other, with neither mean, in each model", () => {
    const counts: [string, number][] = [
      ["0", 16],
      ["1", 8],
      ["2", 9],
      ["3", 15],
      ["7+", 190]
    ];
    const rows = ["bgnbd", "pareto_nbd"].flatMap((model) =>
      counts.map(([f, n], k) => row(model, f, n, k))
    );
    const out = suppressBuckets(rows, 10);
    for (const model of ["bgnbd", "pareto_nbd"])
      expect(
        out.filter((r) => r.model === model).map((r) => [r.customers, r.predicted, r.actual])
      ).toEqual([
        [16, 0, 0],
        [null, null, null],
        [null, null, null],
        [15, 3, 1.5],
        [190, 4, 2]
      ]);
  });

  it("hides the smallest other bucket beside a lone small one", () => {
    const out = suppressBuckets(
      [row("bgnbd", "0", 40, 1), row("bgnbd", "1", 3, 1), row("bgnbd", "2", 25, 1)],
      10
    );
    expect(out.map((r) => r.customers)).toEqual([40, null, null]);
  });

  it("leaves a table without small buckets as it was", () => {
    const rows = [row("learned", "1", 30, 0.2), row("learned", "2", 30, 0.4)];
    expect(suppressBuckets(rows, 10)).toEqual(rows);
  });
});
