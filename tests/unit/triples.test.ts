/** The (x, t_x, T) summary of the BG/NBD family (loaders/value/clv/triples.ts). */
import {describe, expect, it} from "vitest";
import {compress} from "../../loaders/value/clv/triples.ts";

const f = (values: number[]) => Float64Array.from(values);

describe("compress(x, tx, T, weights?)", () => {
  it("keeps unique triples in order of first appearance, with summed weights and each row's index", () => {
    const unique = compress(f([2, 0, 2, 1, 2]), f([5, 0, 5, 3, 6]), f([10, 8, 10, 9, 10]));
    expect(Array.from(unique.x)).toEqual([2, 0, 1, 2]);
    expect(Array.from(unique.tx)).toEqual([5, 0, 3, 6]);
    expect(Array.from(unique.T)).toEqual([10, 8, 9, 10]);
    expect(Array.from(unique.weights)).toEqual([2, 1, 1, 1]);
    expect(Array.from(unique.index)).toEqual([0, 1, 0, 2, 3]);
  });

  it("puts non-repeaters with the same T together whatever their t_x, which the model ignores", () => {
    const unique = compress(f([0, 0, 0]), f([0, 4, 7]), f([9, 9, 9]), f([1, 2, 0.5]));
    expect(Array.from(unique.tx)).toEqual([0]);
    expect(Array.from(unique.weights)).toEqual([3.5]);
    expect(Array.from(unique.index)).toEqual([0, 0, 0]);
  });

  it("names the offending customer and weight", () => {
    expect(() => compress(f([1]), f([1]), f([-1]))).toThrow("T[0] = -1 must be finite and ≥ 0");
    expect(() => compress(f([1]), f([1]), f([2]), f([-1]))).toThrow(
      "weights[0] = -1 must be finite and ≥ 0"
    );
    expect(() => compress(f([1]), f([1]), f([2]), f([0]))).toThrow("weights sum to zero");
  });
});
