/**
 * The at-risk movers: customers who moved into the at-risk state or whose activity dropped
 * between two snapshots, ranked by the value at stake, each linked to their customer card.
 */
import type {Mover, Movers} from "../contracts/history.js";
import {builder} from "./dom.js";
import {formatCustomers, formatDate, formatShare, formatValue} from "./format.js";
import {BASE_COLOR} from "./palette.js";

type Colors = {domain: string[]; range: string[]};

/** Why a customer is listed, in words. */
export function moverReason(reason: Mover["reason"]): string {
  switch (reason) {
    case "both":
      return "into risk, activity dropped";
    case "at_risk":
      return "into risk";
    case "engagement_drop":
      return "activity dropped";
    default:
      throw new Error(`invalid reason: ${reason}`);
  }
}

const whole = new Intl.NumberFormat("en-US", {maximumFractionDigits: 0});

/** The movers' table; `rows` are the ones to show (the page decides how many). */
export function moversTable(
  movers: Movers,
  {
    rows = movers.rows,
    profiles,
    colors,
    currency,
    document: doc = globalThis.document
  }: {
    rows?: readonly Mover[];
    profiles: readonly {id: string; name: string}[];
    colors: Colors;
    currency?: string | null;
    document?: Document;
  }
): HTMLElement {
  const h = builder(doc);
  const names = new Map(profiles.map((p) => [p.id, p.name]));
  const profile = (id: string) =>
    h(
      "span",
      {class: "profile-name"},
      h("span", {
        class: "swatch",
        style: `--profile: ${colors.range[colors.domain.indexOf(id)] ?? BASE_COLOR}`,
        "aria-hidden": "true"
      }),
      names.get(id) ?? id
    );
  const since = formatDate(movers.since);
  return h(
    "table",
    {class: "movers-table"},
    h(
      "caption",
      {},
      `Strong evidence (both signals) first, then by the value at stake: expected value for the next 12 months as it stood on ${since}. `,
      `Activity: orders, web sessions, e-mail opens and clicks since ${since} against the same days a year earlier.`
    ),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", {scope: "col", class: "num"}, "#"),
        h("th", {scope: "col"}, "Customer"),
        h("th", {scope: "col"}, "Profile then → now"),
        h("th", {scope: "col"}, "Reason"),
        h("th", {scope: "col"}, "Evidence"),
        h(
          "th",
          {
            scope: "col",
            class: "num",
            title: `Orders, web sessions, e-mail opens and clicks since ${since}, against the same days a year earlier`
          },
          "Activity then → now"
        ),
        h("th", {scope: "col", class: "num"}, "P(alive) then → now"),
        h("th", {scope: "col", class: "num"}, "Value at stake")
      )
    ),
    h(
      "tbody",
      {},
      rows.map((r) =>
        h(
          "tr",
          {class: r.evidence === "strong" ? "strong" : null},
          h("td", {class: "num"}, String(r.rank)),
          h(
            "td",
            {},
            h(
              "a",
              {href: `./customer?id=${encodeURIComponent(r.customer_id)}`},
              h("code", {}, r.customer_id)
            )
          ),
          h(
            "td",
            {},
            r.previous_profile_id === r.profile_id
              ? [profile(r.profile_id), h("span", {class: "muted"}, " (same)")]
              : [profile(r.previous_profile_id), " → ", profile(r.profile_id)]
          ),
          h("td", {class: "reason"}, moverReason(r.reason)),
          h(
            "td",
            {},
            r.evidence === "strong"
              ? h("span", {class: "badge strong"}, "strong")
              : h("span", {class: "muted"}, "one signal")
          ),
          h(
            "td",
            {class: "num"},
            `${whole.format(r.activity_before)} → ${whole.format(r.activity_now)}`
          ),
          h("td", {class: "num"}, `${formatShare(r.p_alive_before)} → ${formatShare(r.p_alive)}`),
          h("td", {class: "num"}, formatValue(r.value_at_stake, "currency", currency))
        )
      )
    )
  );
}

/**
 * The section's content: what the movers add up to and the table of the first `shown`, or why
 * there is no list (a build of aggregates only publishes no customer-level rows).
 */
export function moversView(
  movers: Movers | null,
  {
    shown,
    profiles,
    colors,
    minGroupSize,
    currency,
    document: doc = globalThis.document
  }: {
    shown: number;
    profiles: readonly {id: string; name: string}[];
    colors: Colors;
    minGroupSize: number;
    currency?: string | null;
    document?: Document;
  }
): HTMLElement {
  const h = builder(doc);
  if (!movers)
    return h(
      "p",
      {class: "muted", id: "movers-left-out"},
      "Customer-level lists are left out of this build (",
      h("code", {}, "privacy.customerLevel: false"),
      "): it publishes aggregates only. The share at risk per profile above shows the movement into risk."
    );
  const since = formatDate(movers.since);
  const until = formatDate(movers.until);
  if (!movers.rows.length)
    return h(
      "p",
      {class: "muted", id: "movers-none"},
      `No customer moved into risk or saw their activity drop between ${since} and ${until}.`
    );
  const total = movers.total_customers;
  const n = (x: number | null) => h("strong", {}, formatCustomers(x, minGroupSize));
  return h(
    "div",
    {class: "movers"},
    h(
      "p",
      {id: "movers-summary"},
      `Between ${since} and ${until}, `,
      n(total),
      " customers moved into the at-risk state or their activity (orders, web sessions, e-mail opens and clicks) ",
      `fell by more than ${formatShare(movers.activity_drop_above)} against the same days a year earlier, `,
      `significantly so (p < ${movers.drop_significance}); `,
      n(movers.strong_customers),
      ` show both signals. Their expected value for the next 12 months, as it stood on ${since}, was `,
      h("strong", {}, formatValue(movers.value_at_stake, "currency", currency)),
      `. The ${whole.format(movers.rows.length)} with the most at stake`,
      total !== null && total > movers.rows.length
        ? [` (of ${whole.format(total)}; `, h("code", {}, "history.moversLimit"), " in the config)"]
        : null,
      ", strongest evidence first; an id opens the customer's card."
    ),
    h(
      "div",
      {class: "table-scroll"},
      moversTable(movers, {
        rows: movers.rows.slice(0, shown),
        profiles,
        colors,
        currency,
        document: doc
      })
    )
  );
}
