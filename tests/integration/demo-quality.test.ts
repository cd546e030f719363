/**
 * The demo config against the demo's ground truth: every row the generator made dirty on
 * purpose is quarantined for that reason, and no other row is. The build is the shared demo's
 * second (tests/support/demo-builds.ts).
 */
import {beforeAll, describe, expect, it} from "vitest";
import {withStore, type Store} from "../../loaders/core/store.ts";
import {demoBuilds, type DemoBuild} from "../support/demo-builds.ts";
import {REJECTING, rejectingDefects} from "../support/truth.ts";
import {sql} from "../../loaders/core/sql.ts";

const FILES: Record<string, string> = {
  orders: "shop",
  tickets: "helpdesk",
  email_events: "email",
  customers: "crm"
};

let data: string;
let build: DemoBuild;

const read = <T>(fn: (store: Store) => Promise<T>) => withStore(build.store, fn);

beforeAll(async () => {
  ({data, second: build} = await demoBuilds());
});

describe("the demo config on the demo data", () => {
  it("quarantines exactly the rows the generator corrupted, for the planted reason", async () => {
    const truth = rejectingDefects(data).map(
      (d) => `${FILES[d.table]} ${d.row} ${REJECTING[d.kind]}`
    );
    const quarantined = (
      await read((s) =>
        s.all<{source: string; row: number; reason: string}>(
          sql`SELECT source, "row", reason FROM quarantine`
        )
      )
    ).map((q) => `${q.source} ${q.row} ${q.reason}`);
    expect(truth.length).toBeGreaterThan(100);
    expect(new Set(quarantined)).toEqual(new Set(truth));
    expect(quarantined.length).toBe(truth.length);
  });

  it("stays within the demo's reject limits and accounts for every row", () => {
    expect(build.validation.problems).toEqual([]);
    for (const s of build.validation.sources)
      expect(s.accepted + s.quarantined, s.source).toBe(s.read);
  });

  it("standardises every spelling of a country to an ISO code", async () => {
    const countries = await read((s) =>
      s.all<{country: string}>(
        sql`SELECT DISTINCT country FROM customers WHERE country IS NOT NULL ORDER BY 1`
      )
    );
    expect(countries.map((c) => c.country)).toEqual([
      "AU",
      "CA",
      "DE",
      "ES",
      "FR",
      "GB",
      "NL",
      "US"
    ]);
  });

  it("enriches customers with urbanicity and area income from the postal-code reference", async () => {
    const row = await read((s) =>
      s.one<{share: number}>(
        sql`SELECT avg((urbanicity IS NOT NULL)::INTEGER) AS share FROM customers`
      )
    );
    expect(row?.share).toBeGreaterThan(0.9);
  });
});
