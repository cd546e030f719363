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
}
