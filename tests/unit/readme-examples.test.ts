/**
 * The README's worked examples are the fixtures' configs, word for word: the tests build those
 * configs (tests/integration/one-row-per-customer.test.ts, online-retail-config.test.ts,
 * olist-config.test.ts), so the README shows what works.
 */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {CANONICAL_TABLES} from "../../loaders/config/canonical.ts";
import {PROJECT_DIR} from "../../loaders/core/paths.ts";

const README = readFileSync(join(PROJECT_DIR, "README.md"), "utf8");

describe("README's worked examples", () => {
  for (const name of ["online-retail", "olist", "marketing-campaign", "telco-churn"]) {
    it(`shows tests/fixtures/${name}/portrait.config.ts as a user saves it`, () => {
      const config = readFileSync(
        join(PROJECT_DIR, "tests", "fixtures", name, "portrait.config.ts"),
        "utf8"
      ).replace('from "../../../loaders/config/project.ts"', 'from "./loaders/config/project.ts"');
      expect(README).toContain(config.trimEnd());
    });
  }
});

describe("README's table of the canonical model", () => {
  for (const table of CANONICAL_TABLES) {
    it(`lists every field of ${table.name}, required ones in bold, in the model's order`, () => {
      const row = README.split("\n").find((l) => l.startsWith(`| \`${table.name}\` | `))!;
      const named = [...row.matchAll(/(\*\*)?([a-z_0-9]+)\1?(?: \([^)]*\))?(?:,|;| \|)/g)]
        .map(([, bold, name]) => (bold ? `**${name}**` : name))
        .filter(
          (n) =>
            ![
              "and",
              "any",
              "column",
              "you",
              "keep",
              "as",
              "an",
              "attribute",
              "or",
              "outcome"
            ].includes(n)
        );
      expect(named).toEqual(
        Object.keys(table.fields).map((f) => (table.required.includes(f) ? `**${f}**` : f))
      );
    });
  }
});
