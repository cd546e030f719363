/**
 * How a profile spreads across one segmentation: of the profile's customers, the share in each
 * segment, against the segment's share of all customers. Suppressed cells are named as such.
 */
import type {SegmentShare} from "../contracts/report.js";
import {formatCell, formatShare, suppressedWhy} from "./format.js";
import {pairedBars} from "./paired.js";

export type SpreadRow = Pick<
  SegmentShare,
  "value" | "position" | "customers" | "segment_customers" | "share" | "share_of_segment"
>;

/** Segments drawn at most: beyond, the ones where the profile differs most from everyone. */
export const MAX_SEGMENTS = 12;

/**
 * Paired bars per segment: the profile's customers there and the base's. A segmentation of more
 * than MAX_SEGMENTS segments (age by channel has 36) shows the ones where the profile's share
 * differs most from all customers', in their order, and says how close the others are.
 */
export function spreadChart(
  segments: SpreadRow[],
  options: {
    width: number;
    title: string;
    color: string;
    profileName: string;
    minGroupSize: number;
    total: number;
    document?: Document;
  }
): SVGSVGElement | HTMLElement {
  const {title, profileName, minGroupSize, total} = options;
  const rows = segments
    .filter((r) => r.segment_customers !== null || r.customers !== null)
    .map((r) => ({
      label: r.customers === null ? `${r.value} (suppressed)` : r.value,
      profile: r.share,
      base: r.segment_customers === null ? null : r.segment_customers / total,
      tip: `${r.value}\n${profileName}: ${formatCell(r.customers)}, ${formatShare(r.share)} of the profile\n${formatShare(r.share_of_segment)} of this segment's customers are ${profileName}`
    }));
  // a suppressed segment's difference is unknown: it comes last
  const gap = (r: (typeof rows)[number]) =>
    r.profile === null ? -1 : Math.abs(r.profile - (r.base ?? 0));
  const kept = new Set([...rows].sort((a, b) => gap(b) - gap(a)).slice(0, MAX_SEGMENTS));
  const hidden = rows.filter((r) => !kept.has(r));
  const within = Math.max(0, ...hidden.map(gap)) * 100;
  const small = hidden.filter((r) => r.profile === null).length;
  const measured = hidden.length - small;
  return pairedBars(
    rows.filter((r) => kept.has(r)),
    {
      ...options,
      title: `${title}: ${spreadFinding(rows)}`,
      ariaLabel: `Bar chart of ${profileName}'s customers across ${title}`,
      caption: hidden.length
        ? `The ${MAX_SEGMENTS} of ${rows.length} segments where ${profileName} differs most from all customers.${measured ? ` In each of ${measured} others its share is within ${within.toFixed(1)} percentage points of everyone's.` : ""}${small ? ` ${small} other${small === 1 ? " is" : "s are"} suppressed: ${suppressedWhy(minGroupSize)}.` : ""}`
        : undefined
    }
  );
}

/** A gap in share, in percentage points, below which a segment is "much as everyone". */
const CLEAR_GAP = 0.05;

/**
 * The chart's finding: the segment where the profile's share differs most from all customers'
 * (by at least five percentage points), or that it spreads much as everyone does.
 */
function spreadFinding(
  rows: {label: string; profile: number | null; base: number | null}[]
): string {
  const gap = (r: (typeof rows)[number]) => (r.profile ?? 0) - (r.base ?? 0);
  const widest = rows
    .filter((r) => r.profile !== null && r.base !== null)
    .sort((a, b) => Math.abs(gap(b)) - Math.abs(gap(a)))[0];
  if (!widest || Math.abs(gap(widest)) < CLEAR_GAP)
    return "spread much as all customers are (within 5 points in every segment)";
  return `${gap(widest) < 0 ? "only " : ""}${formatShare(widest.profile)} in ${widest.label}, against ${formatShare(widest.base)} of all customers`;
}
