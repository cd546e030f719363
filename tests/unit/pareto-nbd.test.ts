/**
 * The Pareto/NBD model (loaders/value/clv/pareto-nbd.ts) against its published CDNOW estimates
 * (Fader, Hardie & Lee's MATLAB note, 2005) and a closed form of its likelihood.
 */
import {describe, expect, it} from "vitest";
import {
  fitParetoNbd,
  paretoNbdGradient,
  paretoNbdLogLikelihood,
  paretoNbdPAlive
} from "../../loaders/value/clv/pareto-nbd.ts";
import {compress} from "../../loaders/value/clv/triples.ts";
import {
  cdnowSummary,
  PUBLISHED_PNBD,
  PUBLISHED_PNBD_LL,
  relative,
  within
} from "../support/cdnow.ts";

describe("fitParetoNbd(x, tx, T) on the CDNOW sample", () => {
  const data = cdnowSummary();
  const fit = fitParetoNbd(data.x, data.tx, data.T);

  it("reproduces the published estimates within 1 % and the log-likelihood within 0.5", () => {
    expect(fit.converged).toBe(true);
    within(0.01, {...fit.params}, PUBLISHED_PNBD);
    expect(Math.abs(fit.logLikelihood - PUBLISHED_PNBD_LL)).toBeLessThan(0.5);
  });

  it("finds the same maximum from compressed triples with weights", () => {
    const unique = compress(data.x, data.tx, data.T);
    const weighted = fitParetoNbd(unique.x, unique.tx, unique.T, unique.weights);
    for (const key of ["r", "alpha", "s", "beta"] as const)
      expect(relative(weighted.params[key], fit.params[key])).toBeLessThan(1e-6);
  });
});

describe("paretoNbdLogLikelihood(params, x, tx, T)", () => {
  it("is the closed form when alpha = beta, where the hypergeometric terms are 1", () => {
    const [r, s, ab, x, tx, T] = [0.5, 0.7, 9, 2, 10, 30];
    const rsx = r + s + x;
    const a0 = Math.pow(ab + tx, -rsx) - Math.pow(ab + T, -rsx);
    const expected =
      logGamma(r + x) -
      logGamma(r) +
      r * Math.log(ab) +
      s * Math.log(ab) +
      Math.log(Math.pow(ab + T, -(r + x)) * Math.pow(ab + T, -s) + (s / rsx) * a0);
    const ll = paretoNbdLogLikelihood(
      {r, alpha: ab, s, beta: ab},
      Float64Array.of(x),
      Float64Array.of(tx),
      Float64Array.of(T)
    );
    expect(ll).toBeCloseTo(expected, 10);
  });

  it("gives a one-time buyer the chance of having left before buying again", () => {
    const params = {...PUBLISHED_PNBD};
    const none = Float64Array.of(0);
    const early = paretoNbdLogLikelihood(params, none, none, Float64Array.of(10));
    const late = paretoNbdLogLikelihood(params, none, none, Float64Array.of(60));
    // Staying silent longer is less likely, but far likelier than for an immortal Poisson buyer.
    expect(late).toBeLessThan(early);
    const immortal = params.r * Math.log(params.alpha / (params.alpha + 60));
    expect(late).toBeGreaterThan(immortal);
  });
});

