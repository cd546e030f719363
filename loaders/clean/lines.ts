/**
 * Orders built from lines. An orders source with `lines: true` is validated line by line into
 * accepted_order_lines; here its lines become orders, one per order_id and customer:
 * - amount = Σ the lines' amounts (amount, or quantity × price), quantity = Σ quantity (a line
 *   without a quantity counts as one item), discount = Σ discount, ordered_at = the earliest
 *   line's; channel, category and status = the most frequent among the lines (ties: the first
 *   alphabetically);
 * - a credit line (a negative quantity or amount, such as Online Retail's "C" invoices) is
 *   never an order: it is netted against the order it cancels, the customer's latest order at or
 *   before it holding the same product, else the customer's latest order at or before it. An
 *   order netted to zero or less is cancelled, one netted in part is returned. A credit with no
 *   earlier order of its customer is quarantined as unmatched_credit.
 * Every line is thus accepted (into an order) or quarantined: accepted + quarantined = lines read.
 */
import {ORDER_LINES, ORDERS, type CanonicalTable} from "../config/canonical.ts";
import {ConfigError} from "../config/project.ts";
import {ident, join, sql, val, type SQL} from "../core/sql.ts";
import {type Store} from "../core/store.ts";
import type {FieldMapping} from "../ingest/mapping.ts";
import type {LinesSummary} from "../../src/contracts/quality.ts";

export type {LinesSummary};

/** Fields of an order taken as the most frequent value among its lines. */
const MODE_FIELDS = ["channel", "category", "status"] as const;

/**
 * The lines table a source validates against: a line needs an amount, or a quantity and a
 * price (which its mapping decides); throws a ConfigError naming the key otherwise.
 */
export function linesTable(
  configPath: string,
  sourceName: string,
  mappings: readonly FieldMapping[]
): CanonicalTable {
  const mapped = new Set(mappings.map((m) => m.field));
  if (mapped.has("amount")) return {...ORDER_LINES, required: [...ORDER_LINES.required, "amount"]};
  if (mapped.has("price") && mapped.has("quantity"))
    return {...ORDER_LINES, required: [...ORDER_LINES.required, "quantity", "price"]};
  throw new ConfigError(
    configPath,
    `sources.${sourceName}.columns`,
    'a source of order lines needs each line\'s amount, or its price and quantity: map amount, or price and quantity (e.g. price: "UnitPrice", quantity: "Quantity")'
  );
}

/** SQL: one source's accepted lines (`_lines`), each with its amount and whether it is a credit. */
export function linesSql(source: string): SQL {
  const amount = sql`coalesce(amount, quantity * price)`;
  return sql`CREATE OR REPLACE TEMP TABLE _lines AS
    SELECT *, ${amount} AS _amount, coalesce(${amount} < 0 OR quantity < 0, false) AS _credit
    FROM accepted_order_lines WHERE _source = ${val(source)}`;
}

/** SQL: the orders the purchase lines of `_lines` make (`_orders`), before credits. */
export function ordersSql(): SQL {
  const key = sql`customer_id, order_id`;
  const modes = MODE_FIELDS.map(
    (f) => sql`LEFT JOIN (
      SELECT ${key}, first(${ident(f)} ORDER BY _n DESC, ${ident(f)}) AS ${ident(f)} FROM (
        SELECT ${key}, ${ident(f)}, count(*) AS _n FROM _lines
        WHERE NOT _credit AND ${ident(f)} IS NOT NULL GROUP BY ALL)
      GROUP BY ALL) USING (customer_id, order_id)`
  );
  return sql`CREATE OR REPLACE TEMP TABLE _orders AS
    SELECT o.*, ${join(MODE_FIELDS.map((f) => ident(f)))}, false AS _credited FROM (
      SELECT ${key}, min(ordered_at) AS ordered_at, sum(_amount::DECIMAL(38, 10))::DOUBLE AS amount,
        sum(coalesce(quantity, 1))::BIGINT AS quantity, sum(discount) AS discount,
        count(*)::INTEGER AS _lines, first(_source) AS _source, first(_file ORDER BY _file, _row) AS _file,
        first(_row ORDER BY _file, _row) AS _row
      FROM _lines WHERE NOT _credit GROUP BY ALL) o
    ${join(modes, " ")}`;
}

/**
 * SQL: each credit line of `_lines` with the order it nets against (`_order`, NULL when none)
 * and how it was matched (`_matched_by`: product or customer), into `_credits`.
 */
