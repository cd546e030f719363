import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {
  acceptedColumnsSql,
  CUSTOMERS,
  customersWith,
  type CanonicalTable
} from "../../loaders/config/canonical.ts";
import {
  crowdedIds,
  followIdentities,
  resolveIdentities,
  type IdentityOptions,
  type IdentityRule
} from "../../loaders/clean/identity.ts";
import {standardise} from "../../loaders/clean/standardise.ts";
import {Store} from "../../loaders/core/store.ts";
import {ident, join, sql, val, valueList} from "../../loaders/core/sql.ts";

type Values = Record<string, string | number | null>;

const EMAIL: IdentityRule = {rule: "email"};
const PHONE: IdentityRule = {rule: "phone"};

let store: Store;

beforeEach(async () => {
  store = await Store.open(":memory:");
});

afterEach(() => store.close());

/** accepted_customers as validation leaves it, standardised: rows are numbered in order. */
async function customers(rows: Values[], table: CanonicalTable = CUSTOMERS): Promise<void> {
  await store.run(sql`CREATE OR REPLACE TABLE accepted_customers (${acceptedColumnsSql(table)})`);
  // One statement for all rows: a field a row leaves out is NULL.
  const filled = rows.map((row, i): Values => ({
    _source: "crm",
    _row: i + 1,
    country: "DE",
    ...row
  }));
  const names = [...new Set(filled.flatMap((values) => Object.keys(values)))];
  const tuples = filled.map((values) => sql`(${valueList(names.map((n) => values[n] ?? null))})`);
  await store.run(
    sql`INSERT INTO accepted_customers (${join(names.map(ident))}) VALUES ${join(tuples)}`
  );
  await standardise(store, {asOf: "2026-10-31"});
}

async function resolve(options: IdentityOptions) {
  return resolveIdentities(store, options);
}

/** customer_id → person_id. */
async function persons(): Promise<Record<string, string>> {
  const rows = await store.all<{customer_id: string; person_id: string}>(
    sql`SELECT customer_id, person_id FROM identity_map ORDER BY customer_id`
  );
  return Object.fromEntries(rows.map((r) => [r.customer_id, r.person_id]));
}

async function person(id: string): Promise<Record<string, unknown>> {
  const row = await store.one(
    sql`SELECT * REPLACE (CAST(signup_date AS VARCHAR) AS signup_date) FROM customers WHERE customer_id = ${val(id)}`
  );
  if (row === undefined) throw new Error(`no person ${id}`);
  return row;
}

