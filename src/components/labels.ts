/** Direct labels: positions pushed apart so that labels beside lines or nodes never overlap. */

/**
 * Moves positions (pixels) as little as needed to be at least `gap` apart, inside [lo, hi]
 * when they fit; returned in the input's order.
 */
export function spreadLabels(
  positions: readonly number[],
  gap: number,
  lo: number,
  hi: number
): number[] {
  const order = positions.map((p, i) => ({p, i})).sort((a, b) => a.p - b.p || a.i - b.i);
  const out = order.map((o) => o.p);
  const n = out.length;
  const down = () => {
    for (let i = 0; i < n; i++) out[i] = Math.max(out[i], i === 0 ? lo : out[i - 1] + gap);
  };
  down();
  for (let i = n - 1; i >= 0; i--) out[i] = Math.min(out[i], i === n - 1 ? hi : out[i + 1] - gap);
  if (n > 0 && out[0] < lo) down(); // no room for all: keep the top, overflow at the bottom
  const result = new Array<number>(n);
  order.forEach((o, k) => (result[o.i] = out[k]));
  return result;
}
