/**
 * Stable identities on the demo: a rebuild after a month of new data keeps every profile's id
 * and name, the state file next to the data records them, and ids follow the state, not size.
 * The two builds are the shared demo's (tests/support/demo-builds.ts); the rebuilds from a
 * changed state run on a copy of its data and leave out history, which ids do not depend on
 * (and the one that must fail on the state skips the search for k, which it never reaches).
 */
import {cpSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {runEngine} from "../../loaders/engine.ts";
import type {IdentityState} from "../../loaders/profile/stable-ids.ts";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {sql} from "../../loaders/core/sql.ts";
import {withStore} from "../../loaders/core/store.ts";
import {demoBuilds, type DemoBuilds} from "../support/demo-builds.ts";

const dir = mkdtempSync(join(tmpdir(), "portrait-identities-"));
const data = join(dir, "data");
const statePath = join(data, "portrait.state.json");
/** The demo config without history, and with more left out when fast is true. */
function config(name: string, fast: boolean): string {
  const path = join(dir, `${name}.config.ts`);
  const clustering = fast ? ", clustering: {k: {min: 7, max: 7}, bootstrap: 0, restarts: 3}" : "";
  writeFileSync(
    path,
    `import base from ${JSON.stringify(join(PROJECT_DIR, "portrait.config.ts"))};
     export default {...base, history: {periods: 0}${clustering}};`
  );
  return path;
}

type Row = {profile_id: string; name: string; customers: number; status: string};
const profiles = (store: string) =>
  withStore(store, (s) =>
    s.all<Row>(
      sql`SELECT p.profile_id, p.name, p.customers, m.status FROM profiles p
       JOIN profile_matches m USING (profile_id) ORDER BY p.profile_id`
    )
  );
/** Each customer's profile, to follow who went where. */
const members = (store: string) =>
  withStore(store, (s) =>
    s.all<{customer_id: string; profile_id: string}>(
      sql`SELECT customer_id, profile_id FROM customer_profiles ORDER BY customer_id`
    )
  );

let builds: DemoBuilds;
let first: Row[];
let second: Row[];
let firstState: IdentityState;

beforeAll(async () => {
  builds = await demoBuilds();
  first = await profiles(builds.first.store);
  firstState = builds.first.state;
  second = await profiles(builds.second.store);
  // The demo as of the second build, to rebuild from states of our own making.
  cpSync(builds.data, data, {recursive: true});
  process.env.PORTRAIT_DATA = data;
});

afterAll(() => {
  delete process.env.PORTRAIT_DATA;
  rmSync(dir, {recursive: true, force: true});
});

describe("profile identities across rebuilds of the demo", () => {
  it("numbers the first build's profiles by size and writes them to the state file", () => {
    expect(first.every((p) => p.status === "new")).toBe(true);
    expect(firstState.profiles.map((p) => p.id)).toEqual(first.map((p) => p.profile_id));
    expect(firstState.next_id).toBe(first.length + 1);
    expect(firstState.as_of).toBe("2026-09-30");
  });

  it("keeps every profile's id and name after a month of new data", () => {
    expect(second.map((p) => [p.profile_id, p.name])).toEqual(
      first.map((p) => [p.profile_id, p.name])
    );
    expect(second.every((p) => p.status === "matched")).toBe(true);
    expect(builds.second.state.as_of).toBe("2026-10-31");
  });

  it("gives ids by the state, not by size: swapped ids in the state come back swapped", async () => {
    const swapped: IdentityState = {
      ...firstState,
      // the largest profile's centre filed under the second id, and the reverse
      profiles: firstState.profiles.map((p, i, all) =>
        i === 0 ? {...p, id: all[1].id} : i === 1 ? {...p, id: all[0].id} : p
      )
    };
    writeFileSync(statePath, JSON.stringify(swapped));
    await runEngine({configPath: config("c", false), storePath: join(dir, "c.duckdb")});
    const [a, b] = [first[0].profile_id, first[1].profile_id];
    const before = new Map(
      (await members(builds.second.store)).map((m) => [m.customer_id, m.profile_id])
    );
    const after = await members(join(dir, "c.duckdb"));
    const moved = after.filter((m) => before.get(m.customer_id) === a);
    // the customers of the largest profile now carry the second id, and keep its name
    expect(moved.filter((m) => m.profile_id === b).length / moved.length).toBeGreaterThan(0.95);
    const third = await profiles(join(dir, "c.duckdb"));
    expect(third.find((p) => p.profile_id === b)?.name).toBe(first[0].name);
  });

  it("says what is wrong with a damaged state file and how to recover", async () => {
    writeFileSync(statePath, "{not json");
    const configPath = config("d", true);
    await expect(runEngine({configPath, storePath: join(dir, "d.duckdb")})).rejects.toThrow(
      /portrait\.state\.json: not valid JSON .*restore it from version control or delete it/
    );
  });
});
