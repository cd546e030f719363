/**
 * Support tickets: a steady trickle per customer, follow-ups of orders (drawn by the orders
 * stream), onboarding questions of new accounts and a complaint shortly before a lapse.
 */

import type {TicketChannel, TicketTopic, Priority} from "./archetypes.ts";
import {atHour, dayCurve, HOURS, poissonTimes} from "./activity.ts";
import {DAY} from "./calendar.ts";
import {DIRT, drawRowDefect} from "./dirt.ts";
import type {RowDefect} from "./dirt.ts";
import {accountAt, pickKey} from "./person.ts";
import type {Person} from "./person.ts";
import type {Random} from "./random.ts";
import {HISTORY_START_S} from "./timeline.ts";

export interface Ticket {
  readonly openedAt: number;
  /** When it was resolved (Infinity: never); a ticket resolved after the end date is still open. */
  readonly resolvedAt: number;
  readonly topic: TicketTopic;
  readonly channel: TicketChannel;
  readonly priority: Priority;
  /** Satisfaction given after resolution (null: not asked or not answered). */
  readonly satisfaction: number | null;
  readonly account: 0 | 1;
  readonly defect: RowDefect | null;
}

/** Typical hours to resolve by channel (phone calls often end with the problem solved). */
const RESOLUTION_HOURS: Readonly<Record<TicketChannel, number>> = {
  phone: 0.6,
  chat: 1.5,
  "self-service": 8,
  email: 20
};
const NEVER_RESOLVED = 0.02;
const SATISFACTION_ANSWERED = 0.35;
const FLAT = dayCurve({seasonality: 0, promo: 1, gifts: 1});

/** Draws one ticket opened at a time; `mood` shifts satisfaction (complaints are negative). */
export function drawTicket(
  person: Person,
  random: Random,
  opened: number,
  topic: TicketTopic | null,
  mood = 0
): Ticket {
  const params = person.archetype.tickets;
  const chosenTopic = topic ?? pickKey(random, params.topics);
  const channel = pickKey(random, params.channels);
  const hours = channel === "phone" || channel === "email" ? HOURS.office : HOURS.online;
  const openedAt = atHour(random, opened, hours);
  let priority = pickKey(random, params.priority);
  if (chosenTopic === "integration" && priority === "low") priority = "normal";
  const speed = priority === "high" ? 0.6 : priority === "low" ? 1.4 : 1;
  const duration =
    random.lognormal(RESOLUTION_HOURS[channel] * params.resolution * speed, 1.1) * 3600;
  const resolvedAt = random.chance(NEVER_RESOLVED)
    ? Infinity
    : openedAt + Math.max(60, Math.round(duration));
  const mean = params.satisfaction + mood - 0.3 * Math.log2(1 + duration / 3600 / 24);
  const score = Math.min(5, Math.max(1, Math.round(random.normal(mean, 0.9))));
  const satisfaction = random.chance(SATISFACTION_ANSWERED) ? score : null;
  const account = accountAt(person, openedAt, random);
  return {
    openedAt,
    resolvedAt,
    topic: chosenTopic,
    channel,
    priority,
    satisfaction,
    account,
    defect: drawRowDefect(random, DIRT.tickets)
  };
}

/** A person's tickets opened up to `until`, in time order; `followUps` come from their orders. */
export function personTickets(
  person: Person,
  random: Random,
  until: number,
  followUps: readonly Ticket[]
): Ticket[] {
  const tickets: Ticket[] = [];
  const a = person.archetype;
  // New accounts ask how things work; B2B accounts set up their integration.
  if (
    person.signup >= HISTORY_START_S &&
    random.chance(a.b2b ? 0.5 : a.name === "new_customer" ? 0.6 : 0.1)
  ) {
    const topic = a.b2b ? "integration" : random.chance(0.5) ? "onboarding" : "account";
    tickets.push(drawTicket(person, random, person.signup + random.uniform(1, 40) * DAY, topic));
  }
  // Lapsing customers often had a bad experience shortly before they went quiet.
  if (Number.isFinite(person.lapseAt) && random.chance(0.5)) {
    const topic = random.chance(0.5) ? "delivery" : random.chance(0.5) ? "product" : "billing";
    tickets.push(
      drawTicket(person, random, person.lapseAt - random.uniform(10, 60) * DAY, topic, -1.5)
    );
  }
  poissonTimes(
    random,
    person.traits.ticketsPerYear,
    person.activeFrom,
    until,
    FLAT,
    person,
    (t) => {
      tickets.push(drawTicket(person, random, t, null));
    }
  );
  for (const t of followUps) tickets.push(t);
  return tickets
    .filter((t) => t.openedAt <= until && t.openedAt >= HISTORY_START_S)
    .sort((x, y) => x.openedAt - y.openedAt);
}
