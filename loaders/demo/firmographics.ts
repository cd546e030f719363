/** The company behind a B2B account: name, industry, size and revenue. */

import type {Language} from "./geography.ts";
import {asciiSlug, companyName} from "./names.ts";
import {Weighted} from "./random.ts";
import type {Random} from "./random.ts";

export interface Company {
  readonly name: string;
  /** Domain used for the buyer's e-mail address (reserved `.example` TLD). */
  readonly domain: string;
  readonly industry: string;
  readonly employees: number;
  /** Annual revenue in USD. */
  readonly annualRevenue: number;
}

/** Revenue per employee (USD) by industry: sets the scale of annual revenue. */
const INDUSTRIES: Readonly<Record<string, {share: number; revenuePerEmployee: number}>> = {
  retail: {share: 0.14, revenuePerEmployee: 220000},
  manufacturing: {share: 0.12, revenuePerEmployee: 300000},
  hospitality: {share: 0.1, revenuePerEmployee: 90000},
  healthcare: {share: 0.1, revenuePerEmployee: 150000},
  education: {share: 0.08, revenuePerEmployee: 110000},
  "professional services": {share: 0.16, revenuePerEmployee: 180000},
  construction: {share: 0.08, revenuePerEmployee: 240000},
  technology: {share: 0.12, revenuePerEmployee: 350000},
  logistics: {share: 0.06, revenuePerEmployee: 260000},
  "public sector": {share: 0.04, revenuePerEmployee: 120000}
};
const INDUSTRY = new Weighted(
  Object.entries(INDUSTRIES).map(([name, info]) => [name, info.share] as const)
);

/** Draws a company for a buyer with the given family name. */
export function drawCompany(random: Random, language: Language, founder: string): Company {
  const name = companyName(random, language, founder);
  const industry = INDUSTRY.pick(random);
  const employees = Math.max(1, Math.min(50000, Math.round(random.lognormal(35, 1.4))));
  const revenue = employees * INDUSTRIES[industry].revenuePerEmployee * random.lognormal(1, 0.4);
  const domain = `${asciiSlug(name.replace(/\b(GmbH|AG|KG|Inc|LLC|Ltd|Co|SARL|SAS|SA|BV|NV|SL|SLU)\b/g, "")).slice(0, 24)}.example`;
  return {name, domain, industry, employees, annualRevenue: Math.round(revenue / 1000) * 1000};
}
