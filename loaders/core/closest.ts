/** Closest-match suggestions for names a user mistyped (columns, fields, tables). */

/** The candidate closest to name, if close enough to be a plausible typo. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  const target = normalise(name);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = levenshtein(target, normalise(candidate));
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(target.length / 3))
    ? best
    : undefined;
}

/** The column a name means: exactly, else the only one equal ignoring case, spaces and _ - . */
export function findColumn(name: string, columns: readonly string[]): string | undefined {
  if (columns.includes(name)) return name;
  const folded = columns.filter((c) => normalise(c) === normalise(name));
  return folded.length === 1 ? folded[0] : undefined;
}

/** "; did you mean "x"?" or "." — the end of a sentence that a list follows. */
export function suggest(name: string, candidates: readonly string[]): string {
  const match = closest(name, candidates);
  return match === undefined ? "." : `; did you mean ${JSON.stringify(match)}?`;
}

/** A name folded for comparison: lower case, without spaces, underscores, dashes or dots. */
export function normalise(name: string): string {
  return name.toLowerCase().replace(/[\s_\-.]/g, "");
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)
      );
    }
    previous = current;
  }
  return previous[b.length];
}
