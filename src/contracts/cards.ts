/**
 * The customer cards' files: data/cards.json (CardIndex), what the card page needs before it
 * fetches a shard, and data/cards/<shard>.json (CardShard), the card rows of the customers
 * whose id hashes to that shard; and a card as the page reads it back (Card).
 */

/** One of a profile's top distinguishing traits, with the profile's and the base's value. */
export interface CardTrait {
  feature: string;
  /** The category level for category traits ("app" of main order channel), else null. */
  level: string | null;
  label: string;
  unit: string;
  kind: "number" | "category";
  /** Profile mean (numbers) or share in the level (categories). */
  profile: number | null;
  base: number | null;
}

/** What every card of a profile shares, published once in the index. */
export interface CardProfile {
  id: string;
  name: string;
  /** The profile's "how to serve them" sentences. */
  serve: string[];
  traits: CardTrait[];
}

/** data/cards.json: what the page needs before it fetches a shard. */
export interface CardIndex {
  as_of: string | null;
  shards: number;
  /** Whether the build publishes e-mail, phone and name (config.privacy.identifiers). */
  identifiers: boolean;
  /** An id of this build, to show what ids look like. */
  example: string | null;
  /** The at-risk rule the value model applied (config.churn). */
  churn: {p_alive_below: number; engagement_drop_above: number; min_orders: number};
  profiles: CardProfile[];
}

/**
 * A recent order: days before the as-of date, amount, and the positions of its channel,
 * category and status in its shard's order_levels (null when unknown).
 */
export type OrderRow = [number, number | null, number | null, number | null, number | null];

/**
 * The risk field: null when the model did not assess the customer (no value model, or fewer
 * orders than the rule needs), "none" when not at risk, else the reason they are at risk.
 */
export type Risk = null | "none" | "p_alive" | "engagement_drop" | "both";

/** data/cards/<shard>.json. */
export interface CardShard {
  shard: string;
  as_of: string | null;
  fields: string[];
  /** The order channels, categories and statuses of this shard's recent orders, sorted. */
  order_levels: {channel: string[]; category: string[]; status: string[]};
  /** Card rows by customer id, in id order. */
  cards: Record<string, unknown[]>;
  /** Ids merged into another customer (the same person): merged id → surviving id. */
  merged: Record<string, string>;
}

/** A customer's card, read back from the index and a shard: what the card component shows. */
export interface Card {
  id: string;
  as_of: string | null;
  /** The id that was looked up when it was merged into this customer. */
  merged_from: string | null;
  profile: CardProfile | null;
  /** The profile's traits with this customer's own value (a number, or their category level). */
  traits: (CardTrait & {value: number | string | null})[];
  preferred_channel: string | null;
  main_order_channel: string | null;
  orders: {
    last_90d: number;
    last_12m: number;
    spend_12m: number | null;
    last_date: string | null;
    recent: {
      date: string;
      amount: number | null;
      channel: string | null;
      category: string | null;
      status: string | null;
    }[];
  };
  tickets: {
    last_12m: number;
    /** Tickets not resolved by the as-of date; null when the data has no resolution times. */
    open: number | null;
    last_date: string | null;
    last_topic: string | null;
    satisfaction: number | null;
    rated: number;
  };
  value: {
    p_alive: number | null;
    expected_12m: number | null;
    risk: Risk;
    engagement_change: number | null;
    churn: CardIndex["churn"];
  };
  /** Name, e-mail and phone; null when the build hides identifiers. */
  identifiers: {name: string | null; email: string | null; phone: string | null} | null;
}
