/** The demo dataset's files and their columns, in output order. */

/** Every output file and its header, by table name. */
export const TABLES = {
  customers: {
    file: "customers.csv",
    columns: [
      "customer_id",
      "email",
      "phone",
      "first_name",
      "last_name",
      "birth_date",
      "gender",
      "income",
      "education",
      "occupation",
      "household_size",
      "marital_status",
      "street",
      "city",
      "postal_code",
      "country",
      "signup_date",
      "acquisition_channel",
      "preferred_channel",
      "company",
      "industry",
      "employees",
      "annual_revenue"
    ]
  },
  orders: {
    file: "orders.csv",
    columns: [
      "order_id",
      "customer_id",
      "ordered_at",
      "amount",
      "channel",
      "category",
      "quantity",
      "discount",
      "status"
    ]
  },
  tickets: {
    file: "tickets.csv",
    columns: [
      "ticket_id",
      "customer_id",
      "opened_at",
      "resolved_at",
      "topic",
      "channel",
      "priority",
      "satisfaction"
    ]
  },
  email_events: {
    file: "email_events.csv",
    columns: ["customer_id", "event_at", "event", "campaign"]
  },
  web_sessions: {
    file: "web_sessions.csv",
    columns: ["customer_id", "started_at", "duration_s", "pages", "device", "source"]
  },
  survey_responses: {
    file: "survey_responses.csv",
    columns: ["customer_id", "question", "answer", "answered_at"]
  },
  survey_questions: {file: "survey_questions.csv", columns: ["question", "text"]},
  postal_codes: {
    file: "postal_codes.csv",
    columns: [
      "country",
      "postal_code",
      "region",
      "city",
      "urbanicity",
      "area_income",
      "latitude",
      "longitude"
    ]
  },
  truth_customers: {
    file: "truth/customers.csv",
    columns: ["customer_id", "archetype", "person_id", "lapse_at", "dropout_at"]
  },
  truth_defects: {file: "truth/defects.csv", columns: ["table", "row", "column", "kind"]}
} as const;

export type TableName = keyof typeof TABLES;

/** The tables the generator streams customer by customer (the others are reference or truth). */
export const CUSTOMER_TABLES = [
  "customers",
  "orders",
  "tickets",
  "email_events",
  "web_sessions",
  "survey_responses"
] as const satisfies readonly TableName[];

export type CustomerTable = (typeof CUSTOMER_TABLES)[number];
