/**
 * Orders: a first purchase soon after signing up, then an inhomogeneous Poisson process
 * shaped by the archetype's rhythm (sales, gift season) and the person's activity level.
 */

import type {OrderChannel} from "./archetypes.ts";
import {atHour, dayCurve, HOURS, isSaleDay, nextWorkday, poissonTimes} from "./activity.ts";
import {DAY} from "./calendar.ts";
import type {Category} from "./catalog.ts";
import {CATEGORIES} from "./catalog.ts";
import {DIRT, drawRowDefect} from "./dirt.ts";
import type {RowDefect} from "./dirt.ts";
import {accountAt, pickKey} from "./person.ts";
import type {Person} from "./person.ts";
import type {Random} from "./random.ts";
import {drawTicket} from "./tickets.ts";
import type {Ticket} from "./tickets.ts";
import {HISTORY_START_S} from "./timeline.ts";

export type OrderStatus = "completed" | "returned" | "cancelled";

export interface Order {
  readonly orderedAt: number;
  /** Amount paid (after discount) and the discount granted, in cents. */
  readonly amountCents: number;
  readonly discountCents: number;
  readonly channel: OrderChannel;
  readonly category: Category;
  readonly quantity: number;
  readonly status: OrderStatus;
  readonly account: 0 | 1;
  readonly defect: RowDefect | null;
}

/** Sales make a discount more likely and deeper. */
const SALE_DISCOUNT_CHANCE = 2.2;
const SALE_DISCOUNT_DEPTH = 1.2;

function drawOrder(person: Person, random: Random, day: number, followUps: Ticket[]): Order {
  const a = person.archetype.orders;
  const channel = pickKey(random, a.channels);
  const profile =
    channel === "store"
      ? HOURS.store
      : channel === "web" || channel === "app"
        ? HOURS.online
        : HOURS.office;
  let orderedAt = atHour(random, day * DAY, profile);
  if (channel === "invoice" || channel === "phone") orderedAt = nextWorkday(orderedAt);
  const category = pickKey(random, a.categories);
  const quantity = 1 + random.poisson(a.quantity - 1);
  const gross = Math.round(
    random.lognormal(a.itemPrice * CATEGORIES[category].price, a.priceSigma) * quantity * 100
  );
  const sale = isSaleDay(day);
  const discounted = random.chance(
    Math.min(0.95, person.traits.discountChance * (sale ? SALE_DISCOUNT_CHANCE : 1))
  );
  const depth =
    random.uniform(a.discountDepth[0], a.discountDepth[1]) * (sale ? SALE_DISCOUNT_DEPTH : 1);
  const discountCents = discounted ? Math.round(gross * depth) : 0;
  const u = random.next();
  const returnRate = a.returnRate * CATEGORIES[category].returns;
  const status =
    u < a.cancelRate ? "cancelled" : u < a.cancelRate + returnRate ? "returned" : "completed";
  const account = accountAt(person, orderedAt, random);
  const defect = drawRowDefect(random, DIRT.orders);
  // Returns and some other orders make customers contact support a few days later.
  if (random.chance(a.ticketChance * (status === "returned" ? 5 : 1))) {
    const topic =
      status === "returned"
        ? "returns"
        : random.chance(0.6)
          ? "delivery"
          : random.chance(0.5)
            ? "product"
            : "billing";
    followUps.push(drawTicket(person, random, orderedAt + random.uniform(1, 12) * DAY, topic));
  }
  return {
    orderedAt,
    amountCents: gross - discountCents,
    discountCents,
    channel,
    category,
    quantity,
    status,
    account,
    defect
  };
}

/** A person's orders up to `until` in time order, and the support tickets they trigger. */
export function personOrders(
  person: Person,
  random: Random,
  until: number
): {orders: Order[]; followUps: Ticket[]} {
  const a = person.archetype.orders;
  const orders: Order[] = [];
  const followUps: Ticket[] = [];
  if (person.signup >= HISTORY_START_S && random.chance(a.firstOrder)) {
    const t = person.signup + random.exponential(2 * DAY);
    orders.push(drawOrder(person, random, Math.floor(t / DAY), followUps));
  }
  poissonTimes(
    random,
    person.traits.ordersPerYear,
    person.activeFrom,
    until,
    dayCurve(a.rhythm),
    person,
    (t) => {
      orders.push(drawOrder(person, random, Math.floor(t / DAY), followUps));
    }
  );
  return {
    orders: orders.filter((o) => o.orderedAt <= until).sort((x, y) => x.orderedAt - y.orderedAt),
    followUps
  };
}
