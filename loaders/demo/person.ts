/**
 * A person: everything about one slot that the tables share (archetype, timeline, who they
 * are, how to reach them, personal behaviour rates). A pure function of (seed, slot), so the
 * generator can rebuild the same person for each of their accounts.
 */

import {ARCHETYPES} from "./archetypes.ts";
import type {Archetype, ContactChannel, AcquisitionChannel, Scale} from "./archetypes.ts";
import type {ActivityLevel} from "./activity.ts";
import {at, DAY, YEAR_DAYS} from "./calendar.ts";
import {emailAddress, nationalNumber, personalNumber} from "./contact.ts";
import {drawDemographics} from "./demographics.ts";
import type {Demographics} from "./demographics.ts";
import {DIRT} from "./dirt.ts";
import {drawCompany} from "./firmographics.ts";
import type {Company} from "./firmographics.ts";
import {countryPicker, pickPostalCode} from "./geography.ts";
import type {Country, WeightedPostalCode} from "./geography.ts";
import {firstName, lastName, streetAddress} from "./names.ts";
import type {Population} from "./population.ts";
import {rng, Weighted} from "./random.ts";
import type {Random} from "./random.ts";
import {HISTORY_START_S, LAPSE_WINDOW} from "./timeline.ts";

/** Personal behaviour rates, drawn around the archetype's parameters. */
export interface Traits {
  readonly ordersPerYear: number;
  readonly discountChance: number;
  readonly ticketsPerYear: number;
  readonly optedIn: boolean;
  readonly openRate: number;
  readonly clickRate: number;
  /** The address bounces on the first send and is never mailed again. */
  readonly invalidAddress: boolean;
  readonly sessionsPerYear: number;
  /** Latent position on each survey scale (Likert points around 3). */
  readonly survey: Readonly<Record<Scale, number>>;
  readonly respondsToSurveys: boolean;
}

export interface Person extends ActivityLevel {
  readonly slot: number;
  readonly personId: string;
  readonly archetype: Archetype;
  readonly signup: number;
  /** Signup of the second account, NaN if none. */
  readonly secondSignup: number;
  /** Start of recorded activity: signup, or history start for older customers. */
  readonly activeFrom: number;
  readonly country: Country;
  readonly postal: WeightedPostalCode;
  readonly firstName: string;
  readonly lastName: string;
  readonly street: string;
  readonly demographics: Demographics;
  readonly acquisition: AcquisitionChannel;
  readonly preferredChannel: ContactChannel;
  readonly company: Company | null;
  /** Clean e-mail address of each account (null: none on file). */
  readonly emails: readonly [string | null, string | null];
  /** National phone number (digits) shared by both accounts. */
  readonly phone: string;
  readonly traits: Traits;
}

const SCALES: readonly Scale[] = [
  "price",
  "self_service",
  "relationship",
  "innovation",
  "sustainability"
];
const LAPSE_FROM = at(LAPSE_WINDOW[0]);
const LAPSE_TO = at(LAPSE_WINDOW[1]) + DAY - 1;
/** Share of customers who ever answer a survey. */
const SURVEY_RESPONDERS = 0.75;
const INVALID_ADDRESS = 0.015;

const pickers = new Map<object, Weighted<string>>();

/** Draws a key from a weights record (pickers cached per record). */
export function pickKey<K extends string>(random: Random, weights: Readonly<Record<K, number>>): K {
  let picker = pickers.get(weights);
  if (picker === undefined) {
    picker = Weighted.of(weights);
    pickers.set(weights, picker);
  }
  return picker.pick(random) as K;
}

function drawTraits(random: Random, a: Archetype, hasEmail: boolean): Traits {
  const survey = {} as Record<Scale, number>;
  for (const scale of SCALES) survey[scale] = a.survey[scale] + random.normal(0, 0.35);
  return {
    ordersPerYear: random.gammaMean(a.orders.perYear, a.orders.rateCv),
    discountChance: random.beta(a.orders.discountChance, 30),
    ticketsPerYear: random.gammaMean(a.tickets.perYear, 0.7),
    optedIn: hasEmail && random.chance(a.email.optIn),
    openRate: random.beta(a.email.open, 20),
    clickRate: random.beta(a.email.click, 20),
    invalidAddress: random.chance(INVALID_ADDRESS),
    sessionsPerYear: random.gammaMean(a.web.perYear, a.web.rateCv),
    survey,
    respondsToSurveys: random.chance(SURVEY_RESPONDERS)
  };
}

/** Rebuilds the person of a slot from the population plan and the seed. */
export function makePerson(seed: number, population: Population, slot: number): Person {
  const random = rng(seed, "customer", slot);
  const archetype = ARCHETYPES[population.archetype[slot]];
  const signup = population.signup[slot];
  const activeFrom = Math.max(signup, HISTORY_START_S);
  const country = countryPicker.pick(random);
  const postal = pickPostalCode(random, country.code);
  const demographics = drawDemographics(random, archetype, postal.areaIncome);
  const first = firstName(random, country.language, demographics.gender);
  const last = lastName(random, country.language);
  const street = streetAddress(random, country.language);
  const company = archetype.b2b ? drawCompany(random, country.language, last) : null;
  const n = personalNumber(slot, population.slots);
  const domain = company ? company.domain : `${random.pick(country.mailProviders)}.example`;
  const email = emailAddress(random, first, last, domain, n);
  // A second account reuses the address (customers.ts writes it with other case or spaces).
  const emails: [string | null, string | null] = [
    random.chance(DIRT.blank.email) ? null : email,
    random.chance(DIRT.blank.email) ? null : email
  ];
  const phone = nationalNumber(random, country, postal.areaCode, slot);
  const lapseAt =
    archetype.lapseResidual === null ? Infinity : Math.floor(random.uniform(LAPSE_FROM, LAPSE_TO));
  const dropoutAt =
    archetype.dropout > 0
      ? activeFrom + random.exponential((YEAR_DAYS * DAY) / archetype.dropout)
      : Infinity;
  return {
    slot,
    personId: `P${String(slot + 1).padStart(7, "0")}`,
    archetype,
    signup,
    secondSignup: population.secondSignup[slot],
    activeFrom,
    lapseAt,
    lapseResidual: archetype.lapseResidual ?? 1,
    dropoutAt,
    country,
    postal,
    firstName: first,
    lastName: last,
    street,
    demographics,
    acquisition: pickKey(random, archetype.acquisition),
    preferredChannel: pickKey(random, archetype.preferredChannel),
    company,
    emails,
    phone,
    traits: drawTraits(random, archetype, emails[0] !== null)
  };
}

/** Which account an event at a time belongs to: the second one takes about half after it opens. */
export function accountAt(person: Person, seconds: number, random: Random): 0 | 1 {
  const u = random.next();
  return seconds >= person.secondSignup && u < 0.5 ? 1 : 0;
}
