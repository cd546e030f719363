/**
 * The exports (loaders/publish/exports.ts) from a store of hand-made tables: four customers in two
 * profiles, with the columns writeExports reads and nothing more.
 */
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, relative} from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {CHANGE_COLUMNS} from "../../loaders/publish/changes.ts";
import {EXPORT_SCHEMAS, SCHEMAS_DIR, writeExports} from "../../loaders/publish/exports.ts";
import {BRIEF_LENGTH} from "../../loaders/profile/narrative.ts";
import {CUSTOMER_LEVEL_OUTPUT} from "../../loaders/site/published.ts";
import {Store, withStore} from "../../loaders/core/store.ts";
import {parseCsv} from "../unit/demo/read-csv.ts";
import {demoBuilds} from "../support/demo-builds.ts";
import {ident, literal, raw, sql} from "../../loaders/core/sql.ts";

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
       ('p2', 'behaviour', 0, 'Orders: 4.5, against 3.0 across all customers.'),
       ('p1', 'serve', 1, 'Avoid leaning on e-mail.'),
       ('p1', 'serve', 0, 'Reach them by "app" (60 %, against 20 % of all customers).')`
  ],
  outcome_rates: [
    `CREATE TABLE outcome_rates (outcome VARCHAR, label VARCHAR, kind VARCHAR, scope VARCHAR,
       segment VARCHAR, grp VARCHAR, position INTEGER, customers INTEGER, events INTEGER,
       rate DOUBLE, low DOUBLE, high DOUBLE, lift DOUBLE, suppressed BOOLEAN)`,
    `INSERT INTO outcome_rates VALUES
       ('churned', 'Churned', 'flag', 'all', NULL, NULL, 0, 40, 10, 0.25, 0.142, 0.401, 1, false),
       ('churned', 'Churned', 'flag', 'profile', NULL, 'p2', 0, NULL, NULL, NULL, NULL, NULL, NULL, true),
       ('churned', 'Churned', 'flag', 'profile', NULL, 'p1', 0, 20, 8, 0.4, 0.219, 0.613, 1.6, false)`
  ],
  customer_segments: [
    "CREATE TABLE customer_segments (customer_id VARCHAR, segment VARCHAR, value VARCHAR, position INTEGER)",
    `INSERT INTO customer_segments VALUES ('c1', 'age', 'under 25', 0), ('c1', 'country', 'DE', 0),
       ('c2', 'country', 'FR', 0), ('c3', 'country', 'DE', 0), ('c3', 'age', '25–34', 1)`
  ],
  customer_value: [
    "CREATE TABLE customer_value (customer_id VARCHAR, p_alive DOUBLE, expected_value_12m DOUBLE, p_lapse DOUBLE, at_risk BOOLEAN)",
    // c3: risk not assessed (no purchase), c4: no row at all; both NULL in the exports, never false.
    "INSERT INTO customer_value VALUES ('c1', 0.123456, 12.3456, 0.876543, true), ('c2', 0.9, 250, 0.1, false), ('c3', NULL, NULL, NULL, NULL)"
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
    for (const statement of statements) await store.run(raw(statement));
  }
  return store;
}

/** Writes the exports of a store under dir/name and returns the files' text. */
async function exportsOf(store: Store, name: string) {
  const paths = await writeExports(store, join(dir, name), {...SEGMENTS, currency: "EUR"});
  const out = join(dir, name, "exports");
  expect(paths).toEqual(
    ["customers.csv", "customers.json", "changes.csv", "profiles.json"].map((f) => join(out, f))
  );
  const [csv, customers, changes, json] = paths.map((path) => readFileSync(path, "utf8"));
  return {csv, customers, changes, json};
}

let store: Store;
let written: Awaited<ReturnType<typeof exportsOf>>;

beforeAll(async () => {
  store = await fixture();
  written = await exportsOf(store, "a");
});

afterAll(() => {
  store.close();
  rmSync(dir, {recursive: true, force: true});
});

const P1_BRIEF =
  '50 % of customers; orders 1.5 (all 3.0). Reach them by "app" (60 %, against 20 % of all customers).';

describe("writeExports(store, dir, {segments})", () => {
  it("writes one CSV row per customer, sorted by id, rounded, with the first built segmentation, the profile's brief and p_lapse last, and risk not assessed empty", () => {
    const brief = `"${P1_BRIEF.replaceAll('"', '""')}"`;
    expect(written.csv.split("\n")).toEqual([
      "customer_id,profile_id,profile_name,segment,p_alive,expected_value_12m,at_risk,preferred_channel,profile_brief,p_lapse",
      `c1,p1,App-first regulars,DE,0.1235,12.35,true,email,${brief},0.8765`,
      `c2,p1,App-first regulars,FR,0.9,250.0,false,app,${brief},0.1`,
      'c3,p2,"Frequent, recently active",DE,,,,,50 % of customers.,',
      'c4,p2,"Frequent, recently active",,,,,sms,50 % of customers.,',
      ""
    ]);
  });

  it("writes the same customers to JSON under its schema, one customer a line, with null where risk was not assessed", () => {
    const lines = written.customers.split("\n");
    expect(lines[0]).toBe(
      '{"$schema":"./schemas/customers.v2.json","schema_version":"2.0.0","as_of":"2024-12-31","currency":"EUR","customers":['
    );
    expect(lines.slice(-2)).toEqual(["]}", ""]);
    const document = JSON.parse(written.customers);
    expect(validators.customers(document), JSON.stringify(validators.customers.errors)).toBe(true);
    expect(document.customers).toEqual([
      {
        customer_id: "c1",
        profile_id: "p1",
        profile_name: "App-first regulars",
        profile_brief: P1_BRIEF,
        segment: "DE",
        p_alive: 0.1235,
        expected_value_12m: 12.35,
        at_risk: true,
        p_lapse: 0.8765,
        preferred_channel: "email"
      },
      expect.objectContaining({customer_id: "c2", p_alive: 0.9, expected_value_12m: 250}),
      expect.objectContaining({customer_id: "c3", p_alive: null, at_risk: null, p_lapse: null}),
      {
        customer_id: "c4",
        profile_id: "p2",
        profile_name: "Frequent, recently active",
        profile_brief: "50 % of customers.",
        segment: null,
        p_alive: null,
        expected_value_12m: null,
        at_risk: null,
        p_lapse: null,
        preferred_channel: "sms"
      }
    ]);
  });

  it("writes changes.csv with its header only when the store has no previous build", () => {
    expect(written.changes).toBe(
      "customer_id,previous_profile_id,profile_id,previous_at_risk,at_risk,change,previous_as_of,as_of\n"
    );
  });

  it("copies the schemas beside the exports, so $schema resolves", () => {
    for (const file of [
      "customers.v1.json",
      "customers.v2.json",
      "profiles.v1.json",
      "changes.v1.json",
      "changes.v2.json"
    ])
      expect(readFileSync(join(dir, "a", "exports", "schemas", file), "utf8")).toBe(
        readFileSync(join(SCHEMAS_DIR, file), "utf8")
      );
  });

  it("writes every profile to JSON: facts, quality, distinguishing traits by rank, narrative, notes, outcomes", () => {
    const document = JSON.parse(written.json);
    expect(validators.profiles(document), JSON.stringify(validators.profiles.errors)).toBe(true);
    expect(document).toEqual({
      $schema: "./schemas/profiles.v1.json",
      schema_version: "1.2.0",
      as_of: "2024-12-31",
      currency: "EUR",
      k: 2,
      silhouette: 0.412346,
      profiles: [
        {
          id: "p1",
          name: "App-first regulars",
          generated_name: "Occasional",
          summary: "50 % of customers; orders 1.5 (all 3.0).",
          brief: P1_BRIEF,
          customers: 2,
          share: 0.5,
          revenue_share: 0.3,
          value_12m: 0.333333,
          p_alive: 0.51,
          at_risk_share: 0.5,
          at_risk_suppressed: false,
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
            {
              section: "serve",
              title: "How to serve them",
              sentences: [
                'Reach them by "app" (60 %, against 20 % of all customers).',
                "Avoid leaning on e-mail."
              ]
            },
            {
              section: "value",
              title: "Value and risk",
              sentences: ["2 customers, 50 % of the base."]
            }
          ],
          notes: ["Pilot the in-app chat."],
          outcomes: [
            {
              outcome: "churned",
              label: "Churned",
              kind: "flag",
              customers: 20,
              rate: 0.4,
              low: 0.219,
              high: 0.613,
              base_rate: 0.25,
              lift: 1.6
            }
          ]
        },
        {
          id: "p2",
          name: "Frequent, recently active",
          generated_name: "Frequent, recently active",
          summary: "50 % of customers.",
          brief: "50 % of customers.",
          customers: 2,
          share: 0.5,
          revenue_share: 0.7,
          value_12m: 100,
          p_alive: 0.9,
          at_risk_share: 0,
          at_risk_suppressed: false,
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
          notes: [],
          // Fewer customers than the minimum group size: published as suppressed.
          outcomes: [
            {
              outcome: "churned",
              label: "Churned",
              kind: "flag",
              customers: null,
              rate: null,
              low: null,
              high: null,
              base_rate: 0.25,
              lift: null
            }
          ]
        }
      ]
    });
  });

  it("writes the JSON indented, ending in a newline", () => {
    expect(written.json.startsWith('{\n  "$schema": "./schemas/profiles.v1.json",\n')).toBe(true);
    expect(written.json.endsWith("}\n")).toBe(true);
  });

  it("writes the same bytes from the same store", async () => {
    expect(await exportsOf(store, "b")).toEqual(written);
  });

  it("writes into a folder whose name holds a quote: COPY takes the file's path as a bound value", async () => {
    expect(await exportsOf(store, "it's")).toEqual(written);
  });

  it("leaves the value and channel columns empty when the store has neither", async () => {
    const bare = await fixture(["customer_value", "features"]);
    await bare.run(sql`CREATE TABLE features (customer_id VARCHAR, orders DOUBLE)`);
    try {
      const {csv} = await exportsOf(bare, "bare");
      expect(csv.split("\n").slice(1, 3)).toEqual(
        ["c1,p1,App-first regulars,DE,,,,,", "c2,p1,App-first regulars,FR,,,,,"].map(
          (line) => `${line}"${P1_BRIEF.replaceAll('"', '""')}",`
        )
      );
    } finally {
      bare.close();
    }
  });

  it("leaves the segment column empty when none of the config's segmentations was built", async () => {
    const paths = await writeExports(store, join(dir, "none"), {segments: ["age_by_channel"]});
    const rows = parseCsv(readFileSync(paths[0], "utf8")).slice(1, 4);
    expect(rows.map((r) => r.slice(0, 8))).toEqual([
      ["c1", "p1", "App-first regulars", "", "0.1235", "12.35", "true", "email"],
      ["c2", "p1", "App-first regulars", "", "0.9", "250.0", "false", "app"],
      ["c3", "p2", "Frequent, recently active", "", "", "", "", ""]
    ]);
  });

  it("leaves every customer-level file out of a build without customer-level output", async () => {
    const out = join(dir, "aggregates");
    const paths = await writeExports(store, out, {...SEGMENTS, customerLevel: false});
    expect(paths).toEqual([join(out, "exports", "profiles.json")]);
    expect(readdirSync(join(out, "exports")).sort()).toEqual(["profiles.json", "schemas"]);
    for (const {path} of CUSTOMER_LEVEL_OUTPUT.filter((e) => e.path.startsWith("exports/")))
      expect(existsSync(join(out, path))).toBe(false);
  });

  it("writes changes.csv with a flag not assessed as empty, claiming no move into or out of risk from it", async () => {
    const both = await fixture();
    try {
      await both.run(sql`CREATE TABLE previous_build AS SELECT DATE '2024-11-30' AS as_of`);
      // c1 was not assessed and now is; c3 was and now is not; c2 moved; c5 left; c4 joined.
      await both.run(
        sql`CREATE TABLE previous_customers AS SELECT * FROM (VALUES
          ('c1', 'p1', NULL::BOOLEAN), ('c2', 'p2', false), ('c3', 'p2', true), ('c5', 'p1', false)
        ) t(customer_id, profile_id, at_risk)`
      );
      const {changes} = await exportsOf(both, "unassessed");
      const rows = typedRows(changes, schema(EXPORT_SCHEMAS.changes.file));
      expect(rows.map((r) => [r.customer_id, r.previous_at_risk, r.at_risk, r.change])).toEqual([
        ["c2", false, false, "moved"],
        ["c4", null, null, "joined"],
        ["c5", false, null, "left"]
      ]);
      for (const row of rows)
        expect(validators.changes(row), JSON.stringify([row, validators.changes.errors])).toBe(
          true
        );
      expect(validators.changes({...rows[0], at_risk: null, change: "out_of_risk"})).toBe(false);
    } finally {
      both.close();
    }
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

// ---------------------------------------------------------------------------------------------
// The exports of real stores: the project's config on the shared small demo, built twice (a
// month apart, so customers join, move and fall into risk; tests/support/demo-builds.ts),
// validated against the schemas in schemas/.

const demoDir = mkdtempSync(join(tmpdir(), "portrait-exports-demo-"));
let demoStore: string;
let firstStore: string;
let engineLog: string[][];
const exportLog: string[][] = [[], []];

/** Every file under an export folder, as text, by relative path. */
function filesOf(root: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(root, {recursive: true, withFileTypes: true})
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name))
      .sort()
      .map((path) => [relative(root, path), readFileSync(path, "utf8")])
  );
}

