/**
 * The History page's data: what the snapshots (loaders/history/snapshots.ts) say about how profiles
 * move. Sizes, risk and value per profile and snapshot; customers flowing between profiles from
 * one snapshot to the next; the at-risk movers ranked by value at stake (customer-level, left
 * out when the build publishes aggregates only); and the drift of each profile with the reasons
 * for any alert. Every published count of customers covers at least minGroupSize customers or
 * is null.
 */
import type {PortraitConfig} from "../config/project.ts";
import {cents, round, suppress} from "./published.ts";
import {baseTrend} from "./story.ts";
import {snapshotRisk} from "./at-risk.ts";
import {protectCrosstab} from "../core/margins.ts";
import {byProfileId, sql, val, type SQL} from "../core/sql.ts";
import {MIN_DRIFT_CUSTOMERS} from "../history/snapshots.ts";
import type {Row, Store} from "../core/store.ts";
import type {HistoryData, Mover, Movers} from "../../src/contracts/history.ts";
import type {ProfileChanges} from "../../src/contracts/report.ts";

export interface HistoryOptions {
  minGroupSize: number;
  customerLevel: boolean;
  history: PortraitConfig["history"];
}

/** The features' labels, for the drift reasons. */
async function labels(store: Store): Promise<Map<string, string>> {
  if (!(await store.has("feature_catalog"))) return new Map();
  const rows = await store.all<{feature: string; label: string}>(
    sql`SELECT feature, label FROM feature_catalog ORDER BY position`
  );
  return new Map(rows.map((r) => [r.feature, r.label]));
}

/** Why a profile's drift passed its thresholds, in sentences. */
export function driftReasons(
  row: {centroid_shift: number | null; features: {label: string; psi: number}[]},
  thresholds: {centroidShift: number; psi: number}
): string[] {
  const reasons: string[] = [];
  if (row.centroid_shift !== null && row.centroid_shift > thresholds.centroidShift)
    reasons.push(
      `Its members' averages moved ${row.centroid_shift.toFixed(2)} standard deviations from where they stood (above ${thresholds.centroidShift} is a large move).`
    );
  for (const f of row.features.filter((f) => f.psi > thresholds.psi).slice(0, 3))
    reasons.push(
      `${f.label}: its spread shifted, PSI ${f.psi.toFixed(2)} (above ${thresholds.psi} is a large shift).`
    );
  return reasons;
}

/** Why a build with profiles has no earlier snapshot: the first reason the snapshots recorded. */
async function noHistory(store: Store): Promise<string> {
  const skip = (await store.has("snapshot_skips"))
    ? await store.one<{date: string | null; reason: string}>(
        sql`SELECT strftime(snapshot, '%Y-%m-%d') AS date, reason FROM snapshot_skips
         ORDER BY snapshot DESC NULLS FIRST LIMIT 1`
      )
    : undefined;
  if (skip === undefined) return "no earlier snapshot was recorded";
  return skip.date === null
    ? skip.reason
    : `the snapshot of ${skip.date} was left out: ${skip.reason}`;
}

/** Features with the highest PSI listed per profile for the latest pair of snapshots. */
const LATEST_FEATURES = 5;

