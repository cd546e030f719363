import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {enrich, postalKeySql, textKeySql} from "../../loaders/enrich/references.ts";
import {Store} from "../../loaders/core/store.ts";
import {sql, val} from "../../loaders/core/sql.ts";

let store: Store;

beforeEach(async () => {
  store = await Store.open(":memory:");
  // The reference as a caller loads it: plain VARCHAR columns, written its own way.
  await store.run(
    sql`CREATE TABLE postal_codes AS SELECT * FROM (VALUES
       ('DE', '10115', 'Berlin', 'urban', '61000'),
       ('DE', '01067', 'Sachsen', 'urban', '48000'),
       ('GB', 'SW1A 1AA', 'Greater London', 'urban', '75000'),
       ('US', '02134', 'Massachusetts', 'suburban', '82000'),
       ('Australia', '2000', 'New South Wales', 'urban', '90000')
     ) t(country, postal_code, region, urbanicity, area_income)`
  );
});

afterEach(() => store.close());

/** customers after identity resolution: one row per person. */
async function customers(rows: [id: string, country: string | null, postal: string | null][]) {
  await store.run(
    sql`CREATE OR REPLACE TABLE customers (customer_id VARCHAR, country VARCHAR, postal_code VARCHAR, region VARCHAR)`
  );
  for (const [id, country, postal] of rows) {
    await store.run(
      sql`INSERT INTO customers VALUES (${val(id)}, ${val(country)}, ${val(postal)}, NULL)`
    );
  }
}

const POSTAL = {
  table: "postal_codes",
  on: {country: "country", postal_code: "postal_code"},
  fields: {urbanicity: "urbanicity", area_income: "area_income"}
};

