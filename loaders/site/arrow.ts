/** Arrow IPC for the browser: DuckDB-Wasm reads it without downloading an extension. */
import {from, table, toArrow, toArrowIPC} from "arquero";
import type {Row} from "../core/store.ts";

/**
 * Arrow's single-precision float type, as arquero's encoder infers it from a Float32Array: the
 * encoder's own type object, without depending on its Arrow library directly.
 */
const FLOAT32 = toArrow(table({x: new Float32Array(1)})).schema.fields[0].type;
/** Plain UTF-8 strings (the child of the dictionary type arquero infers for strings). */
const UTF8 = (toArrow(table({x: ["a"]})).schema.fields[0].type as {dictionary: typeof FLOAT32})
  .dictionary;

export interface ArrowOptions {
  /** Columns to encode as Float32 (half the bytes of the default Float64), nulls kept. */
  float32?: readonly string[];
  /** String columns of (nearly) unique values, such as ids: plain UTF-8, no dictionary. */
  utf8?: readonly string[];
}

/**
 * Encodes rows (plain objects of one shape) as an Arrow IPC stream (what DuckDB-Wasm inserts).
 * Types are inferred (strings dictionary-encoded, integers in the smallest type that holds
 * them) unless options name them.
 */
export function rowsToArrow(rows: Row[], {float32 = [], utf8 = []}: ArrowOptions = {}): Uint8Array {
  const types = Object.fromEntries([
    ...float32.map((name) => [name, FLOAT32]),
    ...utf8.map((name) => [name, UTF8])
  ]);
  return toArrowIPC(from(rows), {format: "stream", types});
}
