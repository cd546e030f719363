/**
 * One profile's report (data/profiles/<id>.json): its document, its traits against the whole
 * base as distributions, its geography, how it spreads across the segments, and what changed
 * since the previous snapshot. A count under min_group_size customers is published as null.
 */
import type {AtRiskSuppressed} from "./risk.js";
import type {Profile, ProfileTrait} from "./profiles.js";

/** A trait the report draws: a distinguishing one, a category level or a flag. */
export interface ReportTrait extends ProfileTrait {
  kind: string;
  /** Customers behind profile_value; null when suppressed. */
  customers: number | null;
  suppressed: boolean;
  distinguishing: boolean;
  /** How many levels the trait's feature has (one for numbers). */
  levels: number;
}

/**
 * A distribution on the base's bins, column by column: bin i runs from edges[i] to edges[i + 1];
 * customers[i] is the profile's count there and base_customers[i] the base's, null when
 * suppressed. Shares are counts over the totals.
 */
export interface Bins {
  edges: number[];
  customers: (number | null)[];
  base_customers: (number | null)[];
  /** Customers of the profile, and of the base, with a value. */
  profile_customers: number;
  all_customers: number;
}

/** A numeric feature's distribution in the profile against the base's. */
export interface Distribution {
  feature: string;
  label: string;
  unit: string;
  dimension: string;
  /** Standardised effect of the profile against the base (Hedges' g), when computed. */
  effect: number | null;
  distinguishing: boolean;
  rank: number | null;
  /** Whether the last bin holds everything above it (and the first everything below). */
  clipped: boolean;
  profile_median: number | null;
  base_median: number | null;
  bins: Bins;
}

/** A country's customers in the profile and in the base, with its mean position. */
export interface CountryShare {
  country: string;
  latitude: number | null;
  longitude: number | null;
  /** The profile's customers there; null when suppressed. */
  customers: number | null;
  base_customers: number;
  /** Of the profile's customers, the share there; of the base's, the base's share there. */
  share: number | null;
  base_share: number;
}

/** A region of a country, as a country is. */
export interface RegionShare extends CountryShare {
  region: string;
}

/** Where the profile's customers live; places with fewer than min_group_size customers are left out. */
export interface Geography {
  countries: CountryShare[];
  regions: RegionShare[];
}

/** The profile in one segment: its customers there, and their share. */
export interface SegmentShare {
  segment: string;
  value: string;
  position: number;
  customers: number | null;
  suppressed: boolean;
  /** The segment's customers; null when suppressed. */
  segment_customers: number | null;
  /** Of the profile's customers, the share in this segment. */
  share: number | null;
  /** Of the segment's customers, the share in the profile. */
  share_of_segment: number | null;
}

/** A figure at the previous snapshot and now; null when unknown or suppressed. */
export interface BeforeAfter {
  before: number | null;
  after: number | null;
}

/** Customers moving into or out of the profile, from or to another ("joined": new customers). */
export interface Move {
  profile_id: string;
  name: string;
  customers: number | null;
}

/** A profile's change between the previous snapshot and the current one. */
export interface ProfileChanges {
  previous: string;
  current: string;
  customers: BeforeAfter;
  share: BeforeAfter;
  at_risk_share: BeforeAfter;
  /** Each side's share suppressed: fewer than min_group_size customers at risk (HistoryPoint). */
  at_risk_suppressed: {before: AtRiskSuppressed; after: AtRiskSuppressed};
  value_per_customer: BeforeAfter;
  moved_in: Move[];
  moved_out: Move[];
  traits: {feature: string; label: string; unit: string; before: number; after: number}[];
  drift: {alert: boolean; reasons: string[]};
}

/** data/profiles/<id>.json. */
export interface ProfileReport {
  as_of: string | null;
  k: number;
  silhouette: number | null;
  min_group_size: number;
  customers_total: number;
  /** The profile's document; its distinguishing traits are in `traits`, with the rest drawn. */
  profile: Omit<Profile, "traits">;
  /** Every profile of the build, for links. */
  others: {id: string; name: string}[];
  traits: ReportTrait[];
  distributions: Distribution[];
  geography: Geography;
  segments: SegmentShare[];
  /** What changed since the previous snapshot; null without one. */
  changes: ProfileChanges | null;
  /** Developer hints for empty sections: in the preview (`npm run dev`) only, never published. */
  hints: ReportHints;
}

/** How the analyst fills an empty section of a report, for the preview only. */
export interface ReportHints {
  notes?: string;
  outcomes?: string;
}
