/**
 * k-anonymity by generalisation, then suppression: the quasi-identifiers of a customer-level
 * sample (quasi-identifiers.ts) coarsened step by step until every combination of them is
 * shared by at least k rows, and the few rows still in smaller classes withheld.
 *
 * Each column climbs a ladder of levels. A number is banded: ages in 5-, 10-, then 20-year
 * bands; days since a dated event in 1-, 3-, 6-month, then 1-, 2-, 5-year bands; anything else
 * in bands of a round width (1, 2 or 5 times a power of ten) that gives about 16 bands between
 * its 2nd and 98th percentiles, then wider ones; the values beyond those percentiles fall in the
 * end bands (top and bottom coding), and a value is published as its band's midpoint. A category
 * keeps its values, then pools those held by fewer than k, 2k, 4k, 8k rows as "other". The last
 * step of every ladder withholds the column. Each step raises the one column whose next level
 * takes the most rows out of classes under k for the detail it gives up (bits of distinct
 * values, weighted per column, withholding costing more; ties: the first column); when no step
 * alone takes any out, the column with the most distinct values. It stops when at most
 * `maxSuppressed` rows are left in classes under k; those are withheld.
 * Deterministic: the same rows and k give the same result.
 */
import {
  classesOf,
  codesOf,
  equivalenceClasses,
  type Partition,
  refine,
  rowsInSmallClasses
} from "./quasi-identifiers.ts";

type Value = string | number | boolean | null;

/** A quasi-identifier of the sample, its values row-aligned. */
export interface QuasiColumn {
  column: string;
  /** For a number, its unit picks the ladder ("years", "days", anything else). */
  kind: "number" | "category";
  unit: string;
  values: readonly Value[];
  /** What a bit of its detail is worth against the others' (default 1): 2 for a clustered feature. */
  weight?: number;
}

/** A quasi-identifier as published. */
export interface Generalisation {
  column: string;
  /** 0 is the finest level of its ladder. */
  level: number;
  /** How it is published, in words: "5-year bands", "exact", "withheld", … */
  description: string;
  withheld: boolean;
  /** Band width, for a banded number. */
  width: number | null;
  /** The published values, row-aligned (all null when withheld). */
  values: Value[];
}

export interface Generalised {
  columns: Generalisation[];
  /** 1 for a row kept, 0 for one withheld (its class under k even after generalising). */
  keep: Uint8Array;
  /** Rows withheld. */
  suppressed: number;
  /** The smallest class of the rows kept (0 when none is kept). */
  smallest: number;
}

/** A ladder's step: how to map a column's values at that level. */
interface Step {
  description: string;
  width: number | null;
  map: (values: readonly Value[]) => Value[];
}

const DAY_STEPS: [number, string][] = [
  [1, "1-month bands"],
  [3, "3-month bands"],
  [6, "6-month bands"],
  [12, "1-year bands"],
  [24, "2-year bands"],
  [60, "5-year bands"]
];
const DAYS_PER_MONTH = 365.25 / 12;
const YEAR_STEPS = [5, 10, 20];
/** Percentiles beyond which numbers fall in the end bands. */
const TAIL = 0.02;
/** What withholding a column costs beyond its detail, in bits: a coarse column beats none. */
const WITHHOLD_BITS = 2;
/** Bands between the tails at a number's finest level. */
const BANDS = 16;

function finite(values: readonly Value[]): number[] {
  return values.filter((v): v is number => typeof v === "number" && Number.isFinite(v));
}

/** The q-quantile of sorted numbers (nearest rank). */
function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** The smallest of 1, 2, 5 times a power of ten that is at least x. */
function niceAtLeast(x: number): number {
  const power = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * power >= x * (1 - 1e-12)) return m * power;
  return 10 * power;
}

/** The band mapper of one width: clamped to the tails, each value its band's midpoint. */
function banding(values: readonly Value[], width: number, round: boolean): Step["map"] {
  const sorted = finite(values).sort((a, b) => a - b);
  const integral = sorted.every(Number.isInteger) && Number.isInteger(width);
  const first = sorted.length ? Math.floor(quantile(sorted, TAIL) / width) : 0;
  const last = sorted.length ? Math.floor(quantile(sorted, 1 - TAIL) / width) : 0;
  return (vs) =>
    vs.map((v) => {
      if (typeof v !== "number" || !Number.isFinite(v)) return null;
      const band = Math.min(last, Math.max(first, Math.floor(v / width)));
      // Integers in [band·w, band·w + w − 1] have their midpoint at band·w + (w − 1)/2.
      const mid = integral ? band * width + (width - 1) / 2 : (band + 0.5) * width;
      return round ? Math.round(mid) : mid;
    });
}

function formatWidth(width: number): string {
  return width.toLocaleString("en-US", {maximumSignificantDigits: 6});
}

/** The ladder of a number: its bands from finest to widest. */
function numberLadder({unit, values}: QuasiColumn): Step[] {
  if (unit === "days")
    return DAY_STEPS.map(([months, description]) => {
      const width = months * DAYS_PER_MONTH;
      return {description, width, map: banding(values, width, true)};
    });
  if (unit === "years")
    return YEAR_STEPS.map((width) => ({
      description: `${width}-year bands`,
      width,
      map: banding(values, width, false)
    }));
  const sorted = finite(values).sort((a, b) => a - b);
  const spread = sorted.length ? quantile(sorted, 1 - TAIL) - quantile(sorted, TAIL) : 0;
  const integral = sorted.every(Number.isInteger);
  let width = spread > 0 ? niceAtLeast(spread / BANDS) : 1;
  if (integral) width = Math.max(1, width);
  const steps: Step[] = [];
  for (let i = 0; i < 4; i++) {
    const w = width;
    steps.push({
      description: integral && w === 1 ? "exact" : `bands of ${formatWidth(w)}`,
      width: w,
      map: banding(values, w, false)
    });
    width = niceAtLeast(width * 1.5);
  }
  return steps;
}

