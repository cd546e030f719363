/** The page settings (loaders/config/settings.ts): recorded by the engine, read by every page loader. */
import {cp, mkdtemp, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {loadConfig} from "../../loaders/config/project.ts";
import {pageSettings, readPageSettings} from "../../loaders/config/settings.ts";
import {sql} from "../../loaders/core/sql.ts";
import {Store, withStore} from "../../loaders/core/store.ts";
import {runEngine} from "../../loaders/engine.ts";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "portrait-settings-"));
  await cp(join(import.meta.dirname, "..", "fixtures", "tiny"), dir, {recursive: true});
});

afterAll(async () => {
  await rm(dir, {recursive: true, force: true});
});

describe("readPageSettings(store)", () => {
  it("gives the settings of the config the store was built with, so no page loads the config", async () => {
    const configPath = join(dir, "portrait.config.ts");
    const storePath = join(dir, "store.duckdb");
    await runEngine({configPath, storePath});
    const config = await loadConfig(configPath);
    const settings = await withStore(storePath, readPageSettings);
    expect(settings).toEqual(JSON.parse(JSON.stringify(pageSettings(config))));
    expect(settings.privacy).toEqual({minGroupSize: 10, identifiers: false, customerLevel: true});
  });

  it("says to rebuild a store an older Portrait built, which holds no settings", async () => {
    const store = await Store.open(":memory:");
    try {
      await store.run(sql`CREATE TABLE build_meta (fingerprint VARCHAR)`);
      await expect(readPageSettings(store)).rejects.toThrow(
        /holds no page settings: it was built by an older Portrait\. Run `npm run build`/
      );
    } finally {
      store.close();
    }
  });
});
