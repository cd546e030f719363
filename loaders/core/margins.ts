/**
 * Suppression that holds against subtraction. A published table is cells and the sums a reader
 * knows (a row's total, a column's total, a histogram's total against the profile's size); a
 * suppressed cell is recovered when the published cells and sums determine it, through any
 * chain of subtractions. `recoverable` finds those cells exactly (linear algebra: a cell is
 * determined when its unit vector lies in the row space of the sums restricted to the unknown
 * cells); `complement` suppresses further cells, the smallest next to a recoverable one first,
 * until none is recoverable. The build suppresses with `complement`; the privacy check verifies
 * the published files with `recoverable`.
 */

/** A known sum: the cells of `parts` add up to the cell `total`. */
export interface Sum {
  parts: number[];
  total: number;
}

const EPSILON = 1e-9;

/**
 * The suppressed cells (null) that the published cells and the sums determine, by index,
 * ascending. Values do not matter, only which cells are published.
 */
export function recoverable(cells: readonly (number | null)[], sums: readonly Sum[]): number[] {
  const unknown = new Map<number, number>();
  cells.forEach((c, i) => c === null && unknown.set(i, unknown.size));
  if (unknown.size === 0) return [];
  const rows: number[][] = [];
  for (const {parts, total} of sums) {
    const row = new Array<number>(unknown.size).fill(0);
    let any = false;
    for (const [cell, sign] of [...parts.map((p) => [p, 1]), [total, -1]]) {
      const column = unknown.get(cell);
      if (column === undefined) continue;
      row[column] += sign;
      any = true;
    }
    if (any) rows.push(row);
  }
  const pivots = reduce(rows, unknown.size);
  const columns = [...unknown.keys()];
  return pivots
    .filter(({row, column}) => row.every((x, j) => j === column || Math.abs(x) < EPSILON))
    .map(({column}) => columns[column])
    .sort((a, b) => a - b);
}

/** Gauss-Jordan elimination in place: the pivot rows of the reduced row echelon form. */
function reduce(rows: number[][], width: number): {row: number[]; column: number}[] {
  const pivots: {row: number[]; column: number}[] = [];
  let next = 0;
  for (let column = 0; column < width && next < rows.length; column++) {
    let best = next;
    for (let r = next + 1; r < rows.length; r++)
      if (Math.abs(rows[r][column]) > Math.abs(rows[best][column])) best = r;
    if (Math.abs(rows[best][column]) < EPSILON) continue;
    [rows[next], rows[best]] = [rows[best], rows[next]];
    const pivot = rows[next];
    const scale = pivot[column];
    for (let j = 0; j < width; j++) pivot[j] /= scale;
    for (let r = 0; r < rows.length; r++) {
      if (r === next) continue;
      const factor = rows[r][column];
      if (Math.abs(factor) < EPSILON) continue;
      for (let j = 0; j < width; j++) rows[r][j] -= factor * pivot[j];
    }
    pivots.push({row: pivot, column});
    next++;
  }
  return pivots;
}

/** Complements tried per step, the smallest first (each costs one `recoverable`). */
const TRIED = 8;

/**
 * Which cells to publish as suppressed so that none can be recovered by subtraction: the
 * suppressed ones, and then, step by step, one more published cell that shares a sum with a
 * recoverable one: of the TRIED smallest such cells (non-zero before zeros, then the lower
 * index), the one that leaves the fewest cells recoverable, until none is. Cells in `fixed` are
 * published elsewhere and never chosen; cells in `ignore` are published nowhere, so whether
 * they can be worked out does not matter. Deterministic: the same counts give the same cells. A
 * cell no choice can protect (every other cell of its sums fixed) is left recoverable, for the
 * privacy check to report.
 */
export function complement(
  counts: readonly number[],
  suppressed: readonly boolean[],
  sums: readonly Sum[],
  {
    fixed = new Set<number>(),
    ignore = new Set<number>()
  }: {fixed?: ReadonlySet<number>; ignore?: ReadonlySet<number>} = {}
): boolean[] {
  const out = [...suppressed];
  const open = (cells: readonly boolean[]) =>
    recoverable(
      counts.map((n, i) => (cells[i] ? null : n)),
      sums
    ).filter((i) => !ignore.has(i));
  let left = open(out);
  while (left.length > 0) {
    const near = new Set<number>();
    for (const {parts, total} of sums) {
      const members = [...parts, total];
      if (!members.some((m) => left.includes(m))) continue;
      for (const m of members) if (!out[m] && !fixed.has(m)) near.add(m);
    }
    const candidates = [...near].sort((a, b) => order(counts, a, b)).slice(0, TRIED);
    let best: {cell: number; left: number[]} | null = null;
    for (const cell of candidates) {
      const next = open(out.map((x, i) => x || i === cell));
      if (best === null || next.length < best.left.length) best = {cell, left: next};
    }
    if (best === null) return out;
    out[best.cell] = true;
    left = best.left;
  }
  return out;
}

