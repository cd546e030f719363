import {mkdir, mkdtemp, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {dirname, join} from "node:path";
import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {parseConfig, type PortraitConfigInput} from "../../loaders/config/project.ts";
import {readSources} from "../../loaders/ingest/sources.ts";
import {Store} from "../../loaders/core/store.ts";
import {parse, validate, type Validation} from "../../loaders/clean/validate.ts";
import {sql, val} from "../../loaders/core/sql.ts";

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "portrait-validate-"));
  store = await Store.open(":memory:");
});

afterEach(async () => {
  store.close();
  await rm(dir, {recursive: true, force: true});
});

const CUSTOMERS =
  "customer_id,email,signup_date\nC1,a@x.example,2024-01-05\nC2,b@x.example,2024-02-01\nC3,c@x.example,2024-03-01\n";

/** The build's clock in these tests: "future" without an as-of date is after this day. */
const TODAY = "2026-12-05";

/** Writes the files, validates the config and runs read + validate on it. */
async function run(files: Record<string, string>, input: PortraitConfigInput): Promise<Validation> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), {recursive: true});
    await writeFile(join(dir, name), text);
  }
  const config = parseConfig(input, join(dir, "portrait.config.ts"));
  return validate(store, config, await readSources(store, config), {today: TODAY});
}

async function quarantine(): Promise<unknown[][]> {
  const rows = await store.all(
    sql`SELECT source, "row", "column", reason, message FROM quarantine ORDER BY source, "row"`
  );
  return rows.map((r) => [r.source, r.row, r.column, r.reason, r.message]);
}

const crm = {table: "customers", file: "customers.csv"} as const;

