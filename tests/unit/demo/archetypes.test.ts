import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {ARCHETYPES} from "../../../loaders/demo/archetypes.ts";
import {cleanup, demo, SMALL} from "./fixture.ts";
import {readTable} from "./read-csv.ts";
import type {Table} from "./read-csv.ts";

afterAll(cleanup);

// Large enough that archetype means are stable; small enough to stay fast.
const {dir} = demo({...SMALL, customers: 3000});
const customers = readTable(join(dir, "customers.csv"));
const truth = readTable(join(dir, "truth/customers.csv"));
const archetypeOf = new Map(truth.rows.map((r) => [r[0], r[1]]));
const NAMES = ARCHETYPES.map((a) => a.name);

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(q * (s.length - 1))];
}

/** Values of a numeric column grouped by archetype (blank and unparsable values skipped). */
function byArchetype(table: Table, column: string): Map<string, number[]> {
  const m = new Map<string, number[]>(NAMES.map((n) => [n, []]));
  for (const r of table.rows) {
    const a = archetypeOf.get(r[table.columns.indexOf("customer_id")]);
    const v = Number(table.get(r, column));
    if (a !== undefined && table.get(r, column) !== "" && Number.isFinite(v)) m.get(a)!.push(v);
  }
  return m;
}

describe("truth/customers.csv", () => {
  it("has one row per customer id, in the same order", () => {
    expect(truth.rows.map((r) => r[0])).toEqual(customers.rows.map((r) => r[0]));
  });

  it("plants at least six archetypes, each at least 5 % of customers", () => {
    const counts = new Map<string, number>();
    for (const r of truth.rows) counts.set(r[1], (counts.get(r[1]) ?? 0) + 1);
    expect(counts.size).toBeGreaterThanOrEqual(6);
    for (const [name, n] of counts)
      expect(n / truth.rows.length, name).toBeGreaterThanOrEqual(0.05);
  });

  it("plants about 2-3 % duplicate persons with the same name, archetype and contact", () => {
    const ids = new Map<string, string[]>();
    truth.rows.forEach((r, i) => ids.set(r[2], [...(ids.get(r[2]) ?? []), String(i)]));
    const pairs = [...ids.values()].filter((v) => v.length === 2);
    expect([...ids.values()].every((v) => v.length <= 2)).toBe(true);
    expect(pairs.length / ids.size).toBeGreaterThan(0.01);
    expect(pairs.length / ids.size).toBeLessThan(0.05);
    for (const [i, j] of pairs.map((p) => p.map(Number))) {
      const [a, b] = [customers.rows[i], customers.rows[j]];
      expect(truth.rows[i][1]).toBe(truth.rows[j][1]);
      expect(customers.get(a, "last_name").toLowerCase()).toBe(
        customers.get(b, "last_name").toLowerCase()
      );
      // The second account is the later one.
      expect(customers.get(a, "signup_date") <= customers.get(b, "signup_date")).toBe(true);
      const email = (r: string[]) => customers.get(r, "email").trim().toLowerCase();
      const phone = (r: string[]) => customers.get(r, "phone").replace(/\D/g, "").slice(-7);
      const sameEmail = email(a) !== "" && email(a) === email(b);
      const samePhone = phone(a) !== "" && phone(a) === phone(b);
      const anyBlank = email(a) === "" || email(b) === "" || phone(a) === "" || phone(b) === "";
      expect(sameEmail || samePhone || anyBlank).toBe(true);
    }
  });
});

describe("demographics overlap across archetypes", () => {
  const ages = new Map<string, number[]>(NAMES.map((n) => [n, []]));
  for (const r of customers.rows) {
    const birth = customers.get(r, "birth_date");
    if (birth !== "") ages.get(archetypeOf.get(r[0])!)!.push(2026 - Number(birth.slice(0, 4)));
  }

  it("has mean ages within a few years of each other", () => {
    const means = [...ages.values()].map(mean);
    expect(Math.max(...means) - Math.min(...means)).toBeLessThan(5);
  });

  it("has overlapping income distributions", () => {
    const incomes = byArchetype(customers, "income");
    for (const a of incomes.values()) {
      for (const b of incomes.values()) expect(quantile(a, 0.25)).toBeLessThan(quantile(b, 0.75));
    }
  });

  it("has similar gender and country mixes", () => {
    for (const column of ["gender", "country"]) {
      const value = column === "gender" ? "F" : "US";
      const shares = NAMES.map((n) => {
        const rows = customers.rows.filter(
          (r) => archetypeOf.get(r[0]) === n && customers.get(r, column) !== ""
        );
        return rows.filter((r) => customers.get(r, column) === value).length / rows.length;
      });
      expect(Math.max(...shares) - Math.min(...shares), column).toBeLessThan(0.1);
    }
  });
});

