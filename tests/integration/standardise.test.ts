import {listValue} from "@duckdb/node-api";
import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {acceptedColumnsSql, CUSTOMERS} from "../../loaders/config/canonical.ts";
import {countryKeySql, ensureCountryKeys} from "../../loaders/clean/countries.ts";
import {countryKey, countrySpellings} from "../../loaders/clean/countries.ts";
import {
  emailKeySql,
  foldSql,
  phoneDigitsSql,
  phoneKeySql,
  standardise
} from "../../loaders/clean/standardise.ts";
import {enrich} from "../../loaders/enrich/references.ts";
import {Store} from "../../loaders/core/store.ts";
import {ident, join, sql, val, valueList} from "../../loaders/core/sql.ts";

type Values = Record<string, string | number | null>;

let store: Store;

beforeEach(async () => {
  store = await Store.open(":memory:");
});

afterEach(() => store.close());

/** accepted_customers as validation leaves it: every canonical field, _source and _row. */
async function acceptedCustomers(rows: Values[]): Promise<void> {
  await store.run(
    sql`CREATE OR REPLACE TABLE accepted_customers (${acceptedColumnsSql(CUSTOMERS)})`
  );
  for (const [i, row] of rows.entries()) {
    const values: Values = {customer_id: `C${i + 1}`, _source: "crm", _row: i + 1, ...row};
    const names = Object.keys(values);
    await store.run(
      sql`INSERT INTO accepted_customers (${join(names.map((n) => ident(n)))}) VALUES (${valueList(names.map((n) => values[n]))})`
    );
  }
}

async function column(field: string): Promise<unknown[]> {
  const rows = await store.all(
    sql`SELECT CAST(${ident(field)} AS VARCHAR) AS v FROM accepted_customers ORDER BY _row`
  );
  return rows.map((r) => r.v);
}

