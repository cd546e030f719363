/**
 * The canonical model: the contract between a business's sources and the engine (DESIGN.md).
 * Only `customers` is required; every other table adds a dimension.
 */
import {ident, join, sql, type SQL} from "../core/sql.ts";

export type FieldType = "id" | "text" | "number" | "integer" | "flag" | "date" | "timestamp";

/** The DuckDB type each field type is stored as. */
export const SQL_TYPES: Readonly<Record<FieldType, SQL>> = {
  id: sql`VARCHAR`,
  text: sql`VARCHAR`,
  number: sql`DOUBLE`,
  integer: sql`BIGINT`,
  // A flag is 1 or 0, so that its mean is the share of customers it holds for.
  flag: sql`DOUBLE`,
  date: sql`DATE`,
  timestamp: sql`TIMESTAMP`
};

/**
 * The column list of accepted_<table>: every canonical field typed, then _source and _row (and
 * _file, for a table whose rows are later quarantined by file and row).
 */
export function acceptedColumnsSql(table: CanonicalTable): SQL {
  const fields = Object.entries(table.fields).map(([f, t]) => sql`${ident(f)} ${SQL_TYPES[t]}`);
  const file = table.keepsFile ? [sql`_file VARCHAR`] : [];
  return join([...fields, sql`_source VARCHAR`, sql`_row BIGINT`, ...file]);
}

export interface CanonicalTable {
  /** Table name in the profile store. */
  name: string;
  /** What the table adds, in a reader's words. */
  label: string;
  /** The column that places a row in time; drives spans and monthly activity. */
  time: string;
  /** Fields a source must provide. */
  required: string[];
  /** Every known field and its type; unknown source columns are ignored. */
  fields: Record<string, FieldType>;
  /** Whether accepted rows keep their file (_file) as well as their row. */
  keepsFile?: boolean;
}

export const CUSTOMERS: CanonicalTable = {
  name: "customers",
  label: "Customers",
  time: "signup_date",
  required: ["customer_id"],
  fields: {
    customer_id: "id",
    email: "text",
    phone: "text",
    first_name: "text",
    last_name: "text",
    birth_date: "date",
    age: "integer",
    gender: "text",
    income: "number",
    education: "text",
    occupation: "text",
    household_size: "integer",
    marital_status: "text",
    street: "text",
    city: "text",
    region: "text",
    postal_code: "text",
    country: "text",
    latitude: "number",
    longitude: "number",
    signup_date: "date",
    acquisition_channel: "text",
    preferred_channel: "text",
    company: "text",
    industry: "text",
    employees: "integer",
    annual_revenue: "number"
  }
};

export const ORDERS: CanonicalTable = {
  name: "orders",
  label: "Orders",
  time: "ordered_at",
  required: ["order_id", "customer_id", "ordered_at", "amount"],
  fields: {
    order_id: "id",
    customer_id: "id",
    ordered_at: "timestamp",
    amount: "number",
    channel: "text",
    category: "text",
    quantity: "integer",
    discount: "number",
    status: "text"
  }
};

/**
 * The lines of an orders source with `lines: true`: validated line by line, then grouped into
 * orders by order_id (clean/lines.ts). Each line needs an amount, or a quantity and a price.
 */
export const ORDER_LINES: CanonicalTable = {
  name: "order_lines",
  label: "Order lines",
  time: "ordered_at",
  required: ["order_id", "customer_id", "ordered_at"],
  fields: {...ORDERS.fields, price: "number", product: "text"},
  keepsFile: true
};

export const TICKETS: CanonicalTable = {
  name: "tickets",
  label: "Support tickets",
  time: "opened_at",
  required: ["ticket_id", "customer_id", "opened_at"],
  fields: {
    ticket_id: "id",
    customer_id: "id",
    opened_at: "timestamp",
    resolved_at: "timestamp",
    topic: "text",
    channel: "text",
    priority: "text",
    satisfaction: "number"
  }
};

export const EMAIL_EVENTS: CanonicalTable = {
  name: "email_events",
  label: "E-mail events",
  time: "event_at",
  required: ["customer_id", "event_at", "event"],
  fields: {customer_id: "id", event_at: "timestamp", event: "text", campaign: "text"}
};

export const WEB_SESSIONS: CanonicalTable = {
  name: "web_sessions",
  label: "Web sessions",
  time: "started_at",
  required: ["customer_id", "started_at"],
  fields: {
    customer_id: "id",
    started_at: "timestamp",
    duration_s: "number",
    pages: "integer",
    device: "text",
    source: "text"
  }
};

export const SURVEY_RESPONSES: CanonicalTable = {
  name: "survey_responses",
  label: "Survey responses",
  time: "answered_at",
  required: ["customer_id", "question", "answer"],
  fields: {customer_id: "id", question: "text", answer: "text", answered_at: "timestamp"}
};

/** The dimensions features describe customers on (DESIGN.md, Dimensions and features). */
export const DIMENSIONS = [
  "behavioral",
  "psychographic",
  "demographic",
  "geographic",
  "firmographic"
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/**
 * The customers table with a project's own fields after the canonical ones: the custom
 * attributes and outcomes its customers sources declare (config/project.ts, customerFields).
 */
export function customersWith(extra: Readonly<Record<string, FieldType>>): CanonicalTable {
  return {...CUSTOMERS, fields: {...CUSTOMERS.fields, ...extra}};
}

/** The canonical tables in the order pages list them. */
export const CANONICAL_TABLES: readonly CanonicalTable[] = [
  CUSTOMERS,
  ORDERS,
  TICKETS,
  EMAIL_EVENTS,
  WEB_SESSIONS,
  SURVEY_RESPONSES
];
