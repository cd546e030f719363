/**
 * The Explore page: a seeded sample of customers (data/explore.arrow), customer-level, for the
 * projection, the brush and SQL in the browser, and beside it what the page needs to label and
 * compare them (data/explore.json): the feature catalogue, the profiles and their traits.
 */
import type {AtRiskSuppressed} from "./risk.js";

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
  /**
   * How a quasi-identifier is published ("5-year bands", "3-month bands", "bands of 10,000",
   * "exact"): each value its band's midpoint. Null for a feature published as measured.
   */
  band: string | null;
}

/** A quasi-identifier of the sample and how it is published. */
export interface ExploreQuasiIdentifier {
  /** The sample's column (a feature's id or a segmentation's column); gone when withheld. */
  column: string;
  label: string;
  /** "5-year bands", "exact", "rare values (fewer than 10 customers each) pooled as …", "withheld". */
  published: string;
  withheld: boolean;
}

/**
 * The sample as published: drawn at random, its quasi-identifiers generalised until every
 * combination of them covers at least privacy.minGroupSize customers of the sample, and the
 * customers still in a smaller one withheld.
 */
export interface ExploreSample {
  /** Customers published. */
  customers: number;
  /** Customers profiled in the build. */
  total_customers: number;
  /** Customers drawn but withheld: their combination stayed shared by fewer than min_group_size. */
  withheld: number;
  /** privacy.minGroupSize: every combination of quasi-identifiers covers at least this many. */
  min_group_size: number;
  /** The smallest combination's customers in the published sample (0 when none is published). */
  smallest_group: number;
  quasi_identifiers: ExploreQuasiIdentifier[];
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
  /** Fewer than privacy.minGroupSize customers at risk: the share is null (contracts/risk.ts). */
  at_risk_suppressed: AtRiskSuppressed;
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
  sample: ExploreSample | null;
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