/** Writes the demo store's exports under demoDir/name, logging into log. */
const demoExports = (store: string, name: string, log: string[] = []) =>
  withStore(store, (s) =>
    writeExports(s, join(demoDir, name), {
      segments: ["age_by_channel", "country"],
      log: (line) => log.push(line)
    })
  );

const schema = (file: string) => JSON.parse(readFileSync(join(SCHEMAS_DIR, file), "utf8"));

/** Ajv in strict mode; warnings it would log fail the test instead. */
function strictAjv(): Ajv2020 {
  const fail = (...args: unknown[]) => {
    throw new Error(`ajv: ${args.join(" ")}`);
  };
  return new Ajv2020({
    strict: true,
    allowUnionTypes: true, // "type": ["string", "null"], as draft 2020-12 allows
    allErrors: true,
    logger: {log: () => {}, warn: fail, error: fail}
  });
}

const validators = (() => {
  const ajv = strictAjv();
  return {
    customers: ajv.compile(schema(EXPORT_SCHEMAS.customers.file)),
    profiles: ajv.compile(schema(EXPORT_SCHEMAS.profiles.file)),
    changes: ajv.compile(schema(EXPORT_SCHEMAS.changes.file))
  };
})();

/** The rows of a CSV as values typed by a row schema: "" is null where null is allowed. */
function typedRows(
  text: string,
  rowSchema: {properties: Record<string, {type: string | string[]}>}
) {
  const [header, ...rows] = parseCsv(text);
  return rows.map((fields) =>
    Object.fromEntries(
      header.map((column, i) => {
        const field = fields[i];
        const types = [rowSchema.properties[column]?.type ?? "string"].flat();
        if (field === "" && types.includes("null")) return [column, null];
        if (types.includes("boolean") && (field === "true" || field === "false"))
          return [column, field === "true"];
        return [column, field];
      })
    )
  );
}

