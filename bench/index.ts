/**
 * `npm run bench`: every benchmark in turn, each in its own process so its memory figures are
 * its own. They print figures; nothing here asserts a time.
 *
 *   npm run bench                          k-means on 1,000,000 × 16 against scikit-learn, the
 *                                          value models on 1,000,000 customers, the whole engine
 *                                          on the 1,000,000-customer demo, the privacy check
 *                                          against 1,000,000 customers' identifiers, the exports
 *                                          of a synthetic 1,000,000-customer store
 *   npm run bench -- --n 200000 --customers 200000   the same, smaller
 *   npm run bench -- --only kmeans|clv|engine|privacy|exports|pages   (pages: the site npm run build made)
 */
import {spawnSync} from "node:child_process";
import {join} from "node:path";
import {parseArgs} from "node:util";

const {values} = parseArgs({
  options: {
    n: {type: "string", default: "1000000"},
    customers: {type: "string", default: "1000000"},
    only: {type: "string"}
  }
});

const benches: [string, string[]][] = [
  ["kmeans", ["bench/kmeans.ts", "--n", values.n]],
  ["clv", ["bench/clv.ts", "--n", values.n]],
  ["engine", ["bench/engine.ts", "--customers", values.customers]],
  ["privacy", ["bench/privacy.ts", "--customers", values.customers]],
  ["exports", ["bench/exports.ts", "--customers", values.customers]],
  // the site npm run build made (reports/): weight and load time of every page type
  ["pages", ["bench/pages.ts"]]
];
const root = join(import.meta.dirname, "..");
let failed = false;
for (const [name, args] of benches) {
  if (values.only && values.only !== name) continue;
  console.log(`\n== ${name} ==`);
  const result = spawnSync(process.execPath, ["--import", "tsx", ...args], {
    cwd: root,
    stdio: "inherit"
  });
  if (result.status !== 0) {
    console.error(`bench ${name} failed (exit ${result.status ?? result.signal})`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
