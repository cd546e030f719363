/**
 * Identifiers as 53-bit digests, and sets of them: the millions of e-mails and phone numbers of
 * a large store are held as numbers DuckDB computes, which cross into JS far faster than strings
 * and take 8 bytes each.
 */
import {createHash} from "node:crypto";
import {sql, type SQL} from "../core/sql.ts";

/**
 * A 53-bit digest of an identifier: the upper half of its MD5, the same number in JS and in
 * DuckDB (digestSql). Two identifiers share one with a chance of about 1 in 10^15; a hit is then
 * traced to its customer by the identifier itself, for the message.
 */
export function identifierDigest(text: string): number {
  const md5 = createHash("md5").update(text, "utf8").digest();
  return md5.readUInt32LE(4) * 2 ** 21 + Math.floor(md5.readUInt32LE(0) / 2 ** 11);
}

/** identifierDigest in SQL. */
export function digestSql(expr: SQL): SQL {
  return sql`(md5_number_upper(${expr}) >> 11)::BIGINT`;
}

/**
 * A set of digests in one typed array (open addressing, linear probing): millions of entries
 * in 8 bytes each, which the garbage collector never has to walk.
 */
export class DigestSet {
  private table: Float64Array;
  private count = 0;

  constructor(digests: readonly number[] = []) {
    this.table = new Float64Array(capacityFor(digests.length)).fill(-1);
    for (const d of digests) this.add(d);
  }

  get size(): number {
    return this.count;
  }

  /** Adds a digest; whether it was new. */
  add(digest: number): boolean {
    if ((this.count + 1) * 2 > this.table.length) this.grow();
    const mask = this.table.length - 1;
    for (let i = digest % this.table.length; ; i = (i + 1) & mask) {
      if (this.table[i] === digest) return false;
      if (this.table[i] === -1) {
        this.table[i] = digest;
        this.count++;
        return true;
      }
    }
  }

  has(digest: number): boolean {
    const mask = this.table.length - 1;
    for (let i = digest % this.table.length; ; i = (i + 1) & mask) {
      if (this.table[i] === digest) return true;
      if (this.table[i] === -1) return false;
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Float64Array(old.length * 2).fill(-1);
    this.count = 0;
    for (const d of old) if (d !== -1) this.add(d);
  }
}

/** A power of two at least twice n (a table at most half full stays fast). */
function capacityFor(n: number): number {
  let capacity = 16;
  while (capacity < n * 2) capacity *= 2;
  return capacity;
}
