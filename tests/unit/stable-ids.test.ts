/** Stable profile identities (loaders/profile/stable-ids.ts): the assignment and what it reports. */
import {mkdirSync, mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {sql} from "../../loaders/core/sql.ts";
import {
  columnKey,
  hungarian,
  matchProfiles,
  readState,
  type Centroid,
  type ColumnScale
} from "../../loaders/profile/stable-ids.ts";

describe("columnKey(table)", () => {
  it("names a clustering column by its feature, and a category's by feature=level", () => {
    expect(columnKey(sql`k`).render()).toEqual({
      text: "CASE WHEN k.level IS NULL THEN k.feature ELSE k.feature || '=' || k.level END",
      params: []
    });
  });
});

describe("hungarian(cost)", () => {
  it("finds the cheapest one-to-one assignment, not the greedy one", () => {
    // greedy takes row 0 → column 0 (1) and pays 10 for row 1; the optimum pays 2 + 3
    expect(
      hungarian([
        [1, 2],
        [3, 10]
      ])
    ).toEqual([1, 0]);
    expect(
      hungarian([
        [4, 1, 3],
        [2, 0, 5],
        [3, 2, 2]
      ])
    ).toEqual([1, 0, 2]);
  });

  it("leaves extra rows unassigned when there are fewer columns, and the reverse", () => {
    expect(hungarian([[5], [1], [3]])).toEqual([-1, 0, -1]);
    expect(hungarian([[3, 1, 2]])).toEqual([1]);
    expect(hungarian([])).toEqual([]);
  });

  it("matches a brute-force search on random matrices", () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const permutations = (n: number): number[][] =>
      n === 0
        ? [[]]
        : permutations(n - 1).flatMap((p) =>
            Array.from({length: n}, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)])
          );
    for (let trial = 0; trial < 20; trial++) {
      const n = 2 + (trial % 4);
      const cost = Array.from({length: n}, () =>
        Array.from({length: n}, () => Math.round(random() * 100))
      );
      const best = Math.min(
        ...permutations(n).map((p) => p.reduce((s, j, i) => s + cost[i][j], 0))
      );
      const found = hungarian(cost).reduce((s, j, i) => s + cost[i][j], 0);
      expect(found).toBe(best);
    }
  });
});

const scales: ColumnScale[] = ["a", "b"].map((column) => ({
  column,
  center: 0,
  scale: 1,
  weight: 1
}));
const at = (id: string, a: number, b: number): Centroid => ({id, values: {a, b}});

describe("matchProfiles(current, previous, scales, {nextId})", () => {
  const previous = [at("p1", 0, 0), at("p2", 10, 0), at("p3", 0, 10)];

  it("keeps every id when the profiles moved a little, whatever the fitted order", () => {
    const current = [at("p1", 0.2, 9.8), at("p2", 0.1, -0.3), at("p3", 10.4, 0.2)];
    const {matches, nextId} = matchProfiles(current, previous, scales, {nextId: 4});
    expect(matches.map((m) => [m.fitted_id, m.id, m.status])).toEqual([
      ["p1", "p3", "matched"],
      ["p2", "p1", "matched"],
      ["p3", "p2", "matched"]
    ]);
    expect(nextId).toBe(4);
  });

  it("reports a split: two profiles where there was one, the second with a new id", () => {
    const current = [at("p1", 0, 0), at("p2", 10, 0), at("p3", 0, 9), at("p4", 0, 11.5)];
    const {matches, nextId} = matchProfiles(current, previous, scales, {nextId: 4});
    const split = matches.find((m) => m.status === "split")!;
    expect(split).toMatchObject({fitted_id: "p4", id: "p4", related_id: "p3"});
    expect(
      matches
        .filter((m) => m.status === "matched")
        .map((m) => m.id)
        .sort()
    ).toEqual(["p1", "p2", "p3"]);
    expect(nextId).toBe(5);
  });

  it("reports a vanished profile, and a new one far from every old profile", () => {
    const current = [at("p1", 0.1, 0), at("p2", 10, 0.1), at("p3", 30, 30)];
    const {matches} = matchProfiles(current, previous, scales, {nextId: 9});
    expect(matches.find((m) => m.status === "new")).toMatchObject({fitted_id: "p3", id: "p9"});
    expect(matches.find((m) => m.status === "vanished")).toMatchObject({id: "p3", fitted_id: null});
  });

  it("reports a merge: an old profile whose nearest profile of this build took another's id", () => {
    const current = [at("p1", 0, 0), at("p2", 5, 0.2)];
    const two = [at("p1", 0, 0), at("p2", 4.5, 0), at("p3", 5.5, 0)];
    const {matches} = matchProfiles(current, two, scales, {nextId: 4, threshold: 0.5});
    const merged = matches.find((m) => m.status === "merged")!;
    expect(merged.related_id).toBe(matches.find((m) => m.fitted_id === "p2")!.id);
  });

  it("numbers every profile afresh from nextId when there is no previous build", () => {
    const {matches, nextId} = matchProfiles([at("p1", 0, 0), at("p2", 1, 1)], [], scales, {
      nextId: 1
    });
    expect(matches.map((m) => [m.id, m.status])).toEqual([
      ["p1", "new"],
      ["p2", "new"]
    ]);
    expect(nextId).toBe(3);
  });
});

describe("readState(path)", () => {
  it("names the state file when it is a directory, and says what to do", async () => {
    const dir = mkdtempSync(join(tmpdir(), "portrait-state-"));
    try {
      const state = join(dir, "portrait.state.json");
      mkdirSync(state);
      await expect(readState(state)).rejects.toThrow(
        `${state}: the profiles' state file (profiles.state in the config) is a directory, not a file; move it away, or set profiles.state to a file path`
      );
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
