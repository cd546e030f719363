/**
 * The special functions of the value models (loaders/value/clv/special-functions.ts) against
 * known values and closed forms. Reference constants marked "mpmath" were computed with mpmath
 * at 30 digits.
 */
import {describe, expect, it} from "vitest";
import {digamma, hyp2f1, hyp2f1Plus1, lnGamma} from "../../loaders/value/clv/special-functions.ts";
import {relative} from "../support/cdnow.ts";

const EULER_GAMMA = 0.5772156649015329;

describe("lnGamma(x)", () => {
  it("matches known values, including the reflection branch below 1/2", () => {
    // mpmath
    const known: [number, number][] = [
      [0.5, 0.5723649429247001],
      [1, 0],
      [2, 0],
      [3.7, 1.4280723266653879],
      [10, 12.801827480081469],
      [100, 359.1342053695754],
      [0.243, 1.3180435846996699],
      [1e-8, 18.42068073818021],
      [-0.5, 1.2655121234846454]
    ];
    for (const [x, value] of known) {
      expect(Math.abs(lnGamma(x) - value), `lnGamma(${x})`).toBeLessThan(
        2e-14 * Math.max(1, Math.abs(value))
      );
    }
  });

  it("is ln((x − 1)!) at integers and Infinity at the poles", () => {
    let factorial = 1;
    for (let n = 1; n <= 20; n++) {
      factorial *= n;
      expect(Math.abs(lnGamma(n + 1) - Math.log(factorial)), `lnGamma(${n + 1})`).toBeLessThan(
        1e-14 * Math.max(1, Math.log(factorial))
      );
    }
    expect(lnGamma(0)).toBe(Infinity);
    expect(lnGamma(-3)).toBe(Infinity);
  });
});

describe("digamma(x)", () => {
  it("matches known values: ψ(1) = −γ, ψ(1/2) = −γ − 2 ln 2, and others", () => {
    expect(digamma(1)).toBeCloseTo(-EULER_GAMMA, 14);
    expect(digamma(0.5)).toBeCloseTo(-EULER_GAMMA - 2 * Math.LN2, 14);
    // mpmath
    const known: [number, number][] = [
      [10, 2.251752589066721],
      [1000, 6.907255195648812],
      [3.7, 1.1671535393615113],
      [0.01, -100.56088545786868],
      [-0.5, 0.03648997397857652]
    ];
    for (const [x, value] of known) {
      expect(Math.abs(digamma(x) - value), `digamma(${x})`).toBeLessThan(
        1e-14 * Math.max(1, Math.abs(value))
      );
    }
  });

  it("is the derivative of lnGamma and satisfies ψ(x + 1) = ψ(x) + 1/x", () => {
    for (const x of [0.3, 1.7, 6.5, 42]) {
      const h = 1e-5;
      const slope = (lnGamma(x + h) - lnGamma(x - h)) / (2 * h);
      expect(digamma(x)).toBeCloseTo(slope, 8);
      expect(digamma(x + 1)).toBeCloseTo(digamma(x) + 1 / x, 13);
    }
  });

  it("is NaN at the poles", () => {
    expect(digamma(0)).toBeNaN();
    expect(digamma(-2)).toBeNaN();
  });
});