describe("standardise(store, {asOf})", () => {
  it("writes every country as its ISO 3166 alpha-2 code, however it was spelled", async () => {
    const written = [
      "DE",
      "de",
      "DEU",
      "Germany",
      "germany",
      "Deutschland",
      "Allemagne",
      "U.S.",
      "USA",
      "United States of America",
      "us",
      "UK",
      "U.K.",
      "Great Britain",
      "england",
      "GBR",
      "Holland",
      "The Netherlands",
      "Nederland",
      "España",
      "spain",
      "République française",
      "FRA",
      "Côte d'Ivoire",
      "Bosnia & Herzegovina",
      "Netherlands, The"
    ];
    await acceptedCustomers(written.map((country) => ({country})));
    await standardise(store, {asOf: "2026-10-31"});
    expect(await column("country")).toEqual([
      ...["DE", "DE", "DE", "DE", "DE", "DE", "DE"],
      ...["US", "US", "US", "US"],
      ...["GB", "GB", "GB", "GB", "GB"],
      ...["NL", "NL", "NL"],
      ...["ES", "ES", "FR", "FR", "CI", "BA", "NL"]
    ]);
  });

  it("clears an unrecognised country and records it in standardise_issues", async () => {
    await acceptedCustomers([{country: "Atlantis"}, {country: "Germany"}, {country: null}]);
    const summary = await standardise(store, {asOf: "2026-10-31"});
    expect(await column("country")).toEqual([null, "DE", null]);
    expect(await store.all(sql`SELECT * FROM standardise_issues`)).toEqual([
      {
        table: "customers",
        _source: "crm",
        _row: 1,
        field: "country",
        value: "Atlantis",
        reason: "unrecognised country"
      }
    ]);
    expect(summary.cleared).toEqual([
      {table: "customers", field: "country", reason: "unrecognised country", values: 1}
    ]);
  });

  it("case-folds categories, collapsing inner whitespace, and marks only changed values as derived", async () => {
    await acceptedCustomers([
      {education: "Bachelor", occupation: "Skilled  Trade", marital_status: "married"},
      {education: "bachelor", occupation: "skilled trade", marital_status: "MARRIED"}
    ]);
    await standardise(store, {asOf: "2026-10-31"});
    expect(await column("education")).toEqual(["bachelor", "bachelor"]);
    expect(await column("occupation")).toEqual(["skilled trade", "skilled trade"]);
    expect(await column("marital_status")).toEqual(["married", "married"]);
    expect(
      await store.all(
        sql`SELECT customer_id, field, method, value, original FROM derived_values WHERE method = 'category_casefold' ORDER BY ALL`
      )
    ).toEqual([
      {
        customer_id: "C1",
        field: "education",
        method: "category_casefold",
        value: "bachelor",
        original: "Bachelor"
      },
      {
        customer_id: "C1",
        field: "occupation",
        method: "category_casefold",
        value: "skilled trade",
        original: "Skilled  Trade"
      },
      {
        customer_id: "C2",
        field: "marital_status",
        method: "category_casefold",
        value: "married",
        original: "MARRIED"
      }
    ]);
  });

  it("maps gender spellings to F, M and X and clears the rest", async () => {
    const written = ["f", "Female", "W", "woman", "M", "male", "Man", "x", "Diverse", "nonbinary"];
    await acceptedCustomers([...written, "unknown"].map((gender) => ({gender})));
    await standardise(store, {asOf: "2026-10-31"});
    expect(await column("gender")).toEqual([
      ...["F", "F", "F", "F", "M", "M", "M", "X", "X", "X"],
      null
    ]);
    const issues = await store.all(sql`SELECT field, value, reason FROM standardise_issues`);
    expect(issues).toEqual([{field: "gender", value: "unknown", reason: "unrecognised gender"}]);
  });

  it("derives a missing age in whole years as of the given date, and marks it derived", async () => {
    await acceptedCustomers([
      {birth_date: "1990-10-31"},
      {birth_date: "1990-11-01"},
      {birth_date: "1990-01-01", age: 50},
      {birth_date: null}
    ]);
    const summary = await standardise(store, {asOf: "2026-10-31"});
    expect(await column("age")).toEqual(["36", "35", "50", null]);
    expect(
      await store.all(
        sql`SELECT customer_id, value FROM derived_values WHERE method = 'age_from_birth_date' ORDER BY ALL`
      )
    ).toEqual([
      {customer_id: "C1", value: "36"},
      {customer_id: "C2", value: "35"}
    ]);
    expect(summary.derived).toContainEqual({
      table: "customers",
      field: "age",
      method: "age_from_birth_date",
      values: 2
    });
  });

  it("clears implausible birth dates and ages, recording why, and derives no age from them", async () => {
    await acceptedCustomers([
      {birth_date: "2030-01-01"},
      {birth_date: "1880-05-05"},
      {age: 250},
      {age: -3}
    ]);
    await standardise(store, {asOf: "2026-10-31"});
    expect(await column("birth_date")).toEqual([null, null, null, null]);
    expect(await column("age")).toEqual([null, null, null, null]);
    expect(
      await store.all(sql`SELECT _row, field, value, reason FROM standardise_issues ORDER BY _row`)
    ).toEqual([
      {
        _row: 1,
        field: "birth_date",
        value: "2030-01-01",
        reason: "birth date after the as-of date"
      },
      {
        _row: 2,
        field: "birth_date",
        value: "1880-05-05",
        reason: "birth date more than 110 years before the as-of date"
      },
      {_row: 3, field: "age", value: "250", reason: "age outside 0 to 110"},
      {_row: 4, field: "age", value: "-3", reason: "age outside 0 to 110"}
    ]);
  });

  it("clears numbers outside the configured plausible ranges, and ages by their own", async () => {
    await acceptedCustomers([{age: 113}, {age: 17}, {age: 40, household_size: 30}, {age: 30}]);
    await standardise(store, {
      asOf: "2026-10-31",
      ranges: [
        {table: "customers", field: "age", min: 18, max: 99},
        {table: "customers", field: "household_size", min: 1, max: 15}
      ]
    });
    expect(await column("age")).toEqual([null, null, "40", "30"]);
    expect(await column("household_size")).toEqual([null, null, null, null]);
    expect(
      await store.all(sql`SELECT _row, field, value, reason FROM standardise_issues ORDER BY _row`)
    ).toEqual([
      {_row: 1, field: "age", value: "113", reason: "age outside 18 to 99"},
      {_row: 2, field: "age", value: "17", reason: "age outside 18 to 99"},
      {_row: 3, field: "household_size", value: "30", reason: "household_size outside 1 to 15"}
    ]);
  });

  it("keeps birth dates unchecked and derives no age without an as-of date", async () => {
    await acceptedCustomers([{birth_date: "1990-10-31"}]);
    await standardise(store, {asOf: null});
    expect(await column("birth_date")).toEqual(["1990-10-31"]);
    expect(await column("age")).toEqual([null]);
  });

  it("keys e-mails in lower case without spaces and keeps the address as written", async () => {
    await acceptedCustomers([{email: "Jane.Doe@Example.COM"}, {email: "jane.doe @example.com"}]);
    await standardise(store, {asOf: "2026-10-31"});
    expect(await column("email_key")).toEqual(["jane.doe@example.com", "jane.doe@example.com"]);
    expect(await column("email")).toEqual(["Jane.Doe@Example.COM", "jane.doe @example.com"]);
  });

  it("keys phones as international digits, whichever way they were written", async () => {
    const phones: [country: string | null, phone: string, key: string][] = [
      ["DE", "+49 155 12345678", "4915512345678"],
      ["DE", "0155 12345678", "4915512345678"],
      ["DE", "0049 155 12345678", "4915512345678"],
      ["US", "(212) 565-4438", "12125654438"],
      ["US", "+1 212-565-4438", "12125654438"],
      ["US", "1-212-565-4438", "12125654438"],
      ["CA", "416.555.0199", "14165550199"],
      ["GB", "+44 (0)20 7946 0000", "442079460000"],
      ["GB", "020 7946 0000", "442079460000"],
      ["ES", "612 345 678", "34612345678"],
      ["IT", "06 1234 5678", "390612345678"],
      [null, "0123 456 789", "0123456789"]
    ];
    await acceptedCustomers(phones.map(([country, phone]) => ({country, phone})));
    await standardise(store, {asOf: "2026-10-31"});
    expect(await column("phone_key")).toEqual(phones.map(([, , key]) => key));
    expect(await column("phone")).toEqual(phones.map(([, phone]) => phone));
  });

  it("leaves standardised customers ready for a postal-code reference to fill missing regions, marked derived", async () => {
    await store.run(
      sql`CREATE TABLE postal_codes AS SELECT * FROM (VALUES ('DE', '10115', 'Berlin'), ('US', '02134', 'Massachusetts')) t(country, postal_code, region)`
    );
    await acceptedCustomers([
      {country: "Germany", postal_code: "10115"},
      {country: "US", postal_code: "2134"},
      {country: "DE", postal_code: "10115", region: "Brandenburg"},
      {country: "DE", postal_code: "99999"}
    ]);
    await standardise(store, {asOf: "2026-10-31"});
    const summary = await enrich(store, {
      target: "accepted_customers",
      table: "postal_codes",
      on: {country: "country", postal_code: "postal_code"},
      fields: {region: "region"}
    });
    expect(await column("region")).toEqual(["Berlin", "Massachusetts", "Brandenburg", null]);
    expect(
      await store.all(
        sql`SELECT customer_id, field, method, value FROM derived_values WHERE field = 'region' ORDER BY ALL`
      )
    ).toEqual([
      {customer_id: "C1", field: "region", method: "region_from_postal_code", value: "Berlin"},
      {
        customer_id: "C2",
        field: "region",
        method: "region_from_postal_code",
        value: "Massachusetts"
      }
    ]);
    expect(summary).toMatchObject({matched: 3, unmatched: 1, missingKey: 0});
  });

  it("case-folds the categories of the other tables in place, recording each changed value", async () => {
    await acceptedCustomers([{}]);
    await store.run(
      sql`CREATE TABLE accepted_orders AS SELECT * FROM (VALUES
         ('O1', 'C1', 'Web', 'Garden  Tools', 'shipped', 'crm', 1::BIGINT),
         ('O2', 'C1', 'web', 'garden tools', 'Shipped', 'crm', 2::BIGINT)
       ) t(order_id, customer_id, channel, category, status, _source, _row)`
    );
    const summary = await standardise(store, {asOf: "2026-10-31"});
    expect(
      await store.all(sql`SELECT channel, category, status FROM accepted_orders ORDER BY _row`)
    ).toEqual([
      {channel: "web", category: "garden tools", status: "shipped"},
      {channel: "web", category: "garden tools", status: "shipped"}
    ]);
    expect(summary.tables).toEqual(["accepted_customers", "accepted_orders"]);
    expect(summary.derived).toEqual([
      {table: "orders", field: "category", method: "category_casefold", values: 1},
      {table: "orders", field: "channel", method: "category_casefold", values: 1},
      {table: "orders", field: "status", method: "category_casefold", values: 1}
    ]);
  });

  it("changes nothing on a second run", async () => {
    await acceptedCustomers([
      {country: "Deutschland", gender: "female", education: "Master", birth_date: "1980-02-02"}
    ]);
    await standardise(store, {asOf: "2026-10-31"});
    const first = await store.all(sql`SELECT * FROM accepted_customers`);
    const again = await standardise(store, {asOf: "2026-10-31"});
    expect(await store.all(sql`SELECT * FROM accepted_customers`)).toEqual(first);
    expect(again.derived).toEqual([]);
  });
});

