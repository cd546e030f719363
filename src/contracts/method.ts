/**
 * The Method page (data/method.json): how this build found its profiles, with its own figures:
 * every k tried and why it was kept or not, the features and their coverage, the value models'
 * parameters, each profile's quality, and the settings that drove the choices.
 */

/** One number of profiles tried, with the scores it was judged on. */
export interface ClusteringRun {
  k: number;
  silhouette: number | null;
  /** The smallest profile's share of customers. */
  min_share: number | null;
  /** The least stable profile's Jaccard stability over the bootstrap samples. */
  min_stability: number | null;
  mean_stability: number | null;
  accepted: boolean;
  /** Why the k was rejected; null when accepted. */
  reason: string | null;
  chosen: boolean;
}

/** A feature of the catalogue: what it measures and how much of the base has it. */
export interface MethodFeature {
  feature: string;
  dimension: string;
  label: string;
  unit: string;
  kind: string;
  transform: string;
  measured: boolean;
  coverage: number | null;
  note: string | null;
  clustered: boolean;
  describe_only: boolean;
}

/** One fitted parameter of a value model. */
export interface ModelParameter {
  model: string;
  parameter: string;
  value: number | null;
}

/** A profile's clustering quality. */
export interface ProfileQuality {
  profile_id: string;
  name: string;
  customers: number;
  share: number;
  silhouette: number | null;
  stability: number | null;
}

/** The config's settings behind the choices (clustering, churn, traits, privacy). */
export interface MethodSettings {
  k: {min: number; max: number};
  minProfileShare: number;
  minStability: number;
  silhouetteTolerance: number;
  sample: number;
  bootstrap: number;
  restarts: number;
  seed: number;
  horizonDays: number;
  minOrders: number;
  minEffect: number;
  minCoverage: number;
  minGroupSize: number;
}

/** One candidate of the value and risk backtest. */
export interface BacktestCandidate {
  model: string;
  label: string;
  /** AUC, Brier score and log loss of "no purchase in the horizon"; null when not fitted. */
  auc: number | null;
  brier: number | null;
  log_loss: number | null;
  /** Holdout repeat purchases predicted and made (probabilistic models only). */
  predicted_purchases: number | null;
  actual_purchases: number | null;
  mse: number | null;
  error: string | null;
  how: string | null;
  /** Whether risk, or P(alive) and value, come from this model. */
  risk_model: boolean;
  purchase_model: boolean;
}

/**
 * Predicted against actual holdout purchases per customer, by calibration repeat purchases.
 * customers, predicted and actual are null together when the bucket is suppressed: fewer than
 * privacy.minGroupSize customers, or hidden so that such a bucket cannot be worked out from the
 * backtest's customers (a mean beside the candidates' totals would give the count back).
 */
export interface BacktestFrequency {
  model: string;
  frequency: string;
  customers: number | null;
  predicted: number | null;
  actual: number | null;
}

/** Predicted against actual lapse rates by decile of the prediction; suppressed as a bucket is. */
export interface BacktestDecile {
  model: string;
  decile: number;
  customers: number | null;
  predicted: number | null;
  actual: number | null;
}

/** The backtest behind every risk and value figure. */
export interface MethodBacktest {
  /** Customers scored at the calibration date, and those who then bought nothing. */
  customers: number | null;
  lapsed: number | null;
  candidates: BacktestCandidate[];
  frequency: BacktestFrequency[];
  deciles: BacktestDecile[];
}

/** data/method.json. */
export interface MethodDocument {
  /** What a reader must know before trusting the profiles (clustering on too few features). */
  warnings: string[];
  runs: ClusteringRun[];
  features: MethodFeature[];
  models: ModelParameter[];
  quality: ProfileQuality[];
  backtest: MethodBacktest;
  settings: MethodSettings;
}
