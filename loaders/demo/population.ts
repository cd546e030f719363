/**
 * Who exists: one slot per person, with archetype, signup time and the time of a possible
 * second account, all drawn from the slot's own stream. Customer ids are ranks by signup over
 * every slot up to the horizon, so they do not depend on the run's end date.
 */

import {ARCHETYPES} from "./archetypes.ts";
import type {Archetype} from "./archetypes.ts";
import {at, DAY, YEAR_DAYS} from "./calendar.ts";
import {DIRT} from "./dirt.ts";
import {rng, Weighted} from "./random.ts";
import type {Random} from "./random.ts";
import {
  DEFAULT_END_S,
  HISTORY_START_S,
  HORIZON_S,
  NEW_CUSTOMER_FROM_S,
  OLDEST_SIGNUP
} from "./timeline.ts";

const NEW_CUSTOMER = ARCHETYPES.findIndex((a) => a.name === "new_customer");
const ARCHETYPE_PICKER = new Weighted(ARCHETYPES.map((a, i) => [i, a.share] as const));
const OLDEST_SIGNUP_S = at(OLDEST_SIGNUP);
/** Signups during history grow linearly: the density at the end is 1 + GROWTH times the start. */
const GROWTH = 3;
/** Mean years before history start of those who joined earlier. */
const TENURE_YEARS = 2.5;

/** The slot-level facts of one person. */
export interface SlotFacts {
  readonly archetype: number;
  readonly signup: number;
  /** Signup time of the second account, or NaN if the person has only one. */
  readonly secondSignup: number;
}

export interface Population {
  /** The `--customers` option: persons signed up by the default end date. */
  readonly customers: number;
  readonly slots: number;
  readonly archetype: Uint8Array;
  readonly signup: Float64Array;
  readonly secondSignup: Float64Array;
  /** Accounts (slot * 2 + account number) in customer-id order, i.e. by signup time. */
  readonly accounts: Uint32Array;
}

/** Slots beyond `customers` keep new customers signing up at the same pace up to the horizon. */
export function slotCount(customers: number): number {
  const newShare = ARCHETYPES[NEW_CUSTOMER].share;
  const recentRate = (customers * newShare) / (DEFAULT_END_S + 1 - NEW_CUSTOMER_FROM_S);
  return customers + Math.round(recentRate * (HORIZON_S - DEFAULT_END_S));
}

function signupDuringHistory(random: Random, until: number): number {
  const u = random.next();
  const x = (-1 + Math.sqrt(1 + GROWTH * (2 + GROWTH) * u)) / GROWTH;
  return HISTORY_START_S + x * (until - HISTORY_START_S);
}

function signupBeforeHistory(random: Random): number {
  const span = HISTORY_START_S - OLDEST_SIGNUP_S;
  let back = random.exponential(TENURE_YEARS * YEAR_DAYS * DAY);
  if (back >= span) back = random.uniform(0, span);
  return HISTORY_START_S - 1 - back;
}

function drawSignup(random: Random, a: Archetype, index: number, extra: boolean): number {
  if (index === NEW_CUSTOMER) {
    return extra
      ? random.uniform(DEFAULT_END_S + 1, HORIZON_S)
      : random.uniform(NEW_CUSTOMER_FROM_S, DEFAULT_END_S);
  }
  if (random.chance(a.signup.before)) return signupBeforeHistory(random);
  return signupDuringHistory(random, at(a.signup.until) + DAY - 1);
}

/** The archetype, signup and second-account time of one slot (a pure function of seed and slot). */
export function slotFacts(seed: number, customers: number, slot: number): SlotFacts {
  const random = rng(seed, "slot", slot);
  const extra = slot >= customers;
  const archetype = extra ? NEW_CUSTOMER : ARCHETYPE_PICKER.pick(random);
  const signup = Math.floor(drawSignup(random, ARCHETYPES[archetype], archetype, extra));
  let secondSignup = Number.NaN;
  if (random.chance(DIRT.duplicatePersons)) {
    const [lo, hi] = DIRT.secondAccountDelay;
    const t = Math.floor(Math.max(signup, HISTORY_START_S) + random.uniform(lo, hi) * DAY);
    if (t <= HORIZON_S) secondSignup = t;
  }
  return {archetype, signup, secondSignup};
}

/** Draws every slot and orders all accounts by signup time (ties by slot, then account). */
export function planPopulation(seed: number, customers: number): Population {
  const slots = slotCount(customers);
  const archetype = new Uint8Array(slots);
  const signup = new Float64Array(slots);
  const secondSignup = new Float64Array(slots);
  let accountCount = slots;
  for (let slot = 0; slot < slots; slot++) {
    const facts = slotFacts(seed, customers, slot);
    archetype[slot] = facts.archetype;
    signup[slot] = facts.signup;
    secondSignup[slot] = facts.secondSignup;
    if (!Number.isNaN(facts.secondSignup)) accountCount++;
  }
  const accounts = new Uint32Array(accountCount);
  let n = 0;
  for (let slot = 0; slot < slots; slot++) {
    accounts[n++] = slot * 2;
    if (!Number.isNaN(secondSignup[slot])) accounts[n++] = slot * 2 + 1;
  }
  const time = (entry: number) =>
    (entry & 1) === 0 ? signup[entry >>> 1] : secondSignup[entry >>> 1];
  accounts.sort((a, b) => time(a) - time(b) || a - b);
  return {customers, slots, archetype, signup, secondSignup, accounts};
}

/** The customer id of an account rank (0-based): `C0000001` onwards. */
export function customerId(rank: number): string {
  return `C${String(rank + 1).padStart(7, "0")}`;
}
