/** The build's clock (loaders/core/clock.ts). */
import {describe, expect, it} from "vitest";
import {today} from "../../loaders/core/clock.ts";

describe("today(env, now)", () => {
  it("is the UTC date of the clock when PORTRAIT_TODAY is unset", () => {
    expect(today({}, new Date("2026-12-05T23:30:00Z"))).toBe("2026-12-05");
  });

  it("is PORTRAIT_TODAY when set, so builds need not depend on the day", () => {
    expect(today({PORTRAIT_TODAY: "2025-01-31"}, new Date("2026-12-05T00:00:00Z"))).toBe(
      "2025-01-31"
    );
  });

  it("rejects a PORTRAIT_TODAY that is not a date, naming it", () => {
    expect(() => today({PORTRAIT_TODAY: "31/01/2025"})).toThrow(
      "invalid PORTRAIT_TODAY: 31/01/2025 (write it as YYYY-MM-DD, or unset it)"
    );
  });
});