describe("enrich(store, {table, on, fields})", () => {
  it("adds the reference fields as typed columns and reports matched and unmatched rows", async () => {
    await customers([
      ["C1", "DE", "10115"],
      ["C2", "DE", "99999"],
      ["C3", "GB", "SW1A 1AA"]
    ]);
    const summary = await enrich(store, POSTAL);
    expect(
      await store.all(sql`SELECT customer_id, urbanicity, area_income FROM customers ORDER BY 1`)
    ).toEqual([
      {customer_id: "C1", urbanicity: "urban", area_income: 61000},
      {customer_id: "C2", urbanicity: null, area_income: null},
      {customer_id: "C3", urbanicity: "urban", area_income: 75000}
    ]);
    const types = await store.all(
      sql`SELECT column_name AS name, data_type AS type FROM duckdb_columns() WHERE table_name = 'customers' AND column_name IN ('urbanicity', 'area_income') ORDER BY 1`
    );
    expect(types).toEqual([
      {name: "area_income", type: "BIGINT"},
      {name: "urbanicity", type: "VARCHAR"}
    ]);
    expect(summary).toEqual({
      target: "customers",
      reference: "postal_codes",
      rows: 3,
      matched: 2,
      unmatched: 1,
      missingKey: 0,
      repeatedKeys: 0,
      ambiguousKeys: 0,
      added: ["urbanicity", "area_income"],
      filled: {}
    });
  });

  it("normalises keys the same way on both sides: case, spaces and country spellings", async () => {
    await customers([
      ["C1", "Deutschland", "10115"],
      ["C2", "United Kingdom", "sw1a1aa"],
      ["C3", "gbr", " SW1A  1AA "],
      ["C4", "AU", "2000"]
    ]);
    const summary = await enrich(store, POSTAL);
    expect(await store.all(sql`SELECT customer_id, urbanicity FROM customers ORDER BY 1`)).toEqual([
      {customer_id: "C1", urbanicity: "urban"},
      {customer_id: "C2", urbanicity: "urban"},
      {customer_id: "C3", urbanicity: "urban"},
      {customer_id: "C4", urbanicity: "urban"}
    ]);
    expect(summary.matched).toBe(4);
  });

  it("repairs postal codes that spreadsheets and forms mangled", async () => {
    await customers([
      ["C1", "DE", "1067"],
      ["C2", "DE", "D-10115"],
      ["C3", "US", "02134-1234"],
      ["C4", "US", "2134"],
      ["C5", "AU", "2000.0"]
    ]);
    const summary = await enrich(store, POSTAL);
    expect(summary).toMatchObject({matched: 5, unmatched: 0});
  });

  it("counts rows missing a key apart from rows whose keys found nothing", async () => {
    await customers([
      ["C1", null, "10115"],
      ["C2", "DE", null],
      ["C3", "Atlantis", "10115"],
      ["C4", "FR", "75001"]
    ]);
    const summary = await enrich(store, POSTAL);
    expect(summary).toMatchObject({rows: 4, matched: 0, unmatched: 2, missingKey: 2});
  });

  it("fills a missing value of an existing column, marks it derived and never overwrites one", async () => {
    await customers([
      ["C1", "DE", "10115"],
      ["C2", "DE", "01067"]
    ]);
    await store.run(sql`UPDATE customers SET region = 'Saxony' WHERE customer_id = 'C2'`);
    const summary = await enrich(store, {...POSTAL, fields: {region: "region"}});
    expect(await store.all(sql`SELECT customer_id, region FROM customers ORDER BY 1`)).toEqual([
      {customer_id: "C1", region: "Berlin"},
      {customer_id: "C2", region: "Saxony"}
    ]);
    expect(summary.filled).toEqual({region: 1});
    expect(summary.added).toEqual([]);
    expect(await store.all(sql`SELECT * FROM derived_values`)).toEqual([
      {
        table: "customers",
        customer_id: "C1",
        _source: null,
        _row: null,
        field: "region",
        method: "region_from_postal_code",
        value: "Berlin",
        original: null
      }
    ]);
  });

  it("leaves a field empty where reference rows of one key disagree on it", async () => {
    await store.run(
      sql`INSERT INTO postal_codes VALUES ('DE', '10 115', 'Brandenburg', 'urban', '61000')`
    );
    await customers([["C1", "DE", "10115"]]);
    const summary = await enrich(store, {
      ...POSTAL,
      fields: {region: "region", urbanicity: "urbanicity"}
    });
    expect(await store.all(sql`SELECT region, urbanicity FROM customers`)).toEqual([
      {region: null, urbanicity: "urban"}
    ]);
    expect(summary).toMatchObject({repeatedKeys: 1, ambiguousKeys: 1});
  });

  it("combines the rows of a repeated key as the config says: mean, mode or first, per field", async () => {
    // Coordinates by postal prefix: several rows per key, in file order (_row).
    await store.run(
      sql`CREATE OR REPLACE TABLE prefixes AS SELECT * FROM (VALUES
         ('DE', '10', '52.5', 'urban', 'Mitte', 1), ('DE', '10', '52.7', 'rural', 'Pankow', 2),
         ('DE', '10', '52.6', 'rural', 'Weißensee', 3), ('DE', '20', '53.5', 'urban', 'Altona', 4)
       ) t(country, prefix, latitude, urbanicity, district, _row)`
    );
    await store.run(
      sql`CREATE OR REPLACE TABLE customers AS SELECT * FROM (VALUES
         ('C1', 'DE', '10'), ('C2', 'DE', '20')) t(customer_id, country, prefix)`
    );
    const summary = await enrich(store, {
      table: "prefixes",
      on: {country: "country", prefix: "prefix"},
      fields: {latitude: "latitude", urbanicity: "urbanicity", district: "district"},
      combine: {latitude: "mean", urbanicity: "mode", district: "first"}
    });
    expect(
      await store.all(
        sql`SELECT customer_id, round(latitude, 2) AS latitude, urbanicity, district FROM customers ORDER BY 1`
      )
    ).toEqual([
      {customer_id: "C1", latitude: 52.6, urbanicity: "rural", district: "Mitte"},
      {customer_id: "C2", latitude: 53.5, urbanicity: "urban", district: "Altona"}
    ]);
    expect(summary).toMatchObject({matched: 2, repeatedKeys: 1, ambiguousKeys: 0});
  });

  it("names the missing column when a key or field does not exist", async () => {
    await customers([["C1", "DE", "10115"]]);
    await expect(enrich(store, {...POSTAL, on: {zip: "postal_code"}})).rejects.toThrow(
      /customers has no column zip \(named as join key\)/
    );
    await expect(enrich(store, {...POSTAL, fields: {density: "density"}})).rejects.toThrow(
      /postal_codes has no column density/
    );
  });
});

describe("textKeySql(expr) and postalKeySql(expr)", () => {
  it("write a key trimmed, upper case, without inner spaces or a postal code's mangling", async () => {
    const text = (value: string) => sql`${val(value)}`;
    const keys = await store.one(
      sql`SELECT ${textKeySql(text(" ab  c "))} AS text, ${textKeySql(text("  "))} AS blank,
              ${postalKeySql(text("f-75001"))} AS prefixed, ${postalKeySql(text("10188-1234"))} AS zip4,
              ${postalKeySql(text("2000.0"))} AS spreadsheet, ${postalKeySql(text("sw1a 1aa"))} AS spaced`
    );
    expect(keys).toEqual({
      text: "ABC",
      blank: null,
      prefixed: "75001",
      zip4: "10188",
      spreadsheet: "2000",
      spaced: "SW1A1AA"
    });
  });
});
