/**
 * Snapshots and time on small hand-made exports (loaders/history/snapshots.ts): a customer with
 * no date at all is not yet known in the past, and a build without dated activity makes no past
 * snapshots and says why, in the build log and on the History page's data.
 */
import {mkdtemp, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {
  parseConfig,
  type PortraitConfig,
  type PortraitConfigInput
} from "../../loaders/config/project.ts";
import {runEngine} from "../../loaders/engine.ts";
import {historyData} from "../../loaders/site/history.ts";
import {methodDocument} from "../../loaders/site/method.ts";
import {pageSettings} from "../../loaders/config/settings.ts";
import {sql} from "../../loaders/core/sql.ts";
import {withStore} from "../../loaders/core/store.ts";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "portrait-snapshots-time-"));
});

afterEach(async () => {
  await rm(dir, {recursive: true, force: true});
});

const id = (i: number) => `C${String(i).padStart(3, "0")}`;

/** Builds the files with the config; returns the store's path and the build log. */
async function build(
  files: Record<string, string>,
  input: PortraitConfigInput
): Promise<{store: string; log: string[]; config: PortraitConfig}> {
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const configPath = join(dir, "portrait.config.ts");
  const config = parseConfig(
    {...input, clustering: {k: 3, bootstrap: 0, restarts: 2}, history: {periods: 4}},
    configPath
  );
  const store = join(dir, "store.duckdb");
  const log: string[] = [];
  await runEngine({configPath, config, storePath: store, log: (l) => log.push(l)});
  return {store, log, config};
}

/** Customers joined by month: 12 of them at the end of each month of 2025, by orders. */
function orders(): string {
  const lines = ["order_id,customer_id,ordered_at,amount"];
  for (let i = 0; i < 144; i++) {
    const month = 1 + Math.floor(i / 12);
    for (let k = 0; k < 1 + (i % 4); k++) {
      const m = Math.min(12, month + k * 2);
      lines.push(`O${i}-${k},${id(i)},2025-${String(m).padStart(2, "0")}-20,${10 + (i % 7) * k}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

describe("buildSnapshots(store, config, catalog, asOf)", () => {
  it("leaves customers with no signup and no activity out of past snapshots, and keeps them now", async () => {
    const customers = ["customer_id", ...Array.from({length: 244}, (_, i) => id(i))].join("\n");
    const {store} = await build(
      {"customers.csv": `${customers}\n`, "orders.csv": orders()},
      {
        asOf: "2025-12-31",
        sources: {
          crm: {table: "customers", file: "customers.csv"},
          shop: {table: "orders", file: "orders.csv"}
        }
      }
    );
    const snapshots = await withStore(store, (s) =>
      s.all<{date: string; customers: number}>(
        sql`SELECT strftime(snapshot, '%Y-%m-%d') AS date, customers FROM snapshots ORDER BY snapshot`
      )
    );
    // 100 customers without any date count now only; in the past, those who had ordered by then
    // (72 by June, too few for a snapshot: with them, 172 would have counted).
    expect(snapshots).toEqual([
      {date: "2025-09-30", customers: 108},
      {date: "2025-12-31", customers: 244}
    ]);
    expect(
      await withStore(store, (s) =>
        s.all(sql`SELECT strftime(snapshot, '%Y-%m-%d') AS date, reason FROM snapshot_skips`)
      )
    ).toEqual([
      {date: "2025-06-30", reason: "72 customers had joined by then (snapshots need 100)"}
    ]);
  });

  it("makes no past snapshot without dated activity, and the log and History page say why", async () => {
    const customers = [
      "customer_id,signup_date,income",
      ...Array.from({length: 150}, (_, i) => `${id(i)},2024-0${1 + (i % 9)}-01,${20000 + i * 997}`)
    ].join("\n");
    const {store, log, config} = await build(
      {"customers.csv": `${customers}\n`},
      {
        sources: {crm: {table: "customers", file: "customers.csv"}}
      }
    );
    const reason =
      "no dated activity: no orders, tickets, e-mail events, web sessions or survey answers with a date, so the data cannot say how customers stood at an earlier date";
    expect(log).toContain(`history: no past snapshots: ${reason}`);
    expect(log).toContain(
      "as of 2024-09-01: the day of the last dated row (dates after today are future typos)"
    );
    const data = await withStore(store, (s) =>
      historyData(s, {minGroupSize: 10, customerLevel: true, history: config.history})
    );
    // Time as a customer alone (income is demographic): too few features, as the log and the
    // Method page say.
    const few = log.find((l) => l.startsWith("warning: the profiles are clustered on 1 feature"));
    expect(few).toBeDefined();
    const method = await withStore(store, (s) => methodDocument(s, pageSettings(config)));
    expect(method.warnings).toEqual([few!.slice("warning: ".length)]);
    expect(data.snapshots.map((s) => s.date)).toEqual(["2024-09-01"]);
    expect(data.no_history).toBe(reason);
    expect(data.drift.latest).toEqual([]);
  });
});