beforeAll(async () => {
  const {first, second} = await demoBuilds();
  [firstStore, demoStore] = [first.store, second.store];
  engineLog = [first.log, second.log];
  await demoExports(firstStore, "first", exportLog[0]);
  await demoExports(demoStore, "second", exportLog[1]);
  await demoExports(demoStore, "again");
});

afterAll(() => {
  rmSync(demoDir, {recursive: true, force: true});
});

describe("the exports of a demo build against their JSON Schemas", () => {
  const read = (name: string, file: string) =>
    readFileSync(join(demoDir, name, "exports", file), "utf8");

  it("validates customers.json, profiles.json and every changes.csv row", () => {
    for (const name of ["first", "second"]) {
      const customers = JSON.parse(read(name, "customers.json"));
      expect(validators.customers(customers), JSON.stringify(validators.customers.errors)).toBe(
        true
      );
      expect(customers.customers.length).toBeGreaterThan(2700);
      expect(customers.schema_version).toBe(EXPORT_SCHEMAS.customers.version);
      const profiles = JSON.parse(read(name, "profiles.json"));
      expect(validators.profiles(profiles), JSON.stringify(validators.profiles.errors)).toBe(true);
      for (const row of typedRows(read(name, "changes.csv"), schema(EXPORT_SCHEMAS.changes.file)))
        expect(validators.changes(row), JSON.stringify([row, validators.changes.errors])).toBe(
          true
        );
    }
  });

  it("fails a broken document, naming what is wrong", () => {
    const customers = JSON.parse(read("second", "customers.json"));
    const broken = structuredClone(customers);
    delete broken.customers[0].profile_brief;
    broken.customers[1].at_risk = "yes";
    broken.customers[2].profile_brief = "x".repeat(241);
    broken.customers[3].nickname = "Jo";
    expect(validators.customers(broken)).toBe(false);
    expect(
      validators.customers.errors?.map((e) => `${e.instancePath} ${e.message}`).sort()
    ).toEqual([
      "/customers/0 must have required property 'profile_brief'",
      "/customers/1/at_risk must be boolean,null",
      "/customers/2/profile_brief must NOT have more than 240 characters",
      "/customers/3 must NOT have additional properties"
    ]);
    const profiles = JSON.parse(read("second", "profiles.json"));
    expect(validators.profiles({...profiles, schema_version: "2.0.0"})).toBe(false);
    const row = {
      ...typedRows(read("second", "changes.csv"), schema(EXPORT_SCHEMAS.changes.file))[0]
    };
    expect(validators.changes({...row, change: "vanished"})).toBe(false);
    expect(validators.changes({...row, change: "joined", previous_profile_id: "p1"})).toBe(false);
  });

  it("gives every customer their profile's brief, at most 240 characters and never cut inside a word", () => {
    const doc = JSON.parse(read("second", "customers.json"));
    const briefs = new Map(
      JSON.parse(read("second", "profiles.json")).profiles.map((p: {id: string; brief: string}) => [
        p.id,
        p.brief
      ])
    );
    for (const c of doc.customers) {
      expect(c.profile_brief).toBe(briefs.get(c.profile_id));
      expect(c.profile_brief.length).toBeLessThanOrEqual(BRIEF_LENGTH);
      expect(c.profile_brief).toMatch(/[.…]$/);
    }
  });

  it("flags exactly the customers with a probability of lapsing, and leaves the others null, never false", () => {
    const {customers} = JSON.parse(read("second", "customers.json"));
    const unassessed = customers.filter((c: {p_lapse: number | null}) => c.p_lapse === null);
    expect(unassessed.length).toBeGreaterThan(0); // customers with no purchase by the as-of date
    expect(unassessed.every((c: {at_risk: boolean | null}) => c.at_risk === null)).toBe(true);
    for (const c of customers.filter((c: {p_lapse: number | null}) => c.p_lapse !== null))
      expect(typeof c.at_risk).toBe("boolean");
  });

  it("writes the same bytes from the same store", () => {
    expect(filesOf(join(demoDir, "again"))).toEqual(filesOf(join(demoDir, "second")));
  });

  it("agrees with customers.csv: the same customers and values", () => {
    const csv = typedRows(read("second", "customers.csv"), {
      properties: schema(EXPORT_SCHEMAS.customers.file).$defs.customer.properties
    });
    const json = JSON.parse(read("second", "customers.json")).customers;
    expect(csv.map((r) => r.customer_id)).toEqual(
      json.map((c: {customer_id: string}) => c.customer_id)
    );
    const num = (x: unknown) => (x === null ? null : Number(x));
    for (const [i, c] of json.entries())
      expect({
        ...csv[i],
        p_alive: num(csv[i].p_alive),
        expected_value_12m: num(csv[i].expected_value_12m),
        p_lapse: num(csv[i].p_lapse)
      }).toEqual(c);
  });
});

