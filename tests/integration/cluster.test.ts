import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {buildClusters} from "../../loaders/profile/cluster.ts";
import {random} from "../../loaders/profile/kmeans/kmeans.ts";
import {
  designColumns,
  filledValue,
  matrixSelect,
  transformed,
  valueSql
} from "../../loaders/profile/matrix.ts";
import {ident, raw, sql} from "../../loaders/core/sql.ts";
import {Store} from "../../loaders/core/store.ts";
import {CATALOG, settings} from "../support/clustering.ts";

let store: Store;

/** Three planted groups of different sizes, apart on spend, visits and price; age is noise. */
async function plantedFeatures(n = 1200, seed = 3) {
  const rand = random(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const centres = [
    {spend: 50, visits: 2, price: 4.5},
    {spend: 400, visits: 10, price: 2},
    {spend: 2000, visits: 5, price: 3}
  ];
  const rows: string[] = [];
  const truth = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const g = i % 6 < 3 ? 0 : i % 6 < 5 ? 1 : 2;
    const c = centres[g];
    const id = `C${String(i).padStart(5, "0")}`;
    truth.set(id, g);
    const spend = Math.max(1, c.spend * Math.exp(0.15 * normal()));
    // Some customers skipped the survey: their price is missing.
    const price = i % 7 === 0 ? "NULL" : (c.price + 0.25 * normal()).toFixed(3);
    rows.push(
      `('${id}', ${spend.toFixed(2)}, ${(c.visits + normal()).toFixed(3)}, ${price}, ${(20 + 50 * rand()).toFixed(0)}, 'web')`
    );
  }
  await store.run(
    sql`CREATE OR REPLACE TABLE features AS SELECT * FROM (VALUES ${raw(rows.join(", "))}) t(customer_id, spend, visits, price, age, channel)`
  );
  return truth;
}

beforeEach(async () => {
  store = await Store.open(":memory:");
});

afterEach(() => store.close());

describe("designColumns(store, features, weightOf) and matrixSelect(columns)", () => {
  it("log-transforms, winsorises and standardises, and keeps missing values missing", async () => {
    await store.run(sql`CREATE TABLE features AS SELECT i::VARCHAR AS customer_id,
      CASE WHEN i = 100 THEN 1e9 ELSE i END AS spend, CASE WHEN i % 10 = 0 THEN NULL ELSE i END AS price
      FROM range(1, 101) t(i)`);
    const features = [CATALOG[0], CATALOG[2]];
    const columns = await designColumns(store, features, (f) => (f.id === "price" ? 2 : 1));
    expect(columns.map((c) => [c.column, c.feature, c.weight])).toEqual([
      ["c0", "spend", 1],
      ["c1", "price", 2]
    ]);
    const select = matrixSelect(columns);
    const {text, params} = select.render();
    expect(text).not.toMatch(/\d\.\d/); // every number is bound, none spliced into the SQL
    expect(params).toContain(columns[0].hi);
    const rows = await store.all<{customer_id: string; c0: number; c1: number}>(
      sql`SELECT customer_id, ${select} FROM features ORDER BY customer_id::INTEGER`
    );
    const [spend, price] = columns;
    // The one huge spend is held at the 99th percentile of log spend.
    expect(rows[99].c0).toBeCloseTo((spend.hi - spend.center) / spend.scale, 12);
    expect(spend.hi).toBeLessThan(Math.log(1 + 1e9));
    // A missing price stays missing; the fit starts it at the median.
    expect(rows[9].c1).toBeNull();
    expect(filledValue(price)).toBeCloseTo((2 * (price.fill - price.center)) / price.scale, 12);
    // Standardised: the winsorised values have mean 0 and unit variance.
    const c0 = rows.map((r) => r.c0);
    const mean = c0.reduce((a, b) => a + b, 0) / c0.length;
    const variance = c0.reduce((a, b) => a + (b - mean) ** 2, 0) / c0.length;
    expect(mean).toBeCloseTo(0, 12);
    expect(variance).toBeCloseTo(1, 12);
  });

  it("turns a category into weighted one-hot columns for its frequent levels", async () => {
    await store.run(
      sql`CREATE TABLE features AS SELECT * FROM (VALUES ('a', 'web'), ('b', 'app'), ('c', 'web'), ('d', NULL)) t(customer_id, channel)`
    );
    const columns = await designColumns(store, [CATALOG[4]], () => 1);
    expect(columns.map((c) => c.level)).toEqual(["web", "app"]);
    for (const c of columns) expect(c.weight).toBeCloseTo(Math.SQRT1_2, 15);
    expect(matrixSelect(columns).render()).toEqual({
      text: 'coalesce("channel" = $1, false)::DOUBLE * $2 AS "c0",\n  coalesce("channel" = $3, false)::DOUBLE * $4 AS "c1"',
      params: ["web", columns[0].weight, "app", columns[1].weight]
    });
  });
});

