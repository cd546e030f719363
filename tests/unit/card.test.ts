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
  risk: {
    kind: "purchases",
    period: null,
    assessed: true,
    flagged: true,
    reason: null,
    horizon_days: 90,
    min_orders: 2,
    model: "MBG/NBD",
    purchase_model: "MBG/NBD",
    purchase_tested: true,
    calibration_date: "2026-08-02",
    threshold: 0.62,
    rule: "precision",
    rule_value: 0.8,
    precision: 0.84,
    recall: 0.71,
    base_rate: 0.46,
    auc: 0.81,
    baseline_auc: 0.77,
    value_predicted: 120400,
    value_actual: 118900,
    value_spend: "gamma_gamma"
  },
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
    "p_lapse",
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
      "at_risk",
      0.874,
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

  it("says 'not measured' where the data hold no orders or tickets at all, never 0", () => {
    const c = card("C0000031");
    c.orders = {last_90d: null, last_12m: null, spend_12m: null, last_date: null, recent: []};
    c.tickets = {...c.tickets, last_12m: null, open: null, last_date: null};
    const element = customerCard(c, {document: testDocument()});
    const figure = (id: string) =>
      element.querySelector(`#${id} .figure-value`)?.textContent?.trim();
    expect(figure("card-orders")).toBe("not measured");
    expect(figure("card-tickets")).toBe("not measured");
    const text = element.textContent ?? "";
    expect(text).toContain("The data hold no orders.");
    expect(text).toContain("The data hold no support tickets.");
    expect(text).not.toMatch(/Orders, 12 months\s*0\b/);
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
      reason:
        "An 87% chance of buying nothing in the next 90 days (flagged from 62%). P(alive), the chance they still buy at all: 80%. Of the customers it would have flagged on 2 August 2026, 84% bought nothing in the next 90 days (against 46% of all); the flag caught 71% of those who lapsed."
    });
    const low = {...card("C0000031")};
    low.value = {...low.value, risk: "none", p_lapse: 0.2, p_alive: 0.96};
    expect(riskText(low)).toEqual({
      state: "no",
      label: "Not at risk",
      reason:
        "A 20% chance of buying nothing in the next 90 days, under the 62% that flags. P(alive), the chance they still buy at all: 96%."
    });
    expect(riskText(card("C0000040"))).toEqual({
      state: "unknown",
      label: "Risk not assessed",
      reason: "No purchases: the risk model has nothing to go on."
    });
  });

  it("says why risk was not assessed in the build, never 'not at risk'", () => {
    const c = card("C0000031");
    c.value = {
      ...c.value,
      risk: null,
      p_lapse: null,
      summary: {
        ...c.value.summary,
        flagged: false,
        assessed: false,
        threshold: null,
        reason:
          "no model ranked the customers who lapsed better than recency alone did (best AUC 0.771, Pareto/NBD, against 0.771 for the time since the last purchase)"
      }
    };
    expect(riskText(c)).toEqual({
      state: "unknown",
      label: "Risk not assessed",
      reason:
        "No model ranked the customers who lapsed better than recency alone did (best AUC 0.771, Pareto/NBD, against 0.771 for the time since the last purchase)."
    });
  });

  it("gives the chance but no verdict where risk was assessed and no threshold met the rule", () => {
    const c = card("C0000031");
    c.value = {
      ...c.value,
      risk: null,
      p_lapse: 0.71,
      summary: {
        ...c.value.summary,
        flagged: false,
        assessed: true,
        threshold: null,
        reason: "no threshold reached a precision of 80% in the backtest (the best was 64%)"
      }
    };
    expect(riskText(c)).toEqual({
      state: "unknown",
      label: "No at-risk flag",
      reason:
        "A 71% chance of buying nothing in the next 90 days. No threshold reached a precision of 80% in the backtest (the best was 64%), so no one is called at risk. P(alive), the chance they still buy at all: 80%."
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
