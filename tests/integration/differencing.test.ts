/**
 * The differencing test of the privacy check (loaders/privacy/differencing.ts) on small
 * published folders: the shapes the pages publish, with one suppressed cell beside published
 * totals (recovered) and with its complementary cells (not recovered).
 */
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {dirname, join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {join as sqlJoin, sql, val} from "../../loaders/core/sql.ts";
import {Store} from "../../loaders/core/store.ts";
import {differencing} from "../../loaders/privacy/differencing.ts";
import {publishedFiles} from "../../loaders/privacy/scan.ts";
import {protectCrosstab} from "../../loaders/core/margins.ts";
import {protectPlaces} from "../../loaders/site/report.ts";
import {protectFlagMeans, type FlagCount} from "../../loaders/site/drilldown.ts";
import {
  buildOutcomes,
  profileOutcomesQuery,
  segmentOutcomesQuery
} from "../../loaders/profile/outcomes.ts";

const root = mkdtempSync(join(tmpdir(), "portrait-differencing-"));
afterAll(() => rmSync(root, {recursive: true, force: true}));

let folders = 0;
/** A published folder holding these files (JSON values). */
function site(files: Record<string, unknown>): string {
  const dir = join(root, String(folders++));
  for (const [path, value] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), {recursive: true});
    writeFileSync(join(dir, path), JSON.stringify(value));
  }
  return dir;
}

async function recovered(dir: string): Promise<string[]> {
  const {violations} = await differencing(dir, await publishedFiles(dir), 10);
  return violations.map((v) => `${v.where}: ${v.what}`);
}

/** segments.json of one segmentation (two segments × two profiles of 40 and 60 customers). */
function segments(cells: [number | null, number | null][], sizes: (number | null)[]) {
  return {
    "_file/data/segments.0a1b2c3d.json": {
      min_group_size: 10,
      customers_total: 100,
      profiles: [
        {id: "p1", name: "One", customers: 40},
        {id: "p2", name: "Two", customers: 60}
      ],
      segmentations: [
        {
          segment: "channel",
          segments: ["app", "web"].map((value, r) => ({
            value,
            position: 0,
            customers: sizes[r],
            profiles: [
              {profile_id: "p1", customers: cells[r][0]},
              {profile_id: "p2", customers: cells[r][1]}
            ]
          }))
        }
      ]
    }
  };
}

/** A profile report with one histogram of three bins. */
function report(id: string, customers: (number | null)[], base: (number | null)[], total: number) {
  return {
    [`_file/data/profiles/${id}.0a1b2c3d.json`]: {
      profile: {id},
      others: [{id: "p1"}, {id: "p2"}],
      distributions: [
        {
          feature: "age",
          bins: {
            edges: [0, 1, 2, 3],
            customers,
            base_customers: base,
            profile_customers: total,
            all_customers: 100
          }
        }
      ],
      geography: {countries: [], regions: []},
      segments: []
    }
  };
}

