/**
 * Traits (loaders/profile/traits.ts): buildTraits on twelve hand-made customers in two profiles of
 * six, each column pinning one behaviour (the effect sizes alone: tests/unit/traits.test.ts).
 */
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {CatalogEntry} from "../../loaders/profile/features.ts";
import {sql, valueList} from "../../loaders/core/sql.ts";
import {Store} from "../../loaders/core/store.ts";
import {
  buildTraits,
  cohensH,
  hedgesG,
  readTraits,
  type Trait,
  type TraitOptions
} from "../../loaders/profile/traits.ts";
import {feature} from "../support/catalog.ts";
import {crosstab, recoverable} from "../../loaders/core/margins.ts";

const CATALOG: CatalogEntry[] = [
  feature("orders", "number", "orders", {label: "Orders", transform: "log"}),
  feature("age", "number", "years", {dimension: "demographic"}),
  feature("unsubscribed", "number", "flag"),
  feature("country", "category", "category", {label: "Country", dimension: "geographic"}),
  feature("employees", "number", "people", {dimension: "firmographic"}),
  feature("industry", "category", "category", {dimension: "firmographic"}),
  feature("income", "number", "currency", {measured: false, note: "no income column"})
];

type Row = [
  id: string,
  profile: string,
  orders: number,
  age: number | null,
  unsubscribed: number,
  country: string,
  employees: number | null,
  industry: string | null
];

// p1 orders little, mostly lives in DE and has unsubscribed; p2 orders a lot, only two of them
// gave their age, and they are the business accounts (employees, industry), with one stray
// business account (c06) in p1.
const CUSTOMERS: Row[] = [
  ["c01", "p1", 1, 30, 1, "DE", null, null],
  ["c02", "p1", 2, 32, 1, "DE", null, null],
  ["c03", "p1", 3, 34, 1, "DE", null, null],
  ["c04", "p1", 2, 36, 1, "DE", null, null],
  ["c05", "p1", 1, 38, 0, "DE", null, null],
  ["c06", "p1", 3, 40, 0, "FR", null, "retail"],
  ["c07", "p2", 10, 60, 0, "DE", 12, "software"],
  ["c08", "p2", 20, 62, 0, "FR", 40, "software"],
  ["c09", "p2", 40, null, 0, "FR", 8, "software"],
  ["c10", "p2", 15, null, 0, "FR", 25, "retail"],
  ["c11", "p2", 30, null, 0, "NL", 60, "retail"],
  ["c12", "p2", 25, null, 1, "NL", 5, "retail"]
];

const OPTIONS: TraitOptions = {minEffect: 0.3, minCoverage: 0.5, minGroupSize: 3};

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const varPop = (xs: number[]) => mean(xs.map((x) => (x - mean(xs)) ** 2));
const column = (profile: string, i: number) =>
  CUSTOMERS.filter((r) => r[1] === profile).map((r) => r[i] as number);

let store: Store;
let traits: Trait[];
const find = (profile: string, feature: string, level: string | null = null) => {
  const found = traits.find(
    (t) => t.profile_id === profile && t.feature === feature && t.level === level
  );
  if (!found) throw new Error(`no trait ${profile} ${feature} ${level}`);
  return found;
};

/** A store of CUSTOMERS in their profiles. */
async function customersStore(): Promise<Store> {
  const s = await Store.open(":memory:");
  await s.run(sql`CREATE TABLE features (customer_id VARCHAR, orders DOUBLE, age DOUBLE,
    unsubscribed DOUBLE, country VARCHAR, employees DOUBLE, industry VARCHAR)`);
  await s.run(
    sql`CREATE TABLE customer_profiles (customer_id VARCHAR, profile_id VARCHAR, distance DOUBLE)`
  );
  for (const [id, profile, ...values] of CUSTOMERS) {
    await s.run(sql`INSERT INTO features VALUES (${valueList([id, ...values])})`);
    await s.run(sql`INSERT INTO customer_profiles VALUES (${valueList([id, profile])}, 0.5)`);
  }
  return s;
}

/** The traits of CUSTOMERS with nothing suppressed: the arithmetic of every level. */
async function unsuppressed(): Promise<Trait[]> {
  const s = await customersStore();
  try {
    return await buildTraits(s, CATALOG, {...OPTIONS, minGroupSize: 1});
  } finally {
    s.close();
  }
}

beforeAll(async () => {
  store = await customersStore();
  traits = await buildTraits(store, CATALOG, OPTIONS);
});