describe("validate(store, config, sources): row errors go to the quarantine with source, row, column and reason", () => {
  it("quarantines each bad-input case with its exact message", async () => {
    const orders = [
      "order_id,customer_id,ordered_at,amount,quantity",
      "O1,C1,2024-02-01 10:00:00,12.50,1", // 1 fine
      "O2,C2,2025-13-01,20,1", // 2 malformed date
      "O3,C2,2024-03-02,N/A,1", // 3 non-numeric amount
      "O4,C3,2024-03-03,-45.10,1", // 4 negative amount
      ",C3,2024-03-04,5,1", // 5 missing id
      "O6,C9,2024-03-05,5,1", // 6 unknown customer
      "O1,C1,2024-02-01 10:00:00,12.50,1", // 7 exact duplicate of row 1
      "O8,C1,2062-10-13 08:00:00,5,1", // 8 future date
      "O9,C1,2024-03-06,7,1,extra", // 9 malformed line
      "O10,C1,2024-03-07,8,two" // 10 fine; quantity is cleared, not rejected
    ].join("\n");
    const v = await run(
      {"customers.csv": CUSTOMERS, "orders.csv": `${orders}\n`},
      {
        asOf: "2024-03-31",
        sources: {crm, shop: {table: "orders", file: "orders.csv"}},
        validation: {maxRejectShare: 1}
      }
    );
    expect(await quarantine()).toEqual([
      [
        "shop",
        2,
        "ordered_at",
        "malformed_date",
        'ordered_at "2025-13-01" is not a date (expected YYYY-MM-DD or YYYY-MM-DD HH:MM:SS)'
      ],
      ["shop", 3, "amount", "not_a_number", 'amount "N/A" is not a number'],
      [
        "shop",
        4,
        "amount",
        "negative_amount",
        'amount -45.10 is negative (set validation.negativeAmounts to "allow" to keep refunds)'
      ],
      ["shop", 5, "order_id", "missing_value", "order_id is missing"],
      ["shop", 6, "customer_id", "unknown_customer", "customer C9 is not among the customers"],
      ["shop", 7, null, "duplicate_row", "exact duplicate of row 1"],
      [
        "shop",
        8,
        "ordered_at",
        "future_date",
        "ordered_at 2062-10-13 08:00:00 is after the as-of date (2024-03-31)"
      ],
      ["shop", 9, null, "malformed_line", "line 10: Expected Number of Columns: 5 Found: 6"]
    ]);
    const shop = v.sources.find((s) => s.source === "shop")!;
    expect(shop).toMatchObject({read: 10, accepted: 2, quarantined: 8, cleared: 1});
    expect(await store.all(sql`SELECT "row", "column", value, reason FROM cleared_values`)).toEqual(
      [{row: 10, column: "quantity", value: "two", reason: "not_a_number"}]
    );
    const accepted = await store.all(
      sql`SELECT order_id, amount, quantity, _source, _row FROM accepted_orders ORDER BY _row`
    );
    expect(accepted).toEqual([
      {order_id: "O1", amount: 12.5, quantity: 1, _source: "shop", _row: 1},
      {order_id: "O10", amount: 8, quantity: null, _source: "shop", _row: 10}
    ]);
  });

  it("keeps the whole source row with each quarantined row, so nothing is lost", async () => {
    await run(
      {
        "customers.csv": CUSTOMERS,
        "orders.csv": "order_id,customer_id,ordered_at,amount\nO1,C1,soon,3\n"
      },
      {sources: {crm, shop: {table: "orders", file: "orders.csv"}}, validation: {maxRejectShare: 1}}
    );
    const [row] = await store.all(sql`SELECT file, record::VARCHAR AS record FROM quarantine`);
    expect(row.file).toBe("orders.csv");
    expect(JSON.parse(String(row.record))).toMatchObject({
      order_id: "O1",
      customer_id: "C1",
      ordered_at: "soon",
      amount: "3"
    });
  });

  it("allows refunds and duplicates when the config says so", async () => {
    const v = await run(
      {
        "customers.csv": CUSTOMERS,
        "orders.csv":
          "order_id,customer_id,ordered_at,amount\nO1,C1,2024-02-01,-3\nO1,C1,2024-02-01,-3\n"
      },
      {
        sources: {crm, shop: {table: "orders", file: "orders.csv"}},
        validation: {negativeAmounts: "allow", duplicateRows: "keep"}
      }
    );
    expect(v.sources.find((s) => s.source === "shop")).toMatchObject({
      read: 2,
      accepted: 2,
      quarantined: 0
    });
  });

  it("fails the build when a source rejects more than validation.maxRejectShare", async () => {
    const v = await run(
      {
        "customers.csv": CUSTOMERS,
        "orders.csv":
          "order_id,customer_id,ordered_at,amount\nO1,C1,2024-02-01,3\nO2,C1,x,3\nO3,C1,y,3\n"
      },
      {
        sources: {crm, shop: {table: "orders", file: "orders.csv"}},
        validation: {maxRejectShare: 0.5}
      }
    );
    expect(v.problems).toEqual([
      'sources.shop: 2 of 3 rows (67%) were quarantined, more than validation.maxRejectShare (50%); most for malformed_date (2). If the dates are written another way, set sources.shop.dateFormat (e.g. "%d/%m/%Y %H:%M"). Fix the source or its mapping (npm run check lists the rows), or raise the limit.'
    ]);
  });

  it("derives the as-of date as the day of the last dated row, and future as after today", async () => {
    const lines = Array.from({length: 2000}, (_, i) => `O${i},C1,2025-0${1 + (i % 6)}-10,1`);
    const v = await run(
      {
        "customers.csv": CUSTOMERS,
        "orders.csv": [
          "order_id,customer_id,ordered_at,amount",
          ...lines,
          "N,C1,2025-06-19 17:30:00,1", // the newest row: the as-of date, not a future one
          "X,C1,2062-10-13,1" // a typo decades ahead: after today, so future
        ].join("\n")
      },
      {sources: {crm, shop: {table: "orders", file: "orders.csv"}}}
    );
    expect([v.asOf, v.asOfRule]).toEqual(["2025-06-19", "data"]);
    expect(v.sources.find((s) => s.source === "shop")?.byReason).toEqual({future_date: 1});
    expect(await quarantine()).toEqual([
      [
        "shop",
        2002,
        "ordered_at",
        "future_date",
        "ordered_at 2062-10-13 is after today (2026-12-05)"
      ]
    ]);
    expect(v.warnings).toEqual([
      "sources.shop: 1 row is dated after today (2026-12-05), the latest on 2062-10-13: quarantined as future_date, counted on the data-quality page, and left out of the as-of date. Fix them in the source if they are typos. If the dates are right, the build's clock is behind: set PORTRAIT_TODAY (or the machine's date), or asOf in the config to the day the export was taken."
    ]);
  });

  it("says so when every date is ten years ahead: the rows are quarantined and counted, the as-of date is not moved", async () => {
    const v = await run(
      {
        "customers.csv": CUSTOMERS.replaceAll("2024-", "2034-"),
        "orders.csv":
          "order_id,customer_id,ordered_at,amount\nO1,C1,2036-01-05,5\nO2,C2,2036-02-01 09:00,7\n"
      },
      {sources: {crm, shop: {table: "orders", file: "orders.csv"}}, validation: {maxRejectShare: 1}}
    );
    expect([v.asOf, v.asOfRule]).toEqual([TODAY, "today"]);
    expect(v.sources.map((s) => [s.source, s.read, s.accepted, s.byReason])).toEqual([
      ["crm", 3, 0, {future_date: 3}],
      ["shop", 2, 0, {future_date: 2}]
    ]);
    expect(v.problems).toEqual([
      "every dated row is after today (2026-12-05): sources.crm has 3, the latest on 2034-03-01; sources.shop has 2, the latest on 2036-02-01. They are quarantined as future_date, so they cannot set the as-of date. If the dates are right, the build's clock is behind: set PORTRAIT_TODAY (or the machine's date), or asOf in the config to the day the export was taken. If the export moved the dates, export it again"
    ]);
  });

  it("names the dates in the future when they put a source over its reject limit", async () => {
    const v = await run(
      {"customers.csv": CUSTOMERS.replace("2024-03-01", "2036-03-01")},
      {sources: {crm}}
    );
    expect(v.problems).toEqual([
      "sources.crm: 1 of 3 rows (33%) were quarantined, more than validation.maxRejectShare (5.0%); most for future_date (1). They are dated after today (2026-12-05), the latest on 2036-03-01. If the dates are right, the build's clock is behind: set PORTRAIT_TODAY (or the machine's date), or asOf in the config to the day the export was taken. Fix the source or its mapping (npm run check lists the rows), or raise the limit."
    ]);
    expect(v.warnings).toEqual([]);
  });

  it("fails on a source with a header and no rows", async () => {
    const v = await run(
      {"customers.csv": CUSTOMERS, "orders.csv": "order_id,customer_id,ordered_at,amount\n"},
      {asOf: "2024-03-31", sources: {crm, shop: {table: "orders", file: "orders.csv"}}}
    );
    expect(v.problems).toEqual([
      `sources.shop: orders.csv has a header and no rows, so there is nothing to read. Export it again, or take sources.shop out of ${join(dir, "portrait.config.ts")}`
    ]);
  });

  it("keeps identical lines when the id reads _row, unless the config says reject", async () => {
    const log = "customer,day,amount\nC1,2025-01-02,5\nC1,2025-01-02,5\nC2,2025-01-03,7\n";
    const source = (validation?: {duplicateRows: "reject"}) => ({
      table: "orders" as const,
      file: "log.csv",
      columns: {
        order_id: "customer || '-' || _row",
        customer_id: "customer",
        ordered_at: "day",
        amount: "amount"
      },
      ...(validation ? {validation} : {})
    });
    const kept = await run(
      {"customers.csv": CUSTOMERS, "log.csv": log},
      {sources: {crm, shop: source()}}
    );
    expect(kept.sources[1]).toMatchObject({read: 3, accepted: 3, quarantined: 0});
    store.close();
    store = await Store.open(":memory:");
    const rejected = await run(
      {"customers.csv": CUSTOMERS, "log.csv": log},
      {sources: {crm, shop: source({duplicateRows: "reject"})}, validation: {maxRejectShare: 1}}
    );
    expect(rejected.sources[1].byReason).toEqual({duplicate_row: 1});
  });

  it("reads placeholders in text fields and ids as missing, and records the cleared ones", async () => {
    const v = await run(
      {
        "customers.csv": [
          "customer_id,gender,occupation,income",
          "C1,Unknown,N/A,-",
          "(blank),F,teacher,100",
          " n/a ,M,-,200",
          "C4, (BLANK) ,nurse,300"
        ].join("\n")
      },
      {sources: {crm}, validation: {maxRejectShare: 1}}
    );
    expect(await quarantine()).toEqual([
      ["crm", 2, "customer_id", "missing_value", "customer_id is missing"],
      ["crm", 3, "customer_id", "missing_value", "customer_id is missing"]
    ]);
    expect(
      await store.all(
        sql`SELECT "row", "column", value, reason FROM cleared_values ORDER BY "row", "column"`
      )
    ).toEqual([
      {row: 1, column: "gender", value: "Unknown", reason: "placeholder"},
      {row: 1, column: "income", value: "-", reason: "not_a_number"},
      {row: 1, column: "occupation", value: "N/A", reason: "placeholder"},
      {row: 4, column: "gender", value: "(BLANK)", reason: "placeholder"}
    ]);
    expect(v.sources[0]).toMatchObject({read: 4, accepted: 2, quarantined: 2, cleared: 4});
  });

  it("takes a source's own missingValues over the project's", async () => {
    await run(
      {"customers.csv": "customer_id,gender\nC1,unknown\nC2,?\n"},
      {
        sources: {crm: {...crm, validation: {missingValues: ["?"]}}},
        validation: {missingValues: ["unknown"]}
      }
    );
    expect(
      await store.all(sql`SELECT customer_id, gender FROM accepted_customers ORDER BY _row`)
    ).toEqual([
      {customer_id: "C1", gender: "unknown"},
      {customer_id: "C2", gender: null}
    ]);
  });

  it("reads ids written as numbers as the number with numericIds, per source or for all", async () => {
    await run(
      {
        "customers.csv": "customer_id,loyalty\n12347.0,7.00\n12348,8\nA1.0,9.5\n",
        "orders.csv": "order_id,customer_id,ordered_at,amount\n1.0,12347,2025-01-01,5\n"
      },
      {
        sources: {
          crm: {...crm, numericIds: true},
          shop: {table: "orders", file: "orders.csv"}
        },
        identity: {rules: [{rule: "key", field: "loyalty"}]}
      }
    );
    expect(
      await store.all(sql`SELECT customer_id, loyalty FROM accepted_customers ORDER BY _row`)
    ).toEqual([
      {customer_id: "12347", loyalty: "7"},
      {customer_id: "12348", loyalty: "8"},
      {customer_id: "A1.0", loyalty: "9.5"}
    ]);
    // The orders source keeps its ids as written (numericIds is the crm's), and finds 12347.
    expect(await store.all(sql`SELECT order_id, customer_id FROM accepted_orders`)).toEqual([
      {order_id: "1.0", customer_id: "12347"}
    ]);
  });

  it("names the identity rule whose key column no customers source has", async () => {
    await expect(
      run(
        {"customers.csv": CUSTOMERS},
        {sources: {crm}, identity: {rules: [{rule: "key", field: "loyalty_id"}]}}
      )
    ).rejects.toThrow(
      'identity.rules.0.field: no customers source has a column "loyalty_id"; a person key is a canonical field, an attribute or a column of a customers source. Their columns: customer_id, email, signup_date'
    );
  });

  it("asks for the date format, not asOf, when no date could be read", async () => {
    const v = await run(
      {
        "customers.csv": "customer_id\nC1\nC2\n",
        "orders.csv":
          "order_id,customer_id,ordered_at,amount\nA,C1,31/01/2025 10:00,1\nB,C2,28/02/2025 11:30,2\n"
      },
      {sources: {crm, shop: {table: "orders", file: "orders.csv"}}}
    );
    expect(v.problems.at(-1)).toBe(
      'no source has a date Portrait could read: sources.shop has 2 that did not parse. Set dateFormat on that source to how they are written (e.g. dateFormat: "%d/%m/%Y %H:%M"; npm run check shows the first rows)'
    );
    expect(v.problems[0]).toContain(
      'most for malformed_date (2). If the dates are written another way, set sources.shop.dateFormat (e.g. "%d/%m/%Y %H:%M").'
    );
  });

  it("stops, asking for asOf, when no source has a dated row", async () => {
    const v = await run(
      {"customers.csv": "customer_id,email\nC1,a@x.example\nC2,b@x.example\n"},
      {sources: {crm}}
    );
    expect(v.asOfRule).toBe("today");
    expect(v.problems).toEqual([
      expect.stringContaining(
        `no source has a dated row, so the data does not say which day it describes: set asOf in`
      )
    ]);
    expect(v.problems[0]).toContain(`(asOf: "${TODAY}" for today)`);
  });

  it("quarantines rows after an explicit as-of date even when they are not after today", async () => {
    const v = await run(
      {
        "customers.csv": CUSTOMERS,
        "orders.csv":
          "order_id,customer_id,ordered_at,amount\nA,C1,2025-01-01,1\nB,C1,2025-02-01,1\n"
      },
      {asOf: "2025-01-31", sources: {crm, shop: {table: "orders", file: "orders.csv"}}}
    );
    expect([v.asOf, v.asOfRule]).toEqual(["2025-01-31", "config"]);
    expect(v.sources.find((s) => s.source === "shop")?.byReason).toEqual({future_date: 1});
  });

  it("applies dateFormat to source text only: a date an expression builds passes untouched", async () => {
    const v = await run(
      {
        "customers.csv":
          "id,born_y,born_m,born_d,joined\nC1,1980,5,17,03/02/2024\nC2,1975,12,1,15/03/2024\n"
      },
      {
        sources: {
          crm: {
            table: "customers",
            file: "customers.csv",
            dateFormat: "%d/%m/%Y",
            columns: {
              customer_id: "id",
              birth_date: "make_date(born_y::INTEGER, born_m::INTEGER, born_d::INTEGER)",
              signup_date: "joined"
            }
          }
        }
      }
    );
    expect(v.sources[0]).toMatchObject({accepted: 2, cleared: 0});
    expect(
      await store.all(
        sql`SELECT customer_id, strftime(birth_date, '%Y-%m-%d') AS born, strftime(signup_date, '%Y-%m-%d') AS joined FROM accepted_customers ORDER BY _row`
      )
    ).toEqual([
      {customer_id: "C1", born: "1980-05-17", joined: "2024-02-03"},
      {customer_id: "C2", born: "1975-12-01", joined: "2024-03-15"}
    ]);
  });
});