describe("differencing(dir, files, minGroupSize)", () => {
  it("recovers a suppressed crosstab cell from its segment's size, and none with its complements", async () => {
    // app: p1 4 (suppressed), p2 30; web: p1 36, p2 30
    expect(
      await recovered(
        site(
          segments(
            [
              [null, 30],
              [36, 30]
            ],
            [34, 66]
          )
        )
      )
    ).toEqual([
      'channel, "app", p1: a suppressed count that the published cells and totals give by subtraction'
    ]);
    // the whole 2 × 2 hidden: each row and column has two unknowns
    expect(
      await recovered(
        site(
          segments(
            [
              [null, null],
              [null, null]
            ],
            [34, 66]
          )
        )
      )
    ).toEqual([]);
  });

  it("recovers the only suppressed bin of a histogram from the profile's count, and none of two", async () => {
    const lone = site({
      ...report("p1", [20, null, 16], [50, 20, 30], 40),
      ...report("p2", [30, 16, 14], [50, 20, 30], 60)
    });
    expect((await recovered(lone)).length).toBeGreaterThan(0);
    const paired = site({
      ...report("p1", [20, null, null], [50, 20, 30], 40),
      ...report("p2", [30, null, null], [50, 20, 30], 60)
    });
    expect(await recovered(paired)).toEqual([]);
  });

  it("holds monthly sign-ups to the small-count rule and to their years' totals", async () => {
    const overview = (rows: (number | null)[]) => ({
      "_file/data/overview.0a1b2c3d.json": {
        tables: [{table: "customers", label: "Customers", rows: 60}],
        monthly: ["2025-01", "2025-02", "2025-03"].map((month, i) => ({
          table: "customers",
          label: "Customers",
          month,
          rows: rows[i]
        }))
      }
    });
    expect(await recovered(site(overview([3, 27, 30])))).toEqual([
      "monthly, customers, 2025-01, rows: a count of 3 customers, below privacy.minGroupSize (10)"
    ]);
    expect(await recovered(site(overview([null, 27, 30])))).toEqual([
      "monthly, customers, 2025-01, rows: a suppressed count that the published cells and totals give by subtraction"
    ]);
    expect(await recovered(site(overview([null, null, 30])))).toEqual([]);
  });

  it("recovers a lone suppressed bucket of the Method page's backtest, none of two, and a suppressed bucket's mean", async () => {
    /** method.json with one model's buckets (customers, predicted, actual) of 100 customers. */
    const method = (rows: [number | null, number | null][]) =>
      site({
        "_file/data/method.0a1b2c3d.json": {
          backtest: {
            customers: 100,
            lapsed: 40,
            candidates: [],
            frequency: rows.map(([customers, mean], k) => ({
              model: "bgnbd",
              frequency: String(k),
              customers,
              predicted: mean,
              actual: mean
            })),
            deciles: []
          }
        }
      });
    expect(
      await recovered(
        method([
          [60, 0.5],
          [null, null],
          [35, 1.5]
        ])
      )
    ).toEqual([
      "backtest, frequency, bgnbd, 1, customers: a suppressed count that the published cells and totals give by subtraction"
    ]);
    expect(
      await recovered(
        method([
          [60, 0.5],
          [null, null],
          [null, null]
        ])
      )
    ).toEqual([]);
    expect(
      await recovered(
        method([
          [60, 0.5],
          [null, 1],
          [null, null]
        ])
      )
    ).toEqual([
      "backtest, frequency, bgnbd, 1: a suppressed bucket's mean, which with the published totals gives its count"
    ]);
  });
});

/** A report with one categorical trait: its levels' counts, the base's shares, the coverage. */
function levelsReport(
  id: string,
  size: number,
  levels: [level: string, customers: number | null, base: number | null][]
) {
  const withValue = levels.reduce((n, [, c]) => n + (c ?? 0), 0);
  return {
    [`_file/data/profiles/${id}.0a1b2c3d.json`]: {
      profile: {id, customers: size},
      others: [{id: "p1"}, {id: "p2"}],
      traits: levels.map(([level, customers, base]) => ({
        feature: "channel",
        level,
        kind: "category",
        profile_value: customers === null ? null : customers / withValue,
        base_value: base,
        coverage: withValue / size,
        customers,
        suppressed: customers === null,
        levels: levels.length
      })),
      distributions: [],
      geography: {countries: [], regions: []},
      segments: []
    }
  };
}

describe("differencing(dir, files, minGroupSize) on a report's category levels", () => {
  // p1 (40): app 4, web 20, store 16; p2 (60): app 30, web 16, store 14; the base's shares
  const base = {app: 0.34, web: 0.36, store: 0.3};
  const p2 = (app: number | null, store: number | null) =>
    levelsReport("p2", 60, [
      ["app", app, base.app],
      ["web", 16, base.web],
      ["store", store, base.store]
    ]);

  it("recovers a suppressed level from the profile's coverage and its other levels", async () => {
    const dir = site({
      ...levelsReport("p1", 40, [
        ["app", null, base.app],
        ["web", 20, base.web],
        ["store", 16, base.store]
      ]),
      ...p2(30, 14)
    });
    expect(await recovered(dir)).toEqual([
      "_file/data/profiles/p1.0a1b2c3d.json, traits, channel: app, p1: a suppressed count that the published cells and totals give by subtraction"
    ]);
  });

  // app and store hidden in both profiles: a cycle
  const cycle = () => ({
    ...levelsReport("p1", 40, [
      ["app", null, base.app],
      ["web", 20, base.web],
      ["store", null, base.store]
    ]),
    ...p2(null, null)
  });

  it("recovers none when the level's complements in its profile and in its level are suppressed", async () => {
    expect(await recovered(site(cycle()))).toEqual([]);
  });

  it("reads the levels explore.json publishes for every profile as known", async () => {
    // the reports hide the cycle, but Explore publishes p2's share of app
    const dir = site({
      ...cycle(),
      "_file/data/explore.0a1b2c3d.json": {
        traits: [
          {
            feature: "channel",
            level: "app",
            kind: "category",
            base_value: base.app,
            profiles: [
              {profile_id: "p1", profile_value: null, suppressed: true},
              {profile_id: "p2", profile_value: 0.5, suppressed: false}
            ]
          }
        ]
      }
    });
    expect((await recovered(dir)).length).toBeGreaterThan(0);
  });
});

