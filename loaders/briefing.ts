/**
 * The overview for leadership: every profile at a glance (size, share of revenue, value, risk,
 * one line), the few facts that changed since the previous build, and the data-quality
 * headline behind it all.
 */
import {buildSummary, compareBuilds, previousSummary, type Change} from "./changes.ts";
import {profilesDocument} from "./exports.ts";
import {driftReasons} from "./history.ts";
import {readQuality} from "./quality.ts";
import {byProfileId} from "./site.ts";
import type {Store} from "./store.ts";

/** The most facts the overview lists: the few that matter, not a changelog. */
const MAX_CHANGES = 5;

/** A drift alert of the latest pair of snapshots, for the overview's banner. */
export interface DriftAlert {
  profile_id: string;
  name: string;
  since: string;
  reasons: string[];
}

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
    `SELECT d.profile_id, p.name, strftime(d.from_snapshot, '%Y-%m-%d') AS since, d.centroid_shift,
       (SELECT list({'label': coalesce(c.label, f.feature), 'psi': f.psi} ORDER BY f.psi DESC, f.feature)
        FROM profile_feature_psi f LEFT JOIN feature_catalog c ON c.feature = f.feature
        WHERE f.profile_id = d.profile_id AND f.to_snapshot = d.to_snapshot) AS features
     FROM profile_drift d JOIN profiles p USING (profile_id)
     WHERE d.alert AND d.to_snapshot = (SELECT max(snapshot) FROM snapshots)
     ORDER BY ${byProfileId("d.profile_id")}`
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
    drift = {centroidShift: Infinity, psi: Infinity}
  }: {customerLevel?: boolean; drift?: {centroidShift: number; psi: number}} = {}
): Promise<Record<string, unknown>> {
  const doc = await profilesDocument(store);
  const current = await buildSummary(store);
  const previous = await previousSummary(store);
  const related = new Map(
    (await store.has("profile_matches"))
      ? (
          await store.all<{profile_id: string; status: string; related_id: string | null}>(
            "SELECT profile_id, status, related_id FROM profile_matches ORDER BY profile_id"
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
  const profiles = (doc.profiles as Record<string, unknown>[]).map((p) => ({
    id: p.id,
    name: p.name,
    summary: p.summary,
    customers: p.customers,
    share: p.share,
    revenue_share: p.revenue_share,
    value_12m: p.value_12m,
    p_alive: p.p_alive,
    at_risk_share: p.at_risk_share,
    stability: (p.quality as {stability: number | null}).stability
  }));
  return {
    as_of: doc.as_of,
    k: doc.k,
    silhouette: doc.silhouette,
    customers: current?.customers ?? 0,
    previous_as_of: previous?.as_of ?? null,
    has_previous: previous !== undefined,
    changes,
    quality: quality ?? null,
    customer_level: customerLevel,
    alerts: await driftAlerts(store, drift),
    profiles
  };
}
