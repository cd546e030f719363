/**
 * A category feature's levels, the profile's share in each against the base's, with
 * suppressed levels (fewer than the minimum customers) named as such.
 */
import type {ReportTrait} from "../contracts/report.js";
import {formatShare} from "./format.js";
import {pairedBars} from "./paired.js";

export type LevelRow = Pick<ReportTrait, "level" | "profile_value" | "base_value" | "suppressed">;

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
        label: r.suppressed ? `${level} (fewer than ${minGroupSize})` : level,
        profile,
        base: r.base_value,
        tip: `${level}\n${profileName}: ${r.suppressed ? `fewer than ${minGroupSize} customers` : formatShare(profile)}\nAll customers: ${formatShare(r.base_value)}`
      };
    });
  return pairedBars(rows, {
    ...options,
    ariaLabel: `Bar chart of ${title} for ${profileName} against all customers`
  });
}
