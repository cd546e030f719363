/**
 * Whole `npm run build`s that fail, on a small demo of this file's own, built and published once:
 * a new site that runs out of disk and one that fails the privacy check each leave the published
 * site byte for byte as it was, and say why; and the build after a failed one compares with the
 * last published build and keeps its profile ids. (tests/integration/staging.test.ts covers
 * publishSite with a made-up site; tests/e2e/publish.test.ts a build killed or locked out.)
 */
import {spawn, spawnSync} from "node:child_process";
import {existsSync, readdirSync, readFileSync, statSync} from "node:fs";
import {mkdir, mkdtemp, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {withStore} from "../../loaders/core/store.ts";
import {sql} from "../../loaders/core/sql.ts";
import {stagingDir} from "../../loaders/publish/staging.ts";
import {buildCommand, generateDemo, shAsync, siteEnv, takeBuildLock} from "../support/site.ts";
import {fileDigests} from "../support/digests.ts";

/** Small enough to build quickly, large enough for the demo's site to pass its privacy check. */
const CUSTOMERS = 600;

/** A build's exit status and everything it printed. */
function build(
  command: string[],
  env: NodeJS.ProcessEnv
): Promise<{status: number; output: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), {
      cwd: PROJECT_DIR,
      env,
      stdio: ["ignore", "pipe", "pipe"]
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({status: status ?? -1, output}));
  });
}

/** KB the files under dir take on a tmpfs: whole pages of 4 KB. */
function kbOnTmpfs(dir: string): number {
  let pages = 0;
  for (const entry of readdirSync(dir, {recursive: true, withFileTypes: true}))
    if (entry.isFile())
      pages += Math.ceil(statSync(join(entry.parentPath, entry.name)).size / 4096);
  return pages * 4;
}

let dir: string;
let site: string;
/** The environment of a build of dir with its config. */
const env = (extra: NodeJS.ProcessEnv = {}) =>
  siteEnv(dir, {PORTRAIT_CONFIG: join(dir, "portrait.config.ts"), ...extra});
let release: () => void;
let before: Record<string, string>;
/** The state file as the first build, published, wrote it. */
let publishedState: string;

/** The published site's briefing (the Overview's data): its as-of date and the previous build's. */
function briefing(site: string): {as_of: string; previous_as_of: string | null; customers: number} {
  const data = join(site, "_file", "data");
  const file = readdirSync(data).find((f) => /^briefing\.[0-9a-f]+\.json$/.test(f));
  if (!file) throw new Error(`no briefing.json in ${data}`);
  return JSON.parse(readFileSync(join(data, file), "utf8"));
}

/** The as-of date of the store at path. */
const storeAsOf = (path: string) =>
  withStore(path, async (s) => {
    const row = await s.one<{as_of: string}>(
      sql`SELECT strftime(as_of, '%Y-%m-%d') AS as_of FROM overview_as_of`
    );
    return row!.as_of;
  });

beforeAll(async () => {
  // Builds from test files take turns (they share Framework's cache): hold the tests' lock.
  release = await takeBuildLock();
  dir = await mkdtemp(join(tmpdir(), "portrait-e2e-failed-"));
  site = join(dir, "site");
  generateDemo(join(dir, "data"), CUSTOMERS);
  // The demo's config with a notes file of the analysts', which does not exist yet.
  await writeFile(
    join(dir, "portrait.config.ts"),
    [
      `import demo from ${JSON.stringify(join(PROJECT_DIR, "portrait.config.ts"))};`,
      `export default {...demo, profiles: {...demo.profiles, notes: "notes.json"}};`
    ].join("\n")
  );
  await shAsync(buildCommand()[0], buildCommand().slice(1), env());
  before = fileDigests(site);
  publishedState = readFileSync(join(dir, "data", "portrait.state.json"), "utf8");
});

afterAll(async () => {
  release?.();
  if (dir) await rm(dir, {recursive: true, force: true});
});

