/**
 * The engine's stages in order, on an open store: read the sources, validate, standardise,
 * resolve identities, enrich, then the overview and the data-quality report. The engine runs it
 * into the profile store; `npm run check` runs it into memory.
 */
import {CANONICAL_TABLES} from "./canonical.ts";
import type {PortraitConfig} from "./config.ts";
import {enrich, type EnrichSummary} from "./enrich.ts";
import {followIdentities, resolveIdentities, type IdentitySummary} from "./identity.ts";
import {buildOverview} from "./overview.ts";
import {buildQuality, storeQuality, type QualityReport} from "./quality.ts";
import {readReference, readSources} from "./sources.ts";
import {standardise, type StandardiseSummary} from "./standardise.ts";
import {Stages, type StageTiming} from "./stages.ts";
import type {Store} from "./store.ts";
import {validate, type Validation} from "./validate.ts";

export interface PipelineResult {
  validation: Validation;
  standardise: StandardiseSummary;
  identity: IdentitySummary;
  enrichment: EnrichSummary[];
  quality: QualityReport;
  stages: StageTiming[];
}

/** Runs every stage; stops after validation when the data breaks the config's limits. */
export async function runPipeline(
  store: Store,
  config: PortraitConfig,
  log: (line: string) => void = () => {},
  stages: Stages = new Stages()
): Promise<PipelineResult> {
  const raws = await stages.time("read", () => readSources(store, config));
  for (const raw of raws)
    log(
      `read ${raw.name}: ${raw.rows.toLocaleString("en-US")} rows from ${raw.locations.join(", ")}`
    );
  const validation = await stages.time("validate", () => validate(store, config, raws));
  for (const v of validation.sources) {
    log(
      `validated ${v.source} → ${v.table}: ${v.accepted.toLocaleString("en-US")} accepted, ${v.quarantined.toLocaleString("en-US")} quarantined`
    );
  }
  await stages.time("references", async () => {
    for (const [name, reference] of Object.entries(config.references)) {
      const {rows} = await readReference(store, config, name, reference);
      log(`reference ${name}: ${rows.toLocaleString("en-US")} rows`);
    }
  });
  const standardised = await stages.time("standardise", () =>
    standardise(store, {asOf: validation.asOf})
  );
  const identity = await stages.time("identity", async () => {
    const summary = await resolveIdentities(store, {
      rules: config.identity.rules,
      survivorship: config.identity.survivorship
    });
    for (const table of CANONICAL_TABLES) {
      if (table.name !== "customers")
        await followIdentities(store, `accepted_${table.name}`, table.name);
    }
    return summary;
  });
  log(
    `identities: ${identity.ids.toLocaleString("en-US")} customer ids → ${identity.persons.toLocaleString("en-US")} persons`
  );
  const enrichment: EnrichSummary[] = await stages.time("enrich", async () => {
    const summaries: EnrichSummary[] = [];
    for (const e of config.enrich) {
      summaries.push(
        await enrich(store, {table: `ref_${e.reference}`, on: e.on, fields: e.fields})
      );
    }
    return summaries;
  });
  const quality = await stages.time("quality", async () => {
    await buildOverview(store, validation.asOf);
    const report = await buildQuality(store, config, validation);
    await storeQuality(store, report);
    return report;
  });
  return {
    validation,
    standardise: standardised,
    identity,
    enrichment,
    quality,
    stages: stages.timings
  };
}
