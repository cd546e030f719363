/**
 * The Overview's story: the key finding in one sentence, and three lines a manager reads first
 * (what changed, what matters, what to do), each derived from the data and linked to its
 * evidence; the base's figures, one per measure, which every page states the same way; and
 * the base at each snapshot, for the KPI tiles' change and sparkline.
 *
 * - What changed: the largest move into risk between the movers' snapshots (History's
 *   at-risk movers): how many customers moved, how many of them in one profile, that profile's
 *   at-risk share then and now, the value at stake; and the fastest-growing profile over the
 *   snapshots. Without risk or history, the fastest-growing profile alone, or nothing.
 * - What matters: where value concentrates, the profile with the largest share of revenue
 *   (or of expected value) against its share of customers.
 * - What to do: start with the movers of most value at stake (the History page ranks them),
 *   or, without customer-level pages, read the profile's report.
 * Counts under the minimum group size are never stated.
 */
import type {
  BriefingProfile,
  BaseFigures,
  StoryPoint,
  TrendPoint
} from "../../src/contracts/briefing.ts";
import {formatMoney} from "../../src/contracts/money.ts";
import {fewAtRisk, longDate} from "../../src/contracts/risk.ts";
import {formatPercentChange, formatShare} from "../../src/contracts/share.ts";
import {baseValue} from "../profile/documents.ts";
import {sql, val} from "../core/sql.ts";
import {cents, round} from "./published.ts";
import {snapshotRisk} from "./at-risk.ts";
import type {Store} from "../core/store.ts";

export interface StoryOptions {
  currency: string | null;
  minGroupSize: number;
  /** Whether the History page lists the movers customer by customer. */
  customerLevel: boolean;
  /** Whether the at-risk flag was set in this build. */
  flagged: boolean;
}

export interface Story {
  headline: string | null;
  story: StoryPoint[];
  base: BaseFigures;
  trend: TrendPoint[];
}

const count = (n: number) => n.toLocaleString("en-US");

/**
 * The base at each snapshot, oldest first: customers, value, at-risk share (suppressed when
 * fewer than min customers were at risk), revenue.
 */
export async function baseTrend(store: Store, min: number): Promise<TrendPoint[]> {
  if (!(await store.has("snapshot_customers"))) return [];
  const rows = await store.all<TrendPoint & Record<string, unknown>>(
    sql`SELECT strftime(snapshot, '%Y-%m-%d') AS snapshot, count(*)::INTEGER AS customers,
       avg(expected_value_12m) AS value_12m,
       CASE WHEN count(at_risk) > 0
         THEN count(*) FILTER (WHERE at_risk)::DOUBLE / count(at_risk) END AS at_risk_share,
       count(*) FILTER (WHERE at_risk)::INTEGER AS at_risk_customers,
       sum(spend_12m) AS revenue_12m
     FROM snapshot_customers GROUP BY snapshot ORDER BY snapshot`
  );
  return rows.map((r) => {
    const few = fewAtRisk(Number(r.at_risk_customers), Number(r.customers), min);
    return {
      snapshot: r.snapshot,
      customers: Number(r.customers),
      value_12m: cents(number(r.value_12m)),
      at_risk_share: few ? null : round(number(r.at_risk_share)),
      at_risk_suppressed: few,
      revenue_12m: cents(number(r.revenue_12m))
    };
  });
}

/** A figure as DuckDB returns it (a DECIMAL sum is not a JS number) as a number, or null. */
const number = (x: unknown): number | null => (x === null || x === undefined ? null : Number(x));

/** The whole base's figures: the same query the profiles' "against all customers" use. */
export async function baseFigures(
  store: Store,
  customers: number,
  min: number
): Promise<BaseFigures> {
  const profiled = await store.has("customer_profiles");
  const value =
    profiled && (await store.has("customer_value")) ? await baseValue(store) : undefined;
  const spend =
    profiled &&
    (await store.has("features")) &&
    (await store.tableColumns("features")).has("spend_12m");
  const revenue = spend
    ? await store.one<{revenue: number | null}>(
        sql`SELECT sum(spend_12m) AS revenue FROM features
         WHERE customer_id IN (SELECT customer_id FROM customer_profiles)`
      )
    : undefined;
  const few =
    value !== undefined &&
    value.at_risk !== null &&
    fewAtRisk(value.at_risk_customers, value.customers, min);
  return {
    customers,
    value_12m: cents(number(value?.value12m)),
    p_alive: round(number(value?.p_alive)),
    at_risk_share: few ? null : round(number(value?.at_risk)),
    at_risk_suppressed: few,
    revenue_12m: cents(number(revenue?.revenue))
  };
}