/** Everything the History page shows; empty lists when the store has no snapshots. */
export async function historyData(store: Store, o: HistoryOptions): Promise<HistoryData> {
  const min = o.minGroupSize;
  const thresholds = {
    centroid_shift: o.history.drift.centroidShift,
    psi: o.history.drift.psi,
    min_customers: MIN_DRIFT_CUSTOMERS
  };
  if (!(await store.has("snapshots")) || !(await store.has("profiles"))) {
    return {
      period: o.history.period,
      no_history: "this build made no profiles, so there is nothing to follow over time",
      min_group_size: min,
      snapshots: [],
      profiles: [],
      series: [],
      base: [],
      flows: [],
      movers: null,
      drift: {thresholds, latest: [], series: []}
    };
  }
  const snapshots = await store.all<{date: string; current: boolean; customers: number}>(
    sql`SELECT strftime(snapshot, '%Y-%m-%d') AS date, current, customers FROM snapshots
     ORDER BY snapshot`
  );
  const profiles = await store.all<{id: string; name: string}>(
    sql`SELECT profile_id AS id, name FROM profiles ORDER BY ${byProfileId()}`
  );
  const series = await store.all<Record<string, number | string | null>>(
    sql`SELECT strftime(snapshot, '%Y-%m-%d') AS snapshot, profile_id, customers, at_risk_customers,
       assessed, value_12m, spend_12m, customers / sum(customers) OVER (PARTITION BY snapshot) AS share
     FROM (SELECT snapshot, profile_id, count(*)::INTEGER AS customers,
             -- NULL, not 0, where no customer's risk was assessed at that snapshot
             CASE WHEN count(at_risk) > 0 THEN count(*) FILTER (WHERE at_risk) END::INTEGER
               AS at_risk_customers,
             count(at_risk)::INTEGER AS assessed,
             sum(expected_value_12m) AS value_12m, sum(spend_12m) AS spend_12m
           FROM snapshot_customers GROUP BY ALL)
     ORDER BY snapshot, ${byProfileId()}`
  );
  const flows = await store.all<{
    from: string;
    to: string;
    source: string;
    target: string;
    customers: number;
  }>(
    sql`SELECT strftime(from_snapshot, '%Y-%m-%d') AS "from", strftime(to_snapshot, '%Y-%m-%d') AS "to",
       source, target, customers
     FROM profile_flows WHERE customers > 0
     ORDER BY from_snapshot, source = 'joined', ${byProfileId(sql`source`)}, ${byProfileId(sql`target`)}`
  );
  const names = await labels(store);
  const risk = await snapshotRisk(store, min);
  const psi = await store.all<{from: string; profile_id: string; feature: string; psi: number}>(
    sql`SELECT strftime(from_snapshot, '%Y-%m-%d') AS "from", profile_id, feature, psi
     FROM profile_feature_psi ORDER BY from_snapshot, profile_id, psi DESC, feature`
  );
  const drift = await store.all<{
    from: string;
    to: string;
    profile_id: string;
    centroid_shift: number | null;
    psi_max: number | null;
    psi_feature: string | null;
    alert: boolean;
  }>(
    sql`SELECT strftime(from_snapshot, '%Y-%m-%d') AS "from", strftime(to_snapshot, '%Y-%m-%d') AS "to",
       profile_id, centroid_shift, psi_max, psi_feature, alert
     FROM profile_drift ORDER BY from_snapshot, ${byProfileId()}`
  );
  const latestFrom = drift.at(-1)?.from;
  const latest = drift
    .filter((d) => d.from === latestFrom)
    .map((d) => {
      const features = psi
        .filter((p) => p.from === d.from && p.profile_id === d.profile_id)
        .map((p) => ({
          feature: p.feature,
          label: names.get(p.feature) ?? p.feature,
          psi: round(p.psi)!
        }));
      const row = {centroid_shift: round(d.centroid_shift), features};
      return {
        profile_id: d.profile_id,
        from: d.from,
        to: d.to,
        centroid_shift: row.centroid_shift,
        psi_max: round(d.psi_max),
        psi_feature: d.psi_feature,
        psi_label: d.psi_feature === null ? null : (names.get(d.psi_feature) ?? d.psi_feature),
        features: features.slice(0, LATEST_FEATURES),
        alert: d.alert,
        reasons: d.alert ? driftReasons(row, o.history.drift) : []
      };
    });

  return {
    period: o.history.period,
    no_history: snapshots.length > 1 ? null : await noHistory(store),
    min_group_size: min,
    snapshots,
    profiles,
    series: series.map((r) => {
      const customers = Number(r.customers);
      const shown = suppress(customers, min);
      // null where no customer's risk was assessed at that snapshot ("not assessed")
      const atRisk = r.at_risk_customers === null ? null : Number(r.at_risk_customers);
      const few = risk.get(String(r.snapshot))?.get(String(r.profile_id)) ?? false;
      return {
        snapshot: String(r.snapshot),
        profile_id: String(r.profile_id),
        customers: shown,
        share: shown === null ? null : round(Number(r.share)),
        at_risk_customers: atRisk === null || few ? null : atRisk,
        // Of the customers whose risk was assessed, as a profile's at-risk share is.
        at_risk_share: atRisk === null || few ? null : round(atRisk / Number(r.assessed)),
        at_risk_suppressed: few,
        value_12m: shown === null ? null : cents(r.value_12m === null ? null : Number(r.value_12m)),
        spend_12m: shown === null ? null : cents(r.spend_12m === null ? null : Number(r.spend_12m))
      };
    }),
    base: (await baseTrend(store, min)).map((t) => ({
      snapshot: t.snapshot,
      customers: t.customers,
      at_risk_share: t.at_risk_share,
      at_risk_suppressed: t.at_risk_suppressed
    })),
    flows: protectFlows(flows, min).sort(
      (a, b) =>
        a.from.localeCompare(b.from) ||
        Number(a.source === "joined") - Number(b.source === "joined") ||
        a.source.localeCompare(b.source, "en", {numeric: true}) ||
        a.target.localeCompare(b.target, "en", {numeric: true})
    ),
    movers: o.customerLevel ? await movers(store, o.history, min) : null,
    drift: {
      thresholds,
      latest,
      series: drift.map((d) => ({
        profile_id: d.profile_id,
        from: d.from,
        to: d.to,
        centroid_shift: round(d.centroid_shift),
        psi_max: round(d.psi_max)
      }))
    }
  };
}

