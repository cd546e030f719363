/**
 * The at-risk rule: a published share of customers at risk stands for a count (the share of
 * 500 customers that is 0.6 % is 3 customers), so it is published only when the customers at
 * risk behind it are none or at least `privacy.minGroupSize`, in a group of at least that many
 * (fewAtRisk in src/contracts/risk.ts). Otherwise it is null and `at_risk_suppressed` true.
 *
 * The counts come from the store, not from the files: every `at_risk_share` in loader output
 * (JSON under `_file/`, customer-level files aside) is matched with the group it describes, by
 * the record it is in: a profile (`profile_id` or `id`, or the report's profile for its changes)
 * or the whole base (no profile), at a snapshot (`snapshot`; a report's changes give `previous`
 * and `current` for `before` and `after`) or now (the build's own values).
 *
 * The profiles' customers at risk add up to all customers', so a suppressed share also fails
 * when all customers' share and the other profiles' shares, published in any file, give it back
 * by subtraction (core/margins.ts `recoverable`; now is the current snapshot).
 */
import {readFile} from "node:fs/promises";
import {join} from "node:path";
import {fewAtRisk} from "../../src/contracts/risk.ts";
import {sql} from "../core/sql.ts";
import type {Row, Store} from "../core/store.ts";
import type {Violation} from "./findings.ts";
import {countsApply} from "./group-size.ts";
import {recoverable} from "../core/margins.ts";

/** A group's customers and those of them at risk. */
interface Group {
  customers: number;
  at_risk: number;
}

/** Where a group is in the truth: "now" or a snapshot's date, then a profile id or "*" (all). */
const keyOf = (when: string | null, profile: string | null) => `${when ?? "now"} ${profile ?? "*"}`;

/** Each profile's, and the base's, customers and customers at risk: now and at each snapshot. */
export async function riskGroups(store: Store): Promise<Map<string, Group>> {
  const groups = new Map<string, Group>();
  const put = (rows: Row[]) => {
    for (const r of rows)
      groups.set(keyOf(r.when as string | null, r.profile_id as string | null), {
        customers: Number(r.customers),
        at_risk: Number(r.at_risk)
      });
  };
  if (
    (await store.has("customer_profiles")) &&
    (await store.has("customer_value")) &&
    (await store.tableColumns("customer_value")).has("at_risk")
  )
    put(
      await store.all(
        sql`SELECT NULL AS "when", p.profile_id, count(*)::INTEGER AS customers,
           count(*) FILTER (WHERE v.at_risk)::INTEGER AS at_risk
         FROM customer_profiles p JOIN customer_value v USING (customer_id)
         GROUP BY GROUPING SETS ((p.profile_id), ()) ORDER BY 2 NULLS FIRST`
      )
    );
  if (await store.has("snapshot_customers"))
    put(
      await store.all(
        sql`SELECT strftime(snapshot, '%Y-%m-%d') AS "when", profile_id, count(*)::INTEGER AS customers,
           count(*) FILTER (WHERE at_risk)::INTEGER AS at_risk
         FROM snapshot_customers GROUP BY GROUPING SETS ((snapshot, profile_id), (snapshot))
         ORDER BY 1, 2 NULLS FIRST`
      )
    );
  return groups;
}

/** The record's profile, when it names one. */
function profileOf(record: Record<string, unknown>): string | null {
  for (const key of ["profile_id", "id"])
    if (typeof record[key] === "string") return record[key] as string;
  return null;
}

/**
 * The at-risk shares of one parsed JSON file that stand for 1 to min − 1 customers at risk (or
 * a group that small), as violations; `checked` counts every share read.
 */
