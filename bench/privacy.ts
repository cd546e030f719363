/**
 * Benchmark: the build's privacy check (loaders/privacy/) at scale. A synthetic customers
 * table of --customers people (names, e-mails, phones and streets drawn by the demo generator's
 * own vocabularies and number plans) goes into an in-memory store; then
 *
 * 1. the identifier index alone (reading the table, normalising, filling the sets);
 * 2. the whole check over a site: --site (default reports/ when built) with a customer-level
 *    export of one row per customer added, as a build of that many customers publishes. The
 *    check of the Explore sample's quasi-identifiers reads the feature catalogue of the store
 *    that built the site (--store, default the build's store), as the build does; without it
 *    every column of the sample would count as a quasi-identifier.
 *
 *   npx tsx bench/privacy.ts [--customers 1000000] [--site reports] [--store .portrait/store.duckdb]
 *
 * Prints times and the peak resident memory; asserts nothing.
 */
import {existsSync, mkdtempSync, rmSync} from "node:fs";
import {cp, mkdir, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {parseArgs} from "node:util";
import {parseConfig} from "../loaders/config/project.ts";
import {emailAddress, formatPhone, nationalNumber, PHONE_STYLES} from "../loaders/demo/contact.ts";
import {COUNTRIES} from "../loaders/demo/geography.ts";
import {firstName, lastName, streetAddress} from "../loaders/demo/names.ts";
import {rng} from "../loaders/demo/random.ts";
import {PROJECT_DIR, storePath} from "../loaders/core/paths.ts";
import {checkPrivacy} from "../loaders/privacy/check.ts";
import {privacySummary} from "../loaders/privacy/findings.ts";
import {identifierIndex} from "../loaders/privacy/roster.ts";
import {scanPublished} from "../loaders/privacy/scan.ts";
import {Store} from "../loaders/core/store.ts";
import {literal, sql, val} from "../loaders/core/sql.ts";

const {values} = parseArgs({
  options: {
    customers: {type: "string", default: "1000000"},
    site: {type: "string", default: join(PROJECT_DIR, "reports")},
    store: {type: "string", default: storePath()}
  }
});
const customers = Number(values.customers);
const n = (x: number) => x.toLocaleString("en-US");
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
let peak = 0;
const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);

const dir = mkdtempSync(join(tmpdir(), "portrait-bench-privacy-"));
const store = await Store.open(":memory:");
try {
  let start = performance.now();
  const csv = join(dir, "customers.csv");
  const lines = ["customer_id,email,phone,phone_key,first_name,last_name,street,country"];
  const quote = (s: string) => (/[",]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  for (let i = 0; i < customers; i++) {
    const random = rng(7, "privacy-bench", i);
    const country = COUNTRIES[i % COUNTRIES.length];
    const first = firstName(random, country.language, random.chance(0.5) ? "F" : "M");
    const last = lastName(random, country.language);
    const national = nationalNumber(random, country, "20", i);
    const provider = random.pick(country.mailProviders);
    lines.push(
      [
        `C${String(i).padStart(7, "0")}`,
        emailAddress(random, first, last, `${provider}.example`, i),
        formatPhone(country, national, random.pick(PHONE_STYLES)),
        `${country.phone.callingCode}${national}`,
        first,
        last,
        streetAddress(random, country.language),
        country.code
      ]
        .map(quote)
        .join(",")
    );
  }
  await writeFile(csv, `${lines.join("\n")}\n`);
  lines.length = 0;
  await store.run(
    sql`CREATE TABLE customers AS SELECT * FROM read_csv(${val(csv)}, all_varchar = true, header = true)`
  );
  console.log(`synthetic customers: ${n(customers)} in ${seconds(performance.now() - start)}`);

  if (existsSync(values.store)) {
    // the site's own feature catalogue, read-only, for the sample check
    await store.run(sql`ATTACH ${literal(resolve(values.store))} AS site (READ_ONLY)`);
    await store.run(sql`CREATE TABLE feature_catalog AS SELECT * FROM site.feature_catalog`);
    await store.run(sql`DETACH site`);
  } else console.log(`no store at ${values.store}: the sample check counts every column`);

  const config = parseConfig({sources: {crm: {table: "customers", file: csv}}}, "bench");
  start = performance.now();
  const index = await identifierIndex(store, config);
  console.log(
    `identifier index: ${n(index.size)} identifiers (${n(index.emails.size)} e-mails, ${n(index.phones.size)} phone forms, ${n(index.phraseTexts.size)} names and streets) in ${seconds(performance.now() - start)}`
  );

  const site = join(dir, "site");
  if (existsSync(values.site)) await cp(resolve(values.site), site, {recursive: true});
  // What a build of this many customers publishes besides the pages: one export row each.
  await mkdir(join(site, "exports"), {recursive: true});
  const exportRows = ["customer_id,profile_id,profile_name,segment,p_alive,expected_value_12m"];
  for (let i = 0; i < customers; i++)
    exportRows.push(
      `C${String(i).padStart(7, "0")},p${(i % 7) + 1},Deal-seeking,35–44,0.${(i * 7919) % 9973},${((i * 104729) % 100000) / 100}`
    );
  await writeFile(join(site, "exports", "customers.csv"), `${exportRows.join("\n")}\n`);
  exportRows.length = 0;
  const report = await scanPublished(site, index, config.privacy.minGroupSize);
  console.log(`scan alone: ${privacySummary(report)}`);
  const whole = await checkPrivacy(store, site, config);
  console.log(`the whole check (index and scan): ${privacySummary(whole)}`);
  const kinds = new Map<string, number>();
  for (const v of whole.violations) kinds.set(v.what, (kinds.get(v.what) ?? 0) + 1);
  for (const [what, found] of kinds) console.log(`  ${n(found)} × ${what}`);
} finally {
  store.close();
  rmSync(dir, {recursive: true, force: true});
  clearInterval(sample);
  console.log(`peak resident memory: ${(peak / 2 ** 30).toFixed(2)} GiB`);
}
