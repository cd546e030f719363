/**
 * What profiling checks before it clusters, as one function that both the build and `npm run
 * check` run on the features: whether there are customers enough for profiles, whether the
 * features the config clusters on exist and are measured, how many there are, and whether every
 * segmentation's variables can be read. A problem stops the build (and fails the check); a
 * warning is logged (and printed).
 */
import type {PortraitConfig} from "../config/project.ts";
import {clusteredFeatures} from "./cluster.ts";
import type {CatalogEntry} from "./features.ts";
import {variableSql} from "./segments.ts";

/** Fewer customers than this make no profiles worth the name: the build says so and goes on. */
export const MIN_CUSTOMERS = 100;

/** Fewer clustered features than this make profiles along one or two lines: the build warns. */
export const MIN_CLUSTERED_FEATURES = 3;

export interface Preflight {
  problems: string[];
  warnings: string[];
  /** Why no profiles will be built; null when they will. */
  skipped: string | null;
}

/** The warning for clustering on too few features, or null. */
export function fewFeaturesWarning(clustered: readonly {label: string}[]): string | null {
  if (clustered.length >= MIN_CLUSTERED_FEATURES) return null;
  const names = clustered.map((f) => f.label).join(", ") || "none";
  return `the profiles are clustered on ${clustered.length} feature${clustered.length === 1 ? "" : "s"} (${names}), fewer than ${MIN_CLUSTERED_FEATURES}: they can only split customers along ${clustered.length === 1 ? "one line" : "a few lines"}. Cluster on more (clustering.dimensions or clustering.features), or read the profiles as bands of ${names}.`;
}

/** Checks the features a build measured against the config, before clustering. */
export function preflight(
  catalog: readonly CatalogEntry[],
  config: PortraitConfig,
  {population, defaultSegments}: {population: number; defaultSegments: boolean}
): Preflight {
  const problems: string[] = [];
  const warnings: string[] = [];
  if (population < MIN_CUSTOMERS) {
    const skipped = `${population} customers: profiles need at least ${MIN_CUSTOMERS}`;
    return {problems, warnings: [`no profiles: ${skipped}`], skipped};
  }
  try {
    const few = fewFeaturesWarning(clusteredFeatures([...catalog], config.clustering));
    if (few !== null) warnings.push(few);
  } catch (error) {
    problems.push((error as Error).message);
  }
  const byId = new Map(catalog.map((f) => [f.id, f]));
  for (const [name, variables] of Object.entries(config.segments)) {
    for (const v of variables) {
      const f = byId.get(v.feature);
      if (f === undefined || !f.measured) {
        // The default segments fit most data, not all: what the data cannot fill is left out.
        if (!defaultSegments)
          problems.push(
            `segments.${name}: "${v.feature}" ${f ? `is not measured (${f.note})` : "is not a feature"}; see the feature catalog for the features there are`
          );
        continue;
      }
      try {
        variableSql(v, f);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
  }
  return {problems, warnings, skipped: null};
}
