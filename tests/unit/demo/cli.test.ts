import {describe, expect, it} from "vitest";
import {parseFlags} from "../../../scripts/demo-data.ts";
import {validateOptions} from "../../../loaders/demo/generate.ts";

describe("parseFlags(args)", () => {
  it("uses the defaults", () => {
    expect(parseFlags([])).toEqual({
      customers: 20000,
      seed: 42,
      end: "2026-10-31",
      out: "data/demo"
    });
  });

  it("reads `--flag value` and `--flag=value`", () => {
    expect(
      parseFlags(["--customers", "500", "--seed=3", "--end", "2026-11-30", "--out=/tmp/x"])
    ).toEqual({
      customers: 500,
      seed: 3,
      end: "2026-11-30",
      out: "/tmp/x"
    });
  });

  it("names the flag and what it accepts", () => {
    expect(() => parseFlags(["--customers", "many"])).toThrow(
      /invalid --customers: "many" \(expected an integer from 1 to/
    );
    expect(() => parseFlags(["--seed", "-1"])).toThrow(/invalid --seed/);
    expect(() => parseFlags(["--end", "31/10/2026"])).toThrow(
      /invalid --end: "31\/10\/2026" \(expected a date YYYY-MM-DD from 2024-01-01 to 2028-12-31\)/
    );
    expect(() => parseFlags(["--end", "2030-01-01"])).toThrow(/invalid --end/);
    expect(() => parseFlags(["--size", "3"])).toThrow(
      /unknown flag: --size \(accepted: --customers, --seed, --end, --out\)/
    );
    expect(() => parseFlags(["--out"])).toThrow(/missing value for --out/);
    expect(() => parseFlags(["data"])).toThrow(/unexpected argument/);
  });

  it("asks for help", () => {
    expect(parseFlags(["--help"])).toBe("help");
  });
});

describe("validateOptions(options)", () => {
  it("rejects dates that do not exist", () => {
    expect(() => validateOptions({customers: 10, seed: 1, end: "2026-02-30"})).toThrow(
      /invalid end: 2026-02-30/
    );
  });
});
