/**
 * How each profile's at-risk share at each snapshot is published, the same on every page that
 * states one (History, a report's changes, the Overview's story): suppressed where fewer than
 * minGroupSize customers are at risk, and hidden beside it where all customers' share would give
 * it back (profile/risk-suppression.ts).
 */
import type {AtRiskSuppressed} from "../../src/contracts/risk.ts";
import {suppressRisk} from "../profile/risk-suppression.ts";
import {sql} from "../core/sql.ts";
import type {Store} from "../core/store.ts";

/** Snapshot date → profile id → how its at-risk share is published. */
export async function snapshotRisk(
  store: Store,
  min: number
): Promise<Map<string, Map<string, AtRiskSuppressed>>> {
  const states = new Map<string, Map<string, AtRiskSuppressed>>();
  if (!(await store.has("snapshot_customers"))) return states;
  const rows = await store.all<{
    snapshot: string;
    profile_id: string;
    customers: number;
    at_risk: number | null;
  }>(
    sql`SELECT strftime(snapshot, '%Y-%m-%d') AS snapshot, profile_id, count(*)::INTEGER AS customers,
       -- NULL where no customer's risk was assessed
       CASE WHEN count(at_risk) > 0 THEN count(*) FILTER (WHERE at_risk) END::INTEGER AS at_risk
     FROM snapshot_customers GROUP BY ALL ORDER BY 1, 2`
  );
  for (const snapshot of new Set(rows.map((r) => r.snapshot))) {
    const mine = rows.filter((r) => r.snapshot === snapshot);
    const shown = suppressRisk(
      mine.map((r) => ({atRisk: r.at_risk, customers: r.customers})),
      min
    );
    states.set(snapshot, new Map(mine.map((r, i) => [r.profile_id, shown.profiles[i]])));
  }
  return states;
}