describe("hyp2f1(a, b, c, z)", () => {
  const close = (actual: number, expected: number, tolerance: number, label: string) =>
    expect(relative(actual, expected), `${label}: ${actual} vs ${expected}`).toBeLessThan(
      tolerance
    );

  it("is −ln(1 − z)/z for (1, 1; 2), from negative z to z near 1 (c − a − b = 0)", () => {
    for (const z of [-20, -0.5, 0.3, 0.9, 0.95, 0.999]) {
      close(hyp2f1(1, 1, 2, z), -Math.log1p(-z) / z, 1e-13, `z = ${z}`);
    }
    // A million terms of the defining series: the running product loses a few digits.
    close(hyp2f1(1, 1, 2, 0.99999), -Math.log1p(-0.99999) / 0.99999, 1e-11, "z = 0.99999");
  });

  it("is (1 − z)^−a when b = c, for negative z and z near 1", () => {
    for (const z of [-3, -0.2, 0.6, 0.9999]) {
      close(hyp2f1(0.7, 2.5, 2.5, z), Math.pow(1 - z, -0.7), 1e-14, `z = ${z}`);
    }
  });

  it("gives arcsin and arctan through the 1 − z connection and Pfaff's transformation", () => {
    for (const s of [0.5, Math.sqrt(0.95), Math.sqrt(0.999)]) {
      close(hyp2f1(0.5, 0.5, 1.5, s * s), Math.asin(s) / s, 1e-13, `arcsin(${s})`);
    }
    for (const x of [0.5, 3, 30]) {
      close(hyp2f1(0.5, 1, 1.5, -x * x), Math.atan(x) / x, 1e-13, `arctan(${x})`);
    }
  });

  it("matches mpmath where c − a − b is not an integer and z is near 1", () => {
    const known: [number, number, number, number, number][] = [
      [0.7, 2.5, 3.1, 0.95, 3.9742877542717534],
      [0.2, 1.3, 2.6, 0.995, 1.21401893512705],
      [1.5, 2.5, 4.0, 0.97, 9.78473486108516],
      [0.3, 0.4, 0.9, -5, 0.758859485716422],
      [2.3, 0.6, 3.0, 0.9999, 6.904320629149703]
    ];
    for (const [a, b, c, z, value] of known) {
      close(hyp2f1(a, b, c, z), value, 1e-12, `2F1(${a}, ${b}; ${c}; ${z})`);
    }
  });

  it("is Gauss's Γ(c)Γ(c − a − b) / (Γ(c − a)Γ(c − b)) at z = 1, and a polynomial for a = −n", () => {
    close(hyp2f1(1, 1, 3, 1), 2, 1e-14, "2F1(1, 1; 3; 1)");
    const [b, c, z] = [1.5, 2.5, 0.8];
    const polynomial = 1 - (2 * b * z) / c + (b * (b + 1) * z * z) / (c * (c + 1));
    close(hyp2f1(-2, b, c, z), polynomial, 1e-15, "2F1(−2, b; c; z)");
  });

  it("rejects arguments outside its domain, saying which", () => {
    expect(() => hyp2f1(1, 1, 2, 1.5)).toThrow("z = 1.5 > 1 is outside the real domain");
    expect(() => hyp2f1(1, 1, -2, 0.5)).toThrow("c = -2 is a non-positive integer");
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow("diverges at z = 1");
    expect(() => hyp2f1(NaN, 1, 2, 0.5)).toThrow("arguments must be finite");
  });
});

describe("hyp2f1Plus1(a, b, z, out)", () => {
  // mpmath 1.3 at 40 digits: mp.hyp2f1(a, b, a + 1, z), and mp.diff of it in a (with c = a + 1
  // moving along), in b and in z.
  const known: [number, number, number, [number, number, number, number]][] = [
    [1.2, 1.6, 0, [1, 0, 0, 0.8727272727272728]],
    [
      1.159,
      1.606,
      0.05,
      [1.0451181338784554, 0.018332898229873777, 0.02889171611786327, 0.9445155380784183]
    ],
    [
      3.5,
      0.3,
      0.5,
      [1.163633155772918, 0.012906766166065332, 0.5910865510203721, 0.4725788030039877]
    ],
    [0.8, 12, 0.85, [99275589.75479876, 122298206.49284787, 179275852.64198878, 7160537448.945061]],
    [
      20.5,
      1.5,
      0.9,
      [20.896131563283625, 0.294421693211723, 43.09058068435965, 244.32913698578187]
    ],
    [
      2.3,
      1.7,
      0.95,
      [20.216848986209147, 6.460814028615335, 44.266038455939466, 345.2889856270214]
    ],
    [1.1, 0.6, 0.999, [2.448460468466255, 1.0215367493873233, 5.177912193206452, 66.778780157666]]
  ];
  const out = new Float64Array(4);

  it("gives 2F1(a, b; a + 1; z) and its derivatives in one series up to z = 0.9, as mpmath", () => {
    for (const [a, b, z, expected] of known.filter(([, , z]) => z <= 0.9)) {
      hyp2f1Plus1(a, b, z, out);
      expected.forEach((value, k) => {
        const error = value === 0 ? Math.abs(out[k]) : relative(out[k], value);
        expect(error, `(${a}, ${b}; ${z}) [${k}]: ${out[k]} vs ${value}`).toBeLessThan(1e-13);
      });
    }
  });

  it("falls back to hyp2f1 and central differences beyond z = 0.9, to 1e-8", () => {
    for (const [a, b, z, expected] of known.filter(([, , z]) => z > 0.9)) {
      hyp2f1Plus1(a, b, z, out);
      expect(relative(out[0], expected[0])).toBeLessThan(1e-12);
      for (let k = 1; k < 4; k++)
        expect(relative(out[k], expected[k]), `(${a}, ${b}; ${z}) [${k}]`).toBeLessThan(1e-8);
    }
  });

  it("agrees with hyp2f1 on both sides of z = 0.9", () => {
    for (const z of [0.9, 0.9000001]) {
      hyp2f1Plus1(1.7, 0.45, z, out);
      expect(relative(out[0], hyp2f1(1.7, 0.45, 2.7, z))).toBeLessThan(1e-14);
    }
  });

  it("rejects arguments outside a, b > 0 and 0 ≤ z < 1", () => {
    expect(() => hyp2f1Plus1(1, 1, 1, out)).toThrow("needs a, b > 0 and 0 ≤ z < 1");
    expect(() => hyp2f1Plus1(0, 1, 0.5, out)).toThrow("needs a, b > 0");
  });
});
