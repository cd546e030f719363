/** What the retailer sells: product categories with their price level and return behaviour. */

export type Category =
  "electronics" | "home" | "fashion" | "beauty" | "sports" | "toys" | "books" | "office";

export interface CategoryInfo {
  /** Multiplier on an archetype's typical item price. */
  readonly price: number;
  /** Multiplier on an archetype's return rate (clothes come back, books rarely). */
  readonly returns: number;
}

/** The product categories with their price and return multipliers. */
export const CATEGORIES: Readonly<Record<Category, CategoryInfo>> = {
  electronics: {price: 2.4, returns: 1.0},
  home: {price: 1.2, returns: 0.8},
  fashion: {price: 0.9, returns: 2.6},
  beauty: {price: 0.5, returns: 0.5},
  sports: {price: 1.1, returns: 1.0},
  toys: {price: 0.7, returns: 0.6},
  books: {price: 0.35, returns: 0.3},
  office: {price: 0.8, returns: 0.4}
};
