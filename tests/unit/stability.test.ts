/** The bootstrap stability of a clustering (loaders/profile/stability.ts). */
import {describe, expect, it} from "vitest";
import {random} from "../../loaders/profile/kmeans/kmeans.ts";
import {bootstrapStability} from "../../loaders/profile/stability.ts";

describe("bootstrapStability(points, labels, options)", () => {
  it("scores well-separated clusters near 1", () => {
    const rand = random(1);
    const n = 300;
    const points = new Float64Array(n * 2);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = i % 3;
      points[2 * i] = 20 * labels[i] + rand();
      points[2 * i + 1] = rand();
    }
    const stability = bootstrapStability(points, labels, {
      n,
      d: 2,
      k: 3,
      rounds: 5,
      restarts: 2,
      seed: 4
    });
    for (const s of stability) expect(s).toBeGreaterThan(0.99);
  });
});
