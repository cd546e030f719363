/**
 * E-mail events: opted-in customers receive the campaign calendar (a share of the weekly
 * newsletters, every sale announcement); each send may bounce, be opened, clicked, or lead to
 * an unsubscribe, after which nothing more is sent. Opens always follow a send, clicks an open.
 */

import {activityFactor} from "./activity.ts";
import {DAY} from "./calendar.ts";
import {CAMPAIGNS, firstCampaignFrom} from "./campaigns.ts";
import {DIRT, drawRowDefect} from "./dirt.ts";
import type {RowDefect} from "./dirt.ts";
import type {Person} from "./person.ts";
import type {Random} from "./random.ts";
import {drawSession} from "./sessions.ts";
import type {Session} from "./sessions.ts";

export type EmailEventKind = "sent" | "open" | "click" | "unsubscribe" | "bounce";

export interface EmailEvent {
  readonly at: number;
  readonly event: EmailEventKind;
  readonly campaign: string;
  readonly account: 0 | 1;
  readonly defect: RowDefect | null;
}

/** Share of opted-in customers each weekly newsletter goes to (the list is split by segment). */
const NEWSLETTER_REACH = 0.4;
const SOFT_BOUNCE = 0.004;
/** Sending a large campaign takes up to this long. */
const SEND_WINDOW_S = 5400;

/** A person's e-mail events up to `until` in time order, and the web visits their clicks start. */
export function personEmails(
  person: Person,
  random: Random,
  until: number
): {events: EmailEvent[]; sessions: Session[]} {
  const events: EmailEvent[] = [];
  const sessions: Session[] = [];
  const {traits, archetype} = person;
  if (!traits.optedIn) return {events, sessions};
  const e = archetype.email;
  const push = (at: number, event: EmailEventKind, campaign: string, account: 0 | 1) => {
    events.push({at, event, campaign, account, defect: drawRowDefect(random, DIRT.emailEvents)});
  };
  let first = true;
  for (let i = firstCampaignFrom(person.activeFrom + DAY); i < CAMPAIGNS.length; i++) {
    const c = CAMPAIGNS[i];
    if (c.at > until) break;
    if (!c.promo && !c.gift && !random.chance(NEWSLETTER_REACH)) continue;
    const sentAt = c.at + random.int(0, SEND_WINDOW_S);
    // After a second account opens, the list holds both addresses; either may get a mail.
    const account: 0 | 1 =
      sentAt >= person.secondSignup && person.emails[1] !== null && random.chance(0.5) ? 1 : 0;
    push(sentAt, "sent", c.name, account);
    if ((first && traits.invalidAddress) || random.chance(SOFT_BOUNCE)) {
      push(sentAt + random.int(5, 900), "bounce", c.name, account);
      if (first && traits.invalidAddress) break;
      first = false;
      continue;
    }
    first = false;
    const response = (c.promo ? e.promoResponse : 1) * (c.gift ? e.giftResponse : 1);
    const opened = random.chance(
      Math.min(0.97, traits.openRate * response * activityFactor(person, sentAt))
    );
    let last = sentAt;
    if (opened) {
      last = sentAt + Math.max(1, Math.min(5 * DAY, Math.round(random.lognormal(3 * 3600, 1.4))));
      push(last, "open", c.name, account);
      if (random.chance(Math.min(0.95, traits.clickRate * (c.promo ? e.promoResponse : 1)))) {
        last += random.int(3, 240);
        push(last, "click", c.name, account);
        sessions.push(drawSession(person, random, last + random.int(1, 20), "email"));
      }
    }
    if (random.chance(e.unsubscribe * (opened ? 0.5 : 1.5))) {
      push(last + random.int(10, 600), "unsubscribe", c.name, account);
      break;
    }
  }
  return {events: events.filter((x) => x.at <= until).sort((x, y) => x.at - y.at), sessions};
}
