/** Standardisation's SQL builders (loaders/clean/standardise.ts, countries.ts) as text and bound values. */
import {describe, expect, it} from "vitest";
import {countryCodeSql, countryKeySql} from "../../loaders/clean/countries.ts";
import {
  emailKeySql,
  foldSql,
  phoneDigitsSql,
  phoneKeySql
} from "../../loaders/clean/standardise.ts";
import {ident, sql, val} from "../../loaders/core/sql.ts";

describe("foldSql(expr)", () => {
  it("folds the expression it is given, binding nothing of its own", () => {
    expect(foldSql(ident("Channel")).render()).toEqual({
      text: String.raw`NULLIF(lower(trim(regexp_replace("Channel", '\s+', ' ', 'g'))), '')`,
      params: []
    });
  });

  it("keeps a bound value bound", () => {
    expect(foldSql(sql`${val(" Web  Shop ")}`).render()).toEqual({
      text: String.raw`NULLIF(lower(trim(regexp_replace($1, '\s+', ' ', 'g'))), '')`,
      params: [" Web  Shop "]
    });
  });
});

describe("emailKeySql(expr)", () => {
  it("reads the expression three times, so a bound value is bound three times", () => {
    expect(emailKeySql(sql`${val("A@B.example")}`).render()).toEqual({
      text: String.raw`NULLIF(lower(CASE WHEN regexp_matches($1, '\s') THEN regexp_replace($2, '\s', '', 'g') ELSE $3 END), '')`,
      params: ["A@B.example", "A@B.example", "A@B.example"]
    });
  });
});

describe("phoneDigitsSql(phone) and phoneKeySql(phone, digits, callingCode, trunk)", () => {
  it("write the digits of the phone expression", () => {
    expect(phoneDigitsSql(sql`phone`).render().text).toBe(
      "regexp_replace(replace(phone, '(0)', ''), '[^0-9]', '', 'g')"
    );
  });

  it("build the key from the four expressions, binding only what they bind", () => {
    const key = phoneKeySql(sql`c.phone`, sql`c.phone_key`, sql`${val("49")}`, sql`m.trunk`);
    const {text, params} = key.render();
    expect(text).toMatch(/^CASE\s+WHEN c\.phone_key = '' THEN NULL/);
    expect(text).toContain("WHEN starts_with(trim(c.phone), '+') THEN c.phone_key");
    expect(text).toContain("WHEN m.trunk <> '' AND starts_with(c.phone_key, m.trunk)");
    // The calling code is read six times, each a parameter of its own.
    expect(params).toEqual(Array(6).fill("49"));
  });
});

describe("countryKeySql(expr) and countryCodeSql(expr)", () => {
  it("normalise the expression they are given and look it up in _country_keys", () => {
    expect(countryKeySql(sql`spelling`).render()).toEqual({
      text: String.raw`regexp_replace(replace(regexp_replace(regexp_replace(trim(strip_accents(lower(spelling))), '^the\s+', ''), ',\s*the$', ''), '&', 'and'), '[^\pL\pN]', '', 'g')`,
      params: []
    });
    const code = countryCodeSql(sql`${val("U.S.")}`).render();
    expect(code.text).toMatch(/^\(SELECT alpha2 FROM _country_keys WHERE key = .*lower\(\$1\)/);
    expect(code.params).toEqual(["U.S."]);
  });
});
