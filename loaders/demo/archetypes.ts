/**
 * The planted archetypes: parameters only. Demographics come from one shared distribution
 * (small shifts at most), so archetypes differ in behaviour and survey answers, not in who
 * the customers are. Per-customer rates are drawn around these values, so archetypes overlap.
 */

import type {Category} from "./catalog.ts";

export type ArchetypeName =
  | "digital_native"
  | "loyal_high_touch"
  | "deal_seeker"
  | "lapsing"
  | "b2b_account"
  | "new_customer"
  | "seasonal_gifter";

export type Weights<K extends string> = Readonly<Record<K, number>>;

export type AcquisitionChannel = "search" | "social" | "referral" | "store" | "partner" | "direct";
export type ContactChannel = "email" | "phone" | "chat" | "sms" | "none";
export type OrderChannel = "web" | "app" | "store" | "phone" | "invoice";
export type TicketTopic =
  "delivery" | "billing" | "product" | "returns" | "account" | "integration" | "onboarding";
export type TicketChannel = "chat" | "email" | "phone" | "self-service";
export type Priority = "low" | "normal" | "high";
export type Device = "desktop" | "mobile" | "tablet";
export type WebSource = "direct" | "search" | "email" | "social" | "ads";
export type Scale = "price" | "self_service" | "relationship" | "innovation" | "sustainability";

/** How activity varies over the calendar (see activity.ts). */
export interface Rhythm {
  /** Exponent on the retail seasonal curve: 0 flat, 1 typical. */
  readonly seasonality: number;
  /** Intensity multiplier while a sale is on. */
  readonly promo: number;
  /** Intensity multiplier in the gift season (mid-November to Christmas). */
  readonly gifts: number;
}

export interface OrderParams {
  /** Mean orders per year; each customer's own rate is gamma-distributed around it. */
  readonly perYear: number;
  readonly rateCv: number;
  /** Chance of a first order within days of signing up. */
  readonly firstOrder: number;
  readonly rhythm: Rhythm;
  /** Median price of one item before the category multiplier. */
  readonly itemPrice: number;
  readonly priceSigma: number;
  /** Mean items per order (at least one). */
  readonly quantity: number;
  readonly channels: Weights<OrderChannel>;
  readonly categories: Weights<Category>;
  /** Mean share of orders with a discount outside sales (beta-distributed per customer). */
  readonly discountChance: number;
  /** Discount depth range as a share of the gross amount. */
  readonly discountDepth: readonly [number, number];
  readonly returnRate: number;
  readonly cancelRate: number;
  /** Chance that an order leads to a support ticket. */
  readonly ticketChance: number;
}

export interface TicketParams {
  /** Tickets per year not tied to an order. */
  readonly perYear: number;
  readonly topics: Weights<TicketTopic>;
  readonly channels: Weights<TicketChannel>;
  readonly priority: Weights<Priority>;
  /** Multiplier on the channel's typical resolution time. */
  readonly resolution: number;
  /** Mean satisfaction (1-5) of a quickly resolved ticket. */
  readonly satisfaction: number;
}

export interface EmailParams {
  readonly optIn: number;
  /** Mean open and click-through (click given open) propensities, beta-distributed. */
  readonly open: number;
  readonly click: number;
  /** Multipliers for promotional campaigns and for gift-season campaigns. */
  readonly promoResponse: number;
  readonly giftResponse: number;
  /** Chance per e-mail received of unsubscribing. */
  readonly unsubscribe: number;
}

export interface WebParams {
  readonly perYear: number;
  readonly rateCv: number;
  readonly rhythm: Rhythm;
  readonly devices: Weights<Device>;
  readonly sources: Weights<Exclude<WebSource, "email">>;
  /** Median session length in seconds. */
  readonly duration: number;
}

