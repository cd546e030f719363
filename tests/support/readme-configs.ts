/**
 * The README's worked examples as configs, so that the tests map data exactly as a reader of the
 * README would: the line-item export (Online Retail) and the multi-file export (Olist).
 */
import type {PortraitConfigInput} from "../../loaders/config/project.ts";

/** README, "A second worked example": one transactions file, one line per invoice line. */
export function onlineRetail(file: string): PortraitConfigInput {
  return {
    sources: {
      buyers: {
        table: "customers",
        file,
        columns: {customer_id: "CustomerID", country: "Country"},
        validation: {duplicateRows: "keep", maxRejectShare: 0.3}
      },
      invoices: {
        table: "orders",
        file,
        lines: true,
        columns: {
          order_id: "InvoiceNo",
          customer_id: "CustomerID",
          ordered_at: "InvoiceDate",
          quantity: "Quantity",
          price: "UnitPrice",
          product: "StockCode"
        },
        validation: {maxRejectShare: 0.3}
      }
    }
  };
}

/** README, "Related files": the Olist export under its own file names, relative to the config. */
export function olist(): PortraitConfigInput {
  return {
    related: {
      people: {file: "olist_customers_dataset.csv", key: "customer_id"},
      payments: {file: "olist_order_payments_dataset.csv", key: "order_id"},
      items: {
        file: "olist_order_items_dataset.csv",
        key: "order_id",
        columns: {category: {from: "products", on: "product_id", value: "category"}}
      },
      products: {
        file: "olist_products_dataset.csv",
        key: "product_id",
        columns: {
          category: {
            from: "categories",
            on: "product_category_name",
            value: "product_category_name_english"
          }
        }
      },
      categories: {file: "product_category_name_translation.csv", key: "product_category_name"},
      order_list: {
        file: "olist_orders_dataset.csv",
        key: "order_id",
        columns: {person: {from: "people", value: "customer_unique_id"}}
      }
    },
    sources: {
      buyers: {
        table: "customers",
        file: "olist_customers_dataset.csv",
        columns: {
          customer_id: "customer_unique_id",
          city: "customer_city",
          region: "customer_state"
        }
      },
      shop: {
        table: "orders",
        file: "olist_orders_dataset.csv",
        columns: {
          customer_id: {from: "people", value: "customer_unique_id"},
          ordered_at: "order_purchase_timestamp",
          status: "order_status",
          amount: {from: "payments", sum: "payment_value"},
          quantity: {from: "items", count: true},
          category: {from: "items", mode: "category"}
        }
      },
      reviews: {
        table: "survey_responses",
        file: "olist_order_reviews_dataset.csv",
        columns: {
          customer_id: {from: "order_list", value: "person"},
          question: "'review score'",
          answer: "review_score",
          answered_at: "review_creation_date"
        }
      }
    }
  };
}
