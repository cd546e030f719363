/**
 * A category feature's levels, the profile's share in each against the base's, with
 * suppressed levels (fewer than the minimum customers, or hidden beside such a level so that
 * subtraction cannot give it) named as such.
 */
import type {ReportTrait} from "../contracts/report.js";
import {formatShare, suppressedWhy} from "./format.js";
import {pairedBars} from "./paired.js";

export type LevelRow = Pick<ReportTrait, "level" | "profile_value" | "base_value" | "suppressed"> &
  Partial<Pick<ReportTrait, "effect" | "distinguishing">>;

/** Paired horizontal bars: each level's share in the profile and in the whole base. */
export function levelsChart(
  levels: LevelRow[],
  options: {
    width: number;
    title: string;
    color: string;
    profileName: string;
    minGroupSize: number;
    document?: Document;
  }
): SVGSVGElement | HTMLElement {
  const {title, profileName, minGroupSize} = options;
  const rows = [...levels]
    .sort((a, b) => (b.base_value ?? 0) - (a.base_value ?? 0))
    .map((r) => {
      const level = r.level ?? "unknown";
      const profile = r.suppressed ? null : r.profile_value;
      return {
        label: r.suppressed ? `${level} (suppressed)` : level,
        profile,
        base: r.base_value,
        tip: `${level}\n${profileName}: ${r.suppressed ? `suppressed (${suppressedWhy(minGroupSize)})` : formatShare(profile)}\nAll customers: ${r.base_value == null ? "suppressed" : formatShare(r.base_value)}`
      };
    });
  return pairedBars(rows, {
    ...options,
    title: `${title}: ${levelsFinding(levels)}`,
    ariaLabel: `Bar chart of ${title} for ${profileName} against all customers`
  });
}

/**
 * The chart's finding: the level that sets the profile apart most (the largest effect of a
 * distinguishing level) against all customers, or "no clear difference" where none does.
 */
export function levelsFinding(levels: LevelRow[]): string {
  const apart = levels
    .filter((l) => l.distinguishing && !l.suppressed && l.effect != null)
    .sort((a, b) => Math.abs(b.effect!) - Math.abs(a.effect!))[0];
  if (!apart) return "no clear difference from all customers";
  return `${apart.level ?? "unknown"} ${formatShare(apart.profile_value)}, against ${formatShare(apart.base_value)} of all customers`;
}
