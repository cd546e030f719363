/**
 * Every profile of the build (data/profiles.json; exports/profiles.json publishes the same
 * document): facts, brief for agents, quality, distinguishing traits, narrative and notes.
 * The overview and each profile's report take their profiles from it.
 */
import type {AtRiskSuppressed} from "./risk.js";

/** One of a profile's distinguishing traits: its value against the base's, and the effect. */
export interface ProfileTrait {
  feature: string;
  /** The category level; null for numbers. */
  level: string | null;
  dimension: string;
  label: string;
  unit: string;
  /** Profile mean (numbers) or share in the level (categories); null when suppressed. */
  profile_value: number | null;
  base_value: number | null;
  lift: number | null;
  /** Hedges' g (numbers) or Cohen's h (categories), with its 95 % interval. */
  effect: number | null;
  effect_low: number | null;
  effect_high: number | null;
  /** Share of the profile's customers with a value. */
  coverage: number | null;
  /** 1 for the profile's strongest distinguishing trait, 2 for the next … */
  rank: number | null;
}

/**
 * A declared outcome (churned, responded …) in a group against the whole base: the share of the
 * group's customers whose outcome is known who had it, with its 95 % Wilson interval. Counts
 * and rates are null when fewer than min_group_size customers are behind them.
 */
export interface OutcomeRate {
  outcome: string;
  label: string;
  kind: "flag" | "date";
  customers: number | null;
  rate: number | null;
  low: number | null;
  high: number | null;
  base_rate: number | null;
  /** rate / base_rate. */
  lift: number | null;
}

/** A section of a profile's narrative ("who", "values", "behaviour", "serve", "value"). */
export interface NarrativeSection {
  section: string;
  title: string;
  sentences: string[];
}

/** One profile with everything the pages say about it. */
export interface Profile {
  id: string;
  /** The analysts' name when they gave one, else the generated one. */
  name: string;
  generated_name: string | null;
  summary: string | null;
  /** The summary and first "how to serve" sentence, for support agents. */
  brief: string;
  customers: number;
  share: number;
  revenue_share: number | null;
  value_12m: number | null;
  p_alive: number | null;
  /** Of the customers whose risk was assessed; null where it was not, or when suppressed. */
  at_risk_share: number | null;
  /**
   * True when 1 to privacy.minGroupSize − 1 customers are at risk (fewAtRisk in
   * contracts/risk.ts): the share is null and pages say "fewer than N customers"; "complement"
   * when hidden beside such a share, so that all customers' share cannot give it back.
   */
  at_risk_suppressed: AtRiskSuppressed;
  quality: {silhouette: number | null; stability: number | null};
  traits: ProfileTrait[];
  narrative: NarrativeSection[];
  /** The analysts' notes (portrait.notes.json). */
  notes: string[];
  /** Each declared outcome's rate in the profile; empty without outcomes. */
  outcomes: OutcomeRate[];
}

/** Every profile of the build, with the build's as-of date and clustering scores. */
export interface ProfilesDocument {
  as_of: string | null;
  k: number;
  silhouette: number | null;
  profiles: Profile[];
}

/** data/profiles.json: the document, and whether exports/customers.csv is published beside it. */
export interface ProfilesPage extends ProfilesDocument {
  customer_level: boolean;
}