describe("sources and column mapping", () => {
  it("maps a differently shaped export: TSV, own column names, derived amount, day-first dates, empty ids", async () => {
    const tsv = [
      "InvoiceNo\tStockCode\tQuantity\tInvoiceDate\tUnitPrice\tCustomerID\tCountry",
      "536365\t85123A\t6\t01/12/2024 08:26\t2.55\t17850\tUnited Kingdom",
      "536366\t71053\t2\t01/12/2024 08:28\t3.39\t\tUnited Kingdom",
      "536367\t84406B\t8\t13/12/2024 09:01\t2.75\t17850\tUnited Kingdom"
    ].join("\n");
    const v = await run(
      {"retail.tsv": `${tsv}\n`},
      {
        sources: {
          buyers: {
            table: "customers",
            file: "retail.tsv",
            columns: {customer_id: "CAST(CustomerID AS VARCHAR)", country: "Country"}
          },
          invoices: {
            table: "orders",
            file: "retail.tsv",
            dateFormat: "%d/%m/%Y %H:%M",
            columns: {
              order_id: "InvoiceNo",
              customer_id: "CustomerID",
              ordered_at: "InvoiceDate",
              amount: "TRY_CAST(Quantity AS INTEGER) * TRY_CAST(UnitPrice AS DOUBLE)",
              quantity: "Quantity"
            }
          }
        },
        validation: {maxRejectShare: 0.5, duplicateRows: "keep"}
      }
    );
    expect(v.sources.map((s) => [s.source, s.read, s.accepted, s.quarantined])).toEqual([
      ["buyers", 3, 2, 1],
      ["invoices", 3, 2, 1]
    ]);
    expect(
      await store.all(
        sql`SELECT order_id, customer_id, strftime(ordered_at, '%Y-%m-%d %H:%M') AS at, round(amount, 2) AS amount FROM accepted_orders ORDER BY _row`
      )
    ).toEqual([
      {order_id: "536365", customer_id: "17850", at: "2024-12-01 08:26", amount: 15.3},
      {order_id: "536367", customer_id: "17850", at: "2024-12-13 09:01", amount: 22}
    ]);
    expect(await quarantine()).toEqual([
      ["buyers", 2, "customer_id", "missing_value", "customer_id is missing"],
      ["invoices", 2, "customer_id", "missing_value", "customer_id is missing"]
    ]);
  });

  it("feeds one table from several sources and numbers rows per file of a glob", async () => {
    const v = await run(
      {
        "customers.csv": CUSTOMERS,
        "shop-a/2024-01.csv":
          "order_id,customer_id,ordered_at,amount\nA1,C1,2024-01-02,1\nA2,C2,2024-01-03,2\n",
        "shop-a/2024-02.csv": "order_id,customer_id,ordered_at,amount\nA3,C1,2024-02-02,3\n",
        "shop-b.csv": "ref;client;date;total\nB1;C3;2024-02-09;4\n"
      },
      {
        sources: {
          crm,
          shop_a: {table: "orders", file: "shop-a/*.csv"},
          shop_b: {
            table: "orders",
            file: "shop-b.csv",
            csv: {delimiter: ";"},
            columns: {order_id: "ref", customer_id: "client", ordered_at: "date", amount: "total"}
          }
        }
      }
    );
    expect(v.sources.map((s) => [s.source, s.read, s.accepted])).toEqual([
      ["crm", 3, 3],
      ["shop_a", 3, 3],
      ["shop_b", 1, 1]
    ]);
    expect(
      await store.all(
        sql`SELECT order_id, _source, _row FROM accepted_orders ORDER BY _source, order_id`
      )
    ).toEqual([
      {order_id: "A1", _source: "shop_a", _row: 1},
      {order_id: "A2", _source: "shop_a", _row: 2},
      {order_id: "A3", _source: "shop_a", _row: 1},
      {order_id: "B1", _source: "shop_b", _row: 1}
    ]);
  });

  it("reads Parquet and JSON sources as text, like CSV", async () => {
    await store.run(
      sql`COPY (SELECT 'C1' AS customer_id, DATE '2024-01-05' AS signup_date UNION ALL SELECT 'C2', DATE '2024-02-01') TO ${val(join(dir, "c.parquet"))}`
    );
    await writeFile(
      join(dir, "o.ndjson"),
      '{"order_id":"O1","customer_id":"C1","ordered_at":"2024-02-01","amount":3.5}\n{"order_id":"O2","customer_id":"C2","ordered_at":"2024-02-02","amount":1}\n'
    );
    const v = await run(
      {},
      {
        sources: {
          crm: {table: "customers", file: "c.parquet"},
          shop: {table: "orders", file: "o.ndjson"}
        }
      }
    );
    expect(v.sources.map((s) => [s.source, s.accepted])).toEqual([
      ["crm", 2],
      ["shop", 2]
    ]);
    expect(
      await store.all(
        sql`SELECT customer_id, strftime(signup_date, '%Y-%m-%d') AS d FROM accepted_customers ORDER BY 1`
      )
    ).toEqual([
      {customer_id: "C1", d: "2024-01-05"},
      {customer_id: "C2", d: "2024-02-01"}
    ]);
  });
});

