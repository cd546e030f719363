/**
 * Publishes onto a full disk, for tests/integration/staging.test.ts: run inside `unshare -m` (a
 * mount namespace of its own, so the mount ends with the process), it mounts a tmpfs of
 * `--bytes` at `<mount>`, copies the previous site into `<mount>/reports`, then publishes a site
 * larger than the space left with publishSite, as the build does. Prints JSON: each file's
 * SHA-256 before and after, the error, and what is left beside the output.
 */
import {execFileSync} from "node:child_process";
import {cpSync, readdirSync} from "node:fs";
import {mkdir, writeFile} from "node:fs/promises";
import {join} from "node:path";
import {publishSite} from "../../loaders/publish/staging.ts";
import {fileDigests} from "./digests.ts";

const [mount, previous, bytes] = process.argv.slice(2);
execFileSync("mount", ["-t", "tmpfs", "-o", `size=${bytes}`, "tmpfs", mount]);
const output = join(mount, "reports");
cpSync(previous, output, {recursive: true});

const before = fileDigests(output);
let error = "";
try {
  await publishSite(output, async (site) => {
    // Framework's output as it goes: one page after another until the disk is full.
    await mkdir(join(site, "_file"), {recursive: true});
    for (let i = 0; i < 1000; i++)
      await writeFile(join(site, "_file", `page-${i}.html`), Buffer.alloc(256 << 10, i % 256));
  });
} catch (e) {
  error = (e as Error).message;
}
console.log(
  JSON.stringify({before, after: fileDigests(output), error, beside: readdirSync(mount).sort()})
);