export function smallRiskShares(
  file: string,
  parsed: unknown,
  groups: Map<string, Group>,
  min: number,
  /** Each share published (key as in the groups), with the file it is in: filled in. */
  published: Map<string, string> = new Map()
): {violations: Violation[]; checked: number} {
  const violations: Violation[] = [];
  let checked = 0;
  // A report's changes name no profile: they are the report's own profile's.
  const root = parsed as {profile?: {id?: unknown}} | null;
  const reportProfile = typeof root?.profile?.id === "string" ? root.profile.id : null;
  const test = (where: string, share: unknown, when: string | null, profile: string | null) => {
    if (typeof share !== "number") return;
    checked++;
    if (!published.has(keyOf(when, profile))) published.set(keyOf(when, profile), file);
    const group = groups.get(keyOf(when, profile));
    if (!group || !fewAtRisk(group.at_risk, group.customers, min)) return;
    const whom = `${profile === null ? "all customers" : `profile ${profile}`}${when === null ? "" : ` on ${when}`}`;
    violations.push({
      file,
      where: `at ${where}`,
      kind: "count",
      what:
        group.at_risk > 0 && group.at_risk < min
          ? `an at-risk share of ${whom} that stands for ${group.at_risk} customer${group.at_risk === 1 ? "" : "s"} at risk, below privacy.minGroupSize (${min})`
          : `an at-risk share of ${whom}, a group of ${group.customers} customer${group.customers === 1 ? "" : "s"}, below privacy.minGroupSize (${min})`,
      fix: `Publish the share as null with at_risk_suppressed true when 1 to ${min - 1} customers are at risk or the group is that small (fewAtRisk in src/contracts/risk.ts), and say "fewer than ${min} customers" on the page.`
    });
  };
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${path}[${i}]`));
      return;
    }
    if (!value || typeof value !== "object") return;
    const record = value as Record<string, unknown>;
    for (const [key, v] of Object.entries(record)) {
      const where = path ? `${path}.${key}` : key;
      if (key !== "at_risk_share") {
        walk(v, where);
        continue;
      }
      const profile = profileOf(record) ?? reportProfile;
      if (v && typeof v === "object" && !Array.isArray(v)) {
        const pair = v as {before?: unknown; after?: unknown};
        const date = (k: string) => (typeof record[k] === "string" ? (record[k] as string) : null);
        test(`${where}.before`, pair.before, date("previous"), profile);
        test(`${where}.after`, pair.after, date("current"), profile);
      } else test(where, v, typeof record.snapshot === "string" ? record.snapshot : null, profile);
    }
  };
  walk(parsed, "");
  return {violations, checked};
}

/** The at-risk rule over every published JSON file the small-count rule covers. */
export async function checkRiskShares(
  store: Store,
  dir: string,
  files: readonly string[],
  min: number
): Promise<{violations: Violation[]; checked: number}> {
  const groups = await riskGroups(store);
  const result = {violations: [] as Violation[], checked: 0};
  if (groups.size === 0) return result;
  const published = new Map<string, string>();
  for (const file of files) {
    if (!file.endsWith(".json") || !countsApply(file)) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(join(dir, file), "utf8"));
    } catch {
      continue; // not JSON: the identifier scan reads it as text, and it holds no share
    }
    const found = smallRiskShares(file, parsed, groups, min, published);
    result.violations.push(...found.violations);
    result.checked += found.checked;
  }
  const current = (await store.has("snapshots"))
    ? (
        await store.one<{date: string | null}>(
          sql`SELECT strftime(max(snapshot) FILTER (WHERE current), '%Y-%m-%d') AS date FROM snapshots`
        )
      )?.date
    : null;
  result.violations.push(...recoveredRiskShares(groups, published, min, current ?? null));
  return result;
}

/**
 * The suppressed shares of 1 to min − 1 customers at risk that all customers' share less the
 * other profiles' published shares gives back, at each time all customers' share is published
 * (`now` counted with the current snapshot, whose customers it is).
 */
export function recoveredRiskShares(
  groups: Map<string, Group>,
  published: Map<string, string>,
  min: number,
  current: string | null
): Violation[] {
  const violations: Violation[] = [];
  const alias = (when: string) => (when === "now" && current ? current : when);
  const known = new Map<string, string>();
  for (const [key, file] of published) {
    const [when, profile] = key.split(" ");
    known.set(`${alias(when)} ${profile}`, file);
  }
  const times = new Set([...groups.keys()].map((key) => key.split(" ")[0]));
  for (const when of times) {
    const at = alias(when);
    if (when === "now" && at !== when && times.has(at)) continue; // counted with its snapshot
    const base = known.get(`${at} *`);
    if (base === undefined) continue;
    const profiles = [...groups.keys()]
      .filter((key) => key.startsWith(`${when} `) && !key.endsWith(" *"))
      .map((key) => key.slice(when.length + 1))
      .sort();
    const counts = profiles.map((p) => groups.get(`${when} ${p}`)!);
    const cells = [
      ...profiles.map((p, i) => (known.has(`${at} ${p}`) ? counts[i].at_risk : null)),
      groups.get(`${when} *`)!.at_risk
    ];
    const sums = [{parts: profiles.map((_, i) => i), total: profiles.length}];
    for (const i of recoverable(cells, sums)) {
      const group = counts[i];
      if (i >= profiles.length || !fewAtRisk(group.at_risk, group.customers, min)) continue;
      violations.push({
        file: base,
        where: `all customers' at-risk share${when === "now" ? "" : ` on ${at}`}`,
        kind: "count",
        what: `beside the other profiles' published shares, the suppressed share of profile ${profiles[i]} is the only one unknown, so subtraction gives it back (exactly where every customer's risk was assessed): ${group.at_risk} customer${group.at_risk === 1 ? "" : "s"} at risk, below privacy.minGroupSize (${min})`,
        fix: 'Hide another profile\'s share beside it (at_risk_suppressed "complement"), as suppressRisk in loaders/profile/risk-suppression.ts does.'
      });
    }
  }
  return violations;
}
