/** Arrow IPC for the browser: DuckDB-Wasm reads it without downloading an extension. */
import {from, toArrowIPC} from "arquero";
import type {Row} from "./store.ts";

/** Encodes rows (plain objects of one shape) as an Arrow IPC stream (what DuckDB-Wasm inserts). */
export function rowsToArrow(rows: Row[]): Uint8Array {
  return toArrowIPC(from(rows), {format: "stream"});
}
