/**
 * Which at-risk shares of the profiles at one time are left unpublished. A share stands for a
 * count (its customers at risk), and the profiles' counts add up to all customers' count, which
 * is published: so beside each share of 1 to min − 1 customers at risk (fewAtRisk), as many
 * other profiles' shares are hidden as it takes that subtraction from all customers' share
 * cannot give it back (core/margins.ts `complement`, smallest first).
 */
import {fewAtRisk, type AtRiskSuppressed} from "../../src/contracts/risk.ts";
import {complement} from "../core/margins.ts";

/** A profile's customers and, of them, those at risk (null where risk was not assessed). */
export interface RiskGroup {
  atRisk: number | null;
  customers: number;
}

/** Each profile's at-risk share as published, and all customers' share. */
export interface RiskSuppression {
  profiles: AtRiskSuppressed[];
  base: AtRiskSuppressed;
}

/** How the at-risk shares of these profiles (all customers between them) are published. */
export function suppressRisk(groups: readonly RiskGroup[], min: number): RiskSuppression {
  const atRisk = groups.reduce((n, g) => n + (g.atRisk ?? 0), 0);
  const customers = groups.reduce((n, g) => n + g.customers, 0);
  const few = groups.map((g) => g.atRisk !== null && fewAtRisk(g.atRisk, g.customers, min));
  if (fewAtRisk(atRisk, customers, min))
    return {profiles: few.map((f): AtRiskSuppressed => f), base: true};
  if (!few.some(Boolean)) return {profiles: few.map(() => false), base: false};
  // the profiles' counts, then all customers' (published: never chosen as a complement)
  const k = groups.length;
  const hidden = complement(
    [...groups.map((g) => g.atRisk ?? 0), atRisk],
    [...few, false],
    [{parts: groups.map((_, i) => i), total: k}],
    // nor is a profile whose risk was not assessed: none of it is at risk
    {fixed: new Set([k, ...groups.flatMap((g, i) => (g.atRisk === null ? [i] : []))])}
  );
  return {
    profiles: few.map((f, i) => (f ? true : hidden[i] ? "complement" : false)),
    base: false
  };
}

/** The state as the store keeps it (profiles.at_risk_suppressed): "few", "complement" or NULL. */
export function storedSuppression(state: AtRiskSuppressed): string | null {
  return state === "complement" ? "complement" : state ? "few" : null;
}

/** The state of profiles.at_risk_suppressed. */
export function readSuppression(stored: string | null | undefined): AtRiskSuppressed {
  return stored === "complement" ? "complement" : stored === "few";
}
