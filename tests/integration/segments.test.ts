/**
 * Segments (loaders/profile/segments.ts): buildSegments on ten hand-made customers in two profiles,
 * with a privacy minimum of 2 so that single customers are suppressed.
 */
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {SegmentVariable} from "../../loaders/config/project.ts";
import type {CatalogEntry} from "../../loaders/profile/features.ts";
import {buildSegments, variableSql, type SegmentSummary} from "../../loaders/profile/segments.ts";
import {crosstab, recoverable} from "../../loaders/core/margins.ts";
import {sql, val, valueList} from "../../loaders/core/sql.ts";
import {Store} from "../../loaders/core/store.ts";
import {feature} from "../support/catalog.ts";

const CATALOG: CatalogEntry[] = [
  feature("age", "number", "years"),
  feature("country", "category", "category", {dimension: "geographic"}),
  feature("channel", "category", "category", {dimension: "behavioral"}),
  feature("income", "number", "currency", {measured: false, note: "no income column"})
];

type Row = [
  id: string,
  profile: string,
  age: number | null,
  country: string | null,
  channel: string
];

const CUSTOMERS: Row[] = [
  ["c01", "p1", 22, "DE", "app"],
  ["c02", "p1", 24, "AT", "app"],
  ["c03", "p1", 25, "CH", "web"],
  ["c04", "p1", 34, "DE", "app"],
  ["c05", "p2", 35, "FR", "web"],
  ["c06", "p2", 50, "FR", "web"],
  ["c07", "p2", null, "NL", "app"],
  ["c08", "p2", 70, null, "web"],
  ["c09", "p1", 30, "DE", "app"],
  ["c10", "p2", 65, "FR", "web"]
];

const SEGMENTS: Record<string, SegmentVariable[]> = {
  region: [{feature: "country", groups: {DACH: ["DE", "AT", "CH"]}}],
  age: [{feature: "age", bins: [25, 35, 65]}],
  age_by_channel: [{feature: "age", bins: [35]}, {feature: "channel"}]
};

const OPTIONS = {minGroupSize: 2, skipUnmeasured: false};

async function fixture(): Promise<Store> {
  const store = await Store.open(":memory:");
  await store.run(
    sql`CREATE TABLE features (customer_id VARCHAR, age DOUBLE, country VARCHAR, channel VARCHAR)`
  );
  await store.run(
    sql`CREATE TABLE customer_profiles (customer_id VARCHAR, profile_id VARCHAR, distance DOUBLE)`
  );
  for (const [id, profile, ...values] of CUSTOMERS) {
    await store.run(sql`INSERT INTO features VALUES (${valueList([id, ...values])})`);
    await store.run(sql`INSERT INTO customer_profiles VALUES (${valueList([id, profile])}, 0.5)`);
  }
  return store;
}

describe("variableSql(variable, feature)", () => {
  it("binds each bin's bound and label, and each group's values and label", () => {
    const bins = variableSql({feature: "age", bins: [25, 35.5]}, CATALOG[0]);
    expect(bins.label.render()).toEqual({
      text: `CASE WHEN f."age" IS NULL THEN 'unknown' WHEN f."age" < $1 THEN $2 WHEN f."age" < $3 THEN $4 ELSE $5 END`,
      params: [25, "under 25", 35.5, "25–35.5", "35.5 and over"]
    });
    expect(bins.position.render()).toEqual({
      text: `CASE WHEN f."age" IS NULL THEN $1 WHEN f."age" < $2 THEN $3 WHEN f."age" < $4 THEN $5 ELSE $6 END`,
      params: [999, 25, 0, 35.5, 1, 2]
    });
    const groups = variableSql({feature: "country", groups: {DACH: ["DE", "AT"]}}, CATALOG[1]);
    expect(groups.label.render()).toEqual({
      text: `CASE WHEN f."country" IS NULL THEN 'unknown' WHEN f."country" IN ($1, $2) THEN $3 ELSE f."country"::VARCHAR END`,
      params: ["DE", "AT", "DACH"]
    });
  });

  it("labels and orders customers when run over features", async () => {
    const store = await fixture();
    try {
      const age = variableSql({feature: "age", bins: [25, 35]}, CATALOG[0]);
      const region = variableSql({feature: "country", groups: {DACH: ["DE", "AT"]}}, CATALOG[1]);
      const rows = await store.all(
        sql`SELECT f.customer_id, ${age.label} AS age, ${age.position} AS position,
              ${region.label} AS region
            FROM features f WHERE f.customer_id IN ('c01', 'c05', 'c07', 'c08') ORDER BY 1`
      );
      expect(rows).toEqual([
        {customer_id: "c01", age: "under 25", position: 0, region: "DACH"},
        {customer_id: "c05", age: "35 and over", position: 2, region: "FR"},
        {customer_id: "c07", age: "unknown", position: 999, region: "NL"},
        {customer_id: "c08", age: "35 and over", position: 2, region: "unknown"}
      ]);
    } finally {
      store.close();
    }
  });
});

