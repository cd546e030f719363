/** Enrichment's key builders (loaders/enrich/references.ts) as text and bound values. */
import {describe, expect, it} from "vitest";
import {postalKeySql, textKeySql} from "../../loaders/enrich/references.ts";
import {ident, sql, val} from "../../loaders/core/sql.ts";

describe("textKeySql(expr)", () => {
  it("casts, trims, upper-cases and removes the spaces of the expression it is given", () => {
    expect(textKeySql(ident("Postal Code")).render()).toEqual({
      text: String.raw`NULLIF(regexp_replace(upper(trim(CAST("Postal Code" AS VARCHAR))), '\s+', '', 'g'), '')`,
      params: []
    });
  });
});

describe("postalKeySql(expr)", () => {
  it("wraps the text key in the postal code's repairs, keeping a bound value bound once", () => {
    expect(postalKeySql(sql`${val("f-75001")}`).render()).toEqual({
      text: String.raw`regexp_replace(regexp_replace(regexp_replace(NULLIF(regexp_replace(upper(trim(CAST($1 AS VARCHAR))), '\s+', '', 'g'), ''), '^(\d+)\.0+$', '\1'), '^[A-Z]{1,3}-(\d)', '\1'), '^(\d{5})-\d{4}$', '\1')`,
      params: ["f-75001"]
    });
  });
});
