/**
 * The backtest on the Method page: how each candidate model would have predicted the horizon
 * that then happened. Two charts, each for the model the build uses:
 * - the classic calibration-and-holdout chart: holdout repeat purchases per customer, predicted
 *   and actual, by the number of repeat purchases in the calibration period (0 … 7+);
 * - calibration of the risk model: the predicted and the actual share who bought nothing, by
 *   tenth of the prediction.
 * And the candidates' table rows, in words. A suppressed bucket (null: fewer than the minimum
 * customers, or hidden beside one) is marked × on the axis and named in the caption, with neither
 * mean: the prediction beside it would give its count back.
 */
import * as Plot from "npm:@observablehq/plot";
import type {BacktestDecile, BacktestFrequency} from "../contracts/method.js";
import {BASE_COLOR, PROFILE_COLORS} from "./palette.js";
import {shareTick, suppressedWhy} from "./format.js";

const PREDICTED = PROFILE_COLORS[0];
const ACTUAL = BASE_COLOR;

/** "A bucket not shown (suppressed): why." for n suppressed buckets, or nothing. */
function suppressedCaption(n: number, one: string, many: string, min: number): string | undefined {
  if (n === 0) return undefined;
  return `${n === 1 ? one : `${n} ${many}`} not shown (suppressed): ${suppressedWhy(min)}.`;
}

/** Both charts': the model's label, the horizon in days and privacy.minGroupSize. */
interface ChartOptions {
  width: number;
  label: string;
  days: number;
  minGroupSize: number;
  document?: Document;
}

/** "1 repeat purchase", "7+ repeat purchases". */
const repeats = (frequency: string) =>
  `${frequency} repeat purchase${frequency === "1" ? "" : "s"}`;

/** Predicted against actual holdout purchases per customer, by calibration repeat purchases. */
export function frequencyChart(
  rows: BacktestFrequency[],
  {width, label, days, minGroupSize, document}: ChartOptions
): SVGSVGElement | HTMLElement {
  const points = rows.flatMap((r) => [
    {
      frequency: r.frequency,
      series: `Predicted by ${label}`,
      value: r.predicted,
      customers: r.customers
    },
    {frequency: r.frequency, series: "Actual", value: r.actual, customers: r.customers}
  ]);
  const suppressed = rows.filter((r) => r.customers === null);
  const domain = [`Predicted by ${label}`, "Actual"];
  const describe = (d: (typeof points)[number]) =>
    `${(d.customers ?? 0).toLocaleString("en")} customers with ${repeats(d.frequency)}\n${d.series}: ${(d.value ?? 0).toFixed(2)} per customer`;
  return Plot.plot({
    document,
    width,
    height: 300,
    title: `${label} predicted the holdout's purchases by how often customers had bought`,
    subtitle: `Repeat purchases per customer in the ${days} days after the calibration date, by repeat purchases before it.`,
    caption: suppressed.length
      ? `× ${suppressedCaption(suppressed.length, "a bucket", "buckets", minGroupSize)}`
      : undefined,
    ariaLabel: `Line chart of predicted and actual purchases per customer in the holdout, by repeat purchases in the calibration period`,
    x: {label: "Repeat purchases in the calibration period", domain: rows.map((r) => r.frequency)},
    y: {label: "Purchases per customer in the holdout", grid: true, zero: true},
    color: {legend: true, domain, range: [PREDICTED, ACTUAL]},
    marks: [
      // a suppressed bucket's null breaks the line
      Plot.line(points, {x: "frequency", y: "value", stroke: "series", strokeWidth: 2}),
      Plot.dot(
        points.filter((d) => d.value !== null),
        {x: "frequency", y: "value", fill: "series", r: 4, title: describe}
      ),
      Plot.dot(suppressed, {
        x: "frequency",
        y: 0,
        symbol: "times",
        r: 3.5,
        stroke: "currentColor",
        strokeWidth: 1.5,
        title: (r: BacktestFrequency) =>
          `Customers with ${repeats(r.frequency)}: suppressed (${suppressedWhy(minGroupSize)})`
      }),
      Plot.ruleY([0])
    ]
  });
}

/** Predicted against actual share who bought nothing, by tenth of the risk model's prediction. */
export function calibrationChart(
  rows: BacktestDecile[],
  {width, label, days, minGroupSize, document}: ChartOptions
): SVGSVGElement | HTMLElement {
  const shown = rows.filter((d) => d.customers !== null);
  const describe = (d: BacktestDecile) =>
    `Tenth ${d.decile} (${(d.customers ?? 0).toLocaleString("en")} customers)\npredicted ${((d.predicted ?? 0) * 100).toFixed(0)}% to buy nothing, ${((d.actual ?? 0) * 100).toFixed(0)}% did`;
  return Plot.plot({
    document,
    width,
    height: 300,
    title: `How often customers bought nothing, against what ${label} predicted`,
    subtitle: `Customers in ten equal groups by their predicted chance of no purchase in the next ${days} days; on the diagonal, the prediction was right.`,
    ariaLabel:
      "Calibration chart: predicted against actual share of customers who bought nothing, by tenth of the prediction",
    caption: suppressedCaption(rows.length - shown.length, "A tenth", "tenths", minGroupSize),
    x: {label: "Predicted: no purchase", domain: [0, 1], tickFormat: shareTick, grid: true},
    y: {label: "Actual: no purchase", domain: [0, 1], tickFormat: shareTick, grid: true},
    marks: [
      Plot.line(
        [
          [0, 0],
          [1, 1]
        ],
        {stroke: ACTUAL, strokeDasharray: "4,3"}
      ),
      Plot.line(shown, {x: "predicted", y: "actual", stroke: PREDICTED, strokeWidth: 1.5}),
      Plot.dot(shown, {x: "predicted", y: "actual", fill: PREDICTED, r: 4, title: describe})
    ]
  });
}
