/** The Explore page's options from the config (loaders/site/explore.ts). */
import {describe, expect, it} from "vitest";
import {parseConfig} from "../../loaders/config/project.ts";
import {exploreOptions} from "../../loaders/site/explore.ts";

describe("exploreOptions(config)", () => {
  const sources = {crm: {table: "customers", file: "customers.csv"}};

  it("defaults to 10,000 customers and takes the config's, with privacy.minGroupSize", () => {
    expect(exploreOptions(parseConfig({sources}, "/p/portrait.config.ts"))).toEqual({
      sample: 10_000,
      seed: 42,
      minGroupSize: 10
    });
    expect(
      exploreOptions(parseConfig({sources, explore: {sample: 0}}, "/p/portrait.config.ts")).sample
    ).toBe(0);
  });

  it("rejects a negative sample, naming the key", () => {
    expect(() => parseConfig({sources, explore: {sample: -1}}, "/p/portrait.config.ts")).toThrow(
      /explore\.sample/
    );
  });
});