afterAll(() => store.close());

describe("buildTraits(store, catalog, options)", () => {
  it("gives every profile one trait per measured number and per category level", () => {
    // orders, age, unsubscribed, employees; country DE, FR, NL; industry retail, software.
    expect(traits.filter((t) => t.profile_id === "p1")).toHaveLength(9);
    expect(traits.filter((t) => t.profile_id === "p2")).toHaveLength(9);
    expect(traits.some((t) => t.feature === "income")).toBe(false);
  });

  it("reports the profile's mean against the base's, and their ratio as the lift", () => {
    const orders = find("p1", "orders");
    expect(orders.profile_value).toBe(2);
    expect(orders.base_value).toBeCloseTo(152 / 12, 12);
    expect(orders.lift).toBeCloseTo(2 / (152 / 12), 12);
    expect(orders.customers).toBe(6);
    expect(orders.kind).toBe("number");
    expect(orders.unit).toBe("orders");
    expect(orders.label).toBe("Orders");
  });

  it("reports the profile's quartiles and the base's", () => {
    const orders = find("p1", "orders");
    expect(orders.p50).toBe(2); // 1, 1, 2, 2, 3, 3
    expect(orders.p25).toBe(1.25);
    expect(orders.base_p50).toBe(6.5); // … 3, 3, 10, 15 …
  });

  it("computes the effect against the rest of the base, on the log scale for log features", () => {
    const log1p = (xs: number[]) => xs.map(Math.log1p);
    const [p1, p2] = [log1p(column("p1", 2)), log1p(column("p2", 2))];
    const expected = hedgesG(6, mean(p1), varPop(p1), 6, mean(p2), varPop(p2))!;
    const orders = find("p1", "orders");
    expect(orders.effect).toBeCloseTo(expected.g, 10);
    expect(orders.effect_low).toBeCloseTo(expected.low, 10);
    expect(orders.effect_high).toBeCloseTo(expected.high, 10);
    expect(orders.effect).toBeCloseTo(-4.7, 1);
    // On the raw scale the 40 orders of c09 would make the effect far smaller.
    const raw = hedgesG(
      6,
      mean(column("p1", 2)),
      varPop(column("p1", 2)),
      6,
      mean(column("p2", 2)),
      varPop(column("p2", 2))
    )!;
    expect(Math.abs(raw.g)).toBeLessThan(3);
    expect(find("p2", "orders").effect).toBeCloseTo(-expected.g, 10);
  });

  it("compares flags as shares, with Cohen's h", async () => {
    const unsubscribed = (await unsuppressed()).find(
      (t) => t.profile_id === "p1" && t.feature === "unsubscribed"
    )!;
    expect(unsubscribed.profile_value).toBeCloseTo(4 / 6, 12);
    const expected = cohensH(4 / 6, 6, 1 / 6, 6)!;
    expect(unsubscribed.effect).toBeCloseTo(expected.g, 12);
    expect(unsubscribed.effect_low).toBeCloseTo(expected.low, 12);
    expect(unsubscribed.effect_high).toBeCloseTo(expected.high, 12);
  });

  it("gives a category one trait per level: share, base share, lift and Cohen's h", async () => {
    // with three customers a cell, p1's DE is hidden beside its FR (below): nothing hidden here
    const all = await unsuppressed();
    const find = (profile: string, feature: string, level: string) =>
      all.find((t) => t.profile_id === profile && t.feature === feature && t.level === level)!;
    const de = find("p1", "country", "DE");
    expect(de.label).toBe("Country: DE");
    expect(de.unit).toBe("share");
    expect(de.kind).toBe("category");
    expect(de.profile_value).toBeCloseTo(5 / 6, 12);
    expect(de.base_value).toBe(0.5);
    expect(de.lift).toBeCloseTo(5 / 3, 12);
    expect(de.customers).toBe(5);
    expect(de.effect).toBeCloseTo(cohensH(5 / 6, 6, 1 / 6, 6)!.g, 12);
    expect(find("p2", "country", "FR").effect).toBeCloseTo(cohensH(3 / 6, 6, 1 / 6, 6)!.g, 12);
  });

  it("publishes a level of no customers as 0, not as suppressed (complements take it as published)", async () => {
    const nl = (await unsuppressed()).find((t) => t.profile_id === "p1" && t.level === "NL")!;
    expect(nl).toMatchObject({suppressed: false, customers: 0, profile_value: 0});
  });

  it("orders the levels by their size in the base", () => {
    const levels = traits
      .filter((t) => t.profile_id === "p1" && t.feature === "country")
      .map((t) => t.level);
    expect(levels).toEqual(["DE", "FR", "NL"]);
  });

  it("reports coverage: the share of the profile's customers with a value", () => {
    expect(find("p1", "age").coverage).toBe(1);
    expect(find("p2", "age").coverage).toBeCloseTo(2 / 6, 12);
    expect(find("p1", "employees").coverage).toBe(0);
    expect(find("p2", "country", "FR").coverage).toBe(1);
  });

  it("suppresses a number below the privacy minimum: value, count, quartiles and effect hidden", () => {
    const age = find("p2", "age"); // two of p2 gave their age
    expect(age.suppressed).toBe(true);
    expect(age.profile_value).toBeNull();
    expect(age.customers).toBeNull();
    expect(age.lift).toBeNull();
    expect(age.effect).toBeNull();
    expect([age.p10, age.p25, age.p50, age.p75, age.p90]).toEqual([null, null, null, null, null]);
    expect(age.base_value).toBe(332 / 8);
    expect(age.distinguishing).toBe(false);
  });

  it("suppresses a category level below the privacy minimum, and the base share of a rare level", () => {
    const fr = find("p1", "country", "FR"); // one customer
    expect(fr).toMatchObject({suppressed: true, profile_value: null, customers: null});
    expect(fr.effect).toBeNull();
    expect(fr.base_value).toBeCloseTo(4 / 12, 12);
    const nl = find("p2", "country", "NL"); // two customers in the whole base
    expect(nl).toMatchObject({suppressed: true, profile_value: null, customers: null});
    expect(Number.isNaN(nl.base_value)).toBe(true);
  });

  it("gives no effect to a number only one profile has, rather than an enormous one", () => {
    // p2 against a rest with no employee counts; p1's age against p2's two ages.
    expect(find("p2", "employees")).toMatchObject({suppressed: false, effect: null});
    expect(find("p2", "employees").profile_value).toBe(25);
    expect(find("p1", "employees")).toMatchObject({suppressed: true, effect: null});
    expect(find("p1", "age")).toMatchObject({suppressed: false, effect: null, profile_value: 35});
  });

  it("gives no effect to a category only one profile has, even with a stray value elsewhere", async () => {
    // p2's industry against the rest: c06 alone, too few to compare with (here p2's levels are
    // hidden too, as complements of c06's: the same holds with nothing suppressed)
    const all = await unsuppressed();
    for (const level of ["retail", "software"]) {
      const t = find("p2", "industry", level);
      expect(t.effect).toBeNull();
      expect(t.distinguishing).toBe(false);
    }
    const software = all.find((t) => t.profile_id === "p2" && t.level === "software")!;
    expect(software).toMatchObject({suppressed: false, profile_value: 0.5});
  });

  it("hides a level's complements: no suppressed level follows from the profile's coverage, the other levels or the base's shares", () => {
    // p1's FR is one customer: 6 with a country, less DE's 5 and NL's 0, gave it away
    for (const feature of ["country", "industry"]) {
      const levels = [...new Set(traits.filter((t) => t.feature === feature).map((t) => t.level!))];
      const profiles = ["p1", "p2"];
      const {sums} = crosstab(levels.length, profiles.length);
      const cells = levels.flatMap((level) =>
        profiles.map((p) => find(p, feature, level).customers)
      );
      const rows = levels.map((level) => {
        const base = find("p1", feature, level).base_value;
        return Number.isNaN(base) ? null : base;
      });
      // each profile's customers with a value: its coverage times its size (six)
      const columns = profiles.map((p) => {
        const coverage = find(p, feature, levels[0]).coverage;
        return coverage === null ? null : coverage * 6;
      });
      expect(recoverable([...cells, ...rows, ...columns, 12], sums)).toEqual([]);
    }
    expect(find("p1", "country", "DE")).toMatchObject({suppressed: true, customers: null});
  });

  it("publishes a profile's 0 in a level rare in the base: the profile's other levels give it anyway", () => {
    // NL: 2 customers (fewer than 3), both in p2
    expect(find("p1", "country", "NL")).toMatchObject({suppressed: false, customers: 0});
    expect(find("p2", "country", "NL")).toMatchObject({suppressed: true, customers: null});
    expect(Number.isNaN(find("p1", "country", "NL").base_value)).toBe(true);
  });

  it("hides a profile's coverage of a category that counts fewer than the minimum with a value", () => {
    // p1's one business account (c06): its coverage times p1's size would count it, and p2's
    // would too, less all customers with an industry (the Method page's coverage)
    for (const profile of ["p1", "p2"])
      for (const level of ["retail", "software"])
        expect(find(profile, "industry", level).coverage).toBeNull();
    expect(find("p1", "country", "DE").coverage).toBe(1);
  });

  it("suppresses a flag's mean that counts a small group, with or without the flag, and its complement", () => {
    // p1: 4 of 6 unsubscribed, so 2 not (fewer than 3); p2: 1 of 6; the base: 5 of 12
    for (const profile of ["p1", "p2"])
      expect(find(profile, "unsubscribed")).toMatchObject({
        suppressed: true,
        profile_value: null,
        customers: null,
        lift: null,
        effect: null,
        p50: null
      });
    expect(find("p1", "unsubscribed").base_value).toBeCloseTo(5 / 12, 12);
    expect(find("p1", "unsubscribed").coverage).toBe(1);
  });

  it("hides a flag's complement: no hidden mean follows from the base's and the other profiles'", async () => {
    // three profiles of four: p3 has 1 of 4 unsubscribed; p1 (2 of 4) and p2 (2 of 4) are
    // large enough for a minimum of 2, but one of them must be hidden beside p3
    const s = await Store.open(":memory:");
    try {
      await s.run(sql`CREATE TABLE features (customer_id VARCHAR, unsubscribed DOUBLE)`);
      await s.run(sql`CREATE TABLE customer_profiles (customer_id VARCHAR, profile_id VARCHAR)`);
      const flags = {p1: [1, 1, 0, 0], p2: [1, 1, 0, 0, 0], p3: [1, 0, 0, 0]};
      for (const [profile, values] of Object.entries(flags))
        for (const [i, v] of values.entries()) {
          await s.run(sql`INSERT INTO features VALUES (${valueList([`${profile}-${i}`, v])})`);
          await s.run(
            sql`INSERT INTO customer_profiles VALUES (${valueList([`${profile}-${i}`, profile])})`
          );
        }
      const got = await buildTraits(s, [feature("unsubscribed", "number", "flag")], {
        ...OPTIONS,
        minGroupSize: 2
      });
      const hidden = got.filter((t) => t.suppressed).map((t) => t.profile_id);
      expect(hidden).toContain("p3");
      expect(hidden).toHaveLength(2);
      // with and without × the three profiles; each profile's size and the base's counts known
      const {sums} = crosstab(2, 3);
      const ones = got.map((t) =>
        t.profile_value === null ? null : Math.round(t.profile_value * t.customers!)
      );
      const rest = got.map((t, k) =>
        ones[k] === null ? null : Object.values(flags)[k].length - ones[k]!
      );
      expect(recoverable([...ones, ...rest, 5, 8, 4, 5, 4, 13], sums)).toEqual([]);
    } finally {
      s.close();
    }
  });

  it("marks and ranks the distinguishing traits of each profile", () => {
    const ranked = (profile: string) =>
      traits
        .filter((t) => t.profile_id === profile && t.distinguishing)
        .sort((a, b) => a.rank! - b.rank!)
        .map((t) => [t.feature, t.level, t.rank]);
    // Unsubscribed: h = 1.07 but its interval, ± 1.13, includes 0.
    // p1's DE would rank second, but it is hidden beside its FR
    expect(ranked("p1")).toEqual([["orders", null, 1]]);
    expect(ranked("p2")).toEqual([["orders", null, 1]]);
    expect(traits.filter((t) => !t.distinguishing).every((t) => t.rank === null)).toBe(true);
  });

  it("writes profile_traits, read back by readTraits in profile, feature, level order", async () => {
    const stored = await readTraits(store);
    expect(stored).toHaveLength(traits.length);
    expect(stored.slice(0, 4).map((t) => [t.profile_id, t.feature, t.level])).toEqual([
      ["p1", "age", null],
      ["p1", "country", "DE"],
      ["p1", "country", "FR"],
      ["p1", "country", "NL"]
    ]);
    const de = stored.find((t) => t.profile_id === "p1" && t.level === "DE")!;
    // DE's base share is hidden beside NL's (two customers in the base): NaN, stored as NULL
    expect(de).toEqual({...find("p1", "country", "DE"), base_value: null});
    // NaN and other non-finite values are stored as NULL.
    expect(stored.find((t) => t.profile_id === "p2" && t.level === "NL")!.base_value).toBeNull();
  });
});
