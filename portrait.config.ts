// The demo project's config: the worked example of mapping sources onto Portrait's canonical
// model. Paths are relative to this file; PORTRAIT_DATA points the same mapping at another copy
// of the demo data (the tests build a small one).
import {defineConfig} from "./loaders/config/project.ts";

const data = process.env.PORTRAIT_DATA ?? "data/demo";

export default defineConfig({
  sources: {
    // The CRM export. Columns named like canonical fields map themselves (autoColumns);
    // the explicit entries show the syntax.
    crm: {
      table: "customers",
      file: `${data}/customers.csv`,
      columns: {customer_id: "customer_id", email: "email", signup_date: "signup_date"}
    },
    shop: {
      table: "orders",
      file: `${data}/orders.csv`,
      columns: {
        order_id: "order_id",
        customer_id: "customer_id",
        ordered_at: "ordered_at",
        amount: "amount"
      }
    },
    helpdesk: {table: "tickets", file: `${data}/tickets.csv`},
    email: {table: "email_events", file: `${data}/email_events.csv`},
    web: {table: "web_sessions", file: `${data}/web_sessions.csv`},
    survey: {table: "survey_responses", file: `${data}/survey_responses.csv`}
  },
  references: {
    postal_codes: {file: `${data}/postal_codes.csv`}
  },
  enrich: [
    {
      reference: "postal_codes",
      on: {country: "country", postal_code: "postal_code"},
      fields: {
        urbanicity: "urbanicity",
        area_income: "area_income",
        region: "region",
        latitude: "latitude",
        longitude: "longitude"
      }
    }
  ],
  validation: {maxRejectShare: 0.05},
  // The demo shop's amounts are in US dollars: every page writes them so.
  currency: "USD",
  // The demo's profile ids and names are kept beside its generated data (not committed); a
  // real project keeps portrait.state.json next to its config, in version control.
  profiles: {state: `${data}/portrait.state.json`},
  // Survey questions grouped into psychographic scales (answers 1-5, averaged per customer).
  features: {
    scales: {
      price_sensitivity: {
        questions: ["q_price_matters", "q_wait_for_sale"],
        high: "price-sensitive",
        low: "price-relaxed"
      },
      self_service: {
        questions: ["q_self_service", "q_app_first"],
        label: "self-service",
        high: "self-reliant",
        low: "help-seeking"
      },
      relationship: {
        questions: ["q_personal_contact", "q_stay_loyal"],
        high: "relationship-minded",
        low: "uncommitted"
      },
      innovation: {
        questions: ["q_early_adopter", "q_new_features"],
        high: "early-adopting",
        low: "cautious"
      },
      sustainability: {
        questions: ["q_sustainable_choice", "q_less_packaging"],
        high: "eco-minded",
        low: "eco-indifferent"
      }
    }
  },
  identity: {rules: [{rule: "email"}, {rule: "phone"}]},
  privacy: {minGroupSize: 10, identifiers: false}
});
