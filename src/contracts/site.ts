/** What every page writes the same way (data/site.json). */
import type {RiskSummary} from "./risk.js";

export interface SiteSettings {
  /** ISO 4217 (config `currency`); null when the config names none and amounts are bare numbers. */
  currency: string | null;
  /** The backtest's evidence, cited beside every risk and value figure. */
  risk: RiskSummary;
}
