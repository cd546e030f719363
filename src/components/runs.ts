/**
 * Choosing k: for every number of profiles tried, the silhouette and the stability of the least
 * stable profile, the gates it had to pass, and the k the build chose.
 */
import * as Plot from "npm:@observablehq/plot";
import type {ClusteringRun} from "../contracts/method.js";
import {BASE_COLOR, PROFILE_COLORS} from "./palette.js";

export type Run = Pick<
  ClusteringRun,
  "k" | "silhouette" | "min_share" | "min_stability" | "accepted" | "reason" | "chosen"
>;

/** Silhouette and least-stable Jaccard per k; rejected k hollow, the chosen k ringed. */
export function runsChart(
  runs: Run[],
  {width, minStability, document}: {width: number; minStability: number; document?: Document}
): SVGSVGElement | HTMLElement {
  const series = [
    {key: "silhouette", name: "Silhouette (all customers)", color: PROFILE_COLORS[2]},
    {key: "min_stability", name: "Stability of the least stable profile", color: PROFILE_COLORS[1]}
  ] as const;
  const points = series.flatMap((s) =>
    runs
      .filter((r) => r[s.key] !== null)
      .map((r) => ({
        k: r.k,
        value: r[s.key] as number,
        series: s.name,
        accepted: r.accepted,
        chosen: r.chosen,
        reason: r.reason
      }))
  );
  const chosen = runs.find((r) => r.chosen);
  const describe = (d: (typeof points)[number]) =>
    `k = ${d.k}: ${d.series} ${d.value.toFixed(2)}${d.chosen ? "\nchosen" : d.accepted ? "\naccepted" : `\nrejected: ${d.reason}`}`;
  return Plot.plot({
    document,
    width,
    height: 320,
    title: "Choosing the number of profiles",
    subtitle:
      "Filled: k passed the size and stability gates; hollow: rejected (hover for why). The dashed line is the stability gate.",
    ariaLabel: "Line chart of silhouette and stability for each number of profiles tried",
    x: {label: "Number of profiles (k)", ticks: runs.map((r) => r.k), tickFormat: "d"},
    y: {label: "Score", domain: [0, 1], grid: true},
    color: {legend: true, domain: series.map((s) => s.name), range: series.map((s) => s.color)},
    marks: [
      Plot.ruleY([minStability], {stroke: BASE_COLOR, strokeDasharray: "4,3"}),
      chosen
        ? Plot.ruleX([chosen.k], {stroke: "currentColor", strokeOpacity: 0.12, strokeWidth: 14})
        : null,
      Plot.line(points, {x: "k", y: "value", stroke: "series", strokeWidth: 1.5}),
      Plot.dot(
        points.filter((d) => d.accepted),
        {x: "k", y: "value", fill: "series", r: 5, title: describe}
      ),
      Plot.dot(
        points.filter((d) => !d.accepted),
        {
          x: "k",
          y: "value",
          stroke: "series",
          fill: "var(--theme-background, white)",
          r: 5,
          strokeWidth: 2,
          title: describe
        }
      ),
      chosen
        ? Plot.text([chosen], {
            x: "k",
            y: 1,
            text: () => `chosen: k = ${chosen.k}`,
            dy: 8,
            fontWeight: "bold"
          })
        : null
    ]
  });
}
