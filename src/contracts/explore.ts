/**
 * The Explore page: a seeded sample of customers (data/explore.arrow), customer-level, for the
 * projection, the brush and SQL in the browser, and beside it what the page needs to label and
 * compare them (data/explore.json): the feature catalogue, the profiles and their traits.
 */

/** A feature the sample carries, with what the page labels it by. */
export interface ExploreFeature {
  id: string;
  /** demographic, psychographic, behavioral, geographic, firmographic, … */
  dimension: string;
  label: string;
  unit: string;
  /** "log": skewed counts and amounts, log-transformed before the projection (as clustered). */
  transform: "log" | "none";
  clustered: boolean;
  /** Share of all customers with a value. */
  coverage: number;
}

/** A segmentation, as a column of the sample. */
export interface ExploreSegment {
  id: string;
  /** The sample's column: segment_<id>. */
  column: string;
  label: string;
}

export interface ExploreProfile {
  id: string;
  name: string;
  customers: number;
  share: number;
  value_12m: number | null;
  p_alive: number | null;
  at_risk_share: number | null;
}

/** A profile's value on one trait: its mean (numbers) or share (category levels), and the effect. */
export interface ExploreTraitValue {
  profile_id: string;
  /** Null when suppressed (fewer than privacy.minGroupSize customers behind it). */
  profile_value: number | null;
  /** Hedges' g (numbers) or Cohen's h (shares) against the base, with its 95 % interval. */
  effect: number | null;
  effect_low: number | null;
  effect_high: number | null;
  distinguishing: boolean;
  suppressed: boolean;
}

/** One trait (a numeric feature or a category level) with the base and every profile's value. */
export interface ExploreTrait {
  feature: string;
  level: string | null;
  dimension: string;
  label: string;
  unit: string;
  kind: string;
  base_value: number | null;
  profiles: ExploreTraitValue[];
}

/** data/explore.json: what the Explore page reads beside the sample. */
export interface ExploreDocument {
  as_of: string | null;
  /** Null when the build leaves customer-level data out (explore.sample = 0) or has no profiles. */
  sample: {customers: number; total_customers: number} | null;
  features: ExploreFeature[];
  segments: ExploreSegment[];
  profiles: ExploreProfile[];
  traits: ExploreTrait[];
}

/**
 * A row of data/explore.arrow: a sampled customer's pseudonymous id and profile, a column per
 * segmentation (ExploreSegment.column), P(alive), 12-month value and at-risk flag when the build
 * has a value model, and a column per sampled feature (ExploreFeature.id).
 */
export type ExploreRow = {
  customer_id: string;
  profile_id: string;
  p_alive?: number | null;
  expected_value_12m?: number | null;
  at_risk?: boolean | null;
} & {[column: string]: string | number | boolean | null | undefined};
