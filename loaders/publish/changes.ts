/**
 * exports/changes.csv: the customers whose profile or at-risk flag changed since the previous
 * build, from the previous customers the engine kept (history/previous.ts).
 */
import {sql, type SQL} from "../core/sql.ts";

/** How a customer changed between two builds, as exports/changes.csv names it. */
export const CUSTOMER_CHANGES = [
  "joined", // new since the previous build
  "left", // in the previous build, not in this one
  "moved", // another profile, the same at-risk flag
  "into_risk", // the same profile, newly at risk
  "out_of_risk", // the same profile, no longer at risk
  "moved_into_risk", // another profile and newly at risk
  "moved_out_of_risk" // another profile and no longer at risk
] as const;
export type CustomerChange = (typeof CUSTOMER_CHANGES)[number];

/** The columns of exports/changes.csv, in order. */
export const CHANGE_COLUMNS = [
  "customer_id",
  "previous_profile_id",
  "profile_id",
  "previous_at_risk",
  "at_risk",
  "change",
  "previous_as_of",
  "as_of"
] as const;

/**
 * The customers whose profile or at-risk flag differs between previous_customers and this
 * build, one row each (CHANGE_COLUMNS) sorted by id. Risk that was not assessed (no
 * customer_value, or the flag not assessed) is NULL on either side, and no move into or out of
 * risk is claimed from it.
 */
export function customerChangesQuery({hasValue}: {hasValue: boolean}): SQL {
  const into = sql`NOT b.at_risk AND n.at_risk`;
  const out = sql`b.at_risk AND NOT n.at_risk`;
  return sql`WITH now AS (
       SELECT p.customer_id, p.profile_id, ${hasValue ? sql`v.at_risk` : sql`NULL::BOOLEAN`} AS at_risk
       FROM customer_profiles p
       ${hasValue ? sql`LEFT JOIN customer_value v USING (customer_id)` : sql``}
     ),
     pairs AS (
       SELECT coalesce(n.customer_id, b.customer_id) AS customer_id,
         b.profile_id AS previous_profile_id, n.profile_id,
         b.at_risk AS previous_at_risk, n.at_risk,
         CASE
           WHEN b.customer_id IS NULL THEN 'joined'
           WHEN n.customer_id IS NULL THEN 'left'
           WHEN b.profile_id IS DISTINCT FROM n.profile_id THEN
             CASE WHEN ${into} THEN 'moved_into_risk' WHEN ${out} THEN 'moved_out_of_risk' ELSE 'moved' END
           WHEN ${into} THEN 'into_risk'
           WHEN ${out} THEN 'out_of_risk'
         END AS change
       FROM now n FULL OUTER JOIN previous_customers b ON b.customer_id = n.customer_id
     )
     SELECT customer_id, previous_profile_id, profile_id, previous_at_risk, at_risk, change,
       (SELECT strftime(as_of, '%Y-%m-%d') FROM previous_build) AS previous_as_of,
       (SELECT strftime(as_of, '%Y-%m-%d') FROM overview_as_of) AS as_of
     FROM pairs WHERE change IS NOT NULL
     ORDER BY customer_id`;
}
