/** The canonical model's SQL (loaders/config/canonical.ts). */
import {describe, expect, it} from "vitest";
import {acceptedColumnsSql, EMAIL_EVENTS} from "../../loaders/config/canonical.ts";

describe("acceptedColumnsSql(table)", () => {
  it("lists every field quoted and typed, then _source and _row", () => {
    expect(acceptedColumnsSql(EMAIL_EVENTS).render()).toEqual({
      text: '"customer_id" VARCHAR, "event_at" TIMESTAMP, "event" VARCHAR, "campaign" VARCHAR, _source VARCHAR, _row BIGINT',
      params: []
    });
  });
});
