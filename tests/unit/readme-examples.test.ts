/**
 * The README's worked examples are the fixtures' configs, word for word: the tests build those
 * configs (tests/integration/one-row-per-customer.test.ts, online-retail-config.test.ts,
 * olist-config.test.ts), so the README shows what works.
 */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
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
