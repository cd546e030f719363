/** Which features the clustering uses and which k it takes (loaders/profile/cluster.ts). */
import {describe, expect, it} from "vitest";
import {chooseK, clusteredFeatures, type KRun} from "../../loaders/profile/cluster.ts";
import {CATALOG, settings} from "../support/clustering.ts";

describe("clusteredFeatures(catalog, settings)", () => {
  it("clusters on the measured behavioral and psychographic features by default, never describe-only ones", () => {
    expect(clusteredFeatures(CATALOG, settings()).map((f) => f.id)).toEqual([
      "spend",
      "visits",
      "price"
    ]);
  });

  it("takes the dimensions' weights and an explicit feature list from the config", () => {
    expect(
      clusteredFeatures(CATALOG, settings({dimensions: {psychographic: 0, demographic: 1}})).map(
        (f) => f.id
      )
    ).toEqual(["spend", "visits", "age"]);
    expect(
      clusteredFeatures(CATALOG, settings({features: ["age", "price"]})).map((f) => f.id)
    ).toEqual(["age", "price"]);
    expect(() => clusteredFeatures(CATALOG, settings({features: ["agee"]}))).toThrow(
      'clustering.features: no feature "agee"'
    );
  });
});

describe("chooseK(runs, fixed)", () => {
  const run = (k: number, silhouette: number, reason: string | null): KRun => ({
    k,
    silhouette,
    inertia: 0,
    minShare: 0.1,
    stability: [],
    accepted: reason === null,
    reason
  });

  it("takes the largest k whose profiles are all big enough and stable", () => {
    const runs = [
      run(3, 0.3, null),
      run(4, 0.27, null),
      run(5, 0.25, "least stable profile 0.40 < 0.75")
    ];
    expect(chooseK(runs, false)).toEqual({k: 4, rule: "largest stable k"});
  });

  it("does not take a stable split that costs more than the tolerance in silhouette", () => {
    const runs = [run(3, 0.7, null), run(4, 0.5, null), run(6, 0.62, null)];
    expect(chooseK(runs, false, 0.15)).toEqual({k: 6, rule: "largest stable k"});
    expect(chooseK(runs, false, 0.1)).toEqual({k: 3, rule: "largest stable k"});
  });

  it("falls back to the best silhouette among big enough profiles when no k is stable", () => {
    const runs = [
      run(3, 0.2, "least stable profile 0.60 < 0.75"),
      run(4, 0.3, "least stable profile 0.70 < 0.75"),
      run(5, 0.4, "smallest profile 0.5 % < 2.0 %")
    ];
    expect(chooseK(runs, false)).toEqual({k: 4, rule: "best silhouette (no k was stable)"});
  });

  it("says what to change when no k gives big enough profiles", () => {
    expect(() => chooseK([run(3, 0.2, "smallest profile 0.5 % < 2.0 %")], false)).toThrow(
      "lower clustering.minProfileShare or clustering.k"
    );
  });
});
