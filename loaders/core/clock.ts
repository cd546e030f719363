/**
 * The build's clock: today's date, which "future" is measured against when the config sets no
 * as-of date. PORTRAIT_TODAY (YYYY-MM-DD) sets it, so tests and reproducible rebuilds do not
 * depend on the day they run.
 */

/** Today as YYYY-MM-DD: PORTRAIT_TODAY when set, else the UTC date of the machine's clock. */
export function today(env: NodeJS.ProcessEnv = process.env, now: Date = new Date()): string {
  const set = env.PORTRAIT_TODAY;
  if (set === undefined || set === "") return now.toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(set) || Number.isNaN(Date.parse(`${set}T00:00:00Z`)))
    throw new Error(`invalid PORTRAIT_TODAY: ${set} (write it as YYYY-MM-DD, or unset it)`);
  return set;
}
