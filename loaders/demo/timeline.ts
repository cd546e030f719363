/**
 * The fixed calendar anchors of the demo world. Every customer's life is simulated up to
 * HORIZON whatever the run's end date, so a later end only reveals more of the same history.
 */

import {at, DAY} from "./calendar.ts";

/** First day of recorded history (orders, tickets, e-mail, web, surveys). */
export const HISTORY_START = "2024-01-01";
/** The end date the population size and the planted archetypes are calibrated for. */
export const DEFAULT_END = "2026-10-31";
/** Last day any customer's life is simulated to; the latest accepted end date. */
export const HORIZON = "2028-12-31";
/** Customers who sign up from this day on are the `new_customer` archetype. */
export const NEW_CUSTOMER_FROM = "2026-07-01";
/** Lapsing customers drop off on a day drawn uniformly in this window. */
export const LAPSE_WINDOW = ["2026-04-15", "2026-07-15"] as const;
/** The earliest signup of customers who joined before history starts. */
export const OLDEST_SIGNUP = "2014-01-01";

/** The anchors above in seconds (end dates at their last second). */
export const HISTORY_START_S = at(HISTORY_START);
export const DEFAULT_END_S = endOfDay(at(DEFAULT_END));
export const HORIZON_S = endOfDay(at(HORIZON));
export const NEW_CUSTOMER_FROM_S = at(NEW_CUSTOMER_FROM);

/** The last second of an end day (end dates are inclusive). */
export function endOfDay(dayStart: number): number {
  return dayStart + DAY - 1;
}
