/**
 * The differencing test of the privacy check (loaders/privacy/differencing.ts) on small
 * published folders: the shapes the pages publish, with one suppressed cell beside published
 * totals (recovered) and with its complementary cells (not recovered).
 */
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {dirname, join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {differencing} from "../../loaders/privacy/differencing.ts";
import {publishedFiles} from "../../loaders/privacy/scan.ts";

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
