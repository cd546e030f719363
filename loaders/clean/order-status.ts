/**
 * Order statuses: which orders are purchases, which were cancelled and which returned, decided
 * once, here, so that no later step has to ask. Cancelled orders move from `orders` to
 * `cancelled_orders`, so every reader of `orders` (features, the value model, history
 * snapshots, the customer card) counts purchases and returns only; a returned order's status
 * becomes "returned" (recorded in derived_values), which the return share counts. Other statuses
 * stay as written. A status in none of the source's lists counts as a purchase and is listed as
 * unlisted on the data-quality page, so a mapping that misses a value is seen, not guessed.
 */
import type {PortraitConfig, StatusLists} from "../config/project.ts";
import {ident, join, sql, val, valueList, type SQL} from "../core/sql.ts";
import {type Store} from "../core/store.ts";
import type {StatusCount} from "../../src/contracts/quality.ts";
import {ensureDerivedValues} from "./standardise.ts";

export type {StatusCount};

/** The default lists, in common English words; a source's `status` replaces a list it names. */
export const DEFAULT_STATUSES: Required<StatusLists> = {
  purchase: [
    "purchase",
    "purchased",
    "created",
    "approved",
    "processing",
    "invoiced",
    "paid",
    "shipped",
    "delivered",
    "completed",
    "complete",
    "fulfilled",
    "ordered",
    "placed",
    "open",
    "pending"
  ],
  cancelled: [
    "cancelled",
    "canceled",
    "unavailable",
    "void",
    "voided",
    "failed",
    "declined",
    "rejected"
  ],
  returned: ["returned", "refunded", "return", "refund"]
};

/** A status as standardisation writes it: trimmed, lower case, single spaces. */
export function foldStatus(status: string): string {
  return status.trim().toLowerCase().replace(/\s+/g, " ");
}

/**
 * A source's lists: its own where given, else the defaults; folded like the data. Each list
 * keeps its own word (purchase, cancelled, returned), the status an order built from lines gets
 * from its credits, whatever the source lists.
 */
export function statusLists(lists: StatusLists | undefined): Required<StatusLists> {
  const list = (kind: keyof StatusLists) => [
    ...new Set([kind, ...(lists?.[kind] ?? DEFAULT_STATUSES[kind]).map(foldStatus)])
  ];
  return {purchase: list("purchase"), cancelled: list("cancelled"), returned: list("returned")};
}

/** SQL: what a status counts as under the lists (cancelled first, then returned, purchase). */
export function statusClassSql(status: SQL, lists: Required<StatusLists>): SQL {
  const within = (values: string[]) =>
    values.length > 0 ? sql`${status} IN (${valueList(values)})` : sql`false`;
  return sql`CASE WHEN ${status} IS NULL THEN 'purchase'
    WHEN ${within(lists.cancelled)} THEN 'cancelled'
    WHEN ${within(lists.returned)} THEN 'returned'
    WHEN ${within(lists.purchase)} THEN 'purchase'
    ELSE 'unlisted' END`;
}

/**
 * Classifies every order's status by its source's lists (order_statuses), moves cancelled
 * orders to cancelled_orders and marks returns as "returned". Returns the counts per source.
 */
export async function separateCancelled(
  store: Store,
  config: PortraitConfig
): Promise<Map<string, StatusCount[]>> {
  const counts = new Map<string, StatusCount[]>();
  if (!(await store.has("orders"))) return counts;
  const sources = Object.entries(config.sources).filter(([, s]) => s.table === "orders");
  const cases = sources.map(
    ([name, s]) =>
      sql`WHEN _source = ${val(name)} THEN ${statusClassSql(ident("status"), statusLists(s.status))}`
  );
  await store.run(
    sql`CREATE OR REPLACE TABLE order_statuses AS
      SELECT _source AS source, status, CASE ${join(cases, " ")} END AS counts_as, count(*)::INTEGER AS orders
      FROM orders GROUP BY ALL ORDER BY source, orders DESC, status`
  );
  const classOf = sql`(SELECT s.counts_as FROM order_statuses s
    WHERE s.source = o._source AND s.status IS NOT DISTINCT FROM o.status)`;
  await store.run(
    sql`CREATE OR REPLACE TABLE cancelled_orders AS SELECT * FROM orders o WHERE ${classOf} = 'cancelled'`
  );
  await store.run(
    sql`DELETE FROM orders o WHERE EXISTS (SELECT 1 FROM order_statuses s
      WHERE s.source = o._source AND s.status = o.status AND s.counts_as = 'cancelled')`
  );
  await ensureDerivedValues(store);
  await store.run(
    sql`INSERT INTO derived_values SELECT 'orders', o.customer_id, o._source, o._row, 'status', 'status_returned', 'returned', o.status
      FROM orders o JOIN order_statuses s ON s.source = o._source AND s.status = o.status
      WHERE s.counts_as = 'returned' AND o.status <> 'returned'`
  );
  await store.run(
    sql`UPDATE orders o SET status = 'returned' FROM order_statuses s
      WHERE s.source = o._source AND s.status = o.status AND s.counts_as = 'returned' AND o.status <> 'returned'`
  );
  const rows = await store.all<{source: string} & StatusCount>(
    sql`SELECT source, status, counts_as AS "countsAs", orders FROM order_statuses ORDER BY source, orders DESC, status`
  );
  for (const {source, ...row} of rows) counts.set(source, [...(counts.get(source) ?? []), row]);
  return counts;
}