/** The top `limit` at-risk movers and the totals over all of them; null without any pair. */
async function movers(
  store: Store,
  history: HistoryOptions["history"],
  min: number
): Promise<Movers | null> {
  const limit = history.moversLimit;
  if (!(await store.has("at_risk_movers"))) return null;
  const pair = await store.one<{since: string; until: string}>(
    sql`SELECT strftime(min(snapshot) FILTER (WHERE snapshot < (SELECT max(snapshot) FROM snapshots)), '%Y-%m-%d') AS since,
       strftime(max(snapshot), '%Y-%m-%d') AS until FROM snapshots`
  );
  const totals = await store.one<{
    since: string | null;
    n: number;
    strong: number;
    value: number | null;
  }>(
    sql`SELECT strftime(any_value(since), '%Y-%m-%d') AS since, count(*)::INTEGER AS n,
       count(*) FILTER (WHERE evidence = 'strong')::INTEGER AS strong,
       sum(value_at_stake) AS value
     FROM at_risk_movers`
  );
  const since = totals?.since ?? null;
  if (since === null && pair?.since == null) return null;
  const rows = await store.all<Record<string, unknown>>(
    sql`SELECT rank, customer_id, profile_id, previous_profile_id, reason, evidence,
       value_at_stake, p_alive_before, p_alive, spend_before, spend_now, activity_before,
       activity_now, engagement_change
     FROM at_risk_movers ORDER BY rank LIMIT ${limit}`
  );
  return {
    since: (since ?? pair?.since)!,
    until: pair!.until,
    limit,
    activity_drop_above: history.activityDropAbove,
    drop_significance: history.dropSignificance,
    total_customers: suppress(totals?.n ?? 0, min),
    strong_customers: suppress(totals?.strong ?? 0, min),
    value_at_stake: cents(totals?.value ?? 0),
    rows: rows.map((r) => ({
      rank: Number(r.rank),
      customer_id: String(r.customer_id),
      profile_id: String(r.profile_id),
      previous_profile_id: String(r.previous_profile_id),
      reason: r.reason as Mover["reason"],
      evidence: r.evidence as Mover["evidence"],
      value_at_stake: cents(Number(r.value_at_stake)),
      p_alive_before: round(r.p_alive_before as number | null),
      p_alive: round(r.p_alive as number | null),
      spend_before: cents(Number(r.spend_before)),
      spend_now: cents(Number(r.spend_now)),
      activity_before: Number(r.activity_before),
      activity_now: Number(r.activity_now),
      engagement_change: round(r.engagement_change as number | null)
    }))
  };
}

/** Distinguishing numbers the report compares with the previous snapshot, at most this many. */
const CHANGED_TRAITS = 6;

/**
 * What changed for one profile since the previous snapshot: its size, share, risk and value,
 * where its new customers came from and where its leavers went, its distinguishing numbers
 * then and now, and any drift alert. Null without a previous snapshot.
 */