export function creditsSql(): SQL {
  const latest = sql`first(order_id ORDER BY ordered_at DESC, order_id DESC)`;
  return sql`CREATE OR REPLACE TEMP TABLE _credits AS
    WITH credits AS (
      SELECT row_number() OVER (ORDER BY _file, _row) AS _credit_id, * FROM _lines WHERE _credit),
    by_product AS (
      SELECT c._credit_id, ${latest} AS order_id FROM (
        SELECT c._credit_id, p.order_id, p.ordered_at FROM credits c JOIN _lines p
          ON NOT p._credit AND p.customer_id = c.customer_id AND p.product = c.product
          AND p.ordered_at <= c.ordered_at) c
      GROUP BY c._credit_id),
    by_customer AS (
      SELECT c._credit_id, ${latest} AS order_id FROM (
        SELECT c._credit_id, o.order_id, o.ordered_at FROM credits c JOIN _orders o
          ON o.customer_id = c.customer_id AND o.ordered_at <= c.ordered_at) c
      GROUP BY c._credit_id)
    SELECT c.*, coalesce(p.order_id, b.order_id) AS _order,
      CASE WHEN p.order_id IS NOT NULL THEN 'product' WHEN b.order_id IS NOT NULL THEN 'customer' END AS _matched_by
    FROM credits c LEFT JOIN by_product p USING (_credit_id) LEFT JOIN by_customer b USING (_credit_id)`;
}

/**
 * SQL: the matched credits netted into `_orders`: amounts and quantities reduced; an order at
 * zero or below is cancelled, one reduced in part returned.
 */
export function nettingSql(): SQL[] {
  return [
    sql`UPDATE _orders o SET amount = o.amount + c.amount, quantity = o.quantity + c.quantity, _credited = true
      FROM (SELECT customer_id, _order, sum(-abs(_amount)::DECIMAL(38, 10))::DOUBLE AS amount,
              sum(-abs(coalesce(quantity, 1)))::BIGINT AS quantity
            FROM _credits WHERE _order IS NOT NULL GROUP BY ALL) c
      WHERE c.customer_id = o.customer_id AND c._order = o.order_id`,
    sql`UPDATE _orders SET status = CASE
        WHEN _credited AND round(amount, 2) <= 0 THEN 'cancelled'
        WHEN _credited THEN 'returned'
        ELSE coalesce(status, 'purchase') END`
  ];
}

/** SQL: the orders appended to accepted_orders, in the order of their first lines. */
export function acceptOrdersSql(): SQL {
  const fields = join(Object.keys(ORDERS.fields).map((f) => ident(f)));
  return sql`INSERT INTO accepted_orders (${fields}, _source, _row)
    SELECT ${fields}, _source, _row FROM _orders ORDER BY _file, _row`;
}

/** SQL: credits with nothing to net against, quarantined as unmatched_credit. */
export function unmatchedCreditsSql(source: string): SQL {
  return sql`INSERT INTO quarantine
    SELECT ${val(source)}, 'order_lines', _row, _file, 'order_id', 'unmatched_credit',
      'credit line of order ' || order_id || ' (amount ' || printf('%.2f', _amount) || ') has no order of customer ' || customer_id || ' at or before ' || strftime(ordered_at, '%Y-%m-%d') || ' to net against',
      ['unmatched_credit'],
      to_json({order_id: order_id, customer_id: customer_id, ordered_at: ordered_at::VARCHAR,
        quantity: quantity::VARCHAR, price: price::VARCHAR, amount: amount::VARCHAR, product: product})
    FROM _credits WHERE _order IS NULL ORDER BY _file, _row`;
}

/**
 * Turns each lines source's accepted lines into accepted_orders (see the module doc); returns
 * per source what its lines made and how many credits were left unmatched (quarantined).
 */
export async function buildOrders(
  store: Store,
  sources: readonly string[]
): Promise<LinesSummary[]> {
  const summaries: LinesSummary[] = [];
  for (const source of sources) {
    await store.run(linesSql(source));
    await store.run(ordersSql());
    await store.run(creditsSql());
    for (const statement of nettingSql()) await store.run(statement);
    await store.run(unmatchedCreditsSql(source));
    await store.run(acceptOrdersSql());
    const counts = await store.one<Omit<LinesSummary, "source">>(
      sql`SELECT (SELECT count(*) FROM _lines)::INTEGER AS lines,
        (SELECT count(*) FROM _orders)::INTEGER AS orders,
        (SELECT count(*) FROM _credits)::INTEGER AS credits,
        (SELECT count(*) FROM _credits WHERE _matched_by = 'product')::INTEGER AS "creditsByProduct",
        (SELECT count(*) FROM _credits WHERE _matched_by = 'customer')::INTEGER AS "creditsByCustomer",
        (SELECT count(*) FROM _credits WHERE _order IS NULL)::INTEGER AS "unmatchedCredits",
        (SELECT count(*) FROM _orders WHERE _credited AND status = 'cancelled')::INTEGER AS "cancelledByCredits",
        (SELECT count(*) FROM _orders WHERE _credited AND status = 'returned')::INTEGER AS "returnedByCredits"`
    );
    summaries.push({source, ...counts!});
    for (const t of ["_lines", "_orders", "_credits"]) await store.run(sql`DROP TABLE ${ident(t)}`);
  }
  await store.run(sql`DROP TABLE IF EXISTS accepted_order_lines`);
  return summaries;
}