describe("behaviour differs across archetypes", () => {
  const orders = readTable(join(dir, "orders.csv"));
  const valid = orders.rows.filter(
    (r) => /^\d+\.\d{2}$/.test(orders.get(r, "amount")) && archetypeOf.has(r[1])
  );
  const groups = (rows: string[][]) => {
    const m = new Map<string, string[][]>(NAMES.map((n) => [n, []]));
    for (const r of rows) m.get(archetypeOf.get(r[1])!)!.push(r);
    return m;
  };
  const orderGroups = groups(valid);

  it("gives deal seekers a clearly higher discount share", () => {
    const share = (rows: string[][]) => {
      const d = rows.reduce((s, r) => s + Number(orders.get(r, "discount")), 0);
      const a = rows.reduce((s, r) => s + Number(orders.get(r, "amount")), 0);
      return d / (a + d);
    };
    const deal = share(orderGroups.get("deal_seeker")!);
    for (const n of NAMES.filter((n) => n !== "deal_seeker"))
      expect(deal, n).toBeGreaterThan(2 * share(orderGroups.get(n)!));
  });

  it("sends B2B accounts' large orders by invoice and digital natives' through the app", () => {
    const channelShare = (n: string, channel: string) =>
      orderGroups.get(n)!.filter((r) => orders.get(r, "channel") === channel).length /
      orderGroups.get(n)!.length;
    expect(channelShare("b2b_account", "invoice")).toBeGreaterThan(0.4);
    expect(channelShare("digital_native", "app")).toBeGreaterThan(0.4);
    expect(channelShare("loyal_high_touch", "store")).toBeGreaterThan(0.4);
    const median = (n: string) =>
      quantile(
        orderGroups.get(n)!.map((r) => Number(orders.get(r, "amount"))),
        0.5
      );
    for (const n of NAMES.filter((n) => n !== "b2b_account"))
      expect(median("b2b_account")).toBeGreaterThan(4 * median(n));
  });

  it("concentrates seasonal gifters' orders in November and December", () => {
    const novDec = (n: string) =>
      orderGroups
        .get(n)!
        .filter((r) => ["11", "12"].includes(orders.get(r, "ordered_at").slice(5, 7))).length /
      orderGroups.get(n)!.length;
    expect(novDec("seasonal_gifter")).toBeGreaterThan(0.35);
    for (const n of ["digital_native", "loyal_high_touch", "deal_seeker", "b2b_account"])
      expect(novDec(n), n).toBeLessThan(0.25);
  });

  it("has lapsing customers' orders and sessions drop in the last two quarters, and others' not", () => {
    const sessions = readTable(join(dir, "web_sessions.csv"));
    // Customers who were already there for both windows.
    const established = new Set(
      customers.rows.filter((r) => customers.get(r, "signup_date") < "2025-11-01").map((r) => r[0])
    );
    const ratio = (table: Table, column: string, names: string[]) => {
      let recent = 0;
      let before = 0;
      for (const r of table.rows) {
        const id = table.get(r, "customer_id");
        if (!established.has(id) || !names.includes(archetypeOf.get(id) ?? "")) continue;
        const t = table.get(r, column);
        if (t >= "2026-05-01" && t < "2026-11-01") recent++;
        else if (t >= "2025-11-01" && t < "2026-05-01") before++;
      }
      return recent / before;
    };
    const steady = ["digital_native", "loyal_high_touch", "deal_seeker", "b2b_account"];
    expect(ratio(orders, "ordered_at", ["lapsing"])).toBeLessThan(0.5);
    expect(ratio(sessions, "started_at", ["lapsing"])).toBeLessThan(0.5);
    expect(ratio(orders, "ordered_at", steady)).toBeGreaterThan(0.75);
    expect(ratio(sessions, "started_at", steady)).toBeGreaterThan(0.75);
  });

  it("has new customers signed up in the last months, with few orders", () => {
    const fresh = customers.rows.filter((r) => archetypeOf.get(r[0]) === "new_customer");
    expect(fresh.every((r) => customers.get(r, "signup_date") >= "2026-07-01")).toBe(true);
    expect(orderGroups.get("new_customer")!.length / fresh.length).toBeLessThan(3);
  });

  it("fills firmographics for B2B accounts only", () => {
    for (const r of customers.rows) {
      const b2b = archetypeOf.get(r[0]) === "b2b_account";
      expect(customers.get(r, "company") !== "", r[0]).toBe(b2b);
      expect(customers.get(r, "employees") !== "", r[0]).toBe(b2b);
    }
  });
});

describe("e-mail events and surveys", () => {
  it("never has an open without a prior send, nor a click without a prior open", () => {
    const events = readTable(join(dir, "email_events.csv"));
    const seen = new Set<string>();
    for (const r of events.rows) {
      const [id, , event, campaign] = r;
      const key = (e: string) => `${id}/${campaign}/${e}`;
      if (event === "open") expect(seen.has(key("sent")), key(event)).toBe(true);
      if (event === "click") expect(seen.has(key("open")), key(event)).toBe(true);
      seen.add(key(event));
    }
  });

  it("has 55-65 % of customer ids answer the survey, on a 1-5 scale", () => {
    const answers = readTable(join(dir, "survey_responses.csv"));
    const respondents = new Set(answers.rows.map((r) => r[0]));
    expect(respondents.size / customers.rows.length).toBeGreaterThan(0.53);
    expect(respondents.size / customers.rows.length).toBeLessThan(0.67);
    expect(
      answers.rows.every((r) => ["1", "2", "3", "4", "5"].includes(answers.get(r, "answer")))
    ).toBe(true);
    const price = byArchetype(
      {
        ...answers,
        rows: answers.rows.filter((r) => answers.get(r, "question") === "q_price_matters")
      },
      "answer"
    );
    expect(mean(price.get("deal_seeker")!)).toBeGreaterThan(
      mean(price.get("loyal_high_touch")!) + 1
    );
  });
});
