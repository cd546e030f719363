/**
 * The customer card: one customer's profile and what it implies, laid out to be read in
 * seconds before a call. Pure: takes a Card (src/contracts/cards.ts) as readCard decodes it
 * (src/components/shard.ts), and a document.
 */
import {builder, type Child} from "./dom.js";
import {profileColor} from "./palette.js";
import type {Card, CardTrait} from "../contracts/cards.js";
import {formatMoney} from "../contracts/money.js";
import {flagEvidence, lapseEvent, withArticle} from "../contracts/risk.js";
import {formatShare} from "../contracts/share.js";
import {capitalise} from "../contracts/text.js";

const integer = new Intl.NumberFormat("en-US", {maximumFractionDigits: 0});
const decimal = new Intl.NumberFormat("en-US", {maximumFractionDigits: 1});
const money = new Intl.NumberFormat("en-US", {minimumFractionDigits: 2, maximumFractionDigits: 2});
const DASH = "–";
/** Where the data hold no such records at all: never 0 or "none". */
const NOT_MEASURED = "not measured";

/** A share as a percentage: 0.123 → "12%", small shares with a decimal ("2.9%"). */
export function percent(x: number | null): string {
  return formatShare(x);
}

function count(x: number | null): string {
  return x === null ? DASH : integer.format(x);
}

/** Days between two ISO dates, written for a reader: "today", "1 day ago", "43 days ago". */
export function ago(date: string | null, asOf: string | null): string {
  if (date === null || asOf === null) return "";
  const days = Math.round((Date.parse(asOf) - Date.parse(date)) / 86_400_000);
  return days <= 0
    ? "on the as-of day"
    : days === 1
      ? "1 day ago"
      : `${integer.format(days)} days ago`;
}

const UNITS: Record<string, string> = {days: "days", years: "years", hours: "h", minutes: "min"};

/** An amount with `digits` decimals, in the build's currency when it has one ("€1,235"). */
function amount(x: number | null, digits: 0 | 2, currency?: string | null): string {
  if (x === null) return DASH;
  return currency ? formatMoney(x, currency, digits) : (digits === 0 ? integer : money).format(x);
}

/** A trait's value for a reader: shares as %, flags as yes/no, durations with their unit. */
export function traitValue(
  trait: CardTrait,
  value: number | string | null,
  own: boolean,
  currency?: string | null
): string {
  if (value === null) return DASH;
  if (typeof value === "string") return value;
  if (trait.kind === "category" || trait.unit === "share") return percent(value);
  if (trait.unit === "flag") return own ? (value >= 0.5 ? "yes" : "no") : percent(value);
  if (trait.unit === "currency") return amount(value, 0, currency);
  if (trait.unit === "log ratio") return value.toFixed(2);
  const unit = UNITS[trait.unit];
  const n = Math.abs(value) >= 100 ? integer.format(value) : decimal.format(value);
  return unit ? `${n} ${unit}` : n;
}

/** A trait's label with a capital and, for survey scales, what the number is. */
export function traitLabel(trait: CardTrait): string {
  const label = capitalise(trait.label);
  return trait.unit === "score" && !/score|satisfaction/i.test(label) ? `${label} score` : label;
}

/** Whether the customer's own value sits on the profile's side of the base. */
function likeProfile(trait: CardTrait, value: number | string | null): boolean | null {
  if (value === null) return null;
  if (trait.kind === "category") return value === trait.level;
  if (typeof value !== "number" || trait.profile === null || trait.base === null) return null;
  if (trait.profile === trait.base) return null;
  return trait.profile > trait.base ? value > trait.base : value < trait.base;
}

/** The at-risk state in a word and the sentences that explain it. */
export function riskText(card: Card): {
  state: "yes" | "no" | "unknown";
  label: string;
  reason: string;
} {
  const {risk, p_alive, p_lapse, summary} = card.value;
  const chance = `${withArticle(percent(p_lapse))} chance of ${lapseEvent(summary)}`;
  const alive =
    p_alive === null ? "" : ` P(alive), the chance they still buy at all: ${percent(p_alive)}.`;
  if (risk === null && summary.assessed && !summary.flagged && p_lapse !== null)
    return {
      state: "unknown",
      label: "No at-risk flag",
      reason: `${capitalise(chance)}. ${capitalise(summary.reason ?? "no threshold met the rule")}, so no one is called at risk.${alive}`
    };
  if (risk === null)
    return {
      state: "unknown",
      label: "Risk not assessed",
      reason: !summary.flagged
        ? `${capitalise(summary.reason ?? "no risk model was fitted")}.`
        : card.orders.recent.length === 0 && p_alive === null
          ? "No purchases: the risk model has nothing to go on."
          : `The at-risk flag needs at least ${summary.min_orders} purchases.${alive}`
    };
  const evidence = flagEvidence(summary);
  const threshold = percent(summary.threshold);
  if (risk === "none")
    return {
      state: "no",
      label: "Not at risk",
      reason: `${capitalise(chance)}, under the ${threshold} that flags.${alive}`
    };
  return {
    state: "yes",
    label: "At risk",
    reason: `${capitalise(chance)} (flagged from ${threshold}).${alive}${evidence ? ` ${evidence}` : ""}`
  };
}

