/**
 * Stable identities on the demo: a rebuild after a month of new data keeps every profile's id
 * and name, the state file next to the data records them, and ids follow the state, not size.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {writeDemo} from "../../loaders/demo/write.ts";
import {runEngine} from "../../loaders/engine.ts";
import type {IdentityState} from "../../loaders/profile/stable-ids.ts";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {sql} from "../../loaders/core/sql.ts";
import {withStore} from "../../loaders/core/store.ts";

const dir = mkdtempSync(join(tmpdir(), "portrait-identities-"));
const data = join(dir, "data");
const statePath = join(data, "portrait.state.json");
const configPath = join(PROJECT_DIR, "portrait.config.ts");
const demo = (end: string) => writeDemo({customers: 3000, seed: 42, end, out: data});

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

let first: Row[];
let second: Row[];
let firstState: IdentityState;

beforeAll(async () => {
  process.env.PORTRAIT_DATA = data;
  demo("2026-09-30");
  await runEngine({configPath, storePath: join(dir, "a.duckdb")});
  first = await profiles(join(dir, "a.duckdb"));
  firstState = JSON.parse(readFileSync(statePath, "utf8"));
  demo("2026-10-31"); // the same customers and history, and one more month
  await runEngine({configPath, storePath: join(dir, "b.duckdb")});
  second = await profiles(join(dir, "b.duckdb"));
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
    const state: IdentityState = JSON.parse(readFileSync(statePath, "utf8"));
    expect(state.as_of).toBe("2026-10-31");
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
    await runEngine({configPath, storePath: join(dir, "c.duckdb")});
    const [a, b] = [first[0].profile_id, first[1].profile_id];
    const before = new Map(
      (await members(join(dir, "b.duckdb"))).map((m) => [m.customer_id, m.profile_id])
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
    await expect(runEngine({configPath, storePath: join(dir, "d.duckdb")})).rejects.toThrow(
      /portrait\.state\.json: not valid JSON .*restore it from version control or delete it/
    );
  });
});