export async function profileChanges(
  store: Store,
  profileId: string,
  o: HistoryOptions
): Promise<ProfileChanges | null> {
  if (!(await store.has("snapshots"))) return null;
  const pair = await store.one<{previous: string | null; current: string}>(
    sql`SELECT strftime(max(snapshot) FILTER (WHERE NOT current), '%Y-%m-%d') AS previous,
       strftime(max(snapshot) FILTER (WHERE current), '%Y-%m-%d') AS current FROM snapshots`
  );
  if (!pair?.previous) return null;
  const min = o.minGroupSize;
  const profile = val(profileId);
  const previous = val(pair.previous);
  const current = val(pair.current);
  const sizes = await store.all<{
    snapshot: string;
    customers: number;
    total: number;
    at_risk: number | null;
    assessed: number;
    value: number | null;
  }>(
    sql`SELECT strftime(snapshot, '%Y-%m-%d') AS snapshot,
       count(*) FILTER (WHERE profile_id = ${profile})::INTEGER AS customers,
       count(*)::INTEGER AS total,
       CASE WHEN count(at_risk) FILTER (WHERE profile_id = ${profile}) > 0
         THEN count(*) FILTER (WHERE profile_id = ${profile} AND at_risk) END::INTEGER AS at_risk,
       count(at_risk) FILTER (WHERE profile_id = ${profile})::INTEGER AS assessed,
       avg(expected_value_12m) FILTER (WHERE profile_id = ${profile}) AS value
     FROM snapshot_customers WHERE snapshot IN (${previous}::DATE, ${current}::DATE)
     GROUP BY snapshot ORDER BY snapshot`
  );
  const at = (date: string) => sizes.find((s) => s.snapshot === date);
  const risk = await snapshotRisk(store, min);
  const side = (date: string) => {
    const s = at(date);
    const customers = s ? suppress(s.customers, min) : null;
    const shown = customers !== null && customers > 0;
    const few = risk.get(date)?.get(profileId) ?? false;
    return {
      customers,
      share: s && shown ? round(s.customers / s.total) : null,
      at_risk_share:
        s && shown && s.at_risk !== null && !few ? round(s.at_risk / s.assessed) : null,
      at_risk_suppressed: few,
      value: s && shown ? cents(s.value) : null
    };
  };
  const before = side(pair.previous);
  const after = side(pair.current);
  const names = new Map(
    (
      await store.all<{id: string; name: string}>(
        sql`SELECT profile_id AS id, name FROM profiles ORDER BY 1`
      )
    ).map((p) => [p.id, p.name])
  );
  const nameOf = (id: string) => (id === "joined" ? "new customers" : (names.get(id) ?? id));
  // every flow of the pair, suppressed as History publishes them, then this profile's
  const pairFlows = await store.all<Flow & Row>(
    sql`SELECT strftime(from_snapshot, '%Y-%m-%d') AS "from", strftime(to_snapshot, '%Y-%m-%d') AS "to",
       source, target, customers FROM profile_flows
     WHERE from_snapshot = ${previous}::DATE AND to_snapshot = ${current}::DATE AND customers > 0
     ORDER BY source, target`
  );
  const shownFlows = protectFlows(pairFlows, min);
  const flows = pairFlows
    .map((f, i) => ({
      source: f.source,
      target: f.target,
      n: f.customers,
      customers: shownFlows[i].customers
    }))
    .filter((f) => f.source !== f.target && (f.source === profileId || f.target === profileId))
    .sort(
      (a, b) => b.n - a.n || a.source.localeCompare(b.source) || a.target.localeCompare(b.target)
    );
  const moved = (rows: typeof flows, pick: (f: (typeof flows)[number]) => string) =>
    rows.slice(0, 3).map((f) => ({
      profile_id: pick(f),
      name: nameOf(pick(f)),
      customers: f.customers
    }));
  // a flag's mean counts customers (with it and without it): none may count 1 to min − 1
  const counts = (n: SQL) => sql`(round(${n}) = 0 OR round(${n}) >= ${min})`;
  const traits = await store.all<{
    feature: string;
    label: string;
    unit: string;
    before: number;
    after: number;
  }>(
    sql`WITH top AS (
       SELECT feature, label, unit, min(rank) AS rank FROM profile_traits
       WHERE profile_id = ${profile} AND distinguishing AND kind = 'number' GROUP BY ALL)
     SELECT t.feature, t.label, t.unit, b.mean AS before, a.mean AS after
     FROM top t
     JOIN snapshot_feature_means b ON b.feature = t.feature AND b.profile_id = ${profile}
       AND b.snapshot = ${previous}::DATE AND b.customers >= ${min}
     JOIN snapshot_feature_means a ON a.feature = t.feature AND a.profile_id = ${profile}
       AND a.snapshot = ${current}::DATE AND a.customers >= ${min}
     WHERE t.unit <> 'flag' OR (${counts(sql`b.mean * b.customers`)} AND ${counts(sql`(1 - b.mean) * b.customers`)}
       AND ${counts(sql`a.mean * a.customers`)} AND ${counts(sql`(1 - a.mean) * a.customers`)})
     ORDER BY t.rank, t.feature LIMIT ${CHANGED_TRAITS}`
  );
  const drift = (await store.has("profile_drift"))
    ? await store.one<{centroid_shift: number | null; alert: boolean}>(
        sql`SELECT centroid_shift, alert FROM profile_drift
         WHERE profile_id = ${profile} AND to_snapshot = ${current}::DATE`
      )
    : undefined;
  const labelsOf = await labels(store);
  const psi = drift?.alert
    ? await store.all<{feature: string; psi: number}>(
        sql`SELECT feature, psi FROM profile_feature_psi
         WHERE profile_id = ${profile} AND to_snapshot = ${current}::DATE ORDER BY psi DESC, feature`
      )
    : [];
  return {
    previous: pair.previous,
    current: pair.current,
    customers: {before: before.customers, after: after.customers},
    share: {before: before.share, after: after.share},
    at_risk_share: {before: before.at_risk_share, after: after.at_risk_share},
    at_risk_suppressed: {before: before.at_risk_suppressed, after: after.at_risk_suppressed},
    value_per_customer: {before: before.value, after: after.value},
    moved_in: moved(
      flows.filter((f) => f.target === profileId),
      (f) => f.source
    ),
    moved_out: moved(
      flows.filter((f) => f.source === profileId),
      (f) => f.target
    ),
    traits: traits.map((t) => ({...t, before: round(t.before)!, after: round(t.after)!})),
    drift: {
      alert: drift?.alert ?? false,
      reasons: drift?.alert
        ? driftReasons(
            {
              centroid_shift: drift.centroid_shift,
              features: psi.map((p) => ({label: labelsOf.get(p.feature) ?? p.feature, psi: p.psi}))
            },
            o.history.drift
          )
        : []
    }
  };
}

