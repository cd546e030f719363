/** Silhouette widths and the distances they are taken over (loaders/profile/silhouette.ts). */
import {describe, expect, it} from "vitest";
import {distanceMatrix, meanSilhouettes, silhouettes} from "../../loaders/profile/silhouette.ts";

describe("silhouettes(distances, m, labels, k)", () => {
  it("matches widths computed by hand on a line", () => {
    const points = Float64Array.of(0, 1, 10, 12);
    const labels = Int32Array.of(0, 0, 1, 1);
    const widths = silhouettes(distanceMatrix(points, 4, 1), 4, labels, 2);
    // Point 0: a = 1, b = (10 + 12) / 2 = 11; point 2: a = 2, b = (10 + 9) / 2 = 9.5.
    expect(widths[0]).toBeCloseTo(1 - 1 / 11, 6);
    expect(widths[2]).toBeCloseTo(1 - 2 / 9.5, 6);
    const {overall, perCluster} = meanSilhouettes(widths, labels, 2);
    expect(perCluster[0]).toBeCloseTo((widths[0] + widths[1]) / 2, 12);
    expect(overall).toBeCloseTo(widths.reduce((a, b) => a + b, 0) / 4, 12);
  });
});

describe("distanceMatrix(points, m, d, missing)", () => {
  it("leaves out the coordinates either point lacks, scaled to every coordinate", () => {
    const points = Float64Array.of(0, 0, 3, 4, 6, 99);
    const missing = Uint8Array.of(0, 0, 0, 0, 0, 1);
    const distances = distanceMatrix(points, 3, 2, missing);
    expect(distances[1]).toBeCloseTo(5, 6);
    // Points 0 and 2 share the first coordinate only: 6 apart there, √2 × 6 over both.
    expect(distances[2]).toBeCloseTo(6 * Math.SQRT2, 5);
  });
});
