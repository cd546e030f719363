/**
 * Quasi-identifiers of a customer-level sample: the columns that single a person out to someone
 * who knows a few things about them (their age, where they live, when they became a customer),
 * and the classes of rows that share every one of them. A sample is published only when each
 * class covers at least privacy.minGroupSize customers (k-anonymity): the Explore sample is
 * generalised to that (generalise.ts), and the build's privacy check verifies it on the file.
 *
 * The page's payload is not a quasi-identifier: the pseudonymous id, the profile, the value and
 * risk the models give, and the behaviour and attitudes the build derives from the business's
 * own records (orders, tickets, e-mails, sessions, surveys), which nobody outside it holds.
 * Everything else is: demographic, geographic and firmographic features, any feature measured
 * in days since a dated event (sign-up, last order), every segmentation, and any column the
 * catalogue does not know.
 */

/** Columns of a sample that identify no one by themselves: the pseudonym and the models' output. */
const PAYLOAD_COLUMNS = new Set([
  "customer_id",
  "profile_id",
  "p_alive",
  "expected_value_12m",
  "at_risk"
]);

/** Dimensions of features derived from the business's own records of a customer. */
const OWN_RECORD_DIMENSIONS = new Set(["behavioral", "psychographic"]);

/** Units of time since a dated event: a date that others can know, whatever its dimension. */
const DATE_UNITS = new Set(["days", "date"]);

/** What the rule needs to know of a catalogued feature. */
export interface CataloguedColumn {
  dimension: string;
  unit: string;
}

/** Whether a column of a customer sample is a quasi-identifier (see the module's comment). */
export function isQuasiIdentifier(
  column: string,
  catalogue: ReadonlyMap<string, CataloguedColumn>
): boolean {
  if (PAYLOAD_COLUMNS.has(column)) return false;
  const feature = catalogue.get(column);
  if (!feature) return true;
  return !OWN_RECORD_DIMENSIONS.has(feature.dimension) || DATE_UNITS.has(feature.unit);
}

/** The quasi-identifiers among a sample's columns, in the sample's order. */
export function quasiIdentifiers(
  columns: readonly string[],
  catalogue: ReadonlyMap<string, CataloguedColumn>
): string[] {
  return columns.filter((c) => isQuasiIdentifier(c, catalogue));
}

/** The classes of rows: each row's class (numbered from 0 in order of appearance), and sizes. */
export interface Classes {
  of: Int32Array;
  sizes: number[];
}

/** Rows numbered by class: ids from 0 to n − 1. */
export interface Partition {
  ids: Int32Array;
  n: number;
}

/** A column's values as class ids (null one value like any other). */
export function codesOf(values: ArrayLike<unknown>): Partition {
  const codes = new Map<unknown, number>();
  const ids = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? null;
    let code = codes.get(v);
    if (code === undefined) codes.set(v, (code = codes.size));
    ids[i] = code;
  }
  return {ids, n: codes.size};
}

/** Pairs of class ids looked up in an array rather than a Map while there are this few. */
const DENSE_PAIRS = 1 << 22;
let scratch: Int32Array | null = null;

/** The classes of rows that share their class in both partitions. */
export function refine(a: Partition, b: Partition): Partition {
  const rows = a.ids.length;
  const ids = new Int32Array(rows);
  let n = 0;
  if (a.n * b.n <= DENSE_PAIRS) {
    const table = (scratch ??= new Int32Array(DENSE_PAIRS).fill(-1));
    const used = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      const key = a.ids[i] * b.n + b.ids[i];
      let id = table[key];
      if (id === -1) {
        table[key] = id = n;
        used[n++] = key;
      }
      ids[i] = id;
    }
    for (let j = 0; j < n; j++) table[used[j]] = -1;
    return {ids, n};
  }
  const next = new Map<number, number>();
  for (let i = 0; i < rows; i++) {
    const key = a.ids[i] * b.n + b.ids[i];
    let id = next.get(key);
    if (id === undefined) next.set(key, (id = next.size));
    ids[i] = id;
  }
  return {ids, n: next.size};
}

/**
 * The rows' classes over the given columns (each an array of values, one per row, row-aligned):
 * rows share a class when every column holds the same value (null and undefined alike).
 * Refined one column at a time, so a class is a number, never a string of every value.
 */
export function equivalenceClasses(columns: readonly ArrayLike<unknown>[], rows: number): Classes {
  let partition: Partition = {ids: new Int32Array(rows), n: rows > 0 ? 1 : 0};
  for (const values of columns) partition = refine(partition, codesOf(values));
  return classesOf(partition);
}

/** A partition's classes with their sizes. */
export function classesOf({ids, n}: Partition): Classes {
  const sizes = new Array<number>(n).fill(0);
  for (const id of ids) sizes[id]++;
  return {of: ids, sizes};
}

/** The rows in classes smaller than k: how many, and which (as a mask). */
export function rowsInSmallClasses({of, sizes}: Classes, k: number): {n: number; mask: Uint8Array} {
  const mask = new Uint8Array(of.length);
  let n = 0;
  for (let i = 0; i < of.length; i++)
    if (sizes[of[i]] < k) {
      mask[i] = 1;
      n++;
    }
  return {n, mask};
}