/** A profile's report with one 0/1 feature: its mean (null: suppressed), its lift and the base's. */
function flagReport(
  id: string,
  customers: number,
  mean: number | null,
  base: number,
  lift = false
) {
  return {
    [`_file/data/profiles/${id}.0a1b2c3d.json`]: {
      profile: {id, customers},
      others: [{id: "p1"}, {id: "p2"}, {id: "p3"}],
      distributions: [],
      traits: [
        {
          feature: "unsubscribed",
          level: null,
          kind: "number",
          unit: "flag",
          profile_value: lift ? null : mean,
          base_value: base,
          lift: lift && mean !== null ? mean / base : null,
          coverage: 1,
          customers: mean === null ? null : customers,
          suppressed: mean === null || lift
        }
      ],
      segments: []
    }
  };
}

describe("differencing(dir, files, minGroupSize) on a report's flags", () => {
  // unsubscribed: p1 4 of 40, p2 30 of 60, p3 20 of 50; the base 54 of 150
  const base = 54 / 150;
  const others = (p2: number | null) => ({
    ...flagReport("p2", 60, p2, base),
    ...flagReport("p3", 50, 20 / 50, base)
  });

  it("holds the customers a flag's mean counts (mean × customers) to the small-count rule", async () => {
    const dir = site({...flagReport("p1", 40, 4 / 40, base), ...others(30 / 60)});
    expect(await recovered(dir)).toEqual([
      "traits, unsubscribed, p1, customers with the flag: a count of 4 customers, below privacy.minGroupSize (10)"
    ]);
  });

  it("recovers a suppressed mean from the base's and the other profiles', or from its lift", async () => {
    const leaked = (id: string) =>
      ["customers with the flag", "without"].map(
        (what) =>
          `_file/data/profiles/${id}.0a1b2c3d.json, traits, unsubscribed, ${id}, ${what}: a suppressed count that the published cells and totals give by subtraction`
      );
    const hidden = site({...flagReport("p1", 40, null, base), ...others(30 / 60)});
    expect(await recovered(hidden)).toEqual(leaked("p1"));
    // p1's lift times the base's mean is its mean: p1's count is known, and then p2's
    const lift = site({...flagReport("p1", 40, 4 / 40, base, true), ...others(null)});
    expect(await recovered(lift)).toEqual([
      "traits, unsubscribed, p1, customers with the flag: a count of 4 customers, below privacy.minGroupSize (10)",
      ...leaked("p2")
    ]);
  });

  it("recovers none when another profile's mean is suppressed beside it", async () => {
    expect(await recovered(site({...flagReport("p1", 40, null, base), ...others(null)}))).toEqual(
      []
    );
  });
});

/** A report's map: countries and regions with the profile's and the base's customers. */
function mapReport(
  id: string,
  countries: [country: string, customers: number | null, base: number][],
  regions: [country: string, region: string, customers: number | null, base: number][]
) {
  return {
    [`_file/data/profiles/${id}.0a1b2c3d.json`]: {
      profile: {id},
      others: [{id: "p1"}, {id: "p2"}],
      distributions: [],
      geography: {
        countries: countries.map(([country, customers, base_customers]) => ({
          country,
          customers,
          base_customers,
          share: null
        })),
        regions: regions.map(([country, region, customers, base_customers]) => ({
          country,
          region,
          customers,
          base_customers,
          share: null
        }))
      },
      segments: []
    }
  };
}

