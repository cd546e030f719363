/**
 * The demo-data generator: walks accounts in customer-id order and streams each account's
 * rows to one sink per table, planting the defects each row drew and logging them as truth.
 */

import {ARCHETYPES} from "./archetypes.ts";
import type {ArchetypeName} from "./archetypes.ts";
import {at, DAY, formatDay, parseDay} from "./calendar.ts";
import {customerRecord} from "./customers.ts";
import type {DefectKind} from "./dirt.ts";
import {personEmails} from "./email.ts";
import {personOrders} from "./orders.ts";
import {makePerson} from "./person.ts";
import {customerId, planPopulation} from "./population.ts";
import {rng} from "./random.ts";
import {emailRows, orderRows, sessionRows, surveyRows, ticketRows} from "./rows.ts";
import type {CustomerTable} from "./schema.ts";
import {personSessions} from "./sessions.ts";
import {personSurvey} from "./survey.ts";
import {TableWriter} from "./table-writer.ts";
import type {DemoSinks} from "./table-writer.ts";
import {personTickets} from "./tickets.ts";
import {endOfDay, HISTORY_START, HORIZON} from "./timeline.ts";

export type {DemoSinks} from "./table-writer.ts";

/** Bumped whenever the same options would produce different data. */
export const GENERATOR_VERSION = "1.1.0";

export interface DemoOptions {
  /** Persons signed up by the default end date (the customers.csv size at that date, roughly). */
  readonly customers: number;
  readonly seed: number;
  /** Last day of the export, `YYYY-MM-DD`, inclusive. */
  readonly end: string;
}

export interface DemoSummary {
  readonly rows: Record<CustomerTable, number>;
  readonly customerIds: number;
  readonly persons: number;
  /** Persons who appear under two customer ids. */
  readonly duplicatePersons: number;
  readonly archetypes: Record<ArchetypeName, number>;
  readonly defects: Partial<Record<DefectKind, number>>;
}

/** Largest accepted population: customer ids have room for it and the run stays feasible. */
export const MAX_CUSTOMERS = 2_000_000;
const MAX_SEED = 2 ** 32 - 1;

/** Checks options and throws a message naming the bad option and what is accepted. */
export function validateOptions(options: DemoOptions): void {
  const {customers, seed, end} = options;
  if (!Number.isInteger(customers) || customers < 1 || customers > MAX_CUSTOMERS) {
    throw new Error(
      `invalid customers: ${customers} (expected an integer from 1 to ${MAX_CUSTOMERS})`
    );
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new Error(`invalid seed: ${seed} (expected an integer from 0 to ${MAX_SEED})`);
  }
  const day = parseDay(end);
  if (day === null || end < HISTORY_START || end > HORIZON) {
    throw new Error(
      `invalid end: ${end} (expected a date YYYY-MM-DD from ${HISTORY_START} to ${HORIZON})`
    );
  }
}

/** Generates the demo dataset for the options, streaming every row to the sinks. */
export function generateDemo(options: DemoOptions, sinks: DemoSinks): DemoSummary {
  validateOptions(options);
  const {seed} = options;
  const endS = endOfDay(at(options.end));
  const population = planPopulation(seed, options.customers);
  const unknownBase = population.accounts.length;
  const tables = new TableWriter(sinks);
  const archetypes = Object.fromEntries(ARCHETYPES.map((a) => [a.name, 0])) as Record<
    ArchetypeName,
    number
  >;
  let customerIds = 0;
  let persons = 0;
  let duplicatePersons = 0;

  for (let rank = 0; rank < population.accounts.length; rank++) {
    const entry = population.accounts[rank];
    const slot = entry >>> 1;
    const which = (entry & 1) as 0 | 1;
    const signup = which === 0 ? population.signup[slot] : population.secondSignup[slot];
    // Accounts are sorted by signup: the first one past the end ends the export.
    if (signup > endS) break;
    const id = customerId(rank);
    const person = makePerson(seed, population, slot);
    customerIds++;
    archetypes[person.archetype.name]++;
    if (which === 0) persons++;
    else duplicatePersons++;

    const record = customerRecord(person, which, id, rng(seed, "account", slot * 2 + which));
    const row = tables.write("customers", record.fields);
    for (const d of record.defects) tables.log("customers", row, d.column, d.kind);
    sinks.truth_customers.write([
      id,
      person.archetype.name,
      person.personId,
      plantedDay(person.lapseAt, endS),
      plantedDay(person.dropoutAt, endS)
    ]);

    const {orders, followUps} = personOrders(person, rng(seed, "orders", slot), endS);
    const tickets = personTickets(person, rng(seed, "tickets", slot), endS, followUps);
    const email = personEmails(person, rng(seed, "email", slot), endS);
    const sessions = personSessions(person, rng(seed, "web", slot), endS, email.sessions);
    const answers = personSurvey(person, rng(seed, "survey", slot), endS);

    tables.block("orders", orderRows(orders, person, which, id, unknownBase));
    tables.block("tickets", ticketRows(tickets, person, which, id, endS));
    tables.block("email_events", emailRows(email.events, which, id));
    tables.block("web_sessions", sessionRows(sessions, which, id));
    tables.block("survey_responses", surveyRows(answers, which, id));
  }

  return {
    rows: tables.rows,
    customerIds,
    persons,
    duplicatePersons,
    archetypes,
    defects: tables.defects
  };
}

/** The day a planted event (a lapse, a quiet dropout) began, or "" if it had not by the end. */
function plantedDay(seconds: number, endS: number): string {
  return seconds <= endS ? formatDay(Math.floor(seconds / DAY)) : "";
}
