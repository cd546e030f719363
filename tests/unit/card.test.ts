/**
 * The customer card component (src/components/card.ts) on fixture cards, pinned by snapshots,
 * and the wording of its risk line and trait values.
 */
import {describe, expect, it} from "vitest";
import {customerCard, riskText, traitLabel, traitValue} from "../../src/components/card.ts";
import type {Card, CardIndex, CardShard} from "../../src/contracts/cards.ts";
import {findCard} from "../../src/components/shard.ts";
import {expectSnapshot, testDocument} from "../support/snapshot.ts";

const INDEX: CardIndex = {
  as_of: "2026-10-31",
  shards: 1,
  identifiers: false,
  example: "C0000001",
  churn: {p_alive_below: 0.5, engagement_drop_above: 0.5, min_orders: 2},
  profiles: [
    {
      id: "p5",
      name: "Cooling, lapsed",
      serve: [
        "Reach them by email (44%, against 43% of all customers).",
        "Support by email: 35% of their tickets, against 30% across all customers."
      ],
      traits: [
        {
          feature: "activity_recent",
          level: null,
          label: "Activities in the last 90 days",
          unit: "activities",
          kind: "number",
          profile: 1,
          base: 5.5
        },
        {
          feature: "recency_days",
          level: null,
          label: "Time since the last order",
          unit: "days",
          kind: "number",
          profile: 197,
          base: 92.5
        },
        {
          feature: "email_open_rate",
          level: null,
          label: "E-mails opened",
          unit: "share",
          kind: "number",
          profile: 0.2,
          base: 0.34
        },
        {
          feature: "main_order_channel",
          level: "web",
          label: "Main order channel: web",
          unit: "share",
          kind: "category",
          profile: 0.61,
          base: 0.46
        },
        {
          feature: "scale_relationship",
          level: null,
          label: "relationship",
          unit: "score",
          kind: "number",
          profile: 2.1,
          base: 3
        }
      ]
    }
  ]
};

/** A shard of two customers in the published layout: one at risk, one without orders. */
const SHARD: CardShard = {
  shard: "00",
  as_of: "2026-10-31",
  fields: [
    "profile",
    "traits",
    "preferred_channel",
    "main_order_channel",
    "orders_90d",
    "orders_12m",
    "spend_12m",
    "last_orders",
    "tickets_12m",
    "open_tickets",
    "last_ticket_days",
    "last_ticket_topic",
    "satisfaction",
    "rated_tickets",
    "p_alive",
    "expected_value_12m",
    "risk",
    "engagement_change"
  ],
  order_levels: {
    channel: ["app", "store", "web"],
    category: ["fashion", "home"],
    status: ["completed", "returned"]
  },
  cards: {
    C0000031: [
      "p5",
      [1, 286, 0.17, "store", 4.5],
      "sms",
      "web",
      0,
      2,
      158,
      [
        [286, 137.81, 0, 1, 0],
        [352, 19.9, 2, 0, 1],
        [376, 39.66, 1, 0, 0]
      ],
      2,
      1,
      167,
      "delivery",
      2,
      1,
      0.796,
      188,
      "engagement_drop",
      -0.78
    ],
    C0000040: [
      null,
      [],
      null,
      null,
      0,
      0,
      null,
      [],
      0,
      0,
      null,
      null,
      null,
      0,
      null,
      null,
      null,
      null
    ]
  },
  merged: {C0000099: "C0000031"}
};

function card(id: string): Card {
  const found = findCard(INDEX, SHARD, id);
  if (found.found !== "card") throw new Error(`no fixture card ${id}`);
  return found.card;
}

describe("customerCard(card, {document})", () => {
  it("renders a customer at risk with their profile, traits, orders and tickets", () => {
    expectSnapshot(
      "customer-card-at-risk",
      customerCard(card("C0000031"), {document: testDocument()})
    );
  });

  it("renders a customer without profile or orders, identifiers shown, merged from another id", () => {
    const c = {
      ...card("C0000040"),
      merged_from: "C0000041",
      identifiers: {name: "Ana Lima", email: "ana@example.com", phone: null}
    };
    expectSnapshot("customer-card-no-orders", customerCard(c, {document: testDocument()}));
  });

  it("says identifiers are hidden when the build hides them", () => {
    const element = customerCard(card("C0000031"), {document: testDocument()});
    expect(element.querySelector("#card-identifiers")?.textContent).toBe(
      "Name, e-mail and phone are hidden in this build."
    );
    expect(element.querySelector("#card-profile")?.getAttribute("href")).toBe("./profiles/p5");
    expect(element.querySelectorAll(".orders tbody tr")).toHaveLength(3);
  });
});

describe("riskText(card)", () => {
  it("explains each state with the numbers behind it", () => {
    expect(riskText(card("C0000031"))).toEqual({
      state: "yes",
      label: "At risk",
      reason: "Activity down 78% on the same 90 days a year earlier: a fall of more than 50%."
    });
    const low = {...card("C0000031")};
    low.value = {...low.value, risk: "p_alive", p_alive: 0.31};
    expect(riskText(low).reason).toBe(
      "P(alive) 31%, under the 50% the rule allows: they may have stopped buying."
    );
    low.value = {...low.value, risk: "none", p_alive: 0.96, engagement_change: 0.1};
    expect(riskText(low)).toMatchObject({state: "no", label: "Not at risk"});
    expect(riskText(card("C0000040"))).toEqual({
      state: "unknown",
      label: "Risk not assessed",
      reason: "No orders: the value model has nothing to go on."
    });
  });
});

describe("traitValue(trait, value, own) and traitLabel(trait)", () => {
  const [activity, recency, opened, channel, relationship] = INDEX.profiles[0].traits;
  it("writes shares as percentages, durations with units, categories as the level", () => {
    expect(traitValue(opened, 0.17, true)).toBe("17%");
    expect(traitValue(opened, 0.029, false)).toBe("2.9%");
    expect(traitValue(recency, 286, true)).toBe("286 days");
    expect(traitValue(activity, 5.5, false)).toBe("5.5");
    expect(traitValue(channel, "store", true)).toBe("store");
    expect(traitValue(channel, 0.61, false)).toBe("61%");
    expect(traitValue(channel, null, true)).toBe("–");
    expect(traitValue({...opened, unit: "flag"}, 1, true)).toBe("yes");
  });

  it("capitalises labels and says when a number is a survey score", () => {
    expect(traitLabel(relationship)).toBe("Relationship score");
    expect(traitLabel(recency)).toBe("Time since the last order");
  });
});