describe("differencing(dir, files, minGroupSize) on regions nested in countries", () => {
  // p1: DE 20 = Bayern 4 + Berlin 16, FR 30 = Lyon 12 + Paris 18;
  // p2: DE 50 = Bayern 30 + Berlin 20, FR 40 = Lyon 15 + Paris 25
  const regions = (
    p1: (number | null)[],
    p2: (number | null)[],
    bases = [34, 36, 27, 43]
  ): [Record<string, unknown>, Record<string, unknown>] => {
    const places = [
      ["DE", "Bayern"],
      ["DE", "Berlin"],
      ["FR", "Lyon"],
      ["FR", "Paris"]
    ] as const;
    return [0, 1].map((k) =>
      places.map(([c, r], i) => [c, r, (k === 0 ? p1 : p2)[i], bases[i]] as const)
    ) as never;
  };

  it("recovers a lone suppressed country from the base's customers there", async () => {
    // the check read every map cell named in its sums as 0, suppressed ones too
    const dir = site({
      ...mapReport(
        "p1",
        [
          ["DE", null, 70],
          ["FR", 30, 70]
        ],
        []
      ),
      ...mapReport(
        "p2",
        [
          ["DE", 50, 70],
          ["FR", 40, 70]
        ],
        []
      )
    });
    expect(await recovered(dir)).toEqual([
      "_file/data/profiles/p1.0a1b2c3d.json, countries, DE: a suppressed count that the published cells and totals give by subtraction"
    ]);
  });

  /** Both profiles' maps: DE and FR with 70 customers each in the base, and these regions. */
  const maps = (
    de: [number | null, number | null],
    fr: [number | null, number | null],
    [r1, r2]: [Record<string, unknown>, Record<string, unknown>]
  ) =>
    site({
      ...mapReport(
        "p1",
        [
          ["DE", de[0], 70],
          ["FR", fr[0], 70]
        ],
        r1 as never
      ),
      ...mapReport(
        "p2",
        [
          ["DE", de[1], 70],
          ["FR", fr[1], 70]
        ],
        r2 as never
      )
    });

  it("recovers a suppressed region from its country and the country's other regions", async () => {
    // the four cells of Bayern and Lyon form a cycle: the regions alone give none of them
    const dir = maps([20, 50], [30, 40], regions([null, 16, null, 18], [null, 20, null, 25]));
    expect(await recovered(dir)).toEqual([
      "_file/data/profiles/p1.0a1b2c3d.json, regions, DE Bayern: a suppressed count that the published cells and totals give by subtraction",
      "_file/data/profiles/p1.0a1b2c3d.json, regions, FR Lyon: a suppressed count that the published cells and totals give by subtraction",
      "_file/data/profiles/p2.0a1b2c3d.json, regions, DE Bayern: a suppressed count that the published cells and totals give by subtraction",
      "_file/data/profiles/p2.0a1b2c3d.json, regions, FR Lyon: a suppressed count that the published cells and totals give by subtraction"
    ]);
  });

  it("recovers a suppressed country from its regions", async () => {
    const dir = maps([null, null], [null, null], regions([4, 16, 12, 18], [30, 20, 15, 25]));
    expect((await recovered(dir)).map((v) => v.split(":")[0])).toEqual([
      "_file/data/profiles/p1.0a1b2c3d.json, countries, DE",
      "_file/data/profiles/p1.0a1b2c3d.json, countries, FR",
      "_file/data/profiles/p2.0a1b2c3d.json, countries, DE",
      "_file/data/profiles/p2.0a1b2c3d.json, countries, FR"
    ]);
  });

  it("recovers none where the base's regions leave part of the country out", async () => {
    // Bayern's base is 28 of DE's 70 with Berlin's 36: six customers of DE in no region shown
    const dir = maps(
      [20, 50],
      [30, 40],
      regions([null, 16, null, 18], [null, 20, null, 25], [28, 36, 27, 37])
    );
    expect(await recovered(dir)).toEqual([]);
  });
});

