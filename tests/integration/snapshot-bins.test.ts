/** The PSI bins of the snapshots (loaders/history/snapshots.ts) run against an in-memory DuckDB. */
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {binSql, edgeSql} from "../../loaders/history/snapshots.ts";
import type {ClusterColumn} from "../../loaders/profile/matrix.ts";
import {sql} from "../../loaders/core/sql.ts";
import {Store} from "../../loaders/core/store.ts";

let store: Store;
beforeAll(async () => {
  store = await Store.open(":memory:");
});
afterAll(() => store.close());

describe("edgeSql(edge) in DuckDB", () => {
  it("compares as the edge's 17 digits always read: a value tied at an edge read an ulp low is above it", async () => {
    const edge = Number("0.0000013106894964867697");
    const row = await store.one<{read: number; above: boolean; bound: boolean}>(
      sql`SELECT ${edgeSql(edge)}::DOUBLE AS read, ${edge}::DOUBLE > ${edgeSql(edge)} AS above,
            ${edge}::DOUBLE > ${edge} AS bound`
    );
    expect(row).toEqual({read: 0.0000013106894964867695, above: true, bound: false});
  });
});

describe("binSql(columns, edgesOf) in DuckDB", () => {
  it("bins numbers by the edges they exceed and categories by their level, missing as -1", async () => {
    const columns = [
      {column: "c0", feature: "spend", level: null},
      {column: "c1", feature: "channel", level: "web"},
      {column: "c2", feature: "channel", level: "app"}
    ] as ClusterColumn[];
    const [spend, channel] = binSql(columns, () => [0, 1.5]);
    const rows = await store.all<{spend: number; channel: number}>(
      sql`SELECT ${spend.sql} AS spend, ${channel.sql} AS channel
          FROM (VALUES (-2.0, 1.0, 0.0), (0.0, 0.0, 1.0), (1.0, 0.0, 0.0), (2.0, 0.0, 0.0),
                       (NULL, 0.0, 0.0)) t(c0, c1, c2)`
    );
    expect(rows).toEqual([
      {spend: 0, channel: 0},
      {spend: 0, channel: 1},
      {spend: 1, channel: -1},
      {spend: 2, channel: -1},
      {spend: -1, channel: -1}
    ]);
  });
});
