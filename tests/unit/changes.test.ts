/** The changes.csv query (loaders/publish/changes.ts) as text; tests/integration/changes.test.ts runs it. */
import {describe, expect, it} from "vitest";
import {customerChangesQuery} from "../../loaders/publish/changes.ts";

describe("customerChangesQuery({hasValue})", () => {
  it("binds nothing, names every change and sorts by customer id", () => {
    const {text, params} = customerChangesQuery({hasValue: true}).render();
    expect(params).toEqual([]);
    expect(text).toContain("LEFT JOIN customer_value v USING (customer_id)");
    for (const change of ["joined", "left", "moved_into_risk", "moved_out_of_risk", "moved"])
      expect(text).toContain(`'${change}'`);
    expect(text).toMatch(/ORDER BY customer_id$/);
  });

  it("reads no customer_value when the store has none, and leaves the flag NULL (not assessed), not false", () => {
    const {text} = customerChangesQuery({hasValue: false}).render();
    expect(text).not.toContain("customer_value");
    expect(text).toContain("NULL::BOOLEAN AS at_risk");
    expect(text).not.toContain("false AS at_risk");
  });
});