describe("buildClusters(store, catalog, settings)", () => {
  it("finds the planted groups with automatic k and numbers profiles by size", async () => {
    const truth = await plantedFeatures();
    const result = await buildClusters(store, CATALOG, settings());
    expect(result.k).toBe(3);
    expect(result.rule).toBe("largest stable k");
    expect(result.profiles.map((p) => p.id)).toEqual(["p1", "p2", "p3"]);
    expect(result.profiles.map((p) => p.customers)).toEqual([600, 400, 200]);
    const assigned = await store.all<{customer_id: string; profile_id: string}>(
      sql`SELECT customer_id, profile_id FROM customer_profiles ORDER BY customer_id`
    );
    // p1 is the largest planted group (0), p2 the next (1), p3 the smallest (2).
    for (const a of assigned) expect(a.profile_id).toBe(`p${truth.get(a.customer_id)! + 1}`);
    const runs = await store.all<{k: number; chosen: boolean}>(
      sql`SELECT k, chosen FROM clustering_runs ORDER BY k`
    );
    expect(runs.map((r) => r.k)).toEqual([2, 3, 4, 5, 6]);
    expect(runs.filter((r) => r.chosen).map((r) => r.k)).toEqual([3]);
    const quality = await store.all(sql`SELECT * FROM cluster_quality ORDER BY profile_id`);
    for (const q of quality) expect(Number(q.stability)).toBeGreaterThan(0.95);
  });

  it("assigns every customer in SQL to the centroid nearest in the stored transform", async () => {
    await plantedFeatures(600);
    await buildClusters(store, CATALOG, settings({k: 3}));
    const columns = await store.all<{column: string}>(
      sql`SELECT "column" FROM cluster_columns ORDER BY position`
    );
    const select = matrixSelect(
      (await store.all(sql`SELECT * FROM cluster_columns ORDER BY position`)).map((c) => ({
        column: String(c.column),
        feature: String(c.feature),
        level: (c.level as string | null) ?? null,
        transform: c.transform as "log" | "none",
        base: (c.base as string | null) ?? null,
        prior: Number(c.prior),
        weight: Number(c.weight),
        lo: Number(c.lo),
        hi: Number(c.hi),
        center: Number(c.center),
        scale: Number(c.scale),
        fill: Number(c.fill)
      }))
    );
    const points = await store.all<Record<string, number | string>>(
      sql`SELECT customer_id, ${select} FROM features ORDER BY customer_id`
    );
    const centroids = await store.all<{profile_id: string; position: number; value: number}>(
      sql`SELECT profile_id, position, value FROM profile_centroids ORDER BY profile_id, position`
    );
    const assigned = new Map(
      (
        await store.all<{customer_id: string; profile_id: string}>(
          sql`SELECT * FROM customer_profiles`
        )
      ).map((r) => [r.customer_id, r.profile_id])
    );
    for (const p of points) {
      let best = "";
      let bestDistance = Infinity;
      for (const id of ["p1", "p2", "p3"]) {
        const own = centroids.filter((c) => c.profile_id === id);
        // Missing values are left out of the distance.
        const distance = columns.reduce(
          (s, c, j) => (p[c.column] === null ? s : s + (Number(p[c.column]) - own[j].value) ** 2),
          0
        );
        if (distance < bestDistance) [best, bestDistance] = [id, distance];
      }
      expect(assigned.get(String(p.customer_id))).toBe(best);
    }
  });

  it("is deterministic: the same features and settings give the same tables", async () => {
    await plantedFeatures(600);
    const snapshot = async () => {
      await buildClusters(store, CATALOG, settings());
      return Promise.all(
        ["customer_profiles", "profile_centroids", "clustering_runs", "cluster_quality"].map((t) =>
          store.all(sql`SELECT * FROM ${ident(t)} ORDER BY ALL`)
        )
      );
    };
    expect(await snapshot()).toEqual(await snapshot());
  });

  it("uses a fixed k without searching, and says when there is nothing to cluster on", async () => {
    await plantedFeatures(300);
    const fixed = await buildClusters(store, CATALOG, settings({k: 4}));
    expect([fixed.k, fixed.rule, fixed.runs.length]).toEqual([4, "fixed", 1]);
    await expect(
      buildClusters(store, CATALOG, settings({dimensions: {behavioral: 0, psychographic: 0}}))
    ).rejects.toThrow("no feature to cluster on");
  });
});

describe("transformed(feature, transform)", () => {
  it("quotes the feature, and takes log1p of its non-negative part only under the log transform", () => {
    expect(transformed("x", "log").render()).toEqual({
      text: 'CASE WHEN "x" IS NOT NULL THEN ln(1 + greatest("x", 0)) END',
      params: []
    });
    expect(transformed('say "hi"', "none").render().text).toBe('"say ""hi"""');
  });

  it("keeps a missing value missing under the log transform", async () => {
    const rows = await store.all<{y: number | null}>(
      sql`SELECT ${transformed("x", "log")} AS y FROM (VALUES (NULL), (0), (-5), (EXP(2) - 1)) t(x)`
    );
    expect(rows.map((r) => r.y)).toEqual([null, 0, 0, 2]);
  });
});

describe("valueSql(column, prior)", () => {
  it("binds the prior and the pseudo-events, and leaves a feature that is no share as it is", () => {
    expect(valueSql({feature: "share", transform: "none", base: "n"}, 0.25).render()).toEqual({
      text: 'CASE WHEN "share" IS NOT NULL THEN ("share" * coalesce("n", 0) + $1 * $2) / (coalesce("n", 0) + $3) END',
      params: [2, 0.25, 2]
    });
    expect(valueSql({feature: "x", transform: "none", base: null}, 0.5).render()).toEqual({
      text: '"x"',
      params: []
    });
  });

  it("smooths a share towards the base's by the count it is taken over", async () => {
    const value = valueSql({feature: "share", transform: "none", base: "n"}, 0.25);
    const rows = await store.all<{y: number | null}>(
      sql`SELECT ${value} AS y FROM (VALUES (1.0, 1), (1.0, 98), (NULL, 0)) t(share, n)`
    );
    // One ticket, all self-service: (1 + 2 × 0.25) / 3; 98 tickets barely move.
    expect(rows[0].y).toBeCloseTo(0.5, 12);
    expect(rows[1].y).toBeCloseTo((98 + 0.5) / 100, 12);
    expect(rows[2].y).toBeNull();
  });
});