/** The order complements are tried in: non-zero cells first, then smaller, then lower index. */
function order(counts: readonly number[], a: number, b: number): number {
  const za = counts[a] === 0 ? 1 : 0;
  const zb = counts[b] === 0 ? 1 : 0;
  return za - zb || counts[a] - counts[b] || a - b;
}

/**
 * A crosstab of rows × columns as cells and sums: cell (r, c) at r * columns + c, then the row
 * totals, the column totals and the grand total, each the sum of its cells.
 */
export function crosstab(rows: number, columns: number): {sums: Sum[]; size: number} {
  const cell = (r: number, c: number) => r * columns + c;
  const rowTotal = (r: number) => rows * columns + r;
  const columnTotal = (c: number) => rows * columns + rows + c;
  const grand = rows * columns + rows + columns;
  const sums: Sum[] = [];
  for (let r = 0; r < rows; r++)
    sums.push({parts: Array.from({length: columns}, (_, c) => cell(r, c)), total: rowTotal(r)});
  for (let c = 0; c < columns; c++)
    sums.push({parts: Array.from({length: rows}, (_, r) => cell(r, c)), total: columnTotal(c)});
  sums.push({parts: Array.from({length: rows}, (_, r) => rowTotal(r)), total: grand});
  return {sums, size: grand + 1};
}

/** What of a crosstab is published as suppressed (complementary cells included). */
export interface CrosstabSuppression {
  cells: boolean[][];
  rows: boolean[];
  columns: boolean[];
}

/**
 * Suppression of a crosstab of counts (rows × columns) whose row totals, column totals and
 * grand total readers know: every count from 1 to min − 1 (cell or total), every cell of a
 * column not published at all (`hidden`, with its total), then the complementary cells. Totals
 * published elsewhere (`fixedRows`, `fixedColumns`: a profile's size) are never chosen; the
 * grand total never is; nor is a cell of no customers where the table has no row to mark
 * (`absentZeros`: a missing flow is read as none).
 */
export function protectCrosstab(
  counts: readonly (readonly number[])[],
  min: number,
  {
    fixedRows = false,
    fixedColumns = false,
    hidden = new Set<number>(),
    absentZeros = false
  }: {
    fixedRows?: boolean;
    fixedColumns?: boolean;
    hidden?: ReadonlySet<number>;
    absentZeros?: boolean;
  } = {}
): CrosstabSuppression {
  const rows = counts.length;
  const columns = rows === 0 ? 0 : counts[0].length;
  const {sums, size} = crosstab(rows, columns);
  const n = rows * columns;
  const flat = new Array<number>(size).fill(0);
  counts.forEach((row, r) =>
    row.forEach((x, c) => {
      flat[r * columns + c] = x;
      flat[n + r] += x;
      flat[n + rows + c] += x;
      flat[size - 1] += x;
    })
  );
  const small = (x: number) => x > 0 && x < min;
  const suppressed = flat.map((x, i) => {
    if (i === size - 1) return false;
    if (i < n && hidden.has(i % columns)) return true;
    if (i >= n + rows && hidden.has(i - n - rows)) return true;
    return small(x);
  });
  const fixed = new Set<number>([size - 1]);
  if (absentZeros) for (let i = 0; i < n; i++) if (flat[i] === 0) fixed.add(i);
  for (let i = n; i < size - 1; i++) {
    const isRow = i < n + rows;
    if (!suppressed[i] && (isRow ? fixedRows : fixedColumns)) fixed.add(i);
  }
  // a hidden column's total is published nowhere (its profile has no such chart)
  const ignore = new Set([...hidden].map((c) => n + rows + c));
  const out = complement(flat, suppressed, sums, {fixed, ignore});
  return {
    cells: Array.from({length: rows}, (_, r) => out.slice(r * columns, (r + 1) * columns)),
    rows: out.slice(n, n + rows),
    columns: out.slice(n + rows, n + rows + columns)
  };
}

/**
 * Suppression of the parts of a total that readers know (customers by bucket, the buckets adding
 * up to a published count): every count from 1 to min − 1, then as many of the smallest other
 * parts as it takes that none can be worked out from the total. The total is published, never
 * chosen; nor is a part of no customers (a table without the row reads as none).
 */
export function protectParts(counts: readonly number[], min: number): boolean[] {
  const n = counts.length;
  const flat = [...counts, counts.reduce((a, b) => a + b, 0)];
  const suppressed = flat.map((x, i) => i < n && x > 0 && x < min);
  const fixed = new Set<number>([n]);
  counts.forEach((x, i) => x === 0 && fixed.add(i));
  const sums: Sum[] = [{parts: Array.from({length: n}, (_, i) => i), total: n}];
  return complement(flat, suppressed, sums, {fixed}).slice(0, n);
}
