/** Web sessions: a personal visit rate shaped by the archetype's rhythm, plus visits from e-mail clicks. */

import type {Device, WebSource} from "./archetypes.ts";
import {atHour, dayCurve, HOURS, poissonTimes} from "./activity.ts";
import {pickKey} from "./person.ts";
import type {Person} from "./person.ts";
import {accountAt} from "./person.ts";
import type {Random} from "./random.ts";

export interface Session {
  readonly startedAt: number;
  readonly durationS: number;
  readonly pages: number;
  readonly device: Device;
  readonly source: WebSource;
  readonly account: 0 | 1;
}

/** Draws a session starting at an exact time (`source` null: drawn from the archetype). */
export function drawSession(
  person: Person,
  random: Random,
  startedAt: number,
  source: WebSource | null
): Session {
  const web = person.archetype.web;
  const device = pickKey(random, web.devices);
  const durationS = Math.max(
    5,
    Math.min(4 * 3600, Math.round(random.lognormal(web.duration, 0.9)))
  );
  const pages = 1 + random.poisson(durationS / 75);
  const account = accountAt(person, startedAt, random);
  return {
    startedAt,
    durationS,
    pages,
    device,
    source: source ?? pickKey(random, web.sources),
    account
  };
}

/** A person's sessions up to `until` in time order; `fromEmail` are the visits of e-mail clicks. */
export function personSessions(
  person: Person,
  random: Random,
  until: number,
  fromEmail: readonly Session[]
): Session[] {
  const web = person.archetype.web;
  const sessions: Session[] = [];
  poissonTimes(
    random,
    person.traits.sessionsPerYear,
    person.activeFrom,
    until,
    dayCurve(web.rhythm),
    person,
    (t) => {
      sessions.push(drawSession(person, random, atHour(random, t, HOURS.online), null));
    }
  );
  for (const s of fromEmail) sessions.push(s);
  return sessions.filter((s) => s.startedAt <= until).sort((x, y) => x.startedAt - y.startedAt);
}