interface RiskMove {
  since: string;
  until: string;
  customers: number;
  value: number | null;
  profile_id: string | null;
  profile_customers: number | null;
  share_then: number | null;
  share_now: number | null;
}

/**
 * Customers who moved into risk between the movers' snapshots, and the profile most of them are
 * in, with its at-risk share then and now (null when fewer than min customers were at risk).
 */
async function riskMove(store: Store, min: number): Promise<RiskMove | null> {
  if (!(await store.has("at_risk_movers"))) return null;
  const total = await store.one<{
    since: string | null;
    until: string | null;
    n: number;
    value: number | null;
  }>(
    sql`SELECT strftime(any_value(since), '%Y-%m-%d') AS since, strftime(any_value(until), '%Y-%m-%d') AS until,
       count(*)::INTEGER AS n, sum(value_at_stake) AS value
     FROM at_risk_movers WHERE reason IN ('both', 'at_risk')`
  );
  if (!total?.since || !total.until || total.n === 0) return null;
  const top = await store.one<{profile_id: string; n: number}>(
    sql`SELECT profile_id, count(*)::INTEGER AS n FROM at_risk_movers
     WHERE reason IN ('both', 'at_risk') GROUP BY profile_id ORDER BY n DESC, profile_id LIMIT 1`
  );
  const shares = top
    ? await store.all<{snapshot: string; share: number | null}>(
        sql`SELECT strftime(snapshot, '%Y-%m-%d') AS snapshot,
           CASE WHEN count(at_risk) > 0
             THEN count(*) FILTER (WHERE at_risk)::DOUBLE / count(at_risk) END AS share
         FROM snapshot_customers
         WHERE profile_id = ${val(top.profile_id)}
           AND snapshot IN (${val(total.since)}::DATE, ${val(total.until)}::DATE)
         GROUP BY snapshot ORDER BY snapshot`
      )
    : [];
  const risk = await snapshotRisk(store, min);
  const at = (date: string) => {
    const s = shares.find((s) => s.snapshot === date);
    return s && !risk.get(date)?.get(top!.profile_id) ? s.share : null;
  };
  return {
    since: total.since,
    until: total.until,
    customers: total.n,
    value: total.value,
    profile_id: top?.profile_id ?? null,
    profile_customers: top?.n ?? null,
    share_then: at(total.since),
    share_now: at(total.until)
  };
}

interface Growth {
  profile_id: string;
  since: string;
  before: number;
  now: number;
}

/** The profile that grew most (relatively) from the first snapshot to now, both sides shown. */
async function fastestGrowth(store: Store, min: number): Promise<Growth | null> {
  if (!(await store.has("snapshot_customers"))) return null;
  const row = await store.one<Growth & Record<string, unknown>>(
    sql`WITH ends AS (SELECT min(snapshot) AS first, max(snapshot) AS last FROM snapshot_customers),
       sizes AS (
         SELECT profile_id,
           count(*) FILTER (WHERE snapshot = (SELECT first FROM ends))::INTEGER AS before,
           count(*) FILTER (WHERE snapshot = (SELECT last FROM ends))::INTEGER AS now
         FROM snapshot_customers GROUP BY profile_id)
     SELECT profile_id, strftime((SELECT first FROM ends), '%Y-%m-%d') AS since, before, now
     FROM sizes, ends
     WHERE first < last AND before >= ${min} AND now >= ${min} AND now > before
     ORDER BY now::DOUBLE / before DESC, profile_id LIMIT 1`
  );
  return row ?? null;
}

