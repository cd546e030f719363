/** The adjusted Rand index (Hubert & Arabie 1985) of two labellings of the same items. */
export function adjustedRand(a: ArrayLike<string>, b: ArrayLike<string>): number {
  if (a.length !== b.length)
    throw new Error(`labellings differ in length: ${a.length} and ${b.length}`);
  const pairs = (x: number) => (x * (x - 1)) / 2;
  const cells = new Map<string, number>();
  const rows = new Map<string, number>();
  const columns = new Map<string, number>();
  for (let i = 0; i < a.length; i++) {
    const key = `${a[i]}\u0000${b[i]}`;
    cells.set(key, (cells.get(key) ?? 0) + 1);
    rows.set(a[i], (rows.get(a[i]) ?? 0) + 1);
    columns.set(b[i], (columns.get(b[i]) ?? 0) + 1);
  }
  const sum = (m: Map<string, number>) => [...m.values()].reduce((s, v) => s + pairs(v), 0);
  const index = sum(cells);
  const expected = (sum(rows) * sum(columns)) / pairs(a.length);
  const max = (sum(rows) + sum(columns)) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}
