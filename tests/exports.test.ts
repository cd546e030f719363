/**
 * The exports (loaders/exports.ts) from a store of hand-made tables: four customers in two
 * profiles, with the columns writeExports reads and nothing more.
 */
import {existsSync, mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {roundNumber, writeExports} from "../loaders/exports.ts";
import {Store} from "../loaders/store.ts";

const dir = mkdtempSync(join(tmpdir(), "portrait-exports-"));
// The config's segmentations in order: the first one built (country) is the one exported.
const SEGMENTS = {segments: ["age_by_channel", "country", "age"]};

/** The tables writeExports reads; the statements skipped when a test leaves a table out. */
const TABLES: Record<string, string[]> = {
  customer_profiles: [
    "CREATE TABLE customer_profiles (customer_id VARCHAR, profile_id VARCHAR, distance DOUBLE)",
    "INSERT INTO customer_profiles VALUES ('c3', 'p2', 0.1), ('c1', 'p1', 0.2), ('c4', 'p2', 0.3), ('c2', 'p1', 0.4)"
  ],
  profiles: [
    `CREATE TABLE profiles (profile_id VARCHAR, name VARCHAR, generated_name VARCHAR,
       summary VARCHAR, customers INTEGER, share DOUBLE, revenue_share DOUBLE, value_12m DOUBLE,
       p_alive DOUBLE, at_risk_share DOUBLE, silhouette DOUBLE, stability DOUBLE, notes VARCHAR)`,
    `INSERT INTO profiles VALUES
       ('p2', 'Frequent, recently active', 'Frequent, recently active', '50 % of customers.',
        2, 0.5, 0.7, 100, 0.9, 0, 0.25, 0.8, '[]'),
       ('p1', 'App-first regulars', 'Occasional', '50 % of customers; orders 1.5 (all 3.0).',
        2, 0.5, 0.3, 1 / 3, 0.51, 0.5, 0.123456789, 0.95, '["Pilot the in-app chat."]')`
  ],
  profile_traits: [
    `CREATE TABLE profile_traits (profile_id VARCHAR, feature VARCHAR, level VARCHAR,
       dimension VARCHAR, label VARCHAR, unit VARCHAR, profile_value DOUBLE, base_value DOUBLE,
       lift DOUBLE, effect DOUBLE, effect_low DOUBLE, effect_high DOUBLE, coverage DOUBLE,
       distinguishing BOOLEAN, rank INTEGER)`,
    `INSERT INTO profile_traits VALUES
       ('p1', 'orders', NULL, 'behavioral', 'Orders', 'orders', 1.5, 3, 0.5, -0.9, -1.3, -0.5, 1, true, 2),
       ('p1', 'country', 'DE', 'geographic', 'Country: DE', 'share', 1, 0.5, 2, 1.1, 0.6, 1.6, 1, true, 1),
       ('p1', 'age', NULL, 'demographic', 'Age', 'years', 40, 41, 0.975, 0.1, -0.4, 0.6, 1, false, NULL),
       ('p2', 'orders', NULL, 'behavioral', 'Orders', 'orders', 4.5, 3, 1.5, 0.9, 0.5, 1.3, 1, true, 1)`
  ],
  profile_sentences: [
    "CREATE TABLE profile_sentences (profile_id VARCHAR, section VARCHAR, position INTEGER, text VARCHAR)",
    `INSERT INTO profile_sentences VALUES
       ('p1', 'who', 1, 'Country: DE for 100 %, against 50 % of all customers.'),
       ('p1', 'value', 0, '2 customers, 50 % of the base.'),
       ('p1', 'who', 0, 'Age: 40 years, against 41 years across all customers.'),
       ('p2', 'behaviour', 0, 'Orders: 4.5, against 3.0 across all customers.')`
  ],
  customer_segments: [
    "CREATE TABLE customer_segments (customer_id VARCHAR, segment VARCHAR, value VARCHAR, position INTEGER)",
    `INSERT INTO customer_segments VALUES ('c1', 'age', 'under 25', 0), ('c1', 'country', 'DE', 0),
       ('c2', 'country', 'FR', 0), ('c3', 'country', 'DE', 0), ('c3', 'age', '25–34', 1)`
  ],
  customer_value: [
    "CREATE TABLE customer_value (customer_id VARCHAR, p_alive DOUBLE, expected_value_12m DOUBLE, at_risk BOOLEAN)",
    "INSERT INTO customer_value VALUES ('c1', 0.123456, 12.3456, true), ('c2', 0.9, 250, false), ('c3', NULL, NULL, NULL)"
  ],
  features: [
    "CREATE TABLE features (customer_id VARCHAR, orders DOUBLE, preferred_channel VARCHAR)",
    "INSERT INTO features VALUES ('c1', 1, 'email'), ('c2', 2, 'app'), ('c3', 4, NULL), ('c4', 5, 'sms')"
  ],
  overview_as_of: ["CREATE TABLE overview_as_of AS SELECT DATE '2024-12-31' AS as_of"],
  clustering_runs: [
    "CREATE TABLE clustering_runs (k INTEGER, silhouette DOUBLE, chosen BOOLEAN)",
    "INSERT INTO clustering_runs VALUES (2, 0.4123456789, true), (3, 0.3, false)"
  ]
};

/** A store with every table but those left out. */
async function fixture(leaveOut: string[] = []): Promise<Store> {
  const store = await Store.open(":memory:");
  for (const [table, statements] of Object.entries(TABLES)) {
    if (leaveOut.includes(table)) continue;
    for (const sql of statements) await store.run(sql);
  }
  return store;
}

/** Writes the exports of a store under dir/name and returns the two files' text. */
async function exportsOf(store: Store, name: string) {
  const paths = await writeExports(store, join(dir, name), SEGMENTS);
  expect(paths).toEqual([
    join(dir, name, "exports", "customers.csv"),
    join(dir, name, "exports", "profiles.json")
  ]);
  return {csv: readFileSync(paths[0], "utf8"), json: readFileSync(paths[1], "utf8")};
}

let store: Store;
let written: {csv: string; json: string};

beforeAll(async () => {
  store = await fixture();
  written = await exportsOf(store, "a");
});

afterAll(() => {
  store.close();
  rmSync(dir, {recursive: true, force: true});
});

describe("roundNumber(x)", () => {
  it("rounds to six significant digits", () => {
    expect(roundNumber(1 / 3)).toBe(0.333333);
    expect(roundNumber(0.1 + 0.2)).toBe(0.3);
    expect(roundNumber(123456789)).toBe(123457000);
    expect(roundNumber(-0.000123456789)).toBe(-0.000123457);
    expect(roundNumber(42)).toBe(42);
  });

  it("gives null for null and for values that are not finite", () => {
    expect(roundNumber(null)).toBeNull();
    expect(roundNumber(NaN)).toBeNull();
    expect(roundNumber(Infinity)).toBeNull();
  });
});

describe("writeExports(store, dir, {segments})", () => {
  it("writes one CSV row per customer, sorted by id, rounded, with the first built segmentation", () => {
    expect(written.csv.split("\n")).toEqual([
      "customer_id,profile_id,profile_name,segment,p_alive,expected_value_12m,at_risk,preferred_channel",
      "c1,p1,App-first regulars,DE,0.1235,12.35,true,email",
      "c2,p1,App-first regulars,FR,0.9,250.0,false,app",
      'c3,p2,"Frequent, recently active",DE,,,false,',
      'c4,p2,"Frequent, recently active",,,,false,sms',
      ""
    ]);
  });

  it("writes every profile to JSON: facts, quality, distinguishing traits by rank, narrative, notes", () => {
    expect(JSON.parse(written.json)).toEqual({
      as_of: "2024-12-31",
      k: 2,
      silhouette: 0.412346,
      profiles: [
        {
          id: "p1",
          name: "App-first regulars",
          generated_name: "Occasional",
          summary: "50 % of customers; orders 1.5 (all 3.0).",
          customers: 2,
          share: 0.5,
          revenue_share: 0.3,
          value_12m: 0.333333,
          p_alive: 0.51,
          at_risk_share: 0.5,
          quality: {silhouette: 0.123457, stability: 0.95},
          traits: [
            {
              feature: "country",
              level: "DE",
              dimension: "geographic",
              label: "Country: DE",
              unit: "share",
              profile_value: 1,
              base_value: 0.5,
              lift: 2,
              effect: 1.1,
              effect_low: 0.6,
              effect_high: 1.6,
              coverage: 1,
              rank: 1
            },
            {
              feature: "orders",
              level: null,
              dimension: "behavioral",
              label: "Orders",
              unit: "orders",
              profile_value: 1.5,
              base_value: 3,
              lift: 0.5,
              effect: -0.9,
              effect_low: -1.3,
              effect_high: -0.5,
              coverage: 1,
              rank: 2
            }
          ],
          narrative: [
            {
              section: "who",
              title: "Who they are",
              sentences: [
                "Age: 40 years, against 41 years across all customers.",
                "Country: DE for 100 %, against 50 % of all customers."
              ]
            },
            {section: "values", title: "What they value", sentences: []},
            {section: "behaviour", title: "How they behave", sentences: []},
            {section: "serve", title: "How to serve them", sentences: []},
            {
              section: "value",
              title: "Value and risk",
              sentences: ["2 customers, 50 % of the base."]
            }
          ],
          notes: ["Pilot the in-app chat."]
        },
        {
          id: "p2",
          name: "Frequent, recently active",
          generated_name: "Frequent, recently active",
          summary: "50 % of customers.",
          customers: 2,
          share: 0.5,
          revenue_share: 0.7,
          value_12m: 100,
          p_alive: 0.9,
          at_risk_share: 0,
          quality: {silhouette: 0.25, stability: 0.8},
          traits: [
            {
              feature: "orders",
              level: null,
              dimension: "behavioral",
              label: "Orders",
              unit: "orders",
              profile_value: 4.5,
              base_value: 3,
              lift: 1.5,
              effect: 0.9,
              effect_low: 0.5,
              effect_high: 1.3,
              coverage: 1,
              rank: 1
            }
          ],
          narrative: [
            {section: "who", title: "Who they are", sentences: []},
            {section: "values", title: "What they value", sentences: []},
            {
              section: "behaviour",
              title: "How they behave",
              sentences: ["Orders: 4.5, against 3.0 across all customers."]
            },
            {section: "serve", title: "How to serve them", sentences: []},
            {section: "value", title: "Value and risk", sentences: []}
          ],
          notes: []
        }
      ]
    });
  });

  it("writes the JSON indented, ending in a newline", () => {
    expect(written.json.startsWith('{\n  "as_of": "2024-12-31",\n')).toBe(true);
    expect(written.json.endsWith("}\n")).toBe(true);
  });

  it("writes the same bytes from the same store", async () => {
    const again = await exportsOf(store, "b");
    expect(again.csv).toBe(written.csv);
    expect(again.json).toBe(written.json);
  });

  it("leaves the value and channel columns empty when the store has neither", async () => {
    const bare = await fixture(["customer_value", "features"]);
    await bare.run("CREATE TABLE features (customer_id VARCHAR, orders DOUBLE)");
    try {
      const {csv} = await exportsOf(bare, "bare");
      expect(csv.split("\n").slice(1, 3)).toEqual([
        "c1,p1,App-first regulars,DE,,,false,",
        "c2,p1,App-first regulars,FR,,,false,"
      ]);
    } finally {
      bare.close();
    }
  });

  it("leaves the segment column empty when none of the config's segmentations was built", async () => {
    const paths = await writeExports(store, join(dir, "none"), {segments: ["age_by_channel"]});
    expect(readFileSync(paths[0], "utf8").split("\n").slice(1, 4)).toEqual([
      "c1,p1,App-first regulars,,0.1235,12.35,true,email",
      "c2,p1,App-first regulars,,0.9,250.0,false,app",
      'c3,p2,"Frequent, recently active",,,,false,'
    ]);
  });

  it("leaves customers.csv out of a build without customer-level output", async () => {
    const out = join(dir, "aggregates");
    const paths = await writeExports(store, out, {...SEGMENTS, customerLevel: false});
    expect(paths).toEqual([join(out, "exports", "profiles.json")]);
    expect(existsSync(join(out, "exports", "customers.csv"))).toBe(false);
  });

  it("writes nothing when the store has no profiles", async () => {
    const empty = await fixture(["profiles"]);
    try {
      expect(await writeExports(empty, join(dir, "empty"), SEGMENTS)).toEqual([]);
      expect(existsSync(join(dir, "empty"))).toBe(false);
    } finally {
      empty.close();
    }
  });
});
