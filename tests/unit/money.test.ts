/** Amounts (src/contracts/money.ts), written the same way by the engine's sentences and the pages. */
import {describe, expect, it} from "vitest";
import {ConfigError, parseConfig} from "../../loaders/config/project.ts";
import {formatValue as sentenceValue} from "../../loaders/profile/narrative.ts";
import {formatValue, labelWithUnit, unitLabel} from "../../src/components/format.ts";
import {formatMoney} from "../../src/contracts/money.ts";

describe("formatMoney(x, currency)", () => {
  it("writes cents under 100 and whole amounts above, in the currency when there is one", () => {
    expect(formatMoney(1234.5, "EUR")).toBe("€1,235");
    expect(formatMoney(33.284, "BRL")).toBe("R$33.28");
    expect(formatMoney(12.5, "CHF")).toBe("CHF\u00a012.50"); // a no-break space, as Intl writes it
    expect(formatMoney(-45.1, "GBP")).toBe("−£45.10");
    expect(formatMoney(5, "JPY")).toBe("¥5"); // a yen has no cents
    expect(formatMoney(1234.5, "EUR", 2)).toBe("€1,234.50");
    expect(formatMoney(12.3, "EUR", 0)).toBe("€12");
    expect(formatMoney(12.3, "JPY", 2)).toBe("¥12");
  });

  it("writes a bare number without a currency, and a dash for none", () => {
    expect(formatMoney(1234.5)).toBe("1,235");
    expect(formatMoney(33.284, null)).toBe("33.28");
    expect(formatMoney(-0.001, null)).toBe("0.00");
    expect(formatMoney(null, "EUR")).toBe("–");
  });

  it("is how the pages and the profiles' sentences both write an amount", () => {
    expect(formatValue(1234.5, "currency", "USD")).toBe("$1,235");
    expect(sentenceValue(1234.5, "currency", "USD")).toBe("$1,235");
    expect(unitLabel("currency", "USD")).toBe("USD");
    expect(labelWithUnit("Spend", "currency", "USD")).toBe("Spend (USD)");
    expect(labelWithUnit("Spend", "currency")).toBe("Spend (amount)");
    expect([formatValue(48.2, "months"), sentenceValue(1, "months")]).toEqual([
      "48 months",
      "1 month"
    ]);
  });
});

describe("parseConfig: currency", () => {
  it("takes an ISO 4217 code, and none by default", () => {
    const base = {sources: {crm: {table: "customers", file: "crm.csv"}}};
    expect(parseConfig({...base, currency: "EUR"}, "/p/portrait.config.ts").currency).toBe("EUR");
    expect(parseConfig(base, "/p/portrait.config.ts").currency).toBeNull();
    expect(() => parseConfig({...base, currency: "EURO"}, "/p/portrait.config.ts")).toThrow(
      new ConfigError(
        "/p/portrait.config.ts",
        "currency",
        'expected an ISO 4217 currency code in capitals, such as "EUR", "USD" or "BRL"'
      )
    );
  });
});
