import {describe, expect, it} from "vitest";
import {rng, Weighted} from "../../../loaders/demo/random.ts";

function draws(seed: number, key: string, index: number, n = 5): number[] {
  const r = rng(seed, key, index);
  return Array.from({length: n}, () => r.uint32());
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

describe("rng(seed, key, index)", () => {
  it("repeats the same stream for the same seed, key and index", () => {
    expect(draws(42, "customer", 7)).toEqual(draws(42, "customer", 7));
  });

  it("gives different streams for other seeds, keys and indices", () => {
    const base = draws(42, "customer", 7);
    expect(draws(43, "customer", 7)).not.toEqual(base);
    expect(draws(42, "orders", 7)).not.toEqual(base);
    expect(draws(42, "customer", 8)).not.toEqual(base);
  });

  it("keeps one customer's stream independent of how much another drew", () => {
    const a = rng(1, "customer", 0);
    for (let i = 0; i < 1000; i++) a.next();
    expect(draws(1, "customer", 1)).toEqual(draws(1, "customer", 1));
  });

  it("draws uniforms in [0, 1) with mean about 1/2", () => {
    const r = rng(5, "uniform");
    const xs = Array.from({length: 20000}, () => r.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mean(xs)).toBeCloseTo(0.5, 1);
  });
});

describe("Random distributions", () => {
  const r = rng(9, "distributions");
  const n = 20000;

  it("normal has the requested mean and sd", () => {
    const xs = Array.from({length: n}, () => r.normal(10, 2));
    const m = mean(xs);
    const sd = Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
    expect(m).toBeCloseTo(10, 1);
    expect(sd).toBeCloseTo(2, 1);
  });

  it("poisson, gamma and exponential have the requested means", () => {
    expect(mean(Array.from({length: n}, () => r.poisson(3)))).toBeCloseTo(3, 1);
    expect(mean(Array.from({length: n}, () => r.poisson(50))) / 50).toBeCloseTo(1, 1);
    expect(mean(Array.from({length: n}, () => r.gammaMean(4, 0.5))) / 4).toBeCloseTo(1, 1);
    expect(mean(Array.from({length: n}, () => r.gamma(0.5, 2)))).toBeCloseTo(1, 1);
    expect(mean(Array.from({length: n}, () => r.exponential(7))) / 7).toBeCloseTo(1, 1);
  });

  it("beta stays in (0, 1) around its mean", () => {
    const xs = Array.from({length: n}, () => r.beta(0.3, 8));
    expect(xs.every((x) => x > 0 && x < 1)).toBe(true);
    expect(mean(xs)).toBeCloseTo(0.3, 1);
  });

  it("log-normal has the requested median", () => {
    const xs = Array.from({length: n}, () => r.lognormal(50, 0.6)).sort((a, b) => a - b);
    expect(xs[n / 2] / 50).toBeCloseTo(1, 1);
  });

  it("int covers both bounds; shuffle permutes", () => {
    const xs = new Set(Array.from({length: 1000}, () => r.int(1, 3)));
    expect([...xs].sort()).toEqual([1, 2, 3]);
    expect(r.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });
});

describe("Weighted", () => {
  it("draws items in proportion to their weights", () => {
    const w = Weighted.of({a: 1, b: 3, c: 0});
    const r = rng(3, "weighted");
    const counts = {a: 0, b: 0, c: 0};
    for (let i = 0; i < 20000; i++) counts[w.pick(r)]++;
    expect(counts.c).toBe(0);
    expect(counts.b / counts.a).toBeCloseTo(3, 0);
  });

  it("rejects weights that sum to zero", () => {
    expect(() => Weighted.of({a: 0})).toThrow("invalid weights");
  });
});
