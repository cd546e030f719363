/**
 * Drift per profile between the latest two snapshots: how far its members' centre moved, the
 * features whose distribution shifted most (population stability index), and an alert badge
 * with its reasons when a threshold from the config was passed.
 */
import type {HistoryData} from "../contracts/history.js";
import {builder} from "./dom.js";
import {formatDate} from "./format.js";
import {BASE_COLOR} from "./palette.js";

type Colors = {domain: string[]; range: string[]};
type Drift = HistoryData["drift"];

/** Features listed per profile. */
const TOP_FEATURES = 3;

/** The latest pair's drift, one row per profile. */
export function driftTable(
  drift: Drift,
  {
    profiles,
    colors,
    document: doc = globalThis.document
  }: {profiles: readonly {id: string; name: string}[]; colors: Colors; document?: Document}
): HTMLElement {
  const h = builder(doc);
  const names = new Map(profiles.map((p) => [p.id, p.name]));
  const t = drift.thresholds;
  const [first] = drift.latest;
  const fixed = (x: number) => x.toFixed(2);
  return h(
    "table",
    {class: "drift-table"},
    first
      ? h(
          "caption",
          {},
          `Drift from ${formatDate(first.from)} to ${formatDate(first.to)}. Alert when the centre moves more than ${t.centroid_shift} standard deviations or a feature's PSI passes ${t.psi}.`
        )
      : null,
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", {scope: "col"}, "Profile"),
        h("th", {scope: "col", class: "num"}, "Centroid shift (sd)"),
        h("th", {scope: "col"}, "Features that shifted most (PSI)"),
        h("th", {scope: "col"}, "Alert")
      )
    ),
    h(
      "tbody",
      {},
      drift.latest.map((d) => {
        const measured = d.centroid_shift !== null;
        const over = measured && d.centroid_shift! > t.centroid_shift;
        return h(
          "tr",
          {class: d.alert ? "alerted" : null, "data-profile": d.profile_id},
          h(
            "th",
            {scope: "row"},
            h(
              "a",
              {href: `./profiles/${d.profile_id}#what-changed`},
              h("span", {
                class: "swatch",
                style: `--profile: ${colors.range[colors.domain.indexOf(d.profile_id)] ?? BASE_COLOR}`,
                "aria-hidden": "true"
              }),
              names.get(d.profile_id) ?? d.profile_id
            )
          ),
          h("td", {class: over ? "num over" : "num"}, measured ? fixed(d.centroid_shift!) : "–"),
          h(
            "td",
            {},
            d.features.length
              ? h(
                  "ul",
                  {class: "psi-list"},
                  d.features
                    .slice(0, TOP_FEATURES)
                    .map((f) =>
                      h(
                        "li",
                        {class: f.psi > t.psi ? "over" : null},
                        `${f.label} `,
                        h("span", {class: "psi"}, fixed(f.psi))
                      )
                    )
                )
              : h("span", {class: "muted"}, "–")
          ),
          h(
            "td",
            {},
            d.alert
              ? [
                  h("span", {class: "badge alert-badge"}, "Alert"),
                  h(
                    "ul",
                    {class: "reasons"},
                    d.reasons.map((r) => h("li", {}, r))
                  )
                ]
              : measured
                ? h("span", {class: "badge ok"}, "Stable")
                : h(
                    "span",
                    {class: "muted"},
                    `Not measured: fewer than ${t.min_customers} members on one side`
                  )
          )
        );
      })
    )
  );
}