/** Each customer's value in a segmentation, by customer id. */
async function values(store: Store, segment: string): Promise<Record<string, string>> {
  const rows = await store.all<{customer_id: string; value: string}>(
    sql`SELECT customer_id, value FROM customer_segments WHERE segment = ${val(segment)} ORDER BY 1`
  );
  return Object.fromEntries(rows.map((r) => [r.customer_id, r.value]));
}

describe("buildSegments(store, segments, catalog, options)", () => {
  let store: Store;
  let summaries: SegmentSummary[];

  beforeAll(async () => {
    store = await fixture();
    summaries = await buildSegments(store, SEGMENTS, CATALOG, OPTIONS);
  });

  afterAll(() => store.close());

  it("summarises each segmentation, in name order, with its number of values", () => {
    expect(summaries).toEqual([
      {segment: "age", variables: ["age"], values: 5},
      {segment: "age_by_channel", variables: ["age", "channel"], values: 4},
      {segment: "region", variables: ["country"], values: 4}
    ]);
  });

  it("gives every customer one value per segmentation", async () => {
    const rows = await store.all<{segment: string; n: number}>(
      sql`SELECT segment, count(DISTINCT customer_id)::INTEGER AS n, count(*)::INTEGER AS rows FROM customer_segments GROUP BY 1 ORDER BY 1`
    );
    expect(rows).toEqual([
      {segment: "age", n: 10, rows: 10},
      {segment: "age_by_channel", n: 10, rows: 10},
      {segment: "region", n: 10, rows: 10}
    ]);
  });

  it("bins a number, a bin holding its lower bound, and calls a missing value unknown", async () => {
    expect(await values(store, "age")).toEqual({
      c01: "under 25",
      c02: "under 25",
      c03: "25–34",
      c04: "25–34",
      c05: "35–64",
      c06: "35–64",
      c07: "unknown",
      c08: "65 and over",
      c09: "25–34",
      c10: "65 and over"
    });
  });

  it("gathers category values into groups; values in no group keep their own name", async () => {
    expect(await values(store, "region")).toEqual({
      c01: "DACH",
      c02: "DACH",
      c03: "DACH",
      c04: "DACH",
      c05: "FR",
      c06: "FR",
      c07: "NL",
      c08: "unknown",
      c09: "DACH",
      c10: "FR"
    });
  });

  it("crosses two variables into one value", async () => {
    const byCustomer = await values(store, "age_by_channel");
    expect(byCustomer.c01).toBe("under 35 · app");
    expect(byCustomer.c03).toBe("under 35 · web");
    expect(byCustomer.c05).toBe("35 and over · web");
    expect(byCustomer.c07).toBe("unknown · app");
  });

  it("writes segment_sizes, hiding the count of a value below the privacy minimum", async () => {
    expect(
      await store.all(sql`SELECT * FROM segment_sizes WHERE segment = 'region' ORDER BY value`)
    ).toEqual([
      {segment: "region", value: "DACH", position: 0, customers: 5, suppressed: false},
      {segment: "region", value: "FR", position: 0, customers: 3, suppressed: false},
      {segment: "region", value: "NL", position: 0, customers: null, suppressed: true},
      {segment: "region", value: "unknown", position: 999, customers: null, suppressed: true}
    ]);
  });

  it("writes the segment × profile crosstab in bin order, hiding every cell below the privacy minimum and the smallest cell next to it", async () => {
    expect(await store.all(sql`SELECT * FROM segment_profiles WHERE segment = 'age'`)).toEqual([
      {
        segment: "age",
        value: "under 25",
        position: 0,
        profile_id: "p1",
        customers: 2,
        suppressed: false
      },
      {
        segment: "age",
        value: "25–34",
        position: 1,
        profile_id: "p1",
        customers: 3,
        suppressed: false
      },
      {
        segment: "age",
        value: "35–64",
        position: 2,
        profile_id: "p2",
        // not small, but p2's size less its other cells would give the one below
        customers: null,
        suppressed: true
      },
      {
        segment: "age",
        value: "65 and over",
        position: 3,
        profile_id: "p2",
        customers: 2,
        suppressed: false
      },
      {
        segment: "age",
        value: "unknown",
        position: 999,
        profile_id: "p2",
        customers: null,
        suppressed: true
      }
    ]);
  });

  it("sorts two-variable segments by the first variable's bins, then the second's", async () => {
    const values = await store.all<{value: string}>(
      sql`SELECT value FROM segment_sizes WHERE segment = 'age_by_channel' ORDER BY position, value`
    );
    const first = values.map((v) => v.value.split(" · ")[0]);
    expect(first.lastIndexOf("under 35")).toBeLessThan(first.indexOf("35 and over"));
    expect(first.lastIndexOf("unknown")).toBe(first.length - 1);
  });

  it("publishes no count below the privacy minimum", async () => {
    const small = await store.all(
      sql`SELECT segment, value, customers, suppressed FROM segment_sizes
       WHERE customers < 2 OR (suppressed AND customers IS NOT NULL)
       UNION ALL
       SELECT segment, value, customers, suppressed FROM segment_profiles
       WHERE customers < 2 OR (suppressed AND customers IS NOT NULL)`
    );
    expect(small).toEqual([]);
  });

  it("leaves no suppressed cell or segment size recoverable by subtraction", async () => {
    const profiles = ["p1", "p2"];
    for (const segment of Object.keys(SEGMENTS)) {
      const sizes = await store.all<{value: string; customers: number | null}>(
        sql`SELECT value, customers FROM segment_sizes WHERE segment = ${val(segment)} ORDER BY position, value`
      );
      const cells = await store.all<{value: string; profile_id: string; customers: number | null}>(
        sql`SELECT value, profile_id, customers FROM segment_profiles WHERE segment = ${val(segment)}`
      );
      const {sums} = crosstab(sizes.length, profiles.length);
      const published = [
        ...sizes.flatMap((s) =>
          profiles.map((p) => {
            const c = cells.find((c) => c.value === s.value && c.profile_id === p);
            return c === undefined ? 0 : c.customers;
          })
        ),
        ...sizes.map((s) => s.customers),
        5, // p1's size
        5, // p2's
        10
      ];
      expect(recoverable(published, sums), segment).toEqual([]);
    }
  });
});