describe("config errors name the key, and for an unknown column list the real columns and the closest match", () => {
  const files = {
    "customers.csv": "CustomerID,Email,Signup\nC1,a@x.example,2024-01-05\n",
    "orders.csv": "Invoice,CustomerID,When,Quantity,UnitPrice\nI1,C1,2024-02-01,2,3.5\n"
  };
  const path = () => join(dir, "portrait.config.ts");

  it("an unknown column", async () => {
    await expect(
      run(files, {
        sources: {
          crm: {table: "customers", file: "customers.csv", columns: {customer_id: "CustmerID"}}
        }
      })
    ).rejects.toThrow(
      `${path()}: sources.crm.columns.customer_id: no column "CustmerID" in this source; did you mean "CustomerID"? Its columns: CustomerID, Email, Signup`
    );
  });

  it("an unknown column inside a SQL expression", async () => {
    await expect(
      run(files, {
        sources: {
          crm: {table: "customers", file: "customers.csv", columns: {customer_id: "CustomerID"}},
          shop: {
            table: "orders",
            file: "orders.csv",
            columns: {
              order_id: "Invoice",
              ordered_at: "When",
              amount: "TRY_CAST(Quantity AS INTEGER) * TRY_CAST(UnitPrize AS DOUBLE)"
            }
          }
        }
      })
    ).rejects.toThrow(
      `${path()}: sources.shop.columns.amount: "TRY_CAST(Quantity AS INTEGER) * TRY_CAST(UnitPrize AS DOUBLE)": no column UnitPrize in this source; did you mean "UnitPrice"? Its columns: Invoice, CustomerID, When, Quantity, UnitPrice`
    );
  });

  it("a field the canonical table does not have", async () => {
    await expect(
      run(files, {
        sources: {
          crm: {
            table: "customers",
            file: "customers.csv",
            columns: {customer_id: "CustomerID", emial: "Email"}
          }
        }
      })
    ).rejects.toThrow(
      `${path()}: sources.crm.columns.emial: customers has no field emial; did you mean "email"? Its fields: customer_id, email,`
    );
  });

  it("a required field left unmapped", async () => {
    await expect(
      run(files, {
        sources: {
          crm: {table: "customers", file: "customers.csv", columns: {customer_id: "CustomerID"}},
          shop: {table: "orders", file: "orders.csv", columns: {order_id: "Invoice"}}
        }
      })
    ).rejects.toThrow(
      `${path()}: sources.shop.columns: the orders table needs ordered_at, amount, and this source has no column of those names: map them, e.g. ordered_at: "SourceColumn". Its columns: Invoice, CustomerID, When, Quantity, UnitPrice`
    );
  });

  it("a file that is not there", async () => {
    await expect(
      run(files, {sources: {crm: {table: "customers", file: "crm/*.csv"}}})
    ).rejects.toThrow(`${path()}: sources.crm.file: no file matches crm/*.csv (looked in ${dir})`);
  });

  it("a misspelt key, an unknown table and a missing customers source", () => {
    expect(() =>
      parseConfig({sources: {crm: {table: "customers", fiel: "x.csv"}}}, "p.ts")
    ).toThrow("p.ts: sources.crm: unknown key fiel");
    expect(() => parseConfig({sources: {crm: {table: "clients", file: "x.csv"}}}, "p.ts")).toThrow(
      'p.ts: sources.crm.table: expected one of "customers", "orders", "tickets", "email_events", "web_sessions", "survey_responses"'
    );
    expect(() => parseConfig({sources: {shop: {table: "orders", file: "x.csv"}}}, "p.ts")).toThrow(
      "p.ts: sources: at least one source must feed the customers table"
    );
    expect(() =>
      parseConfig({sources: {crm: {table: "customers", postgres: {env: "DB_URL"}}}}, "p.ts")
    ).toThrow("p.ts: sources.crm.postgres: give exactly one of table or query");
  });
});

describe("parse(type, text, formats) over a few rows", () => {
  it("parses what it can and leaves NULL for the rest", async () => {
    const v = sql`v`;
    const rows = await store.all(
      sql`SELECT ${parse("number", v, [])} AS number, ${parse("integer", v, [])} AS integer,
                 strftime(${parse("date", v, ["%d.%m.%Y"])}, '%Y-%m-%d') AS date
          FROM (VALUES (1, '1.5'), (2, '12'), (3, '03.04.2025'), (4, 'inf'), (5, NULL)) t(i, v)
          ORDER BY i`
    );
    expect(rows).toEqual([
      {number: 1.5, integer: null, date: null},
      {number: 12, integer: 12, date: null},
      {number: null, integer: null, date: "2025-04-03"},
      {number: null, integer: null, date: null},
      {number: null, integer: null, date: null}
    ]);
  });
});
