/**
 * "What changed" on a profile report: the profile at the previous snapshot against now (size,
 * share, risk, value per customer), where its newcomers came from and where its leavers went,
 * its distinguishing numbers then and now, and a drift alert when one was raised.
 */
import type {BeforeAfter, Move, ProfileChanges} from "../contracts/report.js";
import {fewerAtRisk} from "../contracts/risk.js";
import {formatPercentChange} from "../contracts/share.js";
import {formatCustomers, formatDate, formatShare, formatValue} from "./format.js";

/** "+1.2 pts", "−8%": the change in words, or "–" when either side is unknown. */
export function describeChange(pair: BeforeAfter, kind: "share" | "ratio"): string {
  const {before, after} = pair;
  if (before == null || after == null) return "–";
  if (kind === "share") {
    const points = (after - before) * 100;
    if (Math.abs(points) < 0.05) return "unchanged";
    return `${points > 0 ? "+" : "−"}${Math.abs(points).toFixed(1)} pts`;
  }
  if (before === 0) return after === 0 ? "unchanged" : "new";
  const change = after / before - 1;
  if (Math.abs(change) < 0.005) return "unchanged";
  return formatPercentChange(change);
}

/**
 * The share at risk on one side: "fewer than N customers" where it is suppressed (it would
 * single out a few), "not assessed" where the profile's size is shown but its risk is null
 * (that build or snapshot did not assess risk), never "–" or 0 %.
 */
function riskShare(changes: ProfileChanges, side: "before" | "after", min: number): string {
  const suppressed = changes.at_risk_suppressed?.[side];
  if (suppressed) return fewerAtRisk(min, suppressed);
  const share = changes.at_risk_share[side];
  return share == null && changes.customers[side] != null ? "not assessed" : formatShare(share);
}

/** The section's content; `document` lets tests render it with jsdom. */
export function changesView(
  changes: ProfileChanges | null,
  {
    minGroupSize,
    currency,
    document: doc = globalThis.document
  }: {minGroupSize: number; currency?: string | null; document?: Document}
): HTMLElement {
  const el = (tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]) => {
    const node = doc.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    node.append(...children);
    return node;
  };
  if (!changes)
    return el(
      "p",
      {class: "muted"},
      "No earlier snapshot to compare with yet: the history starts with this build (see history.periods in the config)."
    );
  const since = formatDate(changes.previous);
  const row = (label: string, before: string, after: string, change: string) =>
    el(
      "tr",
      {},
      el("th", {scope: "row"}, label),
      el("td", {}, before),
      el("td", {}, after),
      el("td", {}, change)
    );
  const table = el(
    "table",
    {class: "change-table"},
    el("caption", {}, `The profile on ${since} and on ${formatDate(changes.current)}`),
    el(
      "thead",
      {},
      el(
        "tr",
        {},
        el("th", {scope: "col"}, ""),
        el("th", {scope: "col"}, since),
        el("th", {scope: "col"}, "now"),
        el("th", {scope: "col"}, "change")
      )
    ),
    el(
      "tbody",
      {},
      row(
        "Customers",
        formatCustomers(changes.customers.before, minGroupSize),
        formatCustomers(changes.customers.after, minGroupSize),
        describeChange(changes.customers, "ratio")
      ),
      row(
        "Share of all customers",
        formatShare(changes.share.before),
        formatShare(changes.share.after),
        describeChange(changes.share, "share")
      ),
      row(
        "At risk",
        riskShare(changes, "before", minGroupSize),
        riskShare(changes, "after", minGroupSize),
        describeChange(changes.at_risk_share, "share")
      ),
      row(
        "Expected value per customer, 12 months",
        formatValue(changes.value_per_customer.before, "currency", currency),
        formatValue(changes.value_per_customer.after, "currency", currency),
        describeChange(changes.value_per_customer, "ratio")
      ),
      ...changes.traits.map((t) =>
        row(
          t.label,
          formatValue(t.before, t.unit, currency),
          formatValue(t.after, t.unit, currency),
          t.unit === "share" ? describeChange(t, "share") : describeChange(t, "ratio")
        )
      )
    )
  );
  const moves = (title: string, preposition: "from" | "to", rows: Move[], none: string) =>
    el(
      "div",
      {class: "card"},
      el("h3", {}, title),
      rows.length
        ? el(
            "ul",
            {},
            ...rows.map((m) =>
              el(
                "li",
                {},
                `${m.customers == null ? `an undisclosed number${m.profile_id === "joined" ? " of" : ""}` : formatCustomers(m.customers, minGroupSize)} ${m.profile_id === "joined" ? "new customers" : `${preposition} ${m.name}`}`
              )
            )
          )
        : el("p", {class: "muted"}, none)
    );
  const drift = changes.drift.alert
    ? el(
        "div",
        {class: "alert", role: "note"},
        el("strong", {}, "Drift alert. "),
        `This profile's customers changed more than the thresholds allow since ${since}: `,
        el("ul", {}, ...changes.drift.reasons.map((r) => el("li", {}, r))),
        el("a", {href: "../history#drift"}, "Drift on the History page")
      )
    : el("p", {class: "muted"}, `No drift alert since ${since}.`);
  return el(
    "div",
    {class: "what-changed"},
    drift,
    table,
    el(
      "div",
      {class: "grid grid-cols-2"},
      moves("Came in", "from", changes.moved_in, "No customers came in from elsewhere."),
      moves("Left", "to", changes.moved_out, "No customers left for another profile.")
    )
  );
}
