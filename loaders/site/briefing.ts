/**
 * The overview for leadership: every profile at a glance (size, share of revenue, value, risk,
 * one line), the few facts that changed since the previous build, and the data-quality
 * headline behind it all.
 */
import {buildSummary, previousSummary, type BuildSummary} from "../history/previous.ts";
import {profilesDocument} from "./profiles.ts";
import {driftReasons} from "./history.ts";
import {riskSummary} from "./risk.ts";
import {overviewStory} from "./story.ts";
import {readQuality} from "../clean/quality.ts";
import {byProfileId, sql} from "../core/sql.ts";
import type {Store} from "../core/store.ts";
import {formatPercentChange, formatShare} from "../../src/contracts/share.ts";
import type {Briefing, Change, DriftAlert} from "../../src/contracts/briefing.ts";

/** The most facts the overview lists: the few that matter, not a changelog. */
const MAX_CHANGES = 5;

/** The profiles whose drift since the previous snapshot passed a threshold of the config. */
export async function driftAlerts(
  store: Store,
  thresholds: {centroidShift: number; psi: number}
): Promise<DriftAlert[]> {
  if (!(await store.has("profile_drift"))) return [];
  const rows = await store.all<{
    profile_id: string;
    name: string;
    since: string;
    centroid_shift: number | null;
    features: {label: string; psi: number}[] | null;
  }>(
    sql`SELECT d.profile_id, p.name, strftime(d.from_snapshot, '%Y-%m-%d') AS since, d.centroid_shift,
       (SELECT list({'label': coalesce(c.label, f.feature), 'psi': f.psi} ORDER BY f.psi DESC, f.feature)
        FROM profile_feature_psi f LEFT JOIN feature_catalog c ON c.feature = f.feature
        WHERE f.profile_id = d.profile_id AND f.to_snapshot = d.to_snapshot) AS features
     FROM profile_drift d JOIN profiles p USING (profile_id)
     WHERE d.alert AND d.to_snapshot = (SELECT max(snapshot) FROM snapshots)
     ORDER BY ${byProfileId(sql`d.profile_id`)}`
  );
  return rows.map((r) => ({
    profile_id: r.profile_id,
    name: r.name,
    since: r.since,
    reasons: driftReasons(
      {centroid_shift: r.centroid_shift, features: r.features ?? []},
      thresholds
    )
  }));
}

/** Everything the overview page shows; customerLevel says whether the customer pages are built. */
export async function briefing(
  store: Store,
  {
    customerLevel = true,
    drift = {centroidShift: Infinity, psi: Infinity},
    minGroupSize = 10,
    currency = null
  }: {
    customerLevel?: boolean;
    drift?: {centroidShift: number; psi: number};
    minGroupSize?: number;
    currency?: string | null;
  } = {}
): Promise<Briefing> {
  const doc = await profilesDocument(store);
  const current = await buildSummary(store);
  const previous = await previousSummary(store);
  const related = new Map(
    (await store.has("profile_matches"))
      ? (
          await store.all<{profile_id: string; status: string; related_id: string | null}>(
            sql`SELECT profile_id, status, related_id FROM profile_matches ORDER BY profile_id`
          )
        ).map((m) => [m.profile_id, m])
      : []
  );
  const changes: Change[] = current
    ? compareBuilds(current, previous, related).slice(0, MAX_CHANGES)
    : [];
  const report = (await store.has("quality_report")) ? await readQuality(store) : undefined;
  const quality = report && {
    rows: report.sources.reduce((n, s) => n + s.read, 0),
    quarantined: report.sources.reduce((n, s) => n + s.quarantined, 0),
    merged: report.identity?.merged ?? 0
  };
  const profiles = doc.profiles.map((p) => ({
    id: p.id,
    name: p.name,
    summary: p.summary,
    customers: p.customers,
    share: p.share,
    revenue_share: p.revenue_share,
    value_12m: p.value_12m,
    p_alive: p.p_alive,
    at_risk_share: p.at_risk_share,
    at_risk_suppressed: p.at_risk_suppressed,
    outcomes: p.outcomes,
    stability: p.quality.stability
  }));
  const customers = current?.customers ?? 0;
  const story = await overviewStory(store, profiles, customers, {
    currency,
    minGroupSize,
    customerLevel,
    flagged: (await riskSummary(store)).flagged
  });
  return {
    as_of: doc.as_of,
    k: doc.k,
    silhouette: doc.silhouette,
    customers,
    previous_as_of: previous?.as_of ?? null,
    has_previous: previous !== undefined,
    changes,
    quality: quality ?? null,
    customer_level: customerLevel,
    min_group_size: minGroupSize,
    alerts: await driftAlerts(store, drift),
    profiles,
    ...story
  };
}

