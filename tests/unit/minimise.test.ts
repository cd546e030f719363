/** The optimiser of the value models (loaders/value/clv/minimise.ts). */
import {describe, expect, it} from "vitest";
import {minimise, type Objective} from "../../loaders/value/clv/minimise.ts";

describe("minimise(f, start)", () => {
  it("finds the minimum of Rosenbrock's valley, gradient down to rounding", () => {
    const rosenbrock: Objective = ([x, y], gradient) => {
      gradient[0] = -2 * (1 - x) - 400 * x * (y - x * x);
      gradient[1] = 200 * (y - x * x);
      return (1 - x) ** 2 + 100 * (y - x * x) ** 2;
    };
    const best = minimise(rosenbrock, Float64Array.from([-1.2, 1]));
    expect(best.theta[0]).toBeCloseTo(1, 10);
    expect(best.theta[1]).toBeCloseTo(1, 10);
    expect(best.gradientNorm).toBeLessThan(1e-9);
    expect(best.value).toBeLessThan(1e-20);
  });

  it("backs away from points where the objective is not finite", () => {
    // −ln x + x has its minimum at x = 1 and is NaN for x < 0, where a full step would land.
    const f: Objective = ([x], gradient) => {
      gradient[0] = 1 - 1 / x;
      return x - Math.log(x);
    };
    const best = minimise(f, Float64Array.from([0.01]));
    expect(best.theta[0]).toBeCloseTo(1, 10);
  });

  it("refuses a start where the objective is not finite", () => {
    const f: Objective = () => NaN;
    expect(() => minimise(f, Float64Array.from([0]))).toThrow(
      "the likelihood is not finite at the starting point"
    );
  });
});
