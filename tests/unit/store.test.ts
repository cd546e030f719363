import {totalmem} from "node:os";
import {describe, expect, it} from "vitest";
import {memoryLimitOf} from "../../loaders/core/store.ts";

describe("memoryLimitOf(env)", () => {
  it("takes PORTRAIT_MEMORY_LIMIT as written", () => {
    expect(memoryLimitOf({PORTRAIT_MEMORY_LIMIT: "4GB"})).toBe("4GB");
    expect(memoryLimitOf({PORTRAIT_MEMORY_LIMIT: " 512 MiB "})).toBe("512 MiB");
  });

  it("defaults to a quarter of the machine's memory, between 1 and 6 GiB", () => {
    const mib = Number(/^(\d+)MiB$/.exec(memoryLimitOf({}))?.[1]);
    expect(mib).toBe(Math.round(Math.min(Math.max(totalmem() / 4 / 2 ** 20, 1024), 6 * 1024)));
  });

  it("rejects a limit that is not a size, saying how to write one", () => {
    expect(() => memoryLimitOf({PORTRAIT_MEMORY_LIMIT: "80%"})).toThrow(
      'invalid PORTRAIT_MEMORY_LIMIT: "80%" (write a size such as 4GB or 512MB)'
    );
  });
});
