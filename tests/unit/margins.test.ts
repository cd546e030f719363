/** Suppression that holds against subtraction (loaders/core/margins.ts). */
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {
  complement,
  crosstab,
  protectCrosstab,
  protectParts,
  recoverable,
  type Sum
} from "../../loaders/core/margins.ts";

/** A histogram: bins 0..n-1, their total at n. */
const histogram = (n: number): Sum[] => [{parts: Array.from({length: n}, (_, i) => i), total: n}];

/** A crosstab's cells (rows × columns) followed by its row totals, column totals and grand total. */
function withTotals(counts: number[], rows: number, columns: number): number[] {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return [
    ...counts,
    ...Array.from({length: rows}, (_, r) => sum(counts.slice(r * columns, (r + 1) * columns))),
    ...Array.from({length: columns}, (_, c) => sum(counts.filter((_, i) => i % columns === c))),
    sum(counts)
  ];
}

/** What subtraction recovers of the counts once the hidden ones are suppressed. */
const published = (counts: number[], hidden: boolean[], sums: Sum[]) =>
  recoverable(
    counts.map((n, i) => (hidden[i] ? null : n)),
    sums
  );

describe("recoverable(cells, sums)", () => {
  it("recovers a single suppressed bin from the histogram's total", () => {
    expect(recoverable([40, null, 25, 70], histogram(3))).toEqual([1]);
  });

  it("recovers none of two suppressed bins of one total", () => {
    expect(recoverable([40, null, null, 70], histogram(3))).toEqual([]);
  });

  it("recovers a cell through a chain of subtractions (a column, then a row)", () => {
    // 2 × 2 with totals: (0,0) alone in its column, (0,1) then alone in its row
    const {sums} = crosstab(2, 2);
    const cells = [null, null, 5, 20, 30, 25, 35, 45, 55];
    expect(recoverable(cells, sums)).toEqual([0, 1]);
  });

  it("recovers none of four cells on a cycle of a crosstab", () => {
    const {sums} = crosstab(2, 3);
    // cells (0,0), (0,1), (1,0), (1,1) suppressed; (0,2), (1,2) published
    const cells = [null, null, 12, null, null, 14, 40, 50, 30, 30, 30, 90];
    expect(recoverable(cells, sums)).toEqual([]);
  });

  it("recovers a total that only a combination of sums gives", () => {
    const {sums} = crosstab(2, 2);
    const cells = [null, null, null, null, 10, 20, 15, 15, 30];
    // four unknowns, rows and columns known: one degree of freedom, none determined
    expect(recoverable(cells, sums)).toEqual([]);
    // the grand total suppressed as well: the sum of the published row totals gives it
    expect(recoverable([...cells.slice(0, 8), null], sums)).toEqual([8]);
    // a row total suppressed too: the grand total less the other row total gives it
    expect(recoverable([null, null, null, null, null, 20, 15, 15, 30], sums)).toEqual([4]);
  });
});

