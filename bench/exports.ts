/**
 * Benchmark: the exports (loaders/publish/exports.ts) and the copy of the previous build's customers
 * (loaders/history/previous.ts) at scale. A synthetic store of --customers customers in seven profiles,
 * with segments, value and a previous build in which one customer in twenty sat elsewhere, then
 *
 * 1. copyPreviousCustomers: the old store saved to a file, attached read-only and copied;
 * 2. writeExports: customers.csv, customers.json, changes.csv and profiles.json;
 * 3. the privacy check's scan of the exports (scanPublished) against the synthetic customers'
 *    e-mails and names: each file read once, a file over 256 MiB in pieces of whole lines.
 *
 *   npx tsx bench/exports.ts [--customers 1000000]
 *
 * Prints times, file sizes and the peak resident memory; asserts nothing.
 */
import {mkdtempSync, rmSync, statSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {copyPreviousCustomers} from "../loaders/history/previous.ts";
import {writeExports} from "../loaders/publish/exports.ts";
import {parseConfig} from "../loaders/config/project.ts";
import {identifierIndex} from "../loaders/privacy/roster.ts";
import {scanPublished} from "../loaders/privacy/scan.ts";
import {Store} from "../loaders/core/store.ts";
import {sql} from "../loaders/core/sql.ts";

const {values} = parseArgs({options: {customers: {type: "string", default: "1000000"}}});
const customers = Number(values.customers);
const n = (x: number) => x.toLocaleString("en-US");
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (path: string) => `${(statSync(path).size / 1e6).toFixed(1)} MB`;
let peak = 0;
const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);

/** The synthetic tables writeExports reads; `shift` moves one customer in twenty elsewhere. */
const tables = (shift: number) => [
  sql`CREATE TABLE customer_profiles AS SELECT printf('C%07d', i) AS customer_id,
     'p' || ((i + CASE WHEN i % 20 = 0 THEN ${shift} ELSE 0 END) % 7 + 1) AS profile_id, 0.5 AS distance
   FROM range(${customers}) r(i)`,
  sql`CREATE TABLE profiles AS SELECT 'p' || i AS profile_id, 'Profile ' || i AS name,
     'Profile ' || i AS generated_name,
     '14 % of customers; orders in the last 12 months 8.2 (all 3.1); activity in the last 90 days against a year earlier −71 % (all +31 %).' AS summary,
     ${Math.ceil(customers / 7)} AS customers, 1 / 7 AS share, 1 / 7 AS revenue_share,
     100.0 AS value_12m, 0.8 AS p_alive, 0.1 AS at_risk_share, 0.2 AS silhouette,
     0.9 AS stability, '[]' AS notes
   FROM range(1, 8) r(i)`,
  sql`CREATE TABLE profile_sentences AS SELECT 'p' || i AS profile_id, 'serve' AS section,
     0 AS position, 'Reach them by email (44 %, against 43 % of all customers), and by phone when a ticket is open for more than two days.' AS text
   FROM range(1, 8) r(i)`,
  sql`CREATE TABLE profile_traits (profile_id VARCHAR, feature VARCHAR, level VARCHAR,
     dimension VARCHAR, label VARCHAR, unit VARCHAR, profile_value DOUBLE, base_value DOUBLE,
     lift DOUBLE, effect DOUBLE, effect_low DOUBLE, effect_high DOUBLE, coverage DOUBLE,
     distinguishing BOOLEAN, rank INTEGER)`,
  sql`CREATE TABLE customer_segments AS SELECT customer_id, 'age_by_channel' AS segment,
     ['under 25', '25–34', '35–44', '45–54', '55 and over'][(hash(customer_id) % 5 + 1)::BIGINT] || ' · web' AS value
   FROM customer_profiles`,
  sql`CREATE TABLE customer_value AS SELECT customer_id, (hash(customer_id) % 10000) / 10000 AS p_alive,
     (hash(customer_id) % 100000) / 97 AS expected_value_12m,
     (hash(customer_id) % 7919) / 7919 AS p_lapse,
     (hash(customer_id) + ${shift}) % 9 = 0 AS at_risk
   FROM customer_profiles`,
  sql`CREATE TABLE features AS SELECT customer_id,
     ['email', 'app', 'phone', 'sms'][(hash(customer_id) % 4 + 1)::BIGINT] AS preferred_channel
   FROM customer_profiles`,
  sql`CREATE TABLE overview_as_of AS SELECT DATE '2026-10-31' AS as_of`,
  sql`CREATE TABLE clustering_runs AS SELECT 7 AS k, 0.2 AS silhouette, true AS chosen`,
  sql`CREATE TABLE customers AS SELECT customer_id, lower(customer_id) || '@mail.example' AS email,
     ['Ann', 'Bo', 'Cyd', 'Dee', 'Eli', 'Fay'][(hash(customer_id) % 6 + 1)::BIGINT] AS first_name,
     ['Smith', 'Jones', 'Vogel', 'Rossi', 'Dubois'][(hash(customer_id) % 5 + 1)::BIGINT] AS last_name,
     'US' AS country
   FROM customer_profiles`
];

const dir = mkdtempSync(join(tmpdir(), "portrait-bench-exports-"));
const store = await Store.open(":memory:");
try {
  let start = performance.now();
  const old = await Store.open(":memory:");
  for (const statement of tables(3)) await old.run(statement);
  await old.saveTo(join(dir, "old.duckdb"));
  old.close();
  for (const statement of tables(0)) await store.run(statement);
  await store.run(sql`CREATE TABLE previous_build AS SELECT DATE '2026-09-30' AS as_of`);
  console.log(
    `synthetic stores: ${n(customers)} customers in ${seconds(performance.now() - start)}`
  );

  start = performance.now();
  const copied = await copyPreviousCustomers(store, join(dir, "old.duckdb"));
  console.log(
    `copyPreviousCustomers: ${JSON.stringify(copied)} in ${seconds(performance.now() - start)}`
  );

  start = performance.now();
  const site = join(dir, "site");
  const files = await writeExports(store, site, {
    segments: ["age_by_channel"],
    log: (line) => console.log(`  ${line}`)
  });
  console.log(`writeExports: ${seconds(performance.now() - start)}`);
  for (const file of files) console.log(`  ${file.slice(site.length + 1)}: ${mb(file)}`);

  const config = parseConfig(
    {sources: {crm: {table: "customers", file: "customers.csv"}}},
    "bench"
  );
  const index = await identifierIndex(store, config);
  start = performance.now();
  const report = await scanPublished(site, index, 10);
  console.log(
    `privacy check's scan of the exports: ${report.files} files, ${n(index.size)} identifiers, ${report.violations.length} violations in ${seconds(performance.now() - start)}`
  );
} finally {
  store.close();
  rmSync(dir, {recursive: true, force: true});
  clearInterval(sample);
  console.log(`peak resident memory: ${(peak / 2 ** 30).toFixed(2)} GiB`);
}
