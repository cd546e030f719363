/** The site's shape (loaders/site/navigation.ts): navigation, and builds without customer-level pages. */
import {existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {removeCustomerLevel} from "../../loaders/publish/finish.ts";
import {navigation, type NavSection} from "../../loaders/site/navigation.ts";
import {CUSTOMER_LEVEL_OUTPUT, isOutput} from "../../loaders/site/published.ts";

const dir = mkdtempSync(join(tmpdir(), "portrait-site-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const profiles = [
  {id: "p1", name: "App-first regulars"},
  {id: "p2", name: "Deal seekers"}
];
const paths = (nav: ReturnType<typeof navigation>) =>
  nav
    .flatMap((entry) => ("pages" in entry ? (entry as NavSection).pages : [entry]))
    .map((p) => p.path);

describe("navigation(profiles, {customerLevel})", () => {
  it("lists every profile's report under Profiles, then the drill-downs, history, the data and the method", () => {
    expect(paths(navigation(profiles, {customerLevel: true}))).toEqual([
      "/",
      "/profiles",
      "/profiles/p1",
      "/profiles/p2",
      "/segments",
      "/history",
      "/explore",
      "/customer",
      "/sources",
      "/activity",
      "/quality",
      "/method"
    ]);
  });

  it("leaves the customer-level pages out of a build for wide sharing", () => {
    const shown = paths(navigation(profiles, {customerLevel: false}));
    expect(shown).not.toContain("/explore");
    expect(shown).not.toContain("/customer");
    expect(shown).toContain("/profiles/p2");
    expect(shown).toContain("/history");
  });
});

describe("removeCustomerLevel(site)", () => {
  it("removes the customer pages, the card shards and the explore sample, and nothing else", async () => {
    const site = join(dir, "site");
    for (const file of [
      "explore.html",
      "customer.html",
      "index.html",
      "data/cards/0a.json",
      "_file/data/cards.1a2b3c4d.json",
      "_file/data/cards/0a.5e6f7a8b.json",
      "_file/data/explore.1a2b3c4d.arrow",
      "_file/data/explore.5e6f7a8b.json",
      "_file/data/explorer.json",
      "_file/data/profiles.1a2b3c4d.json"
    ]) {
      mkdirSync(join(site, file, ".."), {recursive: true});
      writeFileSync(join(site, file), "{}");
    }
    const removed = await removeCustomerLevel(site);
    expect(removed).toEqual([
      "explore.html",
      "customer.html",
      "data/cards",
      "_file/data/cards",
      "_file/data/cards.1a2b3c4d.json",
      "_file/data/explore.1a2b3c4d.arrow",
      "_file/data/explore.5e6f7a8b.json"
    ]);
    expect(existsSync(join(site, "index.html"))).toBe(true);
    expect(existsSync(join(site, "_file/data/explorer.json"))).toBe(true);
    expect(existsSync(join(site, "_file/data/profiles.1a2b3c4d.json"))).toBe(true);
  });
});

describe("CUSTOMER_LEVEL_OUTPUT and isOutput(entry, path)", () => {
  const entry = (path: string) => CUSTOMER_LEVEL_OUTPUT.find((e) => e.path === path)!;

  it("says of each piece of page data which customer-level page reads it", () => {
    const pages = CUSTOMER_LEVEL_OUTPUT.filter((e) => e.kind === "page").map((e) => e.path);
    expect(pages).toEqual(["explore.html", "customer.html"]);
    for (const e of CUSTOMER_LEVEL_OUTPUT) {
      if (e.kind === "page data") expect(e.of).toBeDefined();
      if (e.of !== undefined) expect(pages).toContain(e.of);
    }
  });

  it("names a file with or without its content hash, a folder with all it holds", () => {
    expect(isOutput(entry("_file/data/explore.arrow"), "_file/data/explore.1a2b3c4d.arrow")).toBe(
      true
    );
    expect(isOutput(entry("_file/data/explore.arrow"), "_file/data/explore.arrow")).toBe(true);
    expect(isOutput(entry("_file/data/explore.arrow"), "_file/data/explore.5e6f7a8b.json")).toBe(
      false
    );
    expect(isOutput(entry("_file/data/explore.json"), "_file/data/explorer.json")).toBe(false);
    expect(isOutput(entry("data/cards/"), "data/cards")).toBe(true);
    expect(isOutput(entry("data/cards/"), "data/cards/0a.json")).toBe(true);
    expect(isOutput(entry("data/cards/"), "_file/data/cards/0a.json")).toBe(false);
    expect(isOutput(entry("_file/data/customers.*"), "_file/data/customers.1a2b3c4d.csv")).toBe(
      true
    );
    expect(isOutput(entry("_file/data/customers.*"), "_file/data/customers/c1.json")).toBe(false);
  });
});