/** segments.json with outcomes (and means) only, one segmentation of three segments. */
function outcomes(
  rows: [value: string, customers: number | null, rate: number | null][],
  means: Record<string, unknown>[] = []
) {
  return {
    "_file/data/segments.0a1b2c3d.json": {
      min_group_size: 10,
      customers_total: 1000,
      profiles: [],
      segmentations: [],
      means,
      outcomes: rows.map(([value, customers, rate]) => ({
        segment: "channel",
        value,
        position: 0,
        outcome: "churned",
        label: "Churned",
        customers,
        rate,
        low: null,
        high: null,
        base_rate: 0.2,
        lift: null
      }))
    }
  };
}

describe("differencing(dir, files, minGroupSize) on outcome rates and means per segment", () => {
  it("holds the customers a rate gives (rate × customers) to the small-count rule, both sides", async () => {
    expect(
      await recovered(
        site(
          outcomes([
            ["app", 500, 0.006],
            ["web", 300, 0.99],
            ["store", 200, 0.5]
          ])
        )
      )
    ).toEqual([
      'outcomes, churned, channel, "app", customers who had it: a count of 3 customers, below privacy.minGroupSize (10)',
      'outcomes, churned, channel, "web", customers who did not: a count of 3 customers, below privacy.minGroupSize (10)'
    ]);
  });

  it("recovers a segment's suppressed rate from the base's and the other segments', none of two", async () => {
    expect(
      await recovered(
        site(
          outcomes([
            ["app", null, null],
            ["web", 300, 0.2],
            ["store", 200, 0.25]
          ])
        )
      )
    ).toEqual([
      '_file/data/segments.0a1b2c3d.json, outcomes, churned, channel, "app", customers: a suppressed count that the published cells and totals give by subtraction',
      '_file/data/segments.0a1b2c3d.json, outcomes, churned, channel, "app", rate: a suppressed count that the published cells and totals give by subtraction'
    ]);
    expect(
      await recovered(
        site(
          outcomes([
            ["app", null, null],
            ["web", null, null],
            ["store", 200, 0.25]
          ])
        )
      )
    ).toEqual([]);
  });

  it("reads the customers behind a segment's means as the crosstab's cells", async () => {
    // app and web × p1 and p2 all suppressed: a cycle, none recovered
    const cycle = segments(
      [
        [null, null],
        [null, null]
      ],
      [34, 66]
    );
    expect(await recovered(site(cycle))).toEqual([]);
    // the means of app in p2 name its 30 customers: app's p1 follows from app's size
    const doc = cycle["_file/data/segments.0a1b2c3d.json"];
    const leaked = {
      "_file/data/segments.0a1b2c3d.json": {
        ...doc,
        means: [{segment: "channel", value: "app", profile_id: "p2", customers: 30, age: 41}]
      }
    };
    expect((await recovered(site(leaked))).map((v) => v.split(":")[0])).toEqual([
      'channel, "app", p1',
      'channel, "web", p1',
      'channel, "web", p2'
    ]);
  });
});

