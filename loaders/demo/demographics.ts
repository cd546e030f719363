/**
 * Who a customer is: one shared set of distributions for every archetype (only a small age
 * and income shift per archetype), so demographics alone cannot tell archetypes apart.
 */

import type {Archetype} from "./archetypes.ts";
import {YEAR_DAYS} from "./calendar.ts";
import {Weighted} from "./random.ts";
import type {Random} from "./random.ts";
import {DEFAULT_END} from "./timeline.ts";
import {day} from "./calendar.ts";

export type Gender = "F" | "M" | "X";
export type Education = "secondary" | "vocational" | "bachelor" | "master" | "doctorate";
export type MaritalStatus = "single" | "cohabiting" | "married" | "divorced" | "widowed";

export interface Demographics {
  readonly gender: Gender;
  /** Day number of the birth date. */
  readonly birthDay: number;
  /** Age in whole years on the default end date. */
  readonly age: number;
  readonly education: Education;
  readonly income: number;
  readonly occupation: string;
  readonly maritalStatus: MaritalStatus;
  readonly householdSize: number;
}

const REFERENCE_DAY = day(DEFAULT_END);
const GENDER = Weighted.of<Gender>({F: 0.5, M: 0.47, X: 0.03});
const EDUCATION = Weighted.of<Education>({
  secondary: 0.3,
  vocational: 0.22,
  bachelor: 0.3,
  master: 0.14,
  doctorate: 0.04
});
const EDUCATION_INCOME: Readonly<Record<Education, number>> = {
  secondary: 0.8,
  vocational: 0.92,
  bachelor: 1.1,
  master: 1.3,
  doctorate: 1.5
};
const WORKING = Weighted.of({
  employee: 0.38,
  manager: 0.1,
  professional: 0.16,
  "skilled trade": 0.1,
  "self-employed": 0.09,
  "civil servant": 0.07,
  homemaker: 0.04,
  unemployed: 0.04,
  student: 0.02
});

function marital(age: number): Weighted<MaritalStatus> {
  if (age < 25)
    return Weighted.of({single: 0.8, cohabiting: 0.15, married: 0.05, divorced: 0, widowed: 0});
  if (age < 35)
    return Weighted.of({single: 0.4, cohabiting: 0.25, married: 0.32, divorced: 0.03, widowed: 0});
  if (age < 55)
    return Weighted.of({
      single: 0.2,
      cohabiting: 0.12,
      married: 0.55,
      divorced: 0.12,
      widowed: 0.01
    });
  return Weighted.of({single: 0.1, cohabiting: 0.08, married: 0.55, divorced: 0.15, widowed: 0.12});
}
const MARITAL = [20, 30, 40, 60].map((age) => marital(age));
const HOUSEHOLD_ALONE = new Weighted([
  [1, 0.65],
  [2, 0.2],
  [3, 0.1],
  [4, 0.05]
] as const);
const HOUSEHOLD_COUPLE = new Weighted([
  [2, 0.36],
  [3, 0.25],
  [4, 0.27],
  [5, 0.09],
  [6, 0.03]
] as const);

function ageIncome(age: number): number {
  if (age < 25) return 0.6 + (age - 18) * 0.04;
  if (age < 50) return 0.88 + (age - 25) * 0.011;
  if (age < 66) return 1.15;
  return 0.75;
}

function occupation(random: Random, age: number): string {
  if (age >= 67 && random.chance(0.85)) return "retired";
  if (age >= 62 && random.chance(0.4)) return "retired";
  if (age < 25 && random.chance(0.45)) return "student";
  return WORKING.pick(random);
}

/** Draws a person's demographics; `areaIncome` is the median income where they live. */
export function drawDemographics(
  random: Random,
  archetype: Archetype,
  areaIncome: number
): Demographics {
  const gender = GENDER.pick(random);
  let years = random.normal(45 + archetype.ageShift, 15);
  while (years < 18 || years > 90) years = random.normal(45 + archetype.ageShift, 15);
  const age = Math.floor(years);
  const birthDay = REFERENCE_DAY - Math.floor(years * YEAR_DAYS);
  const education = EDUCATION.pick(random);
  const income =
    Math.round(
      (areaIncome *
        0.8 *
        random.lognormal(1, 0.45) *
        EDUCATION_INCOME[education] *
        ageIncome(age) *
        archetype.incomeFactor) /
        100
    ) * 100;
  const maritalStatus = MARITAL[age < 25 ? 0 : age < 35 ? 1 : age < 55 ? 2 : 3].pick(random);
  const couple = maritalStatus === "married" || maritalStatus === "cohabiting";
  const householdSize = (couple ? HOUSEHOLD_COUPLE : HOUSEHOLD_ALONE).pick(random);
  return {
    gender,
    birthDay,
    age,
    education,
    income,
    occupation: occupation(random, age),
    maritalStatus,
    householdSize
  };
}
