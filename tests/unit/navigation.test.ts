/** The site's shape (loaders/site/navigation.ts): navigation, and builds without customer-level pages. */
import {existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {removeCustomerLevel} from "../../loaders/publish/finish.ts";
import {navigation, type NavSection} from "../../loaders/site/navigation.ts";

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
      "_file/data/cards.1a2b3c4d.json",
      "_file/data/explore.1a2b3c4d.arrow",
      "_file/data/explore.5e6f7a8b.json"
    ]);
    expect(existsSync(join(site, "index.html"))).toBe(true);
    expect(existsSync(join(site, "_file/data/explorer.json"))).toBe(true);
    expect(existsSync(join(site, "_file/data/profiles.1a2b3c4d.json"))).toBe(true);
  });
});