describe("complement(counts, suppressed, sums, {fixed})", () => {
  it("suppresses the smallest other bin of a histogram with one suppressed bin", () => {
    const out = complement([40, 3, 25, 12, 80], [false, true, false, false, false], histogram(4), {
      fixed: new Set([4])
    });
    expect(out).toEqual([false, true, false, true, false]);
  });

  it("prefers a non-zero cell to a zero one", () => {
    const out = complement([0, 3, 25, 28], [false, true, false, false], histogram(3), {
      fixed: new Set([3])
    });
    expect(out).toEqual([false, true, true, false]);
  });

  it("leaves no suppressed cell of a crosstab recoverable", () => {
    // 3 profiles × 4 segments, one small cell
    const counts = [50, 4, 30, 60, 45, 70, 80, 20, 25, 40, 33, 90];
    const {sums, size} = crosstab(3, 4);
    const full = withTotals(counts, 3, 4);
    const suppressed = full.map((n, i) => i < 12 && n < 10);
    const fixed = new Set(Array.from({length: size - 12}, (_, i) => 12 + i));
    const out = complement(full, suppressed, sums, {fixed});
    expect(published(full, out, sums)).toEqual([]);
    // 4 at (0,1), then the smallest cells that close a cycle: 30 at (0,2), 40 at (2,1), 33 at (2,2)
    expect(out.map((x, i) => (x ? i : -1)).filter((i) => i >= 0)).toEqual([1, 2, 9, 10]);
  });

  it("leaves no suppressed cell recoverable in any crosstab with fixed margins", () => {
    fc.assert(
      fc.property(
        fc.integer({min: 2, max: 5}),
        fc.integer({min: 2, max: 6}),
        fc.array(fc.integer({min: 0, max: 40}), {minLength: 30, maxLength: 30}),
        (rows, columns, pool) => {
          const counts = Array.from({length: rows * columns}, (_, i) => pool[i]);
          const {sums, size} = crosstab(rows, columns);
          const full = withTotals(counts, rows, columns);
          const n = rows * columns;
          // every profile covers at least 10 customers (smaller ones are not published)
          fc.pre(full.slice(n + rows, n + rows + columns).every((x) => x >= 10));
          const suppressed = full.map((x, i) => x > 0 && x < 10 && i < size);
          // column totals (profiles' sizes) and the grand total are published elsewhere; a row
          // total (a segment's size) under 10 is suppressed like a cell
          const fixed = new Set(
            Array.from({length: columns + 1}, (_, i) => n + rows + i).filter((i) => !suppressed[i])
          );
          const out = complement(full, suppressed, sums, {fixed});
          expect(published(full, out, sums)).toEqual([]);
          expect(complement(full, suppressed, sums, {fixed})).toEqual(out);
        }
      )
    );
  });
});

describe("protectCrosstab(counts, min, {fixedRows, fixedColumns, hidden})", () => {
  it("hides a small cell with the smallest cells that close a cycle, totals published elsewhere kept", () => {
    const shown = protectCrosstab(
      [
        [50, 4, 30],
        [45, 70, 33]
      ],
      10,
      {fixedRows: true, fixedColumns: true}
    );
    expect(shown.cells).toEqual([
      [false, true, true],
      [false, true, true]
    ]);
    expect(shown.rows).toEqual([false, false]);
  });

  it("leaves an unpublished column to itself: its total is published nowhere", () => {
    // three bins × three profiles; the third has 6 values, so no chart of its own
    const shown = protectCrosstab(
      [
        [40, 30, 2],
        [35, 3, 1],
        [25, 27, 3]
      ],
      10,
      {fixedColumns: true, hidden: new Set([2])}
    );
    // the small cell (1,1) and complements in its column; the first profile's bins all shown
    expect(shown.cells.map((row) => row[0])).toEqual([false, false, false]);
    expect(shown.cells[1][1]).toBe(true);
    const {sums} = crosstab(3, 3);
    const counts = [40, 30, 2, 35, 3, 1, 25, 27, 3, 72, 39, 55, 100, 60, 6, 166];
    const hidden = [...shown.cells.flat(), ...shown.rows, ...shown.columns, false];
    const published = counts.map((n, i) => (hidden[i] || i === 14 ? null : n));
    // only the third profile's total (published nowhere) follows from the others
    expect(recoverable(published, sums)).toEqual([14]);
  });
});

describe("protectParts(counts, min)", () => {
  it("publishes every part when none is small", () => {
    expect(protectParts([16, 12, 190], 10)).toEqual([false, false, false]);
  });

  it("hides a small part with the smallest other, so that neither follows from the total", () => {
    const hidden = protectParts([16, 8, 15, 12, 190], 10);
    expect(hidden).toEqual([false, true, false, true, false]);
    const counts = [16, 8, 15, 12, 190, 241];
    const cells = counts.map((n, i) => (hidden[i] ? null : n));
    expect(recoverable(cells, histogram(5))).toEqual([]);
  });

  it("hides two small parts alone, and never a part of no customers", () => {
    expect(protectParts([3, 0, 4, 50], 10)).toEqual([true, false, true, false]);
    expect(protectParts([0, 5, 50], 10)).toEqual([false, true, true]);
  });
});
