/** The project config's defaults and checks (loaders/config/project.ts). */
import {describe, expect, it} from "vitest";
import {DEFAULT_MISSING_VALUES, parseConfig} from "../../loaders/config/project.ts";

const base = {sources: {crm: {table: "customers", file: "c.csv"}}} as const;
const parse = (extra: object) => parseConfig({...base, ...extra}, "/p/portrait.config.ts");

describe("parseConfig(input, path): ranges", () => {
  it("keeps age 0–110 unless the config sets it, and reads table.field keys", () => {
    expect(parse({}).ranges).toEqual([{table: "customers", field: "age", min: 0, max: 110}]);
    expect(parse({ranges: {age: [18, 99], "orders.quantity": [1, 500]}}).ranges).toEqual([
      {table: "customers", field: "age", min: 18, max: 99},
      {table: "orders", field: "quantity", min: 1, max: 500}
    ]);
  });

  it("names the key of a range on no table, on text, on a required field or upside down", () => {
    expect(() => parse({ranges: {"order.quantity": [1, 2]}})).toThrow(
      "ranges.order.quantity: no table order"
    );
    expect(() => parse({ranges: {gender: [1, 2]}})).toThrow(
      "ranges.gender: customers.gender is not a number"
    );
    expect(() => parse({ranges: {"orders.amount": [0, 1e6]}})).toThrow(
      "ranges.orders.amount: orders.amount is required"
    );
    expect(() => parse({ranges: {age: [99, 18]}})).toThrow("ranges.age: min 99 is above max 18");
  });
});

describe("parseConfig(input, path): validation", () => {
  it("reads placeholders as missing by default, and leaves duplicate rows to the mapping", () => {
    expect(parse({}).validation).toEqual({
      maxRejectShare: 0.05,
      negativeAmounts: "reject",
      duplicateRows: undefined,
      missingValues: DEFAULT_MISSING_VALUES
    });
  });
});

describe("parseConfig(input, path): identity", () => {
  it("takes a key rule's field as the person id, and names identity.id when no rule has it", () => {
    const rules = [{rule: "key", field: "loyalty_id"}];
    expect(parse({identity: {rules, id: "loyalty_id"}}).identity).toEqual({
      rules,
      survivorship: {},
      id: "loyalty_id",
      numericIds: false
    });
    expect(() => parse({identity: {rules, id: "member_no"}})).toThrow(
      'identity.id: member_no is not the field of a key rule: add {rule: "key", field: "member_no"} to identity.rules (its keys: loyalty_id)'
    );
  });
});

describe("parseConfig(input, path): subscription", () => {
  const crm = {
    table: "customers",
    file: "c.csv",
    attributes: {
      months: {type: "number", dimension: "behavioral"},
      plan: {type: "category", dimension: "behavioral"},
      ended: {type: "date", dimension: "behavioral"}
    },
    outcomes: {churned: {type: "flag"}}
  } as const;
  const parseWith = (subscription: object) =>
    parseConfig({sources: {crm}, subscription}, "/p/portrait.config.ts");

  it("is null unless declared, and keeps a tenure count, its churn outcome and window", () => {
    expect(parse({}).subscription).toBeNull();
    expect(
      parseWith({tenure: "months", churned: "churned", period: "month", window: 1}).subscription
    ).toEqual({tenure: "months", churned: "churned", period: "month", window: 1});
    expect(
      parseWith({start: "signup_date", end: "ended", period: {days: 30}}).subscription
    ).toEqual({
      tenure: {start: "signup_date", end: "ended"},
      churned: null,
      period: {days: 30},
      window: null
    });
  });

  it("names the key when a field is missing or of the wrong type", () => {
    expect(() => parseWith({tenure: "month", churned: "churned", period: "month"})).toThrow(
      "subscription.tenure: no customers field month: name a number field counting completed periods, a canonical field or an attribute or outcome of a customers source (the customers fields that are: age, income, household_size, latitude, longitude, employees, annual_revenue, months)"
    );
    expect(() => parseWith({tenure: "plan", churned: "churned", period: "month"})).toThrow(
      "subscription.tenure: plan is a text field; name a number field counting completed periods"
    );
    expect(() => parseWith({start: "signup_date", end: "months", period: "week"})).toThrow(
      "subscription.end: months is a number field; name the date each subscription ended"
    );
    expect(() => parseWith({tenure: "months", churned: "left", period: "month"})).toThrow(
      "subscription.churned: no outcome left: name a flag or date outcome of a customers source (the outcomes: churned)"
    );
    expect(() => parseWith({tenure: "months", period: "month"})).toThrow(
      "subscription.churned: name the outcome saying who churned: with a tenure count, nothing else says it"
    );
    expect(() => parseWith({tenure: "months", churned: "churned", period: "day"})).toThrow(
      'subscription.period: expected "month", "week", "year" or {days: n}'
    );
    expect(() => parseWith({tenure: "months", churned: "churned", period: {weeks: 2}})).toThrow(
      'subscription.period: expected "month", "week", "year" or {days: n}'
    );
    for (const periods of [
      {start: "signup_date", period: "month"},
      {tenure: "months", start: "signup_date", end: "ended", period: "month"}
    ])
      expect(() => parseWith(periods)).toThrow(
        "subscription: give tenure (a field counting periods), or start and end (date fields), not both"
      );
    expect(() =>
      parseWith({tenure: "months", churned: "churned", period: "month", every: 1})
    ).toThrow("subscription: unknown key every");
  });
});
