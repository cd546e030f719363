/** Hand-made traits for the tests of rankTraits and the narrative: only what a test names. */
import type {Trait} from "../../loaders/profile/traits.ts";

/** A distinguishing number trait of p1 unless the overrides say otherwise. */
export function trait(overrides: Partial<Trait> & Pick<Trait, "feature">): Trait {
  const level = overrides.level ?? null;
  return {
    profile_id: "p1",
    level,
    dimension: "behavioral",
    label: overrides.feature,
    unit: level === null ? "" : "share",
    kind: level === null ? "number" : "category",
    profile_value: 1,
    base_value: 1,
    lift: 1,
    effect: 0.8,
    effect_low: 0.4,
    effect_high: 1.2,
    coverage: 1,
    customers: 100,
    suppressed: false,
    p10: null,
    p25: null,
    p50: null,
    p75: null,
    p90: null,
    base_p25: null,
    base_p50: null,
    base_p75: null,
    distinguishing: true,
    rank: 1,
    ...overrides
  };
}
