/**
 * The Explore page's data (loaders/site/explore.ts) from a store of hand-made tables: thirty
 * customers in two profiles, a catalogued numeric feature of each integer and float kind, a
 * category feature and a column the catalog does not know (neither may reach the sample).
 */
import {copyFile, mkdtemp, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {fromArrow} from "arquero";
import {afterAll, beforeAll, describe, expect, it, vi} from "vitest";
import {
  exploreArrow,
  exploreDocument,
  exploreRows,
  reusedSample,
  sampleFile
} from "../../loaders/site/explore.ts";
import {generalise} from "../../loaders/site/generalise.ts";
import type * as GeneraliseModule from "../../loaders/site/generalise.ts";
import {checksumPath} from "../../loaders/core/checksum.ts";
import {writeCatalog} from "../../loaders/profile/features.ts";
import {Store} from "../../loaders/core/store.ts";
import {feature} from "../support/catalog.ts";
import {demoBuilds} from "../support/demo-builds.ts";
import {sampleClasses} from "../../loaders/privacy/k-anonymity.ts";
import {readCatalog} from "../../loaders/profile/features.ts";
import {sql} from "../../loaders/core/sql.ts";
import {withStore} from "../../loaders/core/store.ts";

// generalise as it is, counted: how many times a sample was generalised.
vi.mock("../../loaders/site/generalise.ts", async (original) => {
  const actual = await original<typeof GeneraliseModule>();
  return {...actual, generalise: vi.fn(actual.generalise)};
});

let store: Store;

beforeAll(async () => {
  store = await Store.open(":memory:");
  await store.run(
    sql`CREATE TABLE customer_profiles (customer_id VARCHAR, profile_id VARCHAR, distance DOUBLE)`
  );
  await store.run(
    sql`CREATE TABLE features (customer_id VARCHAR, orders_12m BIGINT, spend_12m DOUBLE, channel VARCHAR, email_hint VARCHAR)`
  );
  await store.run(
    sql`CREATE TABLE customer_value (customer_id VARCHAR, p_alive DOUBLE, expected_value_12m DOUBLE, at_risk BOOLEAN)`
  );
  await store.run(
    sql`CREATE TABLE customer_segments (customer_id VARCHAR, segment VARCHAR, value VARCHAR, position INTEGER)`
  );
  // Customer c01 … c30 is row i = 0 … 29; every third one is in p2.
  const rows = sql`FROM range(30) t(i)`;
  const id = sql`'c' || lpad((i + 1)::VARCHAR, 2, '0')`;
  await store.run(
    sql`INSERT INTO customer_profiles SELECT ${id}, CASE WHEN i % 3 = 0 THEN 'p2' ELSE 'p1' END, 0 ${rows}`
  );
  await store.run(
    sql`INSERT INTO features SELECT ${id}, i, CASE WHEN i = 4 THEN NULL ELSE i * 10.123456789 END,
       'web', ${id} || '@example.com' ${rows}`
  );
  await store.run(
    sql`INSERT INTO customer_value SELECT ${id}, 1 / (i + 3), i * 1.5, i % 2 = 0 ${rows}`
  );
  await store.run(
    sql`INSERT INTO customer_segments SELECT ${id}, 'age', CASE WHEN i < 15 THEN 'under 25' ELSE '25–34' END, 0 ${rows}`
  );
  await store.run(sql`INSERT INTO customer_segments SELECT ${id}, 'country', 'DE', 0 ${rows}`);
  await writeCatalog(store, [
    feature("orders_12m", "number", "orders", {transform: "log", clustered: true}),
    feature("spend_12m", "number", "currency", {
      transform: "log",
      clustered: true,
      coverage: 29 / 30
    }),
    feature("channel", "category", "category"),
    feature("income", "number", "currency", {measured: false, note: "no income column"})
  ]);
  // Rare's one customer at risk is suppressed, and Regular's 5 hidden beside it
  await store.run(sql`CREATE TABLE profiles (profile_id VARCHAR, name VARCHAR, customers INTEGER,
    share DOUBLE, value_12m DOUBLE, p_alive DOUBLE, at_risk_share DOUBLE, at_risk_suppressed VARCHAR)`);
  await store.run(sql`INSERT INTO profiles VALUES
    ('p2', 'Rare', 10, 1 / 3, 12.3456789, 0.5, NULL, 'few'),
    ('p1', 'Regular', 20, 2 / 3, 20, 0.7, NULL, 'complement')`);
  await store.run(sql`CREATE TABLE profile_traits (profile_id VARCHAR, feature VARCHAR, level VARCHAR,
    dimension VARCHAR, label VARCHAR, unit VARCHAR, kind VARCHAR, profile_value DOUBLE,
    base_value DOUBLE, effect DOUBLE, effect_low DOUBLE, effect_high DOUBLE,
    distinguishing BOOLEAN, suppressed BOOLEAN)`);
  await store.run(sql`INSERT INTO profile_traits VALUES
    ('p2', 'orders_12m', NULL, 'behavioral', 'Orders', 'orders', 'number', 15, 14.5, 0.1, -0.3, 0.5, false, false),
    ('p1', 'orders_12m', NULL, 'behavioral', 'Orders', 'orders', 'number', 14, 14.5, -0.05, -0.4, 0.3, false, false),
    ('p1', 'channel', 'web', 'behavioral', 'Channel: web', 'share', 'category', 1, 1, 0, -0.2, 0.2, false, false),
    ('p2', 'channel', 'web', 'behavioral', 'Channel: web', 'share', 'category', NULL, 1, NULL, NULL, NULL, false, true)`);
  await store.run(sql`CREATE TABLE overview_as_of AS SELECT DATE '2026-10-31' AS as_of`);
});

afterAll(() => store.close());

describe("exploreRows(store, {sample, seed})", () => {
  it("draws a bounded, seeded sample sorted by customer id", async () => {
    const {rows} = await exploreRows(store, {sample: 12, seed: 42, minGroupSize: 10});
    const ids = rows.map((r) => r.customer_id as string);
    expect(ids).toHaveLength(12);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(12);
    const again = await exploreRows(store, {sample: 12, seed: 42, minGroupSize: 10});
    expect(again.rows).toEqual(rows);
    const other = await exploreRows(store, {sample: 12, seed: 7, minGroupSize: 10});
    expect(other.rows.map((r) => r.customer_id)).not.toEqual(ids);
  });

  it("carries ids, profile, segments, value, risk and the measured numeric features only", async () => {
    const {rows, float32} = await exploreRows(store, {sample: 100, seed: 42, minGroupSize: 10});
    expect(rows).toHaveLength(30);
    expect(Object.keys(rows[0])).toEqual([
      "customer_id",
      "profile_id",
      "segment_age",
      "segment_country",
      "p_alive",
      "expected_value_12m",
      "at_risk",
      "orders_12m",
      "spend_12m"
    ]);
    expect(float32).toEqual(["p_alive", "expected_value_12m", "spend_12m"]);
    const c02 = rows.find((r) => r.customer_id === "c02")!;
    expect(c02).toMatchObject({profile_id: "p1", segment_age: "under 25", orders_12m: 1});
    // Floats rounded to six significant digits; a missing value stays missing.
    expect(c02.spend_12m).toBe(10.1235);
    expect(rows.find((r) => r.customer_id === "c05")!.spend_12m).toBeNull();
  });

  it("sends nothing when the config sets the sample to 0", async () => {
    expect((await exploreRows(store, {sample: 0, seed: 42, minGroupSize: 10})).rows).toEqual([]);
  });
});

describe("exploreArrow(store, options)", () => {
  it("encodes the sample as Arrow, measures as Float32 with nulls kept", async () => {
    const table = fromArrow(await exploreArrow(store, {sample: 100, seed: 42, minGroupSize: 10}));
    expect(table.numRows()).toBe(30);
    const spend = table.array("spend_12m") as unknown as ArrayLike<number | null>;
    expect(spend).toBeInstanceOf(Array); // nulls make arquero return a plain array
    expect(Array.from(spend).filter((v) => v === null)).toHaveLength(1);
    expect(Math.abs((table.get("spend_12m", 1) as number) - 10.1235)).toBeLessThan(1e-5);
    expect(table.columnNames()).not.toContain("email_hint");
    expect(
      new TextDecoder().decode(await exploreArrow(store, {sample: 100, seed: 42, minGroupSize: 10}))
    ).not.toContain("@example.com");
  });
});

describe("exploreDocument(store, options)", () => {
  it("says how many of how many customers are shown, with the features' labels and units", async () => {
    const doc = await exploreDocument(store, {sample: 12, seed: 42, minGroupSize: 10});
    expect(doc.as_of).toBe("2026-10-31");
    // Twelve drawn: the age segments (six and six) pooled into one, the country kept.
    expect(doc.sample).toEqual({
      customers: 12,
      total_customers: 30,
      withheld: 0,
      min_group_size: 10,
      smallest_group: 12,
      quasi_identifiers: [
        {
          column: "segment_age",
          label: "Age",
          published: 'rare values (fewer than 10 customers each) pooled as "other"',
          withheld: false
        },
        {column: "segment_country", label: "Country", published: "exact", withheld: false}
      ]
    });
    expect(doc.features.map((f) => [f.id, f.unit, f.transform, f.clustered])).toEqual([
      ["orders_12m", "orders", "log", true],
      ["spend_12m", "currency", "log", true]
    ]);
    expect(doc.features[1].coverage).toBe(0.966667);
    expect(doc.segments).toEqual([
      {id: "age", column: "segment_age", label: "Age"},
      {id: "country", column: "segment_country", label: "Country"}
    ]);
    expect(doc.profiles.map((p) => [p.id, p.value_12m, p.at_risk_suppressed])).toEqual([
      ["p1", 20, "complement"],
      ["p2", 12.3457, true]
    ]);
  });

  it("gives each trait once, with every profile's value and suppressed values left out", async () => {
    const {traits} = await exploreDocument(store, {sample: 12, seed: 42, minGroupSize: 10});
    expect(traits.map((t) => `${t.feature}:${t.level}`)).toEqual([
      "channel:web",
      "orders_12m:null"
    ]);
    expect(traits[1].profiles.map((p) => [p.profile_id, p.profile_value])).toEqual([
      ["p1", 14],
      ["p2", 15]
    ]);
    expect(traits[0].profiles[1]).toMatchObject({
      profile_id: "p2",
      profile_value: null,
      suppressed: true
    });
  });

  it("has no sample when the config leaves customer-level data out", async () => {
    const doc = await exploreDocument(store, {sample: 0, seed: 42, minGroupSize: 10});
    expect(doc.sample).toBeNull();
    expect(doc.features).toEqual([]);
    expect(doc.profiles).toHaveLength(2);
  });
});

describe("the Explore sample of the shared demo", () => {
  it("covers privacy.minGroupSize customers with every combination of its quasi-identifiers", async () => {
    const {second} = await demoBuilds();
    await withStore(second.store, async (demo) => {
      const options = {sample: 10_000, seed: 42, minGroupSize: 10};
      const table = fromArrow(await exploreArrow(demo, options));
      const catalogue = new Map((await readCatalog(demo)).map((f) => [f.id, f]));
      const classes = sampleClasses(table, catalogue, 10);
      expect(classes.columns.length).toBeGreaterThan(0);
      expect(classes.rows).toBeGreaterThanOrEqual(2850); // of 3,001
      expect(classes.smallest).toBeGreaterThanOrEqual(10);
      expect(classes.exposed).toBe(0);
      // No exact age, income or tenure in days is published.
      const doc = await exploreDocument(demo, options);
      for (const id of ["age", "income", "tenure_days"]) {
        const f = doc.features.find((x) => x.id === id);
        if (f) expect(f.band, id).toMatch(/bands$/);
        else
          expect(doc.sample!.quasi_identifiers.find((q) => q.column === id)).toMatchObject({
            published: "withheld",
            withheld: true
          });
      }
      expect(doc.sample!.customers).toBe(classes.rows);
      // The whole base is drawn: the sample size is above it.
      expect(doc.sample!.customers + doc.sample!.withheld).toBe(doc.sample!.total_customers);
      // At most 5% withheld, rather than every customer's values coarsened further.
      expect(doc.sample!.withheld).toBeLessThanOrEqual(150);
      expect(doc.sample!.smallest_group).toBe(classes.smallest);
    });
  });
});

describe("reusedSample(store, options)", () => {
  const options = {sample: 10_000, seed: 42, minGroupSize: 10};
  let dir: string;
  let copy: string;
  beforeAll(async () => {
    const {second} = await demoBuilds();
    dir = await mkdtemp(join(tmpdir(), "portrait-explore-sample-"));
    copy = join(dir, "store.duckdb");
    await copyFile(second.store, copy);
    await copyFile(checksumPath(second.store), checksumPath(copy));
  });
  afterAll(() => rm(dir, {recursive: true, force: true}));

  it("generalises the sample once for the page's Arrow file and its document, which agree", async () => {
    const generalised = vi.mocked(generalise);
    generalised.mockClear();
    const [arrow, doc] = await withStore(copy, async (s) => [
      await exploreArrow(s, options, reusedSample),
      await exploreDocument(s, options, reusedSample)
    ]);
    expect(generalised).toHaveBeenCalledTimes(1);
    // The same bytes as a sample drawn afresh.
    const fresh = await withStore(copy, (s) => exploreArrow(s, options));
    expect(Buffer.from(arrow as Uint8Array).equals(Buffer.from(fresh))).toBe(true);
    const {sample, features, segments} = doc as Awaited<ReturnType<typeof exploreDocument>>;
    const table = fromArrow(arrow as Uint8Array);
    expect(sample!.customers).toBe(table.numRows());
    const columns = table.columnNames();
    for (const q of sample!.quasi_identifiers)
      expect(columns.includes(q.column), q.column).toBe(!q.withheld);
    for (const f of features) expect(columns, f.id).toContain(f.id);
    for (const g of segments) expect(columns, g.column).toContain(g.column);
  });

  it("generalises again for other options or another store", async () => {
    const generalised = vi.mocked(generalise);
    await withStore(copy, (s) => reusedSample(s, options));
    generalised.mockClear();
    await withStore(copy, (s) => reusedSample(s, {...options, seed: 7}));
    expect(generalised).toHaveBeenCalledTimes(1);
    // The engine wrote another store in its place: its checksum differs.
    await writeFile(checksumPath(copy), '{"bytes": 1, "sha256": "another store"}\n');
    await withStore(copy, (s) => reusedSample(s, {...options, seed: 7}));
    expect(generalised).toHaveBeenCalledTimes(2);
    expect(sampleFile(copy)).toBe(`${copy}.explore-sample`);
  });
});