describe("exports/changes.csv across two builds", () => {
  it("has its header only after the first build, and the build log says why", () => {
    expect(readFileSync(join(demoDir, "first", "exports", "changes.csv"), "utf8")).toBe(
      `${CHANGE_COLUMNS.join(",")}\n`
    );
    expect(engineLog[0]).toContain("no previous build: changes.csv will have its header only");
    expect(exportLog[0]).toContain(
      "changes.csv: no previous build to compare with, so the header only"
    );
  });

  it("lists exactly the customers whose profile or risk differs between the two stores", async () => {
    const rows = typedRows(
      readFileSync(join(demoDir, "second", "exports", "changes.csv"), "utf8"),
      schema(EXPORT_SCHEMAS.changes.file)
    );
    // The two stores joined in SQL, independently of the export's own query.
    const both = await Store.open(":memory:");
    let expected: Record<string, unknown>[];
    try {
      await both.run(sql`ATTACH ${literal(firstStore)} AS a (READ_ONLY)`);
      await both.run(sql`ATTACH ${literal(demoStore)} AS b (READ_ONLY)`);
      const side = (db: string) =>
        sql`SELECT p.customer_id, p.profile_id, v.at_risk
         FROM ${ident(db)}.customer_profiles p LEFT JOIN ${ident(db)}.customer_value v USING (customer_id)`;
      expected = await both.all(
        sql`SELECT customer_id, a.profile_id AS previous_profile_id, b.profile_id,
           a.at_risk AS previous_at_risk, b.at_risk
         FROM (${side("a")}) a FULL OUTER JOIN (${side("b")}) b USING (customer_id)
         WHERE a.profile_id IS DISTINCT FROM b.profile_id OR a.at_risk <> b.at_risk
         ORDER BY customer_id`
      );
    } finally {
      both.close();
    }
    expect(rows.map(({change: _, previous_as_of: __, as_of: ___, ...r}) => r)).toEqual(expected);
    expect(rows.every((r) => r.previous_as_of === "2026-09-30" && r.as_of === "2026-10-31")).toBe(
      true
    );
    const kinds = new Map<string, number>();
    for (const r of rows) kinds.set(String(r.change), (kinds.get(String(r.change)) ?? 0) + 1);
    console.log(`changes.csv: ${rows.length} customers changed`, Object.fromEntries(kinds));
    expect(kinds.get("joined")).toBeGreaterThan(0);
    expect(rows.length).toBeGreaterThan(kinds.get("joined")!);
    expect(exportLog[1]).toContain(
      `changes.csv: ${rows.length} customers whose profile or risk changed since the previous build`
    );
  });

  it("names each change by what moved", () => {
    const rows = typedRows(
      readFileSync(join(demoDir, "second", "exports", "changes.csv"), "utf8"),
      schema(EXPORT_SCHEMAS.changes.file)
    );
    for (const r of rows) {
      const moved = r.previous_profile_id !== r.profile_id;
      // A flag not assessed on either side (null) moves nobody into or out of risk.
      const assessed = r.previous_at_risk !== null && r.at_risk !== null;
      const risk =
        !assessed || r.previous_at_risk === r.at_risk
          ? ""
          : r.at_risk
            ? "into_risk"
            : "out_of_risk";
      const change =
        r.previous_profile_id === null
          ? "joined"
          : r.profile_id === null
            ? "left"
            : moved
              ? risk
                ? `moved_${risk}`
                : "moved"
              : risk;
      expect(r.change).toBe(change);
    }
  });

  it("keeps the previous build's customers in the new store, as the first store had them", async () => {
    const kept = await withStore(demoStore, (s) =>
      s.all(sql`SELECT customer_id, profile_id, at_risk FROM previous_customers ORDER BY ALL`)
    );
    const first = await withStore(firstStore, (s) =>
      s.all(
        sql`SELECT customer_id, profile_id, at_risk
         FROM customer_profiles LEFT JOIN customer_value USING (customer_id) ORDER BY ALL`
      )
    );
    expect(kept).toEqual(first);
    expect(engineLog[1]).toContain(
      `previous build: ${first.length.toLocaleString("en-US")} customers' profiles and risk kept for changes.csv`
    );
  });
});
