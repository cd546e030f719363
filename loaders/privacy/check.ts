/**
 * The build's privacy check (DESIGN.md, "Privacy"): after Framework and the exports have
 * written the site, every published file is read back and the build fails when
 *
 * - a direct identifier of a customer appears in it while the config does not allow them
 *   (`privacy.identifiers` false): an e-mail address, a phone number, a full name or a street
 *   address (identifiers.ts says how each is compared), of a customer in the store's
 *   `customers` table or a quarantined customer row (roster.ts);
 * - a published aggregate covers fewer than `privacy.minGroupSize` customers (group-size.ts),
 *   an at-risk share among them: it stands for the customers at risk (risk-shares.ts);
 * - a suppressed count of a published table follows from its published cells and totals by
 *   subtraction (differencing.ts);
 * - a customer sample published for analysis has a combination of quasi-identifiers shared by
 *   fewer than `privacy.minGroupSize` customers (k-anonymity.ts);
 * - a data file cannot be read.
 *
 * The identifiers are read once into sets (the millions of e-mails and phone numbers as 53-bit
 * digests DuckDB computes, digests.ts); each published file is then read once, by its format
 * (scan.ts, formats.ts), token by token, with a set lookup per candidate token (matching.ts): no
 * pattern per customer, so the scan's cost grows with the size of the site, not with the number
 * of customers. What it found is a report (findings.ts).
 */
import {createHash} from "node:crypto";
import {createReadStream, existsSync} from "node:fs";
import {readFile, rm, writeFile} from "node:fs/promises";
import {join} from "node:path";
import type {PortraitConfig} from "../config/project.ts";
import {type Store} from "../core/store.ts";
import type {PrivacyReport} from "./findings.ts";
import {checkSamples} from "./k-anonymity.ts";
import {identifierIndex, nameCustomers} from "./roster.ts";
import {publishedFiles, scanPublished} from "./scan.ts";
import {differencing} from "./differencing.ts";
import {checkRiskShares} from "./risk-shares.ts";

/**
 * Checks every file under dir against the store's customers and the config's privacy settings.
 * Returns the report; the build fails when it holds violations.
 */
export async function checkPrivacy(
  store: Store,
  dir: string,
  config: PortraitConfig
): Promise<PrivacyReport> {
  const start = performance.now();
  const index = config.privacy.identifiers ? null : await identifierIndex(store, config);
  const report = await scanPublished(dir, index, config.privacy.minGroupSize);
  const files = await publishedFiles(dir);
  const tables = await differencing(dir, files, config.privacy.minGroupSize);
  report.violations.push(...tables.violations);
  report.tables = tables.tables;
  const risk = await checkRiskShares(store, dir, files, config.privacy.minGroupSize);
  report.violations.push(...risk.violations);
  report.counts += risk.checked;
  await checkSamples(store, dir, config.privacy.minGroupSize, report);
  if (report.violations.some((v) => v.value !== undefined))
    await nameCustomers(store, config, report);
  report.elapsedMs = performance.now() - start;
  return report;
}

/** One digest of every file under dir, their paths and their bytes, read as streams. */
export async function siteDigest(dir: string): Promise<string> {
  const files = await publishedFiles(dir);
  const digest = createHash("sha256");
  for (const file of files) {
    const hash = createHash("sha256");
    for await (const chunk of createReadStream(join(dir, file))) hash.update(chunk);
    digest.update(`${file}\0${hash.digest("hex")}\n`);
  }
  return digest.digest("hex");
}

/**
 * checkPrivacy, unless the very same files were found clean against the same store and privacy
 * settings: the check reads every published byte (a minute for a million customers' site), and a
 * rebuild with unchanged inputs publishes the same bytes. Only a clean report is kept (in
 * `cache`, a small JSON file beside the store); a failed one is always recomputed.
 */
export async function checkPrivacyReusing(
  store: Store,
  dir: string,
  config: PortraitConfig,
  {
    cache,
    storeFingerprint,
    code
  }: {
    cache: string;
    storeFingerprint: string | undefined;
    /** The check's own code: a changed check reads everything again. */
    code?: string;
  }
): Promise<PrivacyReport> {
  const start = performance.now();
  const key =
    storeFingerprint === undefined
      ? undefined
      : await reuseKey(dir, config, {store: storeFingerprint, code});
  const saved = existsSync(cache) ? JSON.parse(await readFile(cache, "utf8")) : undefined;
  if (key !== undefined && saved?.key === key)
    return {...(saved.report as PrivacyReport), reused: true, elapsedMs: performance.now() - start};
  const report = await checkPrivacy(store, dir, config);
  if (key !== undefined && report.violations.length === 0)
    await writeFile(cache, JSON.stringify({key, report}));
  else await rm(cache, {force: true});
  report.elapsedMs = performance.now() - start;
  return report;
}

/**
 * What a clean check is reused by: the store it read, the check's own code, the privacy
 * settings and every published byte (siteDigest).
 */
export async function reuseKey(
  dir: string,
  config: PortraitConfig,
  {store, code}: {store: string; code?: string}
): Promise<string> {
  return JSON.stringify({store, code, privacy: config.privacy, site: await siteDigest(dir)});
}