describe("resolveIdentities(store, {rules, survivorship})", () => {
  it("merges ids whose e-mails differ only in case and spaces", async () => {
    await customers([
      {customer_id: "A", email: "ann.lee@mail.example", signup_date: "2020-01-01"},
      {customer_id: "B", email: " Ann.Lee@Mail.Example", signup_date: "2021-01-01"},
      {customer_id: "C", email: "ann.leigh@mail.example", signup_date: "2021-01-01"}
    ]);
    const summary = await resolve({rules: [EMAIL]});
    expect(await persons()).toEqual({A: "A", B: "A", C: "C"});
    expect(summary).toMatchObject({ids: 3, persons: 2, mergedPersons: 1, merges: {email: 1}});
  });

  it("merges ids whose phones are the same number written differently", async () => {
    await customers([
      {customer_id: "A", phone: "+49 155 12345678", signup_date: "2020-01-01"},
      {customer_id: "B", phone: "0155 12345678", signup_date: "2021-01-01"},
      {customer_id: "C", phone: "+1 (212) 565-4438", country: "US", signup_date: "2021-01-01"},
      {customer_id: "D", phone: "212.565.4438", country: "US", signup_date: "2022-01-01"}
    ]);
    await resolve({rules: [PHONE]});
    expect(await persons()).toEqual({A: "A", B: "A", C: "C", D: "C"});
  });

  it("does not link on phone keys shorter than seven digits", async () => {
    await customers([
      {customer_id: "A", phone: "+12 345"},
      {customer_id: "B", phone: "+12 345"}
    ]);
    const summary = await resolve({rules: [PHONE]});
    expect(await persons()).toEqual({A: "A", B: "B"});
    expect(summary.merges).toEqual({phone: 0});
  });

  it("merges ids sharing a value of the field a key rule names", async () => {
    await customers([
      {customer_id: "A", signup_date: "2020-01-01"},
      {customer_id: "B", signup_date: "2021-01-01"},
      {customer_id: "C", signup_date: "2021-01-01"},
      {customer_id: "D", signup_date: "2021-01-01"}
    ]);
    await store.run(sql`ALTER TABLE accepted_customers ADD COLUMN loyalty_id VARCHAR`);
    await store.run(
      sql`UPDATE accepted_customers SET loyalty_id = CASE customer_id WHEN 'A' THEN 'L-42' WHEN 'B' THEN 'L-42' END`
    );
    const summary = await resolve({rules: [{rule: "key", field: "loyalty_id"}]});
    expect(await persons()).toEqual({A: "A", B: "A", C: "C", D: "D"});
    expect(summary.merges).toEqual({"key:loyalty_id": 1});
  });

  it("does not merge two buyers of one company unless a rule names the company", async () => {
    await customers([
      {customer_id: "A", email: "buyer1@acme.example", company: "Acme GmbH"},
      {customer_id: "B", email: "buyer2@acme.example", company: "Acme GmbH"}
    ]);
    await resolve({rules: [EMAIL, PHONE]});
    expect(await persons()).toEqual({A: "A", B: "B"});
  });

  it("treats rows of two sources with the same customer_id as one customer", async () => {
    await customers([
      {customer_id: "A", _source: "crm", email: "a@x.example", city: "Berlin"},
      {customer_id: "A", _source: "shop", email: null, city: "Hamburg", _row: 1}
    ]);
    const summary = await resolve({rules: [EMAIL]});
    expect(summary).toMatchObject({rows: 2, ids: 1, persons: 1, mergedPersons: 0});
    expect(await person("A")).toMatchObject({email: "a@x.example", merged_ids: 1});
  });

  it("merges only rows of equal customer ids when no rule is configured", async () => {
    await customers([
      {customer_id: "A", email: "a@x.example"},
      {customer_id: "B", email: "a@x.example"},
      {customer_id: "B", _source: "shop", email: "b@x.example"}
    ]);
    const summary = await resolve({rules: []});
    expect(await persons()).toEqual({A: "A", B: "B"});
    expect(summary).toMatchObject({rows: 3, ids: 2, persons: 2, merges: {}});
  });

  it("merges transitively: A~B by e-mail and B~C by phone make one person", async () => {
    await customers([
      {customer_id: "A", email: "a@x.example", phone: "+49 30 1111111", signup_date: "2020-01-01"},
      {customer_id: "B", email: "A@X.example", phone: "+49 30 2222222", signup_date: "2021-01-01"},
      {customer_id: "C", email: "c@x.example", phone: "030 2222222", signup_date: "2022-01-01"}
    ]);
    const summary = await resolve({rules: [EMAIL, PHONE]});
    expect(await persons()).toEqual({A: "A", B: "A", C: "A"});
    expect(summary.merges).toEqual({email: 1, phone: 1});
    expect(await person("A")).toMatchObject({merged_ids: 3});
  });

  it("settles a long chain of links in a few rounds", async () => {
    const chain: Values[] = Array.from({length: 300}, (_, i) => ({
      customer_id: `C${String(i).padStart(3, "0")}`,
      email: `e${Math.floor(i / 2)}@x.example`,
      phone: `+49 30 ${1_000_000 + Math.floor((i + 1) / 2)}`,
      signup_date: "2020-01-01"
    }));
    await customers(chain);
    const summary = await resolve({rules: [EMAIL, PHONE]});
    expect(summary.persons).toBe(1);
    expect(summary.rounds).toBeLessThan(20);
  });

  it("names the person after its earliest signup's id, ties going to the smallest id", async () => {
    await customers([
      {customer_id: "C9", email: "p@x.example", signup_date: "2019-05-01"},
      {customer_id: "C1", email: "p@x.example", signup_date: "2023-01-01"},
      {customer_id: "C5", email: "q@x.example", signup_date: "2020-01-01"},
      {customer_id: "C4", email: "q@x.example", signup_date: "2020-01-01"},
      {customer_id: "C2", email: "r@x.example", signup_date: null},
      {customer_id: "C3", email: "r@x.example", signup_date: "2024-01-01"}
    ]);
    await resolve({rules: [EMAIL]});
    expect(await persons()).toEqual({
      C1: "C9",
      C9: "C9",
      C4: "C4",
      C5: "C4",
      C2: "C3",
      C3: "C3"
    });
  });

  it("lists every input id exactly once in identity_map, with the first rule that linked it", async () => {
    await customers([
      {customer_id: "A", email: "a@x.example", phone: "+49 30 1111111", signup_date: "2020-01-01"},
      {customer_id: "B", email: "a@x.example", phone: "+49 30 1111111", signup_date: "2021-01-01"},
      {customer_id: "C", phone: "+49 30 1111111", signup_date: "2022-01-01"},
      {customer_id: "C", _source: "shop", phone: "+49 30 1111111", signup_date: "2022-01-01"},
      {customer_id: "D", signup_date: "2022-01-01"}
    ]);
    await resolve({rules: [EMAIL, PHONE]});
    expect(await store.all(sql`SELECT * FROM identity_map ORDER BY customer_id`)).toEqual([
      {customer_id: "A", person_id: "A", rule: "self"},
      {customer_id: "B", person_id: "A", rule: "email"},
      {customer_id: "C", person_id: "A", rule: "phone"},
      {customer_id: "D", person_id: "D", rule: "self"}
    ]);
  });

  it("keeps the most recent non-empty value of a conflicting field by default", async () => {
    await customers([
      {customer_id: "A", email: "a@x.example", city: "Berlin", signup_date: "2020-01-01"},
      {customer_id: "B", email: "a@x.example", city: "Hamburg", signup_date: "2022-01-01"},
      {customer_id: "C", email: "a@x.example", city: null, signup_date: "2023-01-01"},
      {customer_id: "D", email: "d@x.example", city: "Köln", signup_date: "2020-01-01", _row: 9},
      {customer_id: "E", email: "d@x.example", city: "Bonn", signup_date: "2020-01-01", _row: 8}
    ]);
    await resolve({rules: [EMAIL]});
    expect(await person("A")).toMatchObject({city: "Hamburg", merged_ids: 3});
    expect(await person("D")).toMatchObject({city: "Köln", merged_ids: 2});
  });

  it("chooses a field's value by the strategy configured for it", async () => {
    await customers([
      {customer_id: "A", email: "a@x.example", city: "Berlin", income: 50, household_size: 2},
      {customer_id: "B", email: "a@x.example", city: "Hamburg", income: 70, household_size: 3},
      {customer_id: "C", email: "a@x.example", city: "Hamburg", income: 60, household_size: 4},
      {customer_id: "D", email: "a@x.example", city: "Berlin", income: null, household_size: 1}
    ]);
    await resolve({
      rules: [EMAIL],
      survivorship: {city: "most_frequent", income: "max", household_size: "min", phone: "oldest"}
    });
    // Berlin and Hamburg are equally frequent: the more recent (D, row 4) wins.
    expect(await person("A")).toMatchObject({city: "Berlin", income: 70, household_size: 1});
    await resolve({rules: [EMAIL], survivorship: {city: "oldest", income: "min"}});
    expect(await person("A")).toMatchObject({city: "Berlin", income: 50});
  });

  it("keeps the first signup date and first acquisition channel unless told otherwise", async () => {
    await customers([
      {
        customer_id: "A",
        email: "a@x.example",
        signup_date: "2020-01-01",
        acquisition_channel: "search"
      },
      {
        customer_id: "B",
        email: "a@x.example",
        signup_date: "2022-01-01",
        acquisition_channel: "direct"
      }
    ]);
    await resolve({rules: [EMAIL]});
    expect(await person("A")).toMatchObject({
      signup_date: "2020-01-01",
      acquisition_channel: "search"
    });
    await resolve({rules: [EMAIL], survivorship: {signup_date: "most_recent"}});
    expect(await person("A")).toMatchObject({signup_date: "2022-01-01"});
  });

  it("writes one customers row per person with every field, its keys and merged_ids", async () => {
    await customers([
      {customer_id: "A", email: "a@x.example"},
      {customer_id: "B", email: "a@x.example"},
      {customer_id: "C"}
    ]);
    await resolve({rules: [EMAIL]});
    const columns = (
      await store.all<{name: string}>(sql`SELECT name FROM pragma_table_info('customers')`)
    ).map((c) => c.name);
    expect(columns).toEqual([
      ...Object.keys(CUSTOMERS.fields),
      "email_key",
      "phone_key",
      "merged_ids"
    ]);
    expect(
      await store.all(sql`SELECT customer_id, merged_ids FROM customers ORDER BY customer_id`)
    ).toEqual([
      {customer_id: "A", merged_ids: 2},
      {customer_id: "C", merged_ids: 1}
    ]);
  });

  it("rejects an unknown survivorship field or strategy, and a key rule on a missing field", async () => {
    await customers([{customer_id: "A"}]);
    await expect(resolve({rules: [], survivorship: {shoe_size: "max"}})).rejects.toThrow(
      /unknown customers field shoe_size/
    );
    await expect(resolve({rules: [], survivorship: {city: "latest"}})).rejects.toThrow(
      /invalid strategy latest for city/
    );
    await expect(resolve({rules: [{rule: "key", field: "loyalty_id"}]})).rejects.toThrow(
      /no column loyalty_id/
    );
  });
});

