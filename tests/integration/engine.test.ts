import {spawn} from "node:child_process";
import {
  existsSync,
  openSync,
  readdirSync,
  statSync,
  truncateSync,
  writeSync,
  closeSync
} from "node:fs";
import {cp, mkdir, mkdtemp, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from "vitest";
import {loadConfig, type PortraitConfig} from "../../loaders/config/project.ts";
import {
  DataError,
  inputFingerprint,
  runEngine,
  storedFingerprint,
  type EngineResult
} from "../../loaders/engine.ts";
import {readOverview} from "../../loaders/clean/inventory.ts";
import {readQuality} from "../../loaders/clean/quality.ts";
import {withStore} from "../../loaders/core/store.ts";
import {checkPrivacy} from "../../loaders/privacy/check.ts";
import {ident, sql} from "../../loaders/core/sql.ts";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {generateDemo} from "../support/site.ts";

const FIXTURE = join(import.meta.dirname, "..", "fixtures", "tiny");

/** A copy of the tiny fixture in a folder of its own, and where its store goes. */
async function fixture(): Promise<{dir: string; configPath: string; store: string}> {
  const dir = await mkdtemp(join(tmpdir(), "portrait-engine-"));
  await cp(FIXTURE, dir, {recursive: true});
  return {
    dir,
    configPath: join(dir, "portrait.config.ts"),
    store: join(dir, "store", "store.duckdb")
  };
}

/** The fixture built once, for the tests that only read its store. */
let built: Awaited<ReturnType<typeof fixture>> & {result: EngineResult};

beforeAll(async () => {
  const copy = await fixture();
  built = {...copy, result: await runEngine({configPath: copy.configPath, storePath: copy.store})};
});

afterAll(async () => {
  await rm(built.dir, {recursive: true, force: true});
});

/** A fresh copy for each test that changes the data or builds a store of its own. */
let dir: string;
let configPath: string;
let store: string;

beforeEach(async () => {
  ({dir, configPath, store} = await fixture());
});

afterEach(async () => {
  await rm(dir, {recursive: true, force: true});
});

describe("runEngine({configPath, storePath})", () => {
  it("reads, validates and resolves the sources into the store, with the overview and quality report", async () => {
    expect(built.result.rebuilt).toBe(true);
    const overview = await withStore(built.store, readOverview);
    expect(overview.asOf).toBe("2024-03-31");
    expect(overview.tables).toEqual([
      {
        table: "customers",
        label: "Customers",
        rows: 3,
        customers: 3,
        first: "2024-01-05",
        last: "2024-03-20",
        quarantined: 0
      },
      {
        table: "orders",
        label: "Orders",
        rows: 3,
        customers: 2,
        first: "2024-02-01",
        last: "2024-03-28",
        quarantined: 2
      }
    ]);
    const quality = await withStore(built.store, readQuality);
    expect(quality.sources.map((s) => [s.source, s.read, s.accepted, s.quarantined])).toEqual([
      ["crm", 3, 3, 0],
      ["shop", 5, 3, 2]
    ]);
    expect(quality.sources[1].samples.map((s) => [s.row, s.reason, s.message])).toEqual([
      [
        2,
        "malformed_date",
        'ordered_at "not a date" is not a date (expected YYYY-MM-DD or YYYY-MM-DD HH:MM:SS)'
      ],
      [5, "missing_value", "ordered_at is missing"]
    ]);
    expect(quality.sources[0].samples).toEqual([]);
  });

  it("hides direct identifiers in quarantined rows unless the config allows them", async () => {
    await writeFile(
      join(dir, "customers.csv"),
      "customer_id,email,country,signup_date\nC1,ann@example.com,DE,2024-01-05\nC2,bo@example.com,DE,2024-01-06\nC3,cy@example.com,FR,2024-03-20\n,di@example.com,DE,2024-01-07\n"
    );
    await runEngine({configPath, storePath: store});
    const quality = await withStore(store, readQuality);
    expect(quality.sources[0].samples[0].record).toEqual({
      customer_id: null,
      email: "(hidden)",
      country: "DE",
      signup_date: "2024-01-07"
    });
  });

  it("puts no identifier of a malformed customers line or an unmapped column in the quality report", async () => {
    // One customers line with two fields too many: read as one text, the person's details in it.
    await writeFile(
      join(dir, "customers.csv"),
      [
        "customer_id,email,phone,first_name,last_name,street,country,signup_date",
        "C1,ann@example.com,,Ann,Berg,1 Elm Street,DE,2024-01-05",
        "C2,bo@example.com,,Bo,Lind,2 Oak Street,DE,2024-03-01",
        "C3,cy@example.com,,Cy,Ek,3 Pine Street,FR,2024-03-20",
        "C4,lena.fischer@gmx.example,+49 151 2345 6789,Lena,Fischer,12 Birch Road,DE,2024-01-07,x,y",
        ""
      ].join("\n")
    );
    // An orders export with columns no mapping reads: a shipping name and the buyer's address.
    await writeFile(
      join(dir, "orders.csv"),
      [
        "order_id,customer_id,ordered_at,amount,ship_name,buyer_email,ship_phone",
        "O1,C1,2024-02-01 10:00:00,12.50,Ann Berg,ann@example.com,+49 30 1234 5678",
        "O2,C2,not a date,3,Jon Moss,jon.moss@mail.example,+44 20 7946 0958",
        "O3,jon.moss@mail.example,2024-03-02 09:00:00,30,Jon Moss,,",
        "O4,C1,2024-03-05 10:00:00,8,Ann Berg,,",
        "O5,C3,2024-03-06 10:00:00,9,Cy Ek,,",
        ""
      ].join("\n")
    );
    const config = await loadConfig(configPath);
    await runEngine({configPath, config, storePath: store});
    const quality = await withStore(store, readQuality);
    const [crm, shop] = quality.sources;
    expect(crm.samples.map((s) => [s.row, s.reason, s.record])).toEqual([
      [4, "malformed_line", {line: "(hidden)"}]
    ]);
    expect(shop.samples.map((s) => [s.row, s.reason, s.message, s.record])).toEqual([
      [
        2,
        "malformed_date",
        'ordered_at "not a date" is not a date (expected YYYY-MM-DD or YYYY-MM-DD HH:MM:SS)',
        {
          order_id: "O2",
          customer_id: "C2",
          ordered_at: "not a date",
          amount: "3",
          ship_name: "(hidden)",
          buyer_email: "(hidden)",
          ship_phone: "(hidden)"
        }
      ],
      [
        3,
        "unknown_customer",
        "customer j…@mail.example is not among the customers",
        expect.objectContaining({customer_id: "j…@mail.example", ship_name: "(hidden)"})
      ]
    ]);
    // The unmapped columns are named and counted all the same.
    expect(shop.ignored).toEqual(["ship_name", "buyer_email", "ship_phone"]);
    const published = JSON.stringify(quality).toLowerCase();
    for (const identifier of ["lena", "fischer", "2345", "birch", "jon", "moss", "7946", "5678"])
      expect(published).not.toContain(identifier);
    // An aggregates-only build publishes the quality page all the same, as masked.
    const aggregates = join(dir, "aggregates.duckdb");
    const noCustomerLevel = {...config, privacy: {...config.privacy, customerLevel: false}};
    await runEngine({configPath, config: noCustomerLevel, storePath: aggregates});
    expect(await withStore(aggregates, readQuality)).toEqual(quality);
    // Allowed by the config, the quarantine shows the rows as read.
    const internalStore = join(dir, "internal.duckdb");
    const allowed = {...config, privacy: {...config.privacy, identifiers: true}};
    await runEngine({configPath, config: allowed, storePath: internalStore});
    const internal = await withStore(internalStore, readQuality);
    expect(internal.sources[0].samples[0].record.line).toContain("lena.fischer@gmx.example");
    expect(internal.sources[1].samples[0].record.ship_name).toBe("Jon Moss");
    // The privacy check passes the report as published, and would fail the rows as read.
    const site = join(dir, "site");
    await mkdir(join(site, "_file", "data"), {recursive: true});
    const check = async (report: unknown) => {
      await writeFile(join(site, "_file", "data", "quality.json"), JSON.stringify(report));
      return withStore(store, (s) => checkPrivacy(s, site, config));
    };
    expect((await check(quality)).violations).toEqual([]);
    const leaked = (await check(internal)).violations;
    expect(leaked.map((v) => `${v.where} ${v.what}`)).toEqual(
      expect.arrayContaining([
        // The line's fields named by the file's header: the check knows whose details they are.
        "at sources[0].samples[0].record.line the e-mail address l…@gmx.example of the customer in quarantined row 4 of source crm",
        "at sources[0].samples[0].record.line the phone number …6789 of the customer in quarantined row 4 of source crm",
        "at sources[0].samples[0].record.line the full name L. F. of the customer in quarantined row 4 of source crm",
        "at sources[0].samples[0].record.line the street address 12 … of the customer in quarantined row 4 of source crm",
        "at sources[1].samples[0].record.buyer_email the e-mail address j…@mail.example, by its shape (an address or number of no customer in the store)"
      ])
    );
  });

  it("reuses the store while its inputs are unchanged, and rebuilds when data changes", async () => {
    const first = await runEngine({configPath, storePath: store});
    const second = await runEngine({configPath, storePath: store});
    expect(second.rebuilt).toBe(false);
    expect(second.fingerprint).toBe(first.fingerprint);
    await writeFile(
      join(dir, "orders.csv"),
      "order_id,customer_id,ordered_at,amount\nO9,C1,2024-03-01,1\n"
    );
    const third = await runEngine({configPath, storePath: store});
    expect(third.rebuilt).toBe(true);
    expect(third.fingerprint).not.toBe(first.fingerprint);
    expect(await storedFingerprint(store)).toBe(third.fingerprint);
    const overview = await withStore(store, readOverview);
    expect(overview.tables.find((t) => t.table === "orders")?.rows).toBe(1);
  });

  it("builds the same store on disk as in memory (large inputs build on disk)", async () => {
    const onDisk = join(dir, "disk", "store.duckdb");
    await runEngine({configPath: built.configPath, storePath: onDisk, inMemoryBytes: 0});
    const dump = (path: string) =>
      withStore(path, async (s) => {
        const tables = await s.all<{name: string}>(
          sql`SELECT table_name AS name FROM duckdb_tables() ORDER BY name`
        );
        const rows = [];
        for (const {name} of tables)
          rows.push(
            name,
            ...(await s.all(sql`SELECT * FROM ${ident(name)} ORDER BY ALL`)).map((r) =>
              JSON.stringify(r)
            )
          );
        return rows;
      });
    const memory = await dump(built.store);
    expect(memory).toContain("quarantine");
    expect(memory).not.toContain("accepted_orders");
    expect(await dump(onDisk)).toEqual(memory);
  });

  it("fingerprints only what the config reads", async () => {
    const config = await loadConfig(configPath);
    const before = await inputFingerprint(config);
    await writeFile(join(dir, "notes.txt"), "not a source");
    expect(await inputFingerprint(config)).toBe(before);
    await writeFile(join(dir, "customers.csv"), "customer_id\nC1\n");
    expect(await inputFingerprint(config)).not.toBe(before);
  });

  it("fingerprints the analysts' notes file, which the profiles' names and notes come from", async () => {
    const config = await loadConfig(configPath);
    const before = await inputFingerprint(config);
    await writeFile(join(dir, "portrait.notes.json"), '{"p1": {"notes": ["Call them first."]}}');
    const noted = await inputFingerprint(config);
    expect(noted).not.toBe(before);
    await writeFile(join(dir, "portrait.notes.json"), '{"p1": {"notes": ["Write to them."]}}');
    expect(await inputFingerprint(config)).not.toBe(noted);
  });

  it("fingerprints the day too when the config sets no asOf, since future dates are after today", async () => {
    const loaded = await loadConfig(configPath);
    const config = {...loaded, asOf: undefined};
    const fixed = {...loaded, asOf: "2026-11-30"};
    const at = async (day: string, c: PortraitConfig) => {
      const saved = process.env.PORTRAIT_TODAY;
      process.env.PORTRAIT_TODAY = day;
      try {
        return await inputFingerprint(c);
      } finally {
        process.env.PORTRAIT_TODAY = saved;
      }
    };
    expect(await at("2026-12-05", config)).not.toBe(await at("2026-12-06", config));
    expect(await at("2026-12-05", fixed)).toBe(await at("2026-12-06", fixed));
  });

  it("stops with the reason when a source rejects more than its limit, and keeps the old store", async () => {
    await runEngine({configPath, storePath: store});
    await writeFile(
      join(dir, "orders.csv"),
      "order_id,customer_id,ordered_at,amount\nO1,C1,x,1\nO2,C1,y,1\nO3,C1,2024-03-01,1\n"
    );
    const error = await runEngine({configPath, storePath: store}).catch((e) => e);
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe(
      'sources.shop: 2 of 3 rows (67%) were quarantined, more than validation.maxRejectShare (50%); most for malformed_date (2). If the dates are written another way, set sources.shop.dateFormat (e.g. "%d/%m/%Y %H:%M"). Fix the source or its mapping (npm run check lists the rows), or raise the limit.'
    );
    expect(
      (await withStore(store, readOverview)).tables.find((t) => t.table === "orders")?.rows
    ).toBe(3);
  });

  it("rebuilds a truncated store, saying it is damaged, why, and what is lost with it", async () => {
    await runEngine({configPath, storePath: store});
    const bytes = statSync(store).size;
    truncateSync(store, Math.floor(bytes / 2));
    const log: string[] = [];
    const result = await runEngine({configPath, storePath: store, log: (l) => log.push(l)});
    expect(result.rebuilt).toBe(true);
    expect(log).toContain(
      `the profile store ${store} is damaged: it is ${Math.floor(bytes / 2).toLocaleString("en-US")} bytes, not the ${bytes.toLocaleString("en-US")} the engine wrote (truncated or overwritten). Rebuilding it from the data; what only it held is lost: the previous build's figures and profiles, so the Overview will not say what changed since then and exports/changes.csv will list no customers (the history's snapshots are recomputed from the data).`
    );
    expect(log.join("\n")).not.toMatch(/no previous build/);
    expect((await runEngine({configPath, storePath: store})).rebuilt).toBe(false);
  });

  it("rebuilds a store with 4 KB overwritten instead of reusing it", async () => {
    const first = await runEngine({configPath, storePath: store});
    const fd = openSync(store, "r+");
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, Math.floor(statSync(store).size / 2));
    closeSync(fd);
    const log: string[] = [];
    const result = await runEngine({configPath, storePath: store, log: (l) => log.push(l)});
    expect(result.rebuilt).toBe(true);
    expect(result.fingerprint).toBe(first.fingerprint);
    expect(log.join("\n")).toContain(
      `the profile store ${store} is damaged: its contents differ from what the engine wrote (its SHA-256 does not match the one recorded in the checksum file). Rebuilding it from the data;`
    );
  });

  it("keeps a build's raw rows in the store's private folder, and the next start removes what a killed build left", async () => {
    // A demo large enough that reading it takes a moment, read by `npm run engine` in a child.
    const data = join(dir, "demo");
    generateDemo(data, 600);
    const env = {...process.env, PORTRAIT_DATA: data, PORTRAIT_STORE: store};
    const scratch = join(dir, "store", ".portrait-private");
    const shared = () =>
      new Set(readdirSync(tmpdir()).filter((n) => n.startsWith("portrait-raw-")));
    const before = shared();
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/engine.ts"], {
      cwd: PROJECT_DIR,
      env,
      stdio: "ignore"
    });
    const ended = new Promise((resolve) => child.once("exit", resolve));
    // Kill it as soon as it holds raw text anywhere (a condition, not a clock).
    const raw = () =>
      (existsSync(scratch) &&
        readdirSync(scratch).some((n) => n.startsWith(`${child.pid}-raw-`))) ||
      [...shared()].some((n) => !before.has(n));
    while (!raw() && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    expect(child.exitCode, "npm run engine ended before it read anything").toBeNull();
    child.kill("SIGKILL");
    await ended;
    expect(
      [...shared()].filter((n) => !before.has(n)),
      "raw text in the system's temporary folder"
    ).toEqual([]);
    expect(statSync(scratch).mode & 0o777).toBe(0o700);
    expect(readdirSync(scratch).filter((n) => n.startsWith(`${child.pid}-raw-`))).not.toEqual([]);
    const log: string[] = [];
    await runEngine({configPath, storePath: store, log: (l) => log.push(l)});
    expect(log[0]).toMatch(
      new RegExp(
        `^removed \\d+ temporary folders? of raw data left in ${scratch} by a build that did not finish$`
      )
    );
    expect(readdirSync(scratch).filter((n) => n.startsWith(`${child.pid}-`))).toEqual([]);
  });
});