export interface Archetype {
  readonly name: ArchetypeName;
  /** Share of the population signed up by the default end date. */
  readonly share: number;
  readonly signup: {
    /** Share who joined before history starts (long tenure). */
    readonly before: number;
    /** Latest signup date of those who joined during history. */
    readonly until: string;
  };
  /** Shift in years of the shared age distribution, and multiplier on income. */
  readonly ageShift: number;
  readonly incomeFactor: number;
  readonly b2b: boolean;
  readonly acquisition: Weights<AcquisitionChannel>;
  readonly preferredChannel: Weights<ContactChannel>;
  /** Yearly hazard of quietly dropping out (background churn, apart from planted lapses). */
  readonly dropout: number;
  /** Share of activity left after a lapse; null for archetypes that do not lapse. */
  readonly lapseResidual: number | null;
  readonly orders: OrderParams;
  readonly tickets: TicketParams;
  readonly email: EmailParams;
  readonly web: WebParams;
  /** Mean latent position on each survey scale, in Likert points around the neutral 3. */
  readonly survey: Readonly<Record<Scale, number>>;
}

const FLAT: Rhythm = {seasonality: 1, promo: 1.3, gifts: 1};

const CONSUMER_CATEGORIES: Weights<Category> = {
  electronics: 0.16,
  home: 0.17,
  fashion: 0.22,
  beauty: 0.12,
  sports: 0.11,
  toys: 0.07,
  books: 0.1,
  office: 0.05
};

const CONSUMER_PRIORITY: Weights<Priority> = {low: 0.3, normal: 0.6, high: 0.1};

const CONSUMER_SOURCES: Weights<Exclude<WebSource, "email">> = {
  direct: 0.35,
  search: 0.35,
  social: 0.15,
  ads: 0.15
};