describe("reference/countries.ts", () => {
  it("reads a spelling the same way in TypeScript and in SQL", async () => {
    const spellings = countrySpellings().map((s) => s.spelling);
    await ensureCountryKeys(store);
    await store.run(
      sql`CREATE TABLE spellings AS SELECT unnest(${val(listValue(spellings))}) AS spelling`
    );
    const rows = await store.all<{spelling: string; key: string}>(
      sql`SELECT spelling, ${countryKeySql(sql`spelling`)} AS key FROM spellings`
    );
    for (const row of rows) expect(row.key, row.spelling).toBe(countryKey(row.spelling));
  });
});

describe("foldSql, emailKeySql and phoneKeySql over a few rows", () => {
  it("fold a category, key an e-mail and key a phone, from columns or bound values", async () => {
    await store.run(
      sql`CREATE TABLE t AS SELECT * FROM (VALUES
        (1, ' Web  Shop ', ' Ann@Example.COM ', '+49 (0)30 1234567', '49', '0'),
        (2, '', 'a b@x.example', '030 1234567', '49', '0'),
        (3, NULL, NULL, '(555) 123-4567', '1', ''),
        (4, 'x', 'c@x.example', '1234', NULL, NULL)) t(i, category, email, phone, calling_code, trunk)`
    );
    const phone = sql`phone`;
    const rows = await store.all(
      sql`SELECT ${foldSql(sql`category`)} AS category, ${emailKeySql(sql`email`)} AS email,
                 ${phoneKeySql(phone, phoneDigitsSql(phone), sql`calling_code`, sql`trunk`)} AS phone
          FROM t ORDER BY i`
    );
    expect(rows).toEqual([
      {category: "web shop", email: "ann@example.com", phone: "49301234567"},
      {category: null, email: "ab@x.example", phone: "49301234567"},
      {category: null, email: null, phone: "15551234567"},
      {category: "x", email: "c@x.example", phone: "1234"}
    ]);
    const bound = (value: string) => sql`${val(value)}`;
    expect(
      await store.one(
        sql`SELECT ${foldSql(bound(" Direct\tMail "))} AS category, ${emailKeySql(bound("B @Y.example"))} AS email`
      )
    ).toEqual({category: "direct mail", email: "b@y.example"});
  });
});