const points = (x: number) => `${x > 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(1)} points`;
const count = (n: number) => n.toLocaleString("en-US");

/**
 * The facts that changed between two builds, largest first: customers, profiles that appeared
 * or vanished, and per profile a shift in size (≥ 1 point of the base), at-risk share
 * (≥ 2 points) or expected value (≥ 10%). Nothing when there is no previous build.
 */
export function compareBuilds(
  current: BuildSummary,
  previous: BuildSummary | undefined,
  /** Profile id → the profile it split from or merged into (profile_matches). */
  related: Map<string, {status: string; related_id: string | null}> = new Map()
): Change[] {
  if (!previous) return [];
  const changes: Change[] = [];
  const since = previous.as_of
    ? `the build with data as of ${previous.as_of}`
    : "the previous build";
  const delta = current.customers - previous.customers;
  if (delta !== 0)
    changes.push({
      text: `${count(current.customers)} customers, ${delta > 0 ? "+" : "−"}${count(Math.abs(delta))} since ${since}.`,
      weight: 10_000, // always first: the base itself
      profile_id: null
    });
  const before = new Map(previous.profiles.map((p) => [p.profile_id, p]));
  const now = new Set(current.profiles.map((p) => p.profile_id));
  for (const p of current.profiles) {
    const old = before.get(p.profile_id);
    if (!old) {
      const from = related.get(p.profile_id);
      const parent = from?.status === "split" ? before.get(from.related_id ?? "") : undefined;
      changes.push({
        text: parent
          ? `New profile: ${p.name}, ${formatShare(p.share)} of customers, split from ${parent.name}.`
          : `New profile: ${p.name}, ${formatShare(p.share)} of customers.`,
        weight: 50 + p.share * 100,
        profile_id: p.profile_id
      });
      continue;
    }
    const size = p.share - old.share;
    if (Math.abs(size) >= 0.01)
      changes.push({
        text: `${p.name}: ${formatShare(p.share)} of customers (${points(size)}).`,
        weight: Math.abs(size) * 1000,
        profile_id: p.profile_id
      });
    if (p.at_risk_share !== null && old.at_risk_share !== null) {
      const risk = p.at_risk_share - old.at_risk_share;
      if (Math.abs(risk) >= 0.02)
        changes.push({
          text: `${p.name}: ${formatShare(p.at_risk_share)} at risk (${points(risk)}).`,
          weight: Math.abs(risk) * 800,
          profile_id: p.profile_id
        });
    }
    if (p.value_12m !== null && old.value_12m !== null && old.value_12m > 0) {
      const ratio = p.value_12m / old.value_12m - 1;
      if (Math.abs(ratio) >= 0.1)
        changes.push({
          text: `${p.name}: expected value ${Math.round(p.value_12m).toLocaleString("en-US")} per customer (${formatPercentChange(ratio)}).`,
          weight: Math.abs(ratio) * 300,
          profile_id: p.profile_id
        });
    }
  }
  for (const old of previous.profiles)
    if (!now.has(old.profile_id)) {
      const to = related.get(old.profile_id);
      const into =
        to?.status === "merged"
          ? current.profiles.find((p) => p.profile_id === to.related_id)
          : undefined;
      changes.push({
        text: into
          ? `${old.name} (was ${formatShare(old.share)} of customers) merged into ${into.name}.`
          : `No longer found: ${old.name} (was ${formatShare(old.share)} of customers).`,
        weight: 50 + old.share * 100,
        profile_id: null
      });
    }
  return changes.sort((a, b) => b.weight - a.weight || a.text.localeCompare(b.text));
}
