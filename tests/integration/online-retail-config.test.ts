/**
 * A public line-item export nobody here wrote, mapped through the README's second worked example:
 * a sample of UCI "Online Retail" (tests/fixtures/online-retail, drawn by `npm run fixtures`),
 * one line per invoice line, cancellations as "C" invoices, lines without a customer id.
 */
import {existsSync} from "node:fs";
import {mkdtemp, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {beforeAll, afterAll, describe, expect, it} from "vitest";
import {loadConfig, type PortraitConfig} from "../../loaders/config/project.ts";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {runEngine, type PipelineResult} from "../../loaders/engine.ts";
import {cardIndex, cardOptions, cardShard} from "../../loaders/site/cards.ts";
import {Store} from "../../loaders/core/store.ts";
import {sql} from "../../loaders/core/sql.ts";
import {findCard} from "../../src/components/shard.ts";
import {shardOf} from "../../src/contracts/cards.ts";

const FIXTURE = join(PROJECT_DIR, "tests", "fixtures", "online-retail");
const FILE = join(FIXTURE, "data", "online-retail.csv");

/** The README's example (the fixture's config), built small: no history, few refits. */
async function config(dir: string): Promise<PortraitConfig> {
  const c = await loadConfig(join(FIXTURE, "portrait.config.ts"));
  c.clustering = {...c.clustering, bootstrap: 2, restarts: 2};
  c.history = {...c.history, periods: 0};
  c.profiles.state = join(dir, "portrait.state.json");
  return c;
}

let dir: string;
let store: Store;
let result: PipelineResult;
beforeAll(async () => {
  expect(existsSync(FILE), `${FILE}: run npm run fixtures`).toBe(true);
  dir = await mkdtemp(join(tmpdir(), "portrait-online-retail-"));
  const c = await config(dir);
  const built = await runEngine({
    configPath: c.path,
    config: c,
    storePath: join(dir, "store.duckdb")
  });
  result = built.pipeline!;
  store = await Store.open(join(dir, "store.duckdb"), {readOnly: true});
});
afterAll(async () => {
  store?.close();
  await rm(dir, {recursive: true, force: true});
});

describe("UCI Online Retail (sample), mapped by the README's line-item example", () => {
  it("accounts for every line of the file, for both sources", () => {
    expect(result.validation.problems).toEqual([]);
    for (const s of result.validation.sources) {
      expect(s.read).toBe(13280);
      expect(s.accepted + s.quarantined).toBe(s.read);
    }
    const invoices = result.validation.sources.find((s) => s.source === "invoices")!;
    // 351 lines have no customer; credits whose purchase predates the file are unmatched.
    expect(invoices.byReason.missing_value).toBe(349);
    expect(invoices.byReason.unmatched_credit).toBeGreaterThan(0);
    expect(invoices.byReason.negative_amount).toBeUndefined();
    const lines = result.quality.sources.find((s) => s.source === "invoices")!.lines!;
    expect(lines.orders).toBeLessThan(lines.lines / 10);
    expect(lines.creditsByProduct + lines.creditsByCustomer + lines.unmatchedCredits).toBe(
      lines.credits
    );
  });

  it("gives customer 14188.0 their 6 purchase invoices as orders, credits netted (SOURCE.md)", async () => {
    const orders = await store.all<{order_id: string; amount: number}>(
      sql`SELECT order_id, round(amount, 2) AS amount FROM orders WHERE customer_id = '14188.0' ORDER BY ordered_at`
    );
    expect(orders.map((o) => o.order_id)).toEqual([
      "543015",
      "552328",
      "559512",
      "564053",
      "568873",
      "575305"
    ]);
    expect(Math.round(orders.reduce((sum, o) => sum + o.amount, 0) * 100) / 100).toBe(2018.91);
    const features = await store.one<{orders: number}>(
      sql`SELECT orders_total::INTEGER AS orders FROM features WHERE customer_id = '14188.0'`
    );
    expect(features?.orders).toBe(6);
  });

  it("shows 14188.0's card with their invoices as orders, not their lines", async () => {
    const options = cardOptions(await config(dir));
    const index = await cardIndex(store, options);
    const shard = await cardShard(store, shardOf("14188.0", index.shards), options);
    const found = findCard(index, shard, "14188.0");
    expect(found.found).toBe("card");
    const {orders} = (found as Extract<typeof found, {found: "card"}>).card;
    expect(orders.last_12m).toBe(6);
    expect(orders.recent.map((o) => [o.date, o.amount, o.status])).toEqual([
      ["2011-11-09", 312.7, "returned"],
      ["2011-09-29", 329.4, "returned"],
      ["2011-08-22", 286.45, "returned"],
      ["2011-07-08", 329.46, "purchase"],
      ["2011-05-09", 362.9, "purchase"]
    ]);
  });

  it("nets 16553.0's credit against its purchase and leaves the one whose purchase predates the file unmatched", async () => {
    expect(
      await store.one(sql`SELECT count(*)::INTEGER AS n FROM orders WHERE customer_id = '16553.0'`)
    ).toEqual({n: 12});
    expect(
      await store.all(
        sql`SELECT "row"::INTEGER AS "row" FROM quarantine WHERE reason = 'unmatched_credit' AND json_extract_string(record, '$.customer_id') = '16553.0'`
      )
    ).toEqual([{row: 315}]);
  });

  it("never counts a cancelled order as a purchase", async () => {
    const cancelled = await store.one<{n: number}>(
      sql`SELECT count(*)::INTEGER AS n FROM cancelled_orders`
    );
    expect(cancelled?.n).toBeGreaterThan(0);
    expect(
      await store.one(
        sql`SELECT count(*)::INTEGER AS n FROM orders o JOIN cancelled_orders c USING (customer_id, order_id)`
      )
    ).toEqual({n: 0});
    // Every customer's orders in the features are their orders, cancelled ones left out.
    expect(
      await store.one(
        sql`SELECT count(*)::INTEGER AS n FROM features f
          LEFT JOIN (SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id) o USING (customer_id)
          WHERE coalesce(f.orders_total, 0) <> coalesce(o.n, 0)`
      )
    ).toEqual({n: 0});
  });
});
