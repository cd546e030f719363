/** The card shards' hash and split (src/contracts/cards.ts), which the build and the page share. */
import {describe, expect, it} from "vitest";
import {fnv1a32, shardCount, shardName, shardOf} from "../../src/contracts/cards.ts";

describe("fnv1a32(text)", () => {
  it("gives the published FNV-1a 32-bit test vectors", () => {
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0xe40c292c);
    expect(fnv1a32("foobar")).toBe(0xbf9cf968);
  });

  it("hashes the UTF-8 bytes, so ids beyond ASCII hash as in any other FNV-1a", () => {
    // "é" is the two bytes c3 a9.
    const bytes = [0xc3, 0xa9];
    let h = 0x811c9dc5;
    for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
    expect(fnv1a32("é")).toBe(h);
  });
});

describe("shardCount(customers) and shardOf(id, shards)", () => {
  it("picks the smallest power of two that keeps shards at 2,000 customers or fewer", () => {
    expect([0, 1, 2000, 2001, 4000, 4001, 20005, 1_000_000].map(shardCount)).toEqual([
      1, 1, 1, 2, 2, 4, 16, 512
    ]);
  });

  it("names shards in hex, two digits or more", () => {
    expect(shardName(0, 1)).toBe("00");
    expect(shardName(10, 16)).toBe("0a");
    expect(shardName(255, 512)).toBe("0ff");
  });

  it("ignores case and surrounding spaces, so a lookup tolerant of case finds the shard", () => {
    for (const id of ["C0000123", "C0009999", "acme-42"])
      expect(shardOf(` ${id.toLowerCase()} `, 16)).toBe(shardOf(id, 16));
  });

  it("spreads ids evenly over the shards", () => {
    const counts = new Map<string, number>();
    for (let i = 1; i <= 16_000; i++) {
      const s = shardOf(`C${String(i).padStart(7, "0")}`, 16);
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    expect(counts.size).toBe(16);
    for (const n of counts.values()) expect(Math.abs(n - 1000)).toBeLessThan(150);
  });
});
