import {mkdtempSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {memo} from "../../loaders/core/memo.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "portrait-memo-"));
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

describe("memo(path, key, compute)", () => {
  it("computes once per key and gives back the kept value as it was", async () => {
    const path = join(dir, "kept");
    let calls = 0;
    const compute = async () => ({calls: ++calls, values: [-0, NaN, null, undefined, 1.5, "a"]});
    const first = await memo(path, "k1", compute);
    const second = await memo(path, "k1", compute);
    expect(first.computed).toBe(true);
    expect(second).toEqual({value: first.value, computed: false});
    expect(Object.is(second.value.values[0], -0)).toBe(true);
    expect(calls).toBe(1);
    expect((await memo(path, "k2", compute)).value.calls).toBe(2);
    expect(readdirSync(dir)).toEqual(["kept"]);
  });

  it("computes again when the file cannot be read", async () => {
    const path = join(dir, "kept");
    writeFileSync(path, "not v8");
    expect(await memo(path, "k", async () => 7)).toEqual({value: 7, computed: true});
    expect(await memo(path, "k", async () => 8)).toEqual({value: 7, computed: false});
  });

  it("still answers when the value cannot be kept", async () => {
    const path = join(dir, "no such folder", "kept");
    expect(await memo(path, "k", async () => 7)).toEqual({value: 7, computed: true});
  });
});