/** The planted archetypes, in truth-file order; shares sum to 1. */
export const ARCHETYPES: readonly Archetype[] = [
  {
    name: "digital_native",
    share: 0.2,
    signup: {before: 0.2, until: "2026-03-31"},
    ageShift: -2,
    incomeFactor: 1.02,
    b2b: false,
    acquisition: {
      search: 0.28,
      social: 0.35,
      referral: 0.12,
      store: 0.03,
      partner: 0.07,
      direct: 0.15
    },
    preferredChannel: {email: 0.3, phone: 0.03, chat: 0.42, sms: 0.15, none: 0.1},
    dropout: 0.02,
    lapseResidual: null,
    orders: {
      perYear: 5,
      rateCv: 0.33,
      firstOrder: 0.8,
      rhythm: FLAT,
      itemPrice: 42,
      priceSigma: 0.6,
      quantity: 1.3,
      channels: {web: 0.38, app: 0.57, store: 0.04, phone: 0.01, invoice: 0},
      categories: {...CONSUMER_CATEGORIES, electronics: 0.26, fashion: 0.2, home: 0.12},
      discountChance: 0.12,
      discountDepth: [0.05, 0.2],
      returnRate: 0.07,
      cancelRate: 0.02,
      ticketChance: 0.03
    },
    tickets: {
      perYear: 0.25,
      topics: {
        delivery: 0.3,
        billing: 0.1,
        product: 0.2,
        returns: 0.2,
        account: 0.2,
        integration: 0,
        onboarding: 0
      },
      channels: {chat: 0.55, email: 0.1, phone: 0.03, "self-service": 0.32},
      priority: CONSUMER_PRIORITY,
      resolution: 0.6,
      satisfaction: 4.2
    },
    email: {
      optIn: 0.85,
      open: 0.42,
      click: 0.28,
      promoResponse: 1.1,
      giftResponse: 1,
      unsubscribe: 0.002
    },
    web: {
      perYear: 19,
      rateCv: 0.28,
      rhythm: FLAT,
      devices: {desktop: 0.2, mobile: 0.7, tablet: 0.1},
      sources: {direct: 0.35, search: 0.25, social: 0.3, ads: 0.1},
      duration: 170
    },
    survey: {price: 0, self_service: 1.3, relationship: -0.9, innovation: 1.1, sustainability: 0.3}
  },
  {
    name: "loyal_high_touch",
    share: 0.12,
    signup: {before: 0.8, until: "2024-12-31"},
    ageShift: 1.5,
    incomeFactor: 1.05,
    b2b: false,
    acquisition: {
      search: 0.08,
      social: 0.02,
      referral: 0.22,
      store: 0.5,
      partner: 0.03,
      direct: 0.15
    },
    preferredChannel: {email: 0.25, phone: 0.5, chat: 0.03, sms: 0.04, none: 0.18},
    dropout: 0.02,
    lapseResidual: null,
    orders: {
      perYear: 8,
      rateCv: 0.25,
      firstOrder: 0.8,
      rhythm: {seasonality: 1, promo: 1, gifts: 1.1},
      itemPrice: 80,
      priceSigma: 0.5,
      quantity: 1.5,
      channels: {web: 0.22, app: 0.03, store: 0.55, phone: 0.2, invoice: 0},
      categories: {...CONSUMER_CATEGORIES, home: 0.24, books: 0.13},
      discountChance: 0.05,
      discountDepth: [0.05, 0.15],
      returnRate: 0.04,
      cancelRate: 0.01,
      ticketChance: 0.02
    },
    tickets: {
      perYear: 0.5,
      topics: {
        delivery: 0.3,
        billing: 0.15,
        product: 0.35,
        returns: 0.1,
        account: 0.1,
        integration: 0,
        onboarding: 0
      },
      channels: {chat: 0.05, email: 0.2, phone: 0.72, "self-service": 0.03},
      priority: {low: 0.25, normal: 0.6, high: 0.15},
      resolution: 0.9,
      satisfaction: 4.5
    },
    email: {
      optIn: 0.7,
      open: 0.32,
      click: 0.12,
      promoResponse: 0.8,
      giftResponse: 1.1,
      unsubscribe: 0.0015
    },
    web: {
      perYear: 6,
      rateCv: 0.33,
      rhythm: FLAT,
      devices: {desktop: 0.5, mobile: 0.3, tablet: 0.2},
      sources: {direct: 0.5, search: 0.35, social: 0.05, ads: 0.1},
      duration: 240
    },
    survey: {
      price: -1.1,
      self_service: -0.9,
      relationship: 1.3,
      innovation: -0.3,
      sustainability: 0.3
    }
  },
  {
    name: "deal_seeker",
    share: 0.18,
    signup: {before: 0.25, until: "2026-03-31"},
    ageShift: -1,
    incomeFactor: 0.95,
    b2b: false,
    acquisition: {
      search: 0.3,
      social: 0.2,
      referral: 0.08,
      store: 0.05,
      partner: 0.3,
      direct: 0.07
    },
    preferredChannel: {email: 0.55, phone: 0.05, chat: 0.15, sms: 0.15, none: 0.1},
    dropout: 0.03,
    lapseResidual: null,
    orders: {
      perYear: 4.5,
      rateCv: 0.33,
      firstOrder: 0.75,
      rhythm: {seasonality: 0.5, promo: 6, gifts: 1},
      itemPrice: 24,
      priceSigma: 0.55,
      quantity: 1.4,
      channels: {web: 0.6, app: 0.3, store: 0.09, phone: 0.01, invoice: 0},
      categories: {...CONSUMER_CATEGORIES, fashion: 0.28, beauty: 0.16},
      discountChance: 0.45,
      discountDepth: [0.15, 0.45],
      returnRate: 0.09,
      cancelRate: 0.04,
      ticketChance: 0.04
    },
    tickets: {
      perYear: 0.25,
      topics: {
        delivery: 0.3,
        billing: 0.25,
        product: 0.1,
        returns: 0.3,
        account: 0.05,
        integration: 0,
        onboarding: 0
      },
      channels: {chat: 0.4, email: 0.35, phone: 0.1, "self-service": 0.15},
      priority: CONSUMER_PRIORITY,
      resolution: 1,
      satisfaction: 3.6
    },
    email: {
      optIn: 0.92,
      open: 0.38,
      click: 0.2,
      promoResponse: 1.8,
      giftResponse: 1,
      unsubscribe: 0.002
    },
    web: {
      perYear: 9,
      rateCv: 0.33,
      rhythm: {seasonality: 0.5, promo: 2, gifts: 1},
      devices: {desktop: 0.35, mobile: 0.55, tablet: 0.1},
      sources: {direct: 0.2, search: 0.3, social: 0.2, ads: 0.3},
      duration: 200
    },
    survey: {price: 1.4, self_service: 0.3, relationship: -0.5, innovation: 0, sustainability: -0.5}
  },
  {
    name: "lapsing",
    share: 0.12,
    signup: {before: 0.4, until: "2025-09-30"},
    ageShift: 0,
    incomeFactor: 1,
    b2b: false,
    acquisition: {
      search: 0.3,
      social: 0.15,
      referral: 0.12,
      store: 0.18,
      partner: 0.1,
      direct: 0.15
    },
    preferredChannel: {email: 0.45, phone: 0.15, chat: 0.15, sms: 0.1, none: 0.15},
    dropout: 0,
    lapseResidual: 0.15,
    orders: {
      perYear: 6,
      rateCv: 0.28,
      firstOrder: 0.75,
      rhythm: FLAT,
      itemPrice: 45,
      priceSigma: 0.6,
      quantity: 1.3,
      channels: {web: 0.5, app: 0.18, store: 0.28, phone: 0.04, invoice: 0},
      categories: CONSUMER_CATEGORIES,
      discountChance: 0.15,
      discountDepth: [0.1, 0.25],
      returnRate: 0.07,
      cancelRate: 0.03,
      ticketChance: 0.04
    },
    tickets: {
      perYear: 0.35,
      topics: {
        delivery: 0.35,
        billing: 0.15,
        product: 0.3,
        returns: 0.15,
        account: 0.05,
        integration: 0,
        onboarding: 0
      },
      channels: {chat: 0.3, email: 0.35, phone: 0.25, "self-service": 0.1},
      priority: CONSUMER_PRIORITY,
      resolution: 1.3,
      satisfaction: 3.4
    },
    email: {
      optIn: 0.78,
      open: 0.3,
      click: 0.14,
      promoResponse: 1,
      giftResponse: 1,
      unsubscribe: 0.003
    },
    web: {
      perYear: 11,
      rateCv: 0.28,
      rhythm: FLAT,
      devices: {desktop: 0.4, mobile: 0.48, tablet: 0.12},
      sources: CONSUMER_SOURCES,
      duration: 180
    },
    survey: {price: 0.3, self_service: 0, relationship: -0.1, innovation: -0.2, sustainability: 0}
  },
  {
    name: "b2b_account",
    share: 0.08,
    signup: {before: 0.4, until: "2026-03-31"},
    ageShift: 1,
    incomeFactor: 1.05,
    b2b: true,
    acquisition: {
      search: 0.2,
      social: 0.03,
      referral: 0.2,
      store: 0.05,
      partner: 0.27,
      direct: 0.25
    },
    preferredChannel: {email: 0.55, phone: 0.35, chat: 0.02, sms: 0.01, none: 0.07},
    dropout: 0.03,
    lapseResidual: null,
    orders: {
      perYear: 8,
      rateCv: 0.39,
      firstOrder: 0.85,
      rhythm: {seasonality: 0.3, promo: 1, gifts: 1},
      itemPrice: 110,
      priceSigma: 0.7,
      quantity: 7,
      channels: {web: 0.3, app: 0, store: 0.02, phone: 0.08, invoice: 0.6},
      categories: {
        electronics: 0.3,
        home: 0.12,
        fashion: 0.02,
        beauty: 0.01,
        sports: 0.02,
        toys: 0.01,
        books: 0.04,
        office: 0.48
      },
      discountChance: 0.25,
      discountDepth: [0.03, 0.12],
      returnRate: 0.02,
      cancelRate: 0.03,
      ticketChance: 0.06
    },
    tickets: {
      perYear: 1.6,
      topics: {
        delivery: 0.15,
        billing: 0.3,
        product: 0.1,
        returns: 0.03,
        account: 0.07,
        integration: 0.35,
        onboarding: 0
      },
      channels: {chat: 0.1, email: 0.55, phone: 0.3, "self-service": 0.05},
      priority: {low: 0.1, normal: 0.5, high: 0.4},
      resolution: 1.8,
      satisfaction: 3.8
    },
    email: {
      optIn: 0.55,
      open: 0.12,
      click: 0.06,
      promoResponse: 0.6,
      giftResponse: 0.8,
      unsubscribe: 0.004
    },
    web: {
      perYear: 9,
      rateCv: 0.33,
      rhythm: {seasonality: 0, promo: 1, gifts: 1},
      devices: {desktop: 0.85, mobile: 0.1, tablet: 0.05},
      sources: {direct: 0.55, search: 0.35, social: 0.02, ads: 0.08},
      duration: 300
    },
    survey: {price: 0.4, self_service: -0.2, relationship: 0.7, innovation: 0.3, sustainability: 0}
  },
  {
    name: "new_customer",
    share: 0.12,
    signup: {before: 0, until: "2026-10-31"},
    ageShift: -1,
    incomeFactor: 1,
    b2b: false,
    acquisition: {search: 0.3, social: 0.25, referral: 0.15, store: 0.1, partner: 0.1, direct: 0.1},
    preferredChannel: {email: 0.45, phone: 0.1, chat: 0.2, sms: 0.1, none: 0.15},
    dropout: 0.05,
    lapseResidual: null,
    orders: {
      perYear: 3,
      rateCv: 0.39,
      firstOrder: 0.85,
      rhythm: FLAT,
      itemPrice: 40,
      priceSigma: 0.6,
      quantity: 1.3,
      channels: {web: 0.58, app: 0.28, store: 0.12, phone: 0.02, invoice: 0},
      categories: CONSUMER_CATEGORIES,
      discountChance: 0.3,
      discountDepth: [0.1, 0.2],
      returnRate: 0.06,
      cancelRate: 0.03,
      ticketChance: 0.05
    },
    tickets: {
      perYear: 0.4,
      topics: {
        delivery: 0.25,
        billing: 0.1,
        product: 0.15,
        returns: 0.1,
        account: 0.25,
        integration: 0,
        onboarding: 0.15
      },
      channels: {chat: 0.4, email: 0.3, phone: 0.15, "self-service": 0.15},
      priority: CONSUMER_PRIORITY,
      resolution: 1,
      satisfaction: 3.9
    },
    email: {
      optIn: 0.8,
      open: 0.45,
      click: 0.2,
      promoResponse: 1,
      giftResponse: 1,
      unsubscribe: 0.004
    },
    web: {
      perYear: 14,
      rateCv: 0.33,
      rhythm: FLAT,
      devices: {desktop: 0.35, mobile: 0.55, tablet: 0.1},
      sources: CONSUMER_SOURCES,
      duration: 190
    },
    survey: {price: 0.1, self_service: 0.2, relationship: 0, innovation: 0.3, sustainability: 0.2}
  },
  {
    name: "seasonal_gifter",
    share: 0.18,
    signup: {before: 0.35, until: "2026-03-31"},
    ageShift: 1,
    incomeFactor: 1,
    b2b: false,
    acquisition: {
      search: 0.35,
      social: 0.15,
      referral: 0.15,
      store: 0.15,
      partner: 0.1,
      direct: 0.1
    },
    preferredChannel: {email: 0.5, phone: 0.12, chat: 0.1, sms: 0.08, none: 0.2},
    dropout: 0.02,
    lapseResidual: null,
    orders: {
      perYear: 3,
      rateCv: 0.28,
      firstOrder: 0.6,
      rhythm: {seasonality: 1, promo: 1.3, gifts: 11},
      itemPrice: 48,
      priceSigma: 0.55,
      quantity: 1.6,
      channels: {web: 0.5, app: 0.1, store: 0.36, phone: 0.04, invoice: 0},
      categories: {
        electronics: 0.2,
        home: 0.08,
        fashion: 0.08,
        beauty: 0.18,
        sports: 0.06,
        toys: 0.26,
        books: 0.13,
        office: 0.01
      },
      discountChance: 0.12,
      discountDepth: [0.1, 0.25],
      returnRate: 0.05,
      cancelRate: 0.02,
      ticketChance: 0.05
    },
    tickets: {
      perYear: 0.1,
      topics: {
        delivery: 0.5,
        billing: 0.1,
        product: 0.15,
        returns: 0.2,
        account: 0.05,
        integration: 0,
        onboarding: 0
      },
      channels: {chat: 0.25, email: 0.35, phone: 0.3, "self-service": 0.1},
      priority: CONSUMER_PRIORITY,
      resolution: 1,
      satisfaction: 4
    },
    email: {
      optIn: 0.72,
      open: 0.2,
      click: 0.12,
      promoResponse: 1,
      giftResponse: 2.6,
      unsubscribe: 0.003
    },
    web: {
      perYear: 4,
      rateCv: 0.33,
      rhythm: {seasonality: 1, promo: 1, gifts: 5},
      devices: {desktop: 0.45, mobile: 0.4, tablet: 0.15},
      sources: {direct: 0.25, search: 0.45, social: 0.15, ads: 0.15},
      duration: 210
    },
    survey: {
      price: 0.2,
      self_service: -0.3,
      relationship: 0.4,
      innovation: -0.4,
      sustainability: 0.5
    }
  }
];