describe("npm run build, failing", () => {
  // A real full disk: the published site on a tmpfs of its own, in a mount namespace of the
  // test's own (which needs root, or a user namespace where the kernel allows one).
  const canMount = spawnSync("unshare", ["-m", "true"]).status === 0;
  it.skipIf(!canMount)(
    "leaves the published site byte-identical and says the disk is full when the new site does not fit",
    async () => {
      const disk = join(dir, "disk");
      const after = join(dir, "after");
      await mkdir(disk);
      // Room for the published site and a quarter of a new one beside it.
      const size = Math.ceil(kbOnTmpfs(site) * 1.25);
      const {status, output} = await build(
        [
          "unshare",
          "-m",
          "sh",
          "-c",
          // In the namespace: the tmpfs, the published site copied onto it, the build, and the
          // site copied back out (with what is beside it) before the namespace and its mount end.
          [
            'disk="$1"; size="$2"; from="$3"; back="$4"; shift 4',
            'mount -t tmpfs -o "size=${size}k" tmpfs "$disk"',
            'cp -a "$from" "$disk/site"',
            '"$@"; status=$?',
            'cp -a "$disk/site" "$back"; ls -A "$disk" > "$back.beside"',
            'exit "$status"'
          ].join("\n"),
          "sh",
          disk,
          String(size),
          site,
          after,
          ...buildCommand()
        ],
        env({PORTRAIT_OUTPUT: join(disk, "site")})
      );
      expect(status, output).toBe(1);
      expect(output).toMatch(
        new RegExp(
          `build failed: a disk ran out of space while the new site was being written \\(no space left on device\\): .*Nothing was published: ${join(disk, "site")} is as the last build left it\\. Free space on that disk, or publish to one with room \\(PORTRAIT_OUTPUT=/path/with/room npm run build\\)\\.`
        )
      );
      expect(fileDigests(after)).toEqual(before);
      expect(readFileSync(`${after}.beside`, "utf8").split("\n").filter(Boolean)).toEqual(["site"]);
    }
  );

  it("leaves the published site and the profile ids byte-identical and names the leak when a month more data comes with an analysts' note publishing a customer's e-mail address", async () => {
    const store = join(dir, "store.duckdb");
    const {customer, email, profile} = await withStore(store, async (s) => ({
      ...(await s.one<{customer: string; email: string}>(
        sql`SELECT customer_id AS customer, email FROM customers
            WHERE email IS NOT NULL ORDER BY customer_id LIMIT 1`
      ))!,
      profile: (await s.one<{id: string}>(sql`SELECT min(profile_id) AS id FROM profiles`))!.id
    }));
    // A month more data (the same customers), and the analysts add a note quoting an address.
    generateDemo(join(dir, "data"), CUSTOMERS, {end: "2026-11-30"});
    await writeFile(
      join(dir, "notes.json"),
      JSON.stringify({[profile]: {notes: [`Ask ${email} how the pilot went.`]}})
    );
    const {status, output} = await build(buildCommand(), env());
    expect(status, output).toBe(1);
    const masked = `${email[0]}…${email.slice(email.indexOf("@"))}`;
    expect(output).toMatch(
      /build failed: the privacy check found \d+ problems? in the new site; nothing in it is fit to publish until they are fixed:\n/
    );
    expect(output).toContain(`profiles/${profile}.html`);
    expect(output).toContain(`the e-mail address ${masked} of customer ${customer}`);
    expect(output).toContain(`Nothing was published: ${site} is as the last build left it.`);
    // The log masks the address it names.
    expect(output).not.toContain(email);
    expect(fileDigests(site)).toEqual(before);
    expect(existsSync(stagingDir(site)), "the staging folder").toBe(false);
    // The failed build's store is in place, but the state file is the published build's.
    expect(await storeAsOf(store)).not.toBe(briefing(site).as_of);
    expect(readFileSync(join(dir, "data", "portrait.state.json"), "utf8")).toBe(publishedState);
  });

  it("compares the next build, the leak taken out, with the last published build, not the one that failed, and keeps its profile ids once it publishes", async () => {
    const store = join(dir, "store.duckdb");
    const published = briefing(site);
    // The test above left its failed build's store, a month on, in place.
    const unpublished = await storeAsOf(store);
    expect(unpublished, "the failed build's as-of date").not.toBe(published.as_of);
    await writeFile(join(dir, "notes.json"), "{}");
    const fixed = await build(buildCommand(), env());
    expect(fixed.status, fixed.output).toBe(0);
    const now = briefing(site);
    expect(now.as_of).toBe(unpublished);
    expect(now.previous_as_of).toBe(published.as_of);
    const previous = await withStore(store, async (s) => ({
      build: await s.one<{customers: number}>(sql`SELECT customers FROM previous_build`),
      customers: await s.one<{n: number}>(
        sql`SELECT count(*)::INTEGER AS n FROM previous_customers`
      )
    }));
    expect(previous.build!.customers).toBe(published.customers);
    expect(previous.customers!.n).toBe(published.customers);
    // Now its ids are kept, and its store is the next build's previous build.
    const state = readFileSync(join(dir, "data", "portrait.state.json"), "utf8");
    expect(state).not.toBe(publishedState);
    expect(JSON.parse(state).as_of).toBe(now.as_of);
    expect(statSync(`${store}.published`).ino).toBe(statSync(store).ino);
  });
});
