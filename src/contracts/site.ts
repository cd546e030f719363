/** What every page writes the same way (data/site.json): the currency amounts are in. */
export interface SiteSettings {
  /** ISO 4217 (config `currency`); null when the config names none and amounts are bare numbers. */
  currency: string | null;
}