/** The customer card. */
export function customerCard(
  card: Card,
  {document, currency}: {document: Document; currency?: string | null}
): HTMLElement {
  const h = builder(document);
  const risk = riskText(card);
  const profile = card.profile;
  const color = profile ? profileColor([profile.id]).range[0] : null;
  const figure = (label: string, value: string, note = "", id?: string) =>
    h(
      "div",
      {class: "figure", id},
      h("dt", {}, label),
      h("dd", {}, h("span", {class: "figure-value"}, value), note && h("small", {}, note))
    );
  const fact = (label: string, value: Child) => [h("dt", {}, label), h("dd", {}, value)];

  const header = h(
    "header",
    {class: "card-head"},
    h("p", {class: "eyebrow"}, "Customer", card.as_of ? ` · data as of ${card.as_of}` : ""),
    h(
      "div",
      {class: "card-title"},
      h("h2", {id: "card-id"}, card.id),
      profile
        ? h(
            "a",
            {
              class: "profile-chip",
              id: "card-profile",
              href: `./profiles/${profile.id}`,
              style: `--profile-color: ${color}`
            },
            h("span", {class: "swatch", "aria-hidden": "true"}),
            h("span", {}, profile.name),
            h("span", {class: "sr-only"}, " (profile report)")
          )
        : h("p", {class: "profile-chip none", id: "card-profile"}, "No profile"),
      h(
        "p",
        {class: `risk risk-${risk.state}`, id: "card-risk", "data-risk": risk.state},
        risk.label
      )
    ),
    h("p", {class: "risk-reason", id: "card-risk-reason"}, risk.reason),
    card.merged_from &&
      h(
        "p",
        {class: "card-note", id: "card-merged"},
        `${card.merged_from} is the same person and was merged into ${card.id}.`
      ),
    card.identifiers
      ? h(
          "p",
          {class: "card-identifiers", id: "card-identifiers"},
          [card.identifiers.name, card.identifiers.email, card.identifiers.phone]
            .filter((x) => x)
            .join(" · ") || "No name, e-mail or phone on record."
        )
      : h(
          "p",
          {class: "card-identifiers muted", id: "card-identifiers"},
          "Name, e-mail and phone are hidden in this build."
        )
  );

  const {orders, tickets, value} = card;
  const figures = h(
    "dl",
    {class: "figures"},
    figure("P(alive)", percent(value.p_alive), "chance they still buy", "card-p-alive"),
    figure("Expected value", amount(value.expected_12m, 0, currency), "next 12 months"),
    orders.last_12m === null
      ? figure("Orders, 12 months", NOT_MEASURED, "no orders in the data", "card-orders")
      : figure(
          "Orders, 12 months",
          count(orders.last_12m),
          `${count(orders.last_90d)} in the last 90 days`,
          "card-orders"
        ),
    figure(
      "Spend, 12 months",
      orders.last_12m === null ? NOT_MEASURED : amount(orders.spend_12m, 0, currency)
    ),
    figure(
      "Last order",
      orders.last_12m === null ? NOT_MEASURED : (orders.last_date ?? "none"),
      ago(orders.last_date, card.as_of)
    ),
    tickets.last_12m === null
      ? figure("Tickets, 12 months", NOT_MEASURED, "no tickets in the data", "card-tickets")
      : figure(
          "Tickets, 12 months",
          count(tickets.last_12m),
          tickets.open === null ? "" : `${count(tickets.open)} open`,
          "card-tickets"
        )
  );

  const serve = h(
    "section",
    {class: "card-section", "aria-labelledby": "card-serve"},
    h("h3", {id: "card-serve"}, "How to serve them"),
    h(
      "dl",
      {class: "facts"},
      fact("Preferred contact", h("strong", {}, card.preferred_channel ?? "not known")),
      fact("Main order channel", h("strong", {}, card.main_order_channel ?? "none"))
    ),
    profile && profile.serve.length
      ? [
          h("p", {class: "serve-intro"}, "What works for their profile:"),
          h(
            "ul",
            {class: "serve"},
            profile.serve.map((s) => h("li", {}, s))
          )
        ]
      : h(
          "p",
          {class: "muted"},
          profile ? "No advice for this profile." : "No profile, so no advice."
        )
  );

  const traits = h(
    "section",
    {class: "card-section", "aria-labelledby": "card-traits"},
    h("h3", {id: "card-traits"}, "What sets their profile apart"),
    card.traits.length
      ? h(
          "table",
          {class: "traits"},
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", {scope: "col"}, "Trait"),
              h("th", {scope: "col", class: "num"}, "This customer"),
              h("th", {scope: "col", class: "num"}, "Profile"),
              h("th", {scope: "col", class: "num"}, "All customers")
            )
          ),
          h(
            "tbody",
            {},
            card.traits.map((t) => {
              const like = likeProfile(t, t.value);
              return h(
                "tr",
                {},
                h("th", {scope: "row"}, traitLabel(t)),
                h(
                  "td",
                  {
                    class: `num own${like === true ? " like" : like === false ? " unlike" : ""}`,
                    title:
                      like === true
                        ? "like the profile"
                        : like === false
                          ? "unlike the profile"
                          : null
                  },
                  traitValue(t, t.value, true, currency)
                ),
                h("td", {class: "num"}, traitValue(t, t.profile, false, currency)),
                h("td", {class: "num muted"}, traitValue(t, t.base, false, currency))
              );
            })
          )
        )
      : h("p", {class: "muted"}, "No distinguishing traits to compare."),
    card.traits.length > 0 &&
      h(
        "p",
        {class: "legend"},
        "● this customer is on the profile's side of all customers; ○ they are not."
      )
  );

  const recent = h(
    "section",
    {class: "card-section", "aria-labelledby": "card-recent"},
    h(
      "h3",
      {id: "card-recent"},
      orders.recent.length === 0
        ? "Orders"
        : orders.recent.length === 1
          ? "Last order"
          : `Last ${orders.recent.length} orders`
    ),
    orders.recent.length
      ? h(
          "table",
          {class: "orders"},
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", {scope: "col"}, "Date"),
              h("th", {scope: "col", class: "num"}, "Amount"),
              h("th", {scope: "col"}, "Channel"),
              h("th", {scope: "col"}, "Category"),
              h("th", {scope: "col"}, "Status")
            )
          ),
          h(
            "tbody",
            {},
            orders.recent.map((o) =>
              h(
                "tr",
                {},
                h("td", {}, o.date),
                h("td", {class: "num"}, amount(o.amount, 2, currency)),
                h("td", {}, o.channel ?? DASH),
                h("td", {}, o.category ?? DASH),
                h(
                  "td",
                  {class: o.status && o.status !== "completed" ? "status-flag" : null},
                  o.status ?? DASH
                )
              )
            )
          )
        )
      : h(
          "p",
          {class: "muted"},
          orders.last_12m === null ? "The data hold no orders." : "No orders on record."
        )
  );

  const support = h(
    "section",
    {class: "card-section", "aria-labelledby": "card-support"},
    h("h3", {id: "card-support"}, "Support"),
    tickets.last_12m === null
      ? h("p", {class: "muted"}, "The data hold no support tickets.")
      : h(
          "dl",
          {class: "facts"},
          fact("Tickets, 12 months", count(tickets.last_12m)),
          fact(
            "Open tickets",
            tickets.open === null
              ? "not recorded"
              : tickets.open > 0
                ? h("strong", {class: "status-flag"}, count(tickets.open))
                : "none"
          ),
          fact(
            "Last ticket",
            tickets.last_date
              ? `${tickets.last_date}${tickets.last_topic ? ` · ${tickets.last_topic}` : ""} (${ago(tickets.last_date, card.as_of)})`
              : "none"
          ),
          fact(
            "Mean satisfaction",
            tickets.satisfaction === null
              ? "no ratings"
              : `${tickets.satisfaction.toFixed(1)} (${count(tickets.rated)} rated ${tickets.rated === 1 ? "ticket" : "tickets"})`
          )
        )
  );

  return h(
    "article",
    {class: "customer-card", id: "card", "data-customer": card.id, "aria-labelledby": "card-id"},
    header,
    figures,
    h("div", {class: "card-columns"}, serve, traits),
    h("div", {class: "card-columns"}, recent, support)
  );
}