/** A flow of customers from a profile (or "joined") at one snapshot to a profile at the next. */
interface Flow {
  from: string;
  to: string;
  source: string;
  target: string;
  customers: number;
}

/**
 * The flows as published: for each pair of snapshots, a crosstab of sources × targets whose
 * totals the page publishes (each profile's customers at both snapshots, the customers who
 * joined between them), so small flows are suppressed with their complementary cells
 * (core/margins.ts). The flows given come first, in their order; then the pairs of no
 * customers chosen as complements (a profile that only one small flow reaches), as suppressed
 * flows: a missing flow reads as none.
 */
export function protectFlows(
  flows: readonly Flow[],
  min: number
): (Flow | (Omit<Flow, "customers"> & {customers: number | null}))[] {
  const zeros: (Omit<Flow, "customers"> & {customers: null})[] = [];
  const byPair = new Map<
    string,
    {sources: string[]; targets: string[]; shown: ReturnType<typeof protectCrosstab>}
  >();
  const pairs = [...new Set(flows.map((f) => `${f.from} ${f.to}`))];
  for (const pair of pairs) {
    const mine = flows.filter((f) => `${f.from} ${f.to}` === pair);
    const sources = [...new Set(mine.map((f) => f.source))].sort();
    const targets = [...new Set(mine.map((f) => f.target))].sort();
    const table = sources.map((s) =>
      targets.map((t) => mine.find((f) => f.source === s && f.target === t)?.customers ?? 0)
    );
    const shown = protectCrosstab(table, min, {fixedRows: true, fixedColumns: true});
    byPair.set(pair, {sources, targets, shown});
    sources.forEach((source, r) =>
      targets.forEach((target, c) => {
        if (shown.cells[r][c] && table[r][c] === 0)
          zeros.push({from: mine[0].from, to: mine[0].to, source, target, customers: null});
      })
    );
  }
  return [
    ...flows.map((f) => {
      const {sources, targets, shown} = byPair.get(`${f.from} ${f.to}`)!;
      const hidden = shown.cells[sources.indexOf(f.source)][targets.indexOf(f.target)];
      return {...f, customers: hidden ? null : f.customers};
    }),
    ...zeros
  ];
}