describe("followIdentities(store, fromTable, toTable)", () => {
  it("moves a merged duplicate's orders to the surviving person", async () => {
    await customers([
      {customer_id: "A", email: "a@x.example", signup_date: "2020-01-01"},
      {customer_id: "B", email: "a@x.example", signup_date: "2021-01-01"}
    ]);
    await resolve({rules: [EMAIL]});
    await store.run(
      sql`CREATE TABLE accepted_orders AS SELECT * FROM (VALUES ('O1', 'A', 10.0), ('O2', 'B', 20.0), ('O3', 'B', 5.0)) t(order_id, customer_id, amount)`
    );
    const moved = await followIdentities(store, "accepted_orders", "orders");
    expect(moved).toEqual({rows: 3, moved: 2});
    expect(
      await store.all(
        sql`SELECT customer_id, sum(amount) AS amount FROM orders GROUP BY 1 ORDER BY 1`
      )
    ).toEqual([{customer_id: "A", amount: 35}]);
  });

  it("leaves rows of ids missing from identity_map as they are", async () => {
    await customers([{customer_id: "A"}]);
    await resolve({rules: [EMAIL]});
    await store.run(
      sql`CREATE TABLE accepted_orders AS SELECT * FROM (VALUES ('O1', 'A'), ('O2', 'Z')) t(order_id, customer_id)`
    );
    await followIdentities(store, "accepted_orders", "orders");
    expect(await store.all(sql`SELECT * FROM orders ORDER BY order_id`)).toEqual([
      {order_id: "O1", customer_id: "A"},
      {order_id: "O2", customer_id: "Z"}
    ]);
  });
});

