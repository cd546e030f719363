/**
 * The layout shows the design (README, Layout): loaders/ has one folder per step of profiling
 * and one per role, imports run one way, and a reader finds each concept by one name.
 */
import {existsSync, readdirSync, readFileSync} from "node:fs";
import {join, posix, relative, sep} from "node:path";
import {describe, expect, it} from "vitest";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";
import {ENGINE_CODE} from "../../loaders/engine.ts";

/** The steps of profiling in order, then the roles that come after them. */
const STEPS = ["core", "config", "ingest", "clean", "enrich", "profile", "value", "history"];
const ROLES = ["engine.ts", "site", "publish", "privacy", "demo"];

/** Where a file belongs: a step, a role, a part of src/, or elsewhere. */
function roomOf(path: string): string {
  const parts = path.split("/");
  if (parts[0] === "loaders") return parts[1];
  if (parts[0] === "src" && (parts[1] === "components" || parts[1] === "contracts"))
    return `src/${parts[1]}`;
  return parts[0];
}

/** The relative imports of a TypeScript source, resolved to paths from the project root. */
function importsOf(path: string, source: string): string[] {
  const specs = [
    ...source.matchAll(/^\s*(?:import|export)\s[^;]*?from\s*["']([^"']+)["']/gm),
    ...source.matchAll(/^\s*import\s*["']([^"']+)["']/gm),
    ...source.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)
  ].map((m) => m[1]);
  return specs
    .filter((s) => s.startsWith("."))
    .map((s) => posix.normalize(posix.join(posix.dirname(path), s)));
}

/** Why an import from `from` to `to` breaks the layout's rules, or null when it does not. */
function forbidden(from: string, to: string): string | null {
  const a = roomOf(from);
  const b = roomOf(to);
  if (a === b) return null;
  const step = STEPS.indexOf(a);
  if (step >= 0) {
    if (to.startsWith("src/") && b !== "src/contracts")
      return "an engine step imports nothing in src/ but src/contracts/";
    if (ROLES.includes(b)) return `an engine step never imports ${b}`;
    const target = STEPS.indexOf(b);
    if (target > step) return `an earlier step (${a}) never imports a later one (${b})`;
    return null;
  }
  if (a === "site" && (b === "publish" || b === "privacy" || b === "engine.ts" || b === "demo"))
    return `site/ builds page data from the store and never imports ${b}`;
  if (a === "demo" && from.startsWith("loaders/") && to.startsWith("loaders/"))
    return "the demo generator stands alone: it imports nothing else of loaders/";
  if (from.startsWith("loaders/") && to.startsWith("src/") && b !== "src/contracts")
    return "loaders/ imports nothing in src/ but src/contracts/";
  if (a === "src/components" && !to.startsWith("src/"))
    return "components import nothing outside src/";
  if (a === "src/contracts") return "contracts import nothing";
  return null;
}

/** Every TypeScript file under dir (relative to the project, with / separators), sorted. */
function sources(dir: string): string[] {
  if (!existsSync(join(PROJECT_DIR, dir))) return [];
  return readdirSync(join(PROJECT_DIR, dir), {recursive: true, encoding: "utf8"})
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) =>
      relative(PROJECT_DIR, join(PROJECT_DIR, dir, f))
        .split(sep)
        .join("/")
    )
    .sort();
}

/** A module's name stem: its file name without extension, case or a plural "s". */
const stem = (path: string) =>
  posix
    .basename(path, ".ts")
    .toLowerCase()
    .replace(/(ies|s)$/, (s) => (s === "ies" ? "y" : ""));

describe("forbidden(from, to)", () => {
  it("allows a later step to import an earlier one, and site/ to read every step", () => {
    expect(forbidden("loaders/profile/traits.ts", "loaders/core/sql.ts")).toBeNull();
    expect(forbidden("loaders/history/snapshots.ts", "loaders/value/clv/bg-nbd.ts")).toBeNull();
    expect(forbidden("loaders/site/report.ts", "loaders/profile/traits.ts")).toBeNull();
    expect(forbidden("loaders/publish/exports.ts", "loaders/site/profiles.ts")).toBeNull();
    expect(forbidden("src/components/card.ts", "src/contracts/cards.ts")).toBeNull();
    expect(forbidden("loaders/site/cards.ts", "src/contracts/cards.ts")).toBeNull();
  });

  it("refuses each import the layout rules out", () => {
    expect(forbidden("loaders/clean/standardise.ts", "loaders/enrich/references.ts")).toMatch(
      /earlier step \(clean\) never imports a later one \(enrich\)/
    );
    expect(forbidden("loaders/engine.ts", "loaders/publish/changes.ts")).toBeNull();
    expect(forbidden("loaders/history/previous.ts", "loaders/publish/changes.ts")).toMatch(
      /never imports publish/
    );
    expect(forbidden("loaders/profile/traits.ts", "loaders/site/navigation.ts")).toMatch(
      /never imports site/
    );
    expect(forbidden("loaders/site/report.ts", "loaders/publish/exports.ts")).toMatch(
      /never imports publish/
    );
    expect(forbidden("loaders/site/cards.ts", "src/components/shard.ts")).toMatch(
      /nothing in src\/ but src\/contracts/
    );
    expect(forbidden("src/components/movers.ts", "loaders/site/history.ts")).toMatch(
      /components import nothing outside src/
    );
    expect(forbidden("src/contracts/history.ts", "src/components/format.ts")).toMatch(
      /contracts import nothing/
    );
  });
});

describe("the project's imports", () => {
  const files = [...sources("loaders"), ...sources("src/components"), ...sources("src/contracts")];

  it("run one way: no file breaks a rule of the layout", () => {
    const broken = files.flatMap((from) =>
      importsOf(from, readFileSync(join(PROJECT_DIR, from), "utf8")).flatMap((to) => {
        const why = forbidden(from, to);
        return why ? [`${from} → ${to}: ${why}`] : [];
      })
    );
    expect(broken).toEqual([]);
  });

  it("keep loaders/ to its folders: one per step and per role, engine.ts the only file on top", () => {
    const rooms = new Set(sources("loaders").map(roomOf));
    expect([...rooms].filter((r) => !STEPS.includes(r) && !ROLES.includes(r))).toEqual([]);
  });

  it("name each concept once: no two modules of loaders/ (the demo aside) share a stem", () => {
    const modules = sources("loaders").filter((f) => !f.startsWith("loaders/demo/"));
    const byStem = new Map<string, string[]>();
    for (const f of modules) byStem.set(stem(f), [...(byStem.get(stem(f)) ?? []), f]);
    expect([...byStem.values()].filter((paths) => paths.length > 1)).toEqual([]);
  });
});

describe("ENGINE_CODE, what the store's fingerprint covers", () => {
  it("is the steps and engine.ts: editing a page builder, publishing or the privacy check rebuilds no store", () => {
    expect([...ENGINE_CODE].sort()).toEqual([...STEPS, "engine.ts"].sort());
  });
});
