/**
 * Segments beside profiles (data/segments.json): every segmentation with its segments, the
 * segment-by-profile crosstab, and inside each segment how its profiles differ on the features
 * that set the profiles apart. A count under min_group_size customers is published as null.
 */
import type {OutcomeRate} from "./profiles.js";

/** A feature compared inside the segments: one of a profile's strongest numeric traits. */
export interface KeyFeature {
  feature: string;
  label: string;
  unit: string;
}

/** A profile's customers inside a segment; null when suppressed. */
export interface SegmentProfile {
  profile_id: string;
  customers: number | null;
}

/** A segment (one value of a segmentation) and its profiles. */
export interface Segment {
  value: string;
  /** Its place in the segmentation's order (age bands youngest first, …). */
  position: number;
  customers: number | null;
  profiles: SegmentProfile[];
}

/** A segmentation and its segments, in order. */
export interface Segmentation {
  segment: string;
  segments: Segment[];
}

/**
 * The key features' means in a segment for one profile, or over all its profiles (profile_id
 * null), keyed by feature; a mean over fewer than min_group_size values is null.
 */
export type SegmentMeans = {
  segment: string;
  value: string;
  profile_id: string | null;
  customers: number;
} & {[feature: string]: number | string | null};

/** A declared outcome's rate in one segment against the base's (see OutcomeRate). */
export interface SegmentOutcome extends Omit<OutcomeRate, "kind"> {
  segment: string;
  value: string;
  position: number;
}

/** data/segments.json. */
export interface SegmentsDocument {
  min_group_size: number;
  customers_total: number;
  profiles: {id: string; name: string; customers: number}[];
  features: KeyFeature[];
  segmentations: Segmentation[];
  means: SegmentMeans[];
  /** Each declared outcome's rate in every segment; empty without outcomes. */
  outcomes: SegmentOutcome[];
}