describe("buildSegments(store, segments, catalog, options) on a bad config", () => {
  let store: Store;

  beforeAll(async () => {
    store = await fixture();
  });

  afterAll(() => store.close());

  const build = (segments: Record<string, SegmentVariable[]>, skipUnmeasured = false) =>
    buildSegments(store, segments, CATALOG, {minGroupSize: 2, skipUnmeasured});

  it("rejects bins on a category", async () => {
    await expect(build({bad: [{feature: "country", bins: [1]}]})).rejects.toThrow(
      'segments: "country" is a category: give it groups, not bins'
    );
  });

  it("rejects groups on a number", async () => {
    await expect(build({bad: [{feature: "age", groups: {young: ["20"]}}]})).rejects.toThrow(
      'segments: "age" is a number: give it bins'
    );
    await expect(build({bad: [{feature: "age"}]})).rejects.toThrow('"age" is a number');
  });

  it("rejects bins that do not increase", async () => {
    await expect(build({bad: [{feature: "age", bins: [35, 25]}]})).rejects.toThrow(
      'segments: the bins of "age" must increase: 35, 25'
    );
    await expect(build({bad: [{feature: "age", bins: [25, 25]}]})).rejects.toThrow("must increase");
  });

  it("rejects a feature that does not exist, naming the segmentation", async () => {
    await expect(build({sizes: [{feature: "shoe_size"}]})).rejects.toThrow(
      'segments.sizes: "shoe_size" is not a feature; see the feature catalog for the features there are'
    );
  });

  it("rejects a feature that was not measured, saying why", async () => {
    await expect(build({wealth: [{feature: "income", bins: [30_000]}]})).rejects.toThrow(
      'segments.wealth: "income" is not measured (no income column)'
    );
  });

  it("leaves an unmeasured segmentation out with a log line when told to skip it", async () => {
    const lines: string[] = [];
    const summaries = await buildSegments(
      store,
      {wealth: [{feature: "income", bins: [30_000]}], region: SEGMENTS.region},
      CATALOG,
      {minGroupSize: 2, skipUnmeasured: true},
      (line) => lines.push(line)
    );
    expect(lines).toEqual(['segment wealth left out: "income" is not measured (no income column)']);
    expect(summaries.map((s) => s.segment)).toEqual(["region"]);
    expect(await store.all(sql`SELECT DISTINCT segment FROM customer_segments ORDER BY 1`)).toEqual(
      [{segment: "region"}]
    );
  });
});