/**
 * The ladder of a category: its values, then the rare ones pooled as "other" (and, while "other"
 * holds fewer than k, the next rarest with them).
 */
function categoryLadder({values}: QuasiColumn, k: number): Step[] {
  const counts = new Map<Value, number>();
  for (const v of values)
    if (v !== null && v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  const rarestFirst = [...counts].sort(
    (a, b) => a[1] - b[1] || String(a[0]).localeCompare(String(b[0]))
  );
  const pooled = (min: number) => {
    const other = new Set<Value>();
    let held = 0;
    for (const [value, n] of rarestFirst) {
      if (n >= min && (held === 0 || held >= k)) break;
      other.add(value);
      held += n;
    }
    return (vs: readonly Value[]) =>
      vs.map((v) => (v === null || v === undefined ? null : other.has(v) ? "other" : v));
  };
  return [
    {description: "exact", width: null, map: (vs) => [...vs]},
    ...[1, 2, 4, 8].map((m) => ({
      description: `rare values (fewer than ${m * k} customers each) pooled as "other"`,
      width: null,
      map: pooled(m * k)
    }))
  ];
}

/** The rows in classes under k: how many, and which. */
function smallRows(partition: Partition, k: number): {n: number; mask: Uint8Array} {
  return rowsInSmallClasses(classesOf(partition), k);
}

function smallestOf(sizes: number[]): number {
  let min = sizes.length ? Infinity : 0;
  for (const n of sizes) if (n < min) min = n;
  return min;
}

/**
 * Generalises the sample's quasi-identifiers until every class has at least k rows, but for at
 * most maxSuppressed rows, which are withheld (see the module's comment).
 */
export function generalise(
  columns: readonly QuasiColumn[],
  rows: number,
  {k, maxSuppressed}: {k: number; maxSuppressed: number}
): Generalised {
  const ladders = columns.map((c) =>
    c.kind === "number" ? numberLadder(c) : categoryLadder(c, k)
  );
  const mapped = columns.map(() => new Map<number, Value[]>());
  const at = (j: number, level: number): Value[] | null => {
    if (level >= ladders[j].length) return null;
    let values = mapped[j].get(level);
    if (!values) mapped[j].set(level, (values = ladders[j][level].map(columns[j].values)));
    return values;
  };
  const coded = columns.map(() => new Map<number, Partition>());
  const codes = (j: number, level: number): Partition | null => {
    const values = at(j, level);
    if (!values) return null;
    let partition = coded[j].get(level);
    if (!partition) coded[j].set(level, (partition = codesOf(values)));
    return partition;
  };
  const levels = columns.map(() => 0);
  const whole: Partition = {ids: new Int32Array(rows), n: rows > 0 ? 1 : 0};
  const with_ = (p: Partition, q: Partition | null) => (q ? refine(p, q) : p);
  const distinct = (j: number, level: number) => codes(j, level)?.n ?? 1;
  // The detail a step gives up: bits of distinct values, weighted, and more to withhold.
  const loss = (j: number) =>
    (columns[j].weight ?? 1) *
      (Math.log2(distinct(j, levels[j])) - Math.log2(distinct(j, levels[j] + 1))) +
    (levels[j] + 1 >= ladders[j].length ? WITHHOLD_BITS : 0);
  const all = () => columns.reduce((p, _, j) => with_(p, codes(j, levels[j])), whole);
  let current = smallRows(all(), k);
  while (current.n > maxSuppressed) {
    const candidates = columns.map((_, j) => j).filter((j) => levels[j] < ladders[j].length);
    if (candidates.length === 0) break;
    // Each candidate refines the partition by every other column (prefix and suffix) with its next level.
    const prefix = [whole];
    for (let j = 0; j < columns.length; j++) prefix.push(with_(prefix[j], codes(j, levels[j])));
    const suffix: Partition[] = new Array(columns.length + 1);
    suffix[columns.length] = whole;
    for (let j = columns.length - 1; j >= 0; j--)
      suffix[j] = with_(suffix[j + 1], codes(j, levels[j]));
    let best: {j: number; score: number; distinct: number} | null = null;
    for (const j of candidates) {
      const next = with_(refine(prefix[j], suffix[j + 1]), codes(j, levels[j] + 1));
      const gain = current.n - smallRows(next, k).n;
      if (gain <= 0) continue;
      const score = gain / Math.max(loss(j), 1e-9);
      if (!best || score > best.score) best = {j, score, distinct: 0};
    }
    // No single step helps: coarsen the column with the most distinct values (Datafly's rule).
    if (!best)
      for (const j of candidates) {
        const d = distinct(j, levels[j]);
        if (!best || d > best.distinct) best = {j, score: 0, distinct: d};
      }
    levels[best!.j]++;
    current = smallRows(all(), k);
  }
  const keep = current.mask.map((m) => 1 - m);
  const kept = equivalenceClasses(
    levels
      .map((l, j) => at(j, l))
      .filter((v): v is Value[] => v !== null)
      .map((values) => values.filter((_, i) => keep[i])),
    rows - current.n
  );
  return {
    columns: columns.map((c, j) => {
      const values = at(j, levels[j]);
      const step = ladders[j][levels[j]];
      return {
        column: c.column,
        level: levels[j],
        description: step?.description ?? "withheld",
        withheld: values === null,
        width: step?.width ?? null,
        values: values ?? new Array<Value>(rows).fill(null)
      };
    }),
    keep,
    suppressed: current.n,
    smallest: smallestOf(kept.sizes)
  };
}
