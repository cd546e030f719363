/** What every page writes the same way (data/site.json). */
import type {RiskSummary} from "./risk.js";

export interface SiteSettings {
  /** ISO 4217 (config `currency`); null when the config names none and amounts are bare numbers. */
  currency: string | null;
  /** privacy.minGroupSize: a suppressed figure reads "fewer than N customers". */
  min_group_size: number;
  /** The backtest's evidence, cited beside every risk and value figure. */
  risk: RiskSummary;
}
