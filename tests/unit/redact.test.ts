import {describe, expect, it} from "vitest";
import {normaliseText, phoneShapes, redact} from "../../loaders/core/redact.ts";

describe("normaliseText(text)", () => {
  it("reads an e-mail address however it is written as the address", () => {
    for (const written of [
      "jane.doe @ example.com",
      "jane.doe\u200b@example.com",
      "jane.doe\ufeff@\u200dexample.com",
      "jane.doe\uff20example.com",
      "jane.doe%40example.com",
      "\uff4a\uff41\uff4e\uff45.doe@example.com"
    ])
      expect(normaliseText(written)).toBe("jane.doe@example.com");
  });

  it("writes dashes and spaces of phone numbers as - and a space, and keeps line breaks", () => {
    expect(normaliseText("212\u2013565\u20114438")).toBe("212-565-4438");
    expect(normaliseText("+1\u202f212\u00a0565\u20094438")).toBe("+1 212 565 4438");
    expect(normaliseText("a%0Ab\nc")).toBe("a b\nc");
  });

  it("leaves plain text and a lone percent sign as they are", () => {
    expect(normaliseText("43 % of 20,005 customers")).toBe("43 % of 20,005 customers");
    expect(normaliseText("100%zz")).toBe("100%zz");
  });
});

describe("phoneShapes(text)", () => {
  const digits = (text: string) => phoneShapes(normaliseText(text)).map((s) => s.digits);

  it("finds phone numbers by their shape", () => {
    expect(digits("call +1 212-565-4438 or (212) 565 4438")).toEqual(["12125654438", "2125654438"]);
    expect(digits("212.565.4438; 06 12 34 56 78; +44 (0)20 7946 0958; +12125654438")).toEqual([
      "2125654438",
      "0612345678",
      "4402079460958",
      "12125654438"
    ]);
    expect(digits("212\u2013565\u20134438 and +49\u202f30\u202f1234\u202f5678")).toEqual([
      "2125654438",
      "493012345678"
    ]);
  });

  it("does not take dates, amounts, ids, versions, coordinates or lists for phone numbers", () => {
    for (const text of [
      "since 2014-01-02 12:30:00",
      "31.12.2024",
      "$1,234,567.89 and 12.345.678",
      "0.5123456789",
      "order 1234567890, customer C0000001-212-565",
      "2024 2025 2026",
      "52.3676 4.9041",
      "192.168.100.200",
      "d3@7.9.0",
      "3 4 5 6 7 8 9 10",
      "x=1e-12345678"
    ])
      expect(digits(text)).toEqual([]);
  });
});

describe("redact(text)", () => {
  it("masks e-mail addresses and phone numbers however they are written", () => {
    expect(redact("customer jane.doe＠example.com is not among the customers")).toBe(
      "customer j…@example.com is not among the customers"
    );
    expect(redact("line 4: C4,lena%40gmx.example,+49 151 2345 6789,Lena")).toBe(
      "line 4: C4,l…@gmx.example,…6789,Lena"
    );
  });

  it("leaves text without them as it was, masked addresses included", () => {
    for (const text of [
      "as of 2026-10-31: the last dated row",
      "the e-mail address j…@posteo.example of customer C0000001",
      "privacy check: 87 files (12.1 MB), 67,805 identifiers"
    ])
      expect(redact(text)).toBe(text);
  });
});