describe("paretoNbdGradient(params, x, tx, T)", () => {
  // Five customers (x, t_x, T), and at each parameter point the log-likelihood and its gradient
  // in (r, alpha, s, beta) computed with mpmath 1.3 at 40 digits from another form of the
  // likelihood: Γ(r + x) / Γ(r) α^r β^s [(α + T)^−(r+x) (β + T)^−s
  // + s ∫_{t_x}^{T} (α + τ)^−(r+x) (β + τ)^−(s+1) dτ] (mp.quad; mp.diff for the gradient).
  // The points cover α ≈ β, α > β, α < β and 2F1 arguments beyond 0.9, where its derivatives
  // are central differences.
  const x = Float64Array.of(0, 2, 5, 1, 7);
  const tx = Float64Array.of(0, 10, 38.5, 3, 52);
  const T = Float64Array.of(30, 30, 39, 52, 52);
  const known: [[number, number, number, number], number, [number, number, number, number]][] = [
    [
      [0.55, 10.58, 0.61, 11.67],
      -54.898653101983406,
      [5.307551639280878, -0.1559738129267976, -2.256718563818493, 0.0656550965154233]
    ],
    [
      [0.5, 14, 0.6, 3],
      -57.423548587146804,
      [7.4048896974825675, -0.20579464881384646, -6.009034221384112, 0.5251020455900751]
    ],
    [
      [2, 1, 0.3, 40],
      -68.78450427264086,
      [-9.143828028755184, 7.969732090836662, 5.928254672811661, -0.04113180311346873]
    ],
    [
      [0.3, 800, 1.3, 0.02],
      -129.25845427988122,
      [17.784181776218258, -0.017800803834237044, -26.636156011440438, 259.3763494871403]
    ],
    // β > 10 α + 9 T: every 2F1 argument above 0.9, where the likelihood takes its wide-gap form
    // (the last point near the fit of a population in which nobody leaves: r near 1, s near 0,
    // where hyp2f1 took up to millions of terms).
    [
      [1, 0.5, 0.4, 2000],
      -64.6521124915964,
      [-14.211805904509333, 9.47872925002917, 0.3407932807744915, -6.793125317598183e-5]
    ],
    [
      [0.97, 3, 1.3, 100000],
      -56.80754930804921,
      [-5.70509487544916, 1.1734162955119527, 0.00389642668655756, -5.064970911486346e-8]
    ],
    [
      [1.036, 5.33, 2e-8, 49985],
      -55.24583128569287,
      [-3.45829611274537, 0.5447560082146846, 0.005944799978149238, -2.378265327739484e-15]
    ]
  ];

  it("is the gradient of the likelihood's integral form, on both sides of alpha = beta", () => {
    for (const [[r, alpha, s, beta], ll, gradient] of known) {
      const params = {r, alpha, s, beta};
      expect(paretoNbdLogLikelihood(params, x, tx, T)).toBeCloseTo(ll, 10);
      const g = paretoNbdGradient(params, x, tx, T);
      // Central differences of hyp2f1 where some 2F1 arguments, not all, are above 0.9.
      const wide = beta > 10 * alpha + 9 * 52;
      const differenced = !wide && Math.abs(alpha - beta) / Math.max(alpha, beta) > 0.9;
      [g.r, g.alpha, g.s, g.beta].forEach((value, k) =>
        expect(relative(value, gradient[k]), `${JSON.stringify(params)} [${k}]`).toBeLessThan(
          differenced ? 1e-7 : 1e-10
        )
      );
    }
  });
});

describe("paretoNbdPAlive(params, x, tx, T) where nobody seems to leave", () => {
  it("is the share of the likelihood from staying, as mpmath integrates it", () => {
    // The fit of a simulated population in which nobody leaves (s near 0, β ≫ α + T); mpmath 1.3
    // at 40 digits: (α + T)^−(r+x) (β + T)^−s over that plus s ∫_{t_x}^{T} (α + τ)^−(r+x)
    // (β + τ)^−(s+1) dτ (mp.quad).
    const params = {
      r: 1.031428869163682,
      alpha: 5.30938353070772,
      s: 1.3852244669953745e-8,
      beta: 62083.61618767855
    };
    const known: [number, number, number, number][] = [
      [0, 0, 40, 0.9999999999775825],
      [3, 20, 45, 0.9999999999739959],
      [10, 40, 52, 0.999999999987825]
    ];
    // P(dead) is near 1e-11, and B1 − ln(exp(B1) + exp(B2)) rounds near 1e-15 (B1 near −45): the
    // tolerance checks P(dead) to 1 %.
    for (const [x, tx, T, alive] of known)
      expect(Math.abs(paretoNbdPAlive(params, x, tx, T) - alive)).toBeLessThan(1e-13);
  });
});

/** ln Γ(x) for the small positive arguments above, by Lanczos: apart from the code's own. */
function logGamma(x: number): number {
  const g = 7;
  const c = [
    0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531,
    -176.6150291621406, 12.507343278686905, -0.13857109526572012, 9.984369578019572e-6,
    1.5056327351493116e-7
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}
