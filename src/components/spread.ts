/**
 * How a profile spreads across one segmentation: of the profile's customers, the share in each
 * segment, against the segment's share of all customers. Suppressed cells are named as such.
 */
import type {SegmentShare} from "../contracts/report.js";
import {formatCustomers, formatShare} from "./format.js";
import {pairedBars} from "./paired.js";

export type SpreadRow = Pick<
  SegmentShare,
  "value" | "position" | "customers" | "segment_customers" | "share" | "share_of_segment"
>;

/** Paired bars per segment: the profile's customers there and the base's. */
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
      label: r.customers === null ? `${r.value} (fewer than ${minGroupSize})` : r.value,
      profile: r.share,
      base: r.segment_customers === null ? null : r.segment_customers / total,
      tip: `${r.value}\n${profileName}: ${formatCustomers(r.customers, minGroupSize)} customers, ${formatShare(r.share)} of the profile\n${formatShare(r.share_of_segment)} of this segment's customers are ${profileName}`
    }));
  return pairedBars(rows, {
    ...options,
    ariaLabel: `Bar chart of ${profileName}'s customers across ${title}`
  });
}
