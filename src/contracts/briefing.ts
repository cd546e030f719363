/**
 * The overview (data/briefing.json): every profile at a glance, the few facts that changed
 * since the previous build, drift alerts, and the data-quality headline.
 */
import type {Profile} from "./profiles.js";

/** A profile at a glance. */
export interface BriefingProfile extends Pick<
  Profile,
  | "id"
  | "name"
  | "summary"
  | "customers"
  | "share"
  | "revenue_share"
  | "value_12m"
  | "p_alive"
  | "at_risk_share"
  | "at_risk_suppressed"
  | "outcomes"
> {
  stability: number | null;
}

/** One fact for the overview, with how much it matters (larger first). */
export interface Change {
  text: string;
  weight: number;
  profile_id: string | null;
}

/** A drift alert of the latest pair of snapshots, for the overview's banner. */
export interface DriftAlert {
  profile_id: string;
  name: string;
  since: string;
  reasons: string[];
}

/** The whole base's figures, one per measure: every page states these same numbers. */
export interface BaseFigures {
  customers: number;
  /** Expected value per customer over the next 12 months, over customers with a value. */
  value_12m: number | null;
  p_alive: number | null;
  /** Of the customers whose risk was assessed; null where it was not, or when suppressed. */
  at_risk_share: number | null;
  /** Fewer than min_group_size customers at risk (fewAtRisk in contracts/risk.ts). */
  at_risk_suppressed: boolean;
  /** Spend in the last 12 months, all customers. */
  revenue_12m: number | null;
}

/** The base at one snapshot (quarter end), for the KPI tiles' change and sparkline. */
export interface TrendPoint {
  snapshot: string;
  customers: number;
  value_12m: number | null;
  at_risk_share: number | null;
  at_risk_suppressed: boolean;
  revenue_12m: number | null;
}

/** One line of the briefing: what changed, what matters or what to do, and its evidence. */
export interface StoryPoint {
  kind: "changed" | "matters" | "todo";
  text: string;
  /** Where the evidence is (a page of the site) and the link's words. */
  href: string;
  link: string;
  profile_id: string | null;
}

/** data/briefing.json. */
export interface Briefing {
  as_of: string | null;
  k: number;
  silhouette: number | null;
  customers: number;
  previous_as_of: string | null;
  has_previous: boolean;
  changes: Change[];
  /** Rows read, quarantined, and customer ids merged; null without a quality report. */
  quality: {rows: number; quarantined: number; merged: number} | null;
  /** Whether the customer-level pages (Explore, the card) are built. */
  customer_level: boolean;
  /** Groups smaller than this are suppressed on the page. */
  min_group_size: number;
  alerts: DriftAlert[];
  profiles: BriefingProfile[];
  /** The key finding in one sentence; null when there are no profiles. */
  headline: string | null;
  /** At most three lines: what changed, what matters, what to do. */
  story: StoryPoint[];
  base: BaseFigures;
  /** The base at each snapshot, oldest first (empty without history). */
  trend: TrendPoint[];
}
