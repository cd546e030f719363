/**
 * The Method page: how this build found its profiles, with its own figures: every k tried and
 * why it was kept or not, the features and their coverage, the value models' parameters, and
 * the settings that drove the choices.
 */
import type {PageSettings} from "../config/settings.ts";
import {roundDeep} from "./published.ts";
import {fewFeaturesWarning} from "../profile/preflight.ts";
import type {Row, Store} from "../core/store.ts";
import {byProfileId, sql} from "../core/sql.ts";
import {protectParts} from "../core/margins.ts";
import type {
  BacktestCandidate,
  BacktestDecile,
  BacktestFrequency,
  ClusteringRun,
  MethodBacktest,
  MethodDocument,
  MethodFeature,
  ModelParameter,
  ProfileQuality
} from "../../src/contracts/method.ts";

/**
 * Each model's buckets (calibration repeat purchases, or tenths of the prediction) add up to the
 * backtest's customers, a published count: a bucket of fewer than `min` customers is published
 * as null, and so are as many others as it takes that none can be worked out from the total
 * (core/margins.ts). A suppressed bucket's predicted and actual means go too: beside the
 * candidates' predicted and actual totals, a mean would give its count back.
 */
export function suppressBuckets<T extends {model: string; customers: number | null}>(
  rows: readonly T[],
  min: number
): (T & {customers: number | null; predicted: number | null; actual: number | null})[] {
  const hidden = new Set<T>();
  for (const model of new Set(rows.map((r) => r.model))) {
    const mine = rows.filter((r) => r.model === model);
    const out = protectParts(
      mine.map((r) => r.customers ?? 0),
      min
    );
    mine.forEach((r, i) => out[i] && hidden.add(r));
  }
  return rows.map((r) =>
    hidden.has(r)
      ? {...r, customers: null, predicted: null, actual: null}
      : (r as T & {predicted: number | null; actual: number | null})
  );
}

/** The backtest's tables (loaders/value/backtest.ts), empty when the build has none. */
async function methodBacktest(store: Store, min: number): Promise<MethodBacktest> {
  if (!(await store.has("value_backtest")))
    return {customers: null, lapsed: null, candidates: [], frequency: [], deciles: []};
  const counts = await store.one<{customers: number | null; lapsed: number | null}>(
    sql`SELECT customers, lapsed FROM risk_assessment`
  );
  return {
    customers: counts?.customers ?? null,
    lapsed: counts?.lapsed ?? null,
    candidates: await store.all<BacktestCandidate & Row>(
      sql`SELECT model, label, auc, brier, log_loss, predicted_purchases, actual_purchases, mse,
            error, how, risk_model, purchase_model
          FROM value_backtest ORDER BY position`
    ),
    frequency: suppressBuckets(
      await store.all<BacktestFrequency & Row>(
        sql`SELECT model, frequency, customers, predicted, actual
            FROM value_backtest_frequency ORDER BY position, bucket`
      ),
      min
    ),
    deciles: suppressBuckets(
      await store.all<BacktestDecile & Row>(
        sql`SELECT model, decile, customers, predicted, actual
            FROM value_backtest_deciles ORDER BY position, decile`
      ),
      min
    )
  };
}

/** Everything the Method page shows, from the store and the config's settings. */
export async function methodDocument(store: Store, config: PageSettings): Promise<MethodDocument> {
  const has = async (t: string) => store.has(t);
  const runs = (await has("clustering_runs"))
    ? await store.all<ClusteringRun & Row>(
        sql`SELECT k, silhouette, min_share, min_stability, mean_stability, accepted, reason, chosen
         FROM clustering_runs ORDER BY k`
      )
    : [];
  const features = (await has("feature_catalog"))
    ? await store.all<MethodFeature & Row>(
        sql`SELECT feature, dimension, label, unit, kind, transform, measured, coverage, note,
           clustered, describe_only
         FROM feature_catalog ORDER BY position`
      )
    : [];
  const models = (await has("value_models"))
    ? await store.all<ModelParameter & Row>(
        sql`SELECT model, parameter, value FROM value_models ORDER BY model, parameter`
      )
    : [];
  const quality = (await has("cluster_quality"))
    ? await store.all<ProfileQuality & Row>(
        sql`SELECT q.profile_id, p.name, q.customers, q.share, q.silhouette, q.stability
         FROM cluster_quality q JOIN profiles p USING (profile_id)
         ORDER BY ${byProfileId(sql`q.profile_id`)}`
      )
    : [];
  const {clustering, churn, profiles, privacy} = config;
  const few = runs.length > 0 ? fewFeaturesWarning(features.filter((f) => f.clustered)) : null;
  return roundDeep({
    warnings: few === null ? [] : [few],
    runs,
    features,
    models,
    quality,
    backtest: await methodBacktest(store, config.privacy.minGroupSize),
    settings: {
      k: clustering.k,
      minProfileShare: clustering.minProfileShare,
      minStability: clustering.minStability,
      silhouetteTolerance: clustering.silhouetteTolerance,
      sample: clustering.sample,
      bootstrap: clustering.bootstrap,
      restarts: clustering.restarts,
      seed: clustering.seed,
      horizonDays: churn.horizonDays,
      minOrders: churn.minOrders,
      minEffect: profiles.minEffect,
      minCoverage: profiles.minCoverage,
      minGroupSize: privacy.minGroupSize
    }
  });
}