describe("resolveIdentities(store, {rules, id}): person keys from any column", () => {
  const LOYALTY: IdentityRule = {rule: "key", field: "loyalty_id"};
  const withLoyalty = customersWith({loyalty_id: "id"});

  it("merges on a source column and names each person after its key", async () => {
    // One row per order, the person only in the loyalty id: the card must find them by it.
    await customers(
      [
        {customer_id: "O-1", loyalty_id: "L7", signup_date: "2020-01-01"},
        {customer_id: "O-2", loyalty_id: "L7", signup_date: "2021-01-01"},
        {customer_id: "O-3", loyalty_id: "L9"},
        {customer_id: "O-4"}
      ],
      withLoyalty
    );
    const summary = await resolve({rules: [LOYALTY], id: "loyalty_id"});
    expect(await persons()).toEqual({"O-1": "L7", "O-2": "L7", "O-3": "L9", "O-4": "O-4"});
    // Both order ids now point at the key: each was linked by it.
    expect(summary).toMatchObject({ids: 4, persons: 3, merges: {"key:loyalty_id": 2}});
    expect(
      await store.all(sql`SELECT customer_id, merged_ids FROM customers ORDER BY customer_id`)
    ).toEqual([
      {customer_id: "L7", merged_ids: 2},
      {customer_id: "L9", merged_ids: 1},
      {customer_id: "O-4", merged_ids: 1}
    ]);
    expect(await store.all(sql`SELECT * FROM identity_aliases ORDER BY alias`)).toEqual([
      {alias: "O-1", person_id: "L7", via: "customer_id"},
      {alias: "O-2", person_id: "L7", via: "customer_id"},
      {alias: "O-3", person_id: "L9", via: "customer_id"}
    ]);
  });

  it("lists key values as aliases when the person keeps its customer id", async () => {
    await customers(
      [
        {customer_id: "C1", loyalty_id: "L7", signup_date: "2020-01-01"},
        {customer_id: "C2", loyalty_id: "L7", signup_date: "2021-01-01"}
      ],
      withLoyalty
    );
    await resolve({rules: [LOYALTY]});
    expect(await store.all(sql`SELECT * FROM identity_aliases ORDER BY alias, via`)).toEqual([
      {alias: "C2", person_id: "C1", via: "customer_id"},
      {alias: "L7", person_id: "C1", via: "key:loyalty_id"}
    ]);
  });

  it("keeps a person's own id where its key is another person's id", async () => {
    await customers(
      [
        {customer_id: "12347", signup_date: "2020-01-01"},
        {customer_id: "O-9", loyalty_id: "12347"}
      ],
      withLoyalty
    );
    await resolve({rules: [LOYALTY], id: "loyalty_id"});
    expect(await persons()).toEqual({"12347": "12347", "O-9": "O-9"});
  });
});

describe("crowdedIds(store, tables)", () => {
  it("warns of an id holding an implausible share of a table's rows, and of nothing else", async () => {
    // 3,538 orders of "0" among 500 customers of 2 orders each; tickets spread evenly.
    await store.run(
      sql`CREATE TABLE orders AS
       SELECT '0' AS customer_id FROM range(3538)
       UNION ALL SELECT 'C' || (i % 500) FROM range(1000) t(i)`
    );
    await store.run(
      sql`CREATE TABLE tickets AS SELECT 'C' || (i % 50) AS customer_id FROM range(5000) t(i)`
    );
    expect(await crowdedIds(store, ["orders", "tickets", "web_sessions"])).toEqual([
      'orders: customer "0" holds 3,538 of 4,538 rows (78%), 1,769 times the median customer\'s: a placeholder for a missing id? If so, add it to validation.missingValues.'
    ]);
  });
});