describe("buildOutcomes(store, outcomes, options) as the privacy check reads it", () => {
  // 200 customers, p1 the even ids and p2 the odd; channel: app 95 (3 churned), web 100 (30
  // churned), store 5 (2 churned); the profiles 18 and 17 churned
  let store: Store;
  beforeAll(async () => {
    store = await Store.open(":memory:");
    await store.run(sql`CREATE TABLE customers (customer_id VARCHAR, churned INTEGER)`);
    await store.run(sql`CREATE TABLE customer_profiles (customer_id VARCHAR, profile_id VARCHAR)`);
    await store.run(
      sql`CREATE TABLE customer_segments (customer_id VARCHAR, segment VARCHAR, value VARCHAR, position INTEGER)`
    );
    const rows = Array.from({length: 200}, (_, i) => {
      const id = `c${String(i).padStart(3, "0")}`;
      const value = i < 95 ? "app" : i < 195 ? "web" : "store";
      const churned = i < 3 || (i >= 95 && i < 125) || i === 195 || i === 196 ? 1 : 0;
      return {id, value, churned, profile: i % 2 === 0 ? "p1" : "p2"};
    });
    await store.run(
      sql`INSERT INTO customers VALUES ${sqlJoin(rows.map((r) => sql`(${val(r.id)}, ${r.churned})`))}`
    );
    await store.run(
      sql`INSERT INTO customer_profiles VALUES ${sqlJoin(rows.map((r) => sql`(${val(r.id)}, ${val(r.profile)})`))}`
    );
    await store.run(
      sql`INSERT INTO customer_segments VALUES ${sqlJoin(rows.map((r) => sql`(${val(r.id)}, 'channel', ${val(r.value)}, 0)`))}`
    );
    await buildOutcomes(
      store,
      {churned: {column: "churned", type: "flag", label: "Churned"}} as never,
      {asOf: "2026-11-01", minGroupSize: 10}
    );
  });
  afterAll(() => store.close());

  it("publishes no rate that gives a small group, nor one that the others and the base give", async () => {
    const profiles = await store.all<Record<string, unknown>>(profileOutcomesQuery());
    const segmentRows = await store.all<Record<string, unknown>>(segmentOutcomesQuery());
    const dir = site({
      "_file/data/profiles.0a1b2c3d.json": {
        profiles: ["p1", "p2"].map((id) => ({
          id,
          outcomes: profiles.filter((p) => p.profile_id === id)
        }))
      },
      "_file/data/segments.0a1b2c3d.json": {
        profiles: [],
        segmentations: [],
        means: [],
        outcomes: segmentRows
      }
    });
    expect(await recovered(dir)).toEqual([]);
    // app's three who churned and store's five customers are hidden, and so nothing is shown
    // that subtraction from the base would give them
    expect(segmentRows.map((r) => [r.value, r.rate === null])).toEqual([
      ["app", true],
      ["store", true],
      ["web", false]
    ]);
  });
});

describe("protectPlaces(countries, regions, min) as the privacy check reads it", () => {
  // the regions test's table: p1 DE 20 = Bayern 4 + Berlin 16, FR 30 = Lyon 12 + Paris 18;
  // p2 DE 50 = Bayern 30 + Berlin 20, FR 40 = Lyon 15 + Paris 25
  const countries = [
    [20, 50],
    [30, 40]
  ];
  const regions = [
    [4, 30],
    [16, 20],
    [12, 15],
    [18, 25]
  ];
  const names = {countries: ["DE", "FR"], regions: ["DE", "DE", "FR", "FR"]};
  const regionNames = ["Bayern", "Berlin", "Lyon", "Paris"];

  /** Both reports' maps, each cell published unless hidden, with the profile's shares. */
  function maps(hidden: {countries: boolean[][]; regions: boolean[][]}) {
    const place = (counts: number[][], hide: boolean[][], k: number) => {
      const total = counts.reduce((n, row) => n + row[k], 0);
      return counts.map((row, i) => (hide[i][k] ? null : row[k])).map((n) => [n, total] as const);
    };
    const base = (counts: number[][]) => counts.map((row) => row[0] + row[1]);
    return Object.assign(
      {},
      ...["p1", "p2"].map((id, k) => {
        const report = mapReport(
          id,
          place(countries, hidden.countries, k).map(
            ([n], i) => [names.countries[i], n, base(countries)[i]] as const
          ) as never,
          place(regions, hidden.regions, k).map(
            ([n], i) => [names.regions[i], regionNames[i], n, base(regions)[i]] as const
          ) as never
        );
        // each published cell's share of the profile gives the profile's total over the places
        const doc = Object.values(report)[0] as {
          geography: Record<string, {customers: number | null; share: number | null}[]>;
        };
        for (const [level, counts] of [
          ["countries", countries],
          ["regions", regions]
        ] as const) {
          const total = counts.reduce((n, row) => n + row[k], 0);
          for (const p of doc.geography[level])
            p.share = p.customers === null ? null : p.customers / total;
        }
        return report;
      })
    );
  }

  it("leaves no region or country recoverable, where each level protected alone left one", async () => {
    const alone = {
      countries: protectCrosstab(countries, 10, {fixedRows: true, fixedColumns: true}).cells,
      regions: protectCrosstab(regions, 10, {fixedRows: true, fixedColumns: true}).cells
    };
    expect((await recovered(site(maps(alone)))).length).toBeGreaterThan(0);
    const nested = protectPlaces(
      {counts: countries, names: names.countries},
      {counts: regions, names: names.regions},
      10
    );
    expect(nested.regions[0][0]).toBe(true);
    expect(await recovered(site(maps(nested)))).toEqual([]);
  });
});