/** The story of the Overview: headline, three lines, base figures and their trend. */
export async function overviewStory(
  store: Store,
  profiles: readonly BriefingProfile[],
  customers: number,
  o: StoryOptions
): Promise<Story> {
  const base = await baseFigures(store, customers, o.minGroupSize);
  const trend = await baseTrend(store, o.minGroupSize);
  if (profiles.length === 0) return {headline: null, story: [], base, trend};
  const money = (x: number) => formatMoney(x, o.currency);
  const named = new Map(profiles.map((p) => [p.id, p]));
  const shown = (n: number | null) => n !== null && n >= o.minGroupSize;
  const story: StoryPoint[] = [];
  let headline: string | null = null;

  // What changed
  const move = o.flagged ? await riskMove(store, o.minGroupSize) : null;
  const growth = await fastestGrowth(store, o.minGroupSize);
  const growthText = (g: Growth) => {
    const p = named.get(g.profile_id)!;
    return `“${p.name}” grew fastest: from ${count(g.before)} to ${count(g.now)} customers since ${longDate(g.since)} (${formatPercentChange(g.now / g.before - 1)}).`;
  };
  const mover = move?.profile_id ? named.get(move.profile_id) : undefined;
  if (move && shown(move.customers)) {
    const inProfile =
      mover && shown(move.profile_customers)
        ? `, ${count(move.profile_customers!)} of them in “${mover.name}”${
            move.share_now !== null && move.share_then !== null
              ? `, where ${formatShare(move.share_now)} are now at risk against ${formatShare(move.share_then)} then`
              : ""
          }`
        : "";
    const stake =
      move.value === null || move.value <= 0
        ? ""
        : ` They hold ${money(move.value)} of expected value over the next 12 months.`;
    story.push({
      kind: "changed",
      text: `Since ${longDate(move.since)}, ${count(move.customers)} customers moved into risk${inProfile}.${stake}${growth && growth.profile_id !== move.profile_id ? ` ${growthText(growth)}` : ""}`,
      href: o.customerLevel
        ? "./history#at-risk-movers"
        : `./profiles/${move.profile_id ?? ""}#what-changed`,
      link: o.customerLevel ? "The movers, by value at stake" : "What changed in the profile",
      profile_id: mover ? mover.id : null
    });
    if (
      mover &&
      move.share_now !== null &&
      move.share_then !== null &&
      move.share_now - move.share_then >= 0.1
    )
      headline = `${formatShare(move.share_now)} of “${mover.name}” are now at risk, up from ${formatShare(move.share_then)} on ${longDate(move.since)}.`;
  } else if (growth) {
    story.push({
      kind: "changed",
      text: growthText(growth),
      href: `./profiles/${growth.profile_id}#what-changed`,
      link: "What changed in the profile",
      profile_id: growth.profile_id
    });
  }

  // What matters: where value concentrates.
  const byRevenue = profiles.filter((p) => p.revenue_share !== null);
  const top = byRevenue.length
    ? [...byRevenue].sort(
        (a, b) => b.revenue_share! - a.revenue_share! || a.id.localeCompare(b.id)
      )[0]
    : undefined;
  if (top && top.revenue_share! > top.share) {
    const value =
      top.value_12m !== null && base.value_12m !== null && base.value_12m > 0
        ? ` Each is expected to spend ${money(top.value_12m)} in the next 12 months, ${multiple(top.value_12m / base.value_12m)} the ${money(base.value_12m)} of an average customer.`
        : "";
    story.push({
      kind: "matters",
      text: `“${top.name}” brings ${formatShare(top.revenue_share)} of the last 12 months' revenue from ${formatShare(top.share)} of customers.${value}`,
      href: `./profiles/${top.id}`,
      link: "Who they are",
      profile_id: top.id
    });
    if (headline === null && top.revenue_share! >= 2 * top.share)
      headline = `${formatShare(top.share)} of customers, “${top.name}”, bring ${formatShare(top.revenue_share)} of revenue.`;
  }

  // What to do.
  if (move && shown(move.customers) && o.customerLevel)
    story.push({
      kind: "todo",
      text: `Reach the customers who moved into risk, most value at stake first${mover ? `, beginning with “${mover.name}”` : ""}; the History page ranks them, and each one's card says how to reach them.`,
      href: "./history#at-risk-movers",
      link: "The ranked list",
      profile_id: mover?.id ?? null
    });
  else if (mover && move && shown(move.customers))
    story.push({
      kind: "todo",
      text: `Read the report on “${mover.name}” before reaching out: what sets them apart, how they like to be contacted, and what they are worth.`,
      href: `./profiles/${mover.id}#the-profile`,
      link: "The report",
      profile_id: mover.id
    });
  else if (top && story.some((s) => s.kind === "matters"))
    story.push({
      kind: "todo",
      text: `Protect “${top.name}”: they carry the revenue. Their report says what sets them apart and how they like to be contacted.`,
      href: `./profiles/${top.id}#the-profile`,
      link: "The report",
      profile_id: top.id
    });

  if (headline === null) {
    const largest = [...profiles].sort(
      (a, b) => b.customers - a.customers || a.id.localeCompare(b.id)
    )[0];
    headline = `${count(customers)} customers in ${profiles.length} profiles; the largest, “${largest.name}”, is ${formatShare(largest.share)} of them.`;
  }
  return {headline, story, base, trend};
}

/** "7.2×", "1.5×"; "about the same as" near 1, "half" and below as a share. */
function multiple(ratio: number): string {
  if (ratio >= 1.15) return `${ratio < 10 ? ratio.toFixed(1) : Math.round(ratio)}×`;
  if (ratio > 0.87) return "about the same as";
  return `${formatShare(ratio)} of`;
}