describe("the segments' means of a flag, and protectFlagMeans(rows, counts, flags, min)", () => {
  // channel: app has p1 40 (3 online) and p2 60 (30 online); web p1 50 (20), p2 50 (25)
  const counts: FlagCount[] = [
    {segment: "channel", value: "app", profile_id: "p1", feature: "online", ones: 3, n: 40},
    {segment: "channel", value: "app", profile_id: "p2", feature: "online", ones: 30, n: 60},
    {segment: "channel", value: "web", profile_id: "p1", feature: "online", ones: 20, n: 50},
    {segment: "channel", value: "web", profile_id: "p2", feature: "online", ones: 25, n: 50}
  ];
  const mean = (value: string, profile: string | null, from = counts) => {
    const mine = from.filter(
      (c) => c.value === value && (profile === null || c.profile_id === profile)
    );
    const sum = (k: "ones" | "n") => mine.reduce((a, c) => a + c[k], 0);
    return {
      segment: "channel",
      value,
      profile_id: profile,
      customers: sum("n"),
      online: sum("ones") / sum("n")
    };
  };
  const rowsOf = (from: FlagCount[]) =>
    ["app", "web"]
      .flatMap((v) => [mean(v, null, from), mean(v, "p1", from), mean(v, "p2", from)])
      .filter((r) => r.customers > 0);
  const rows = rowsOf(counts);
  const report = (id: string, ones: number, n: number) => ({
    [`_file/data/profiles/${id}.0a1b2c3d.json`]: {
      profile: {id},
      traits: [{feature: "online", level: null, profile_value: ones / n, customers: n}],
      distributions: [],
      geography: {countries: [], regions: []},
      segments: []
    }
  });
  /** The means beside the crosstab and the profiles' traits; web p2 may have no customers. */
  const published = (means: unknown[], webP2 = 50) => {
    const doc = segments(
      [
        [40, 60],
        [50, webP2]
      ],
      [100, 50 + webP2]
    )["_file/data/segments.0a1b2c3d.json"];
    return site({
      "_file/data/segments.0a1b2c3d.json": {
        ...doc,
        customers_total: 150 + webP2,
        profiles: [
          {id: "p1", name: "One", customers: 90},
          {id: "p2", name: "Two", customers: 60 + webP2}
        ],
        features: [{feature: "online", label: "Online", unit: "flag"}],
        means
      },
      ...report("p1", 23, 90),
      ...report("p2", webP2 === 0 ? 30 : 55, 60 + webP2)
    });
  };

  it("holds the customers a flag's mean counts to the small-count rule, and recovers a hidden one", async () => {
    expect(await recovered(published(rows))).toEqual([
      'means, channel, "app", p1, online, customers with the flag: a count of 3 customers, below privacy.minGroupSize (10)'
    ]);
    const lone = rows.map((r) =>
      r.value === "app" && r.profile_id === "p1" ? {...r, online: null} : r
    );
    expect((await recovered(published(lone))).map((v) => v.split(":")[0])).toEqual([
      'means, channel, "app", p1, online'
    ]);
  });

  it("hides the small one and its complements, and then nothing is recovered", async () => {
    const safe = protectFlagMeans(
      rows,
      counts,
      [{feature: "online", label: "Online", unit: "flag"}],
      10
    );
    expect(safe.find((r) => r.value === "app" && r.profile_id === "p1")!.online).toBeNull();
    expect(await recovered(published(safe))).toEqual([]);
  });

  it("knows that a profile with no customers in a segment has none with the flag", async () => {
    // p2 has no one in web: the crosstab says 0 there, so hiding web's p1 alone is not enough
    const some = counts.filter((c) => !(c.value === "web" && c.profile_id === "p2"));
    const flag = [{feature: "online", label: "Online", unit: "flag"}];
    const safe = protectFlagMeans(rowsOf(some), some, flag, 10);
    expect(await recovered(published(safe, 0))).toEqual([]);
  });
});
