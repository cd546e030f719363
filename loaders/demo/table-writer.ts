/** Writes customer blocks to the sinks and records planted defects in truth/defects.csv. */

import type {RowSink} from "./csv.ts";
import type {DefectKind, RowDefect} from "./dirt.ts";
import type {Planted} from "./rows.ts";
import type {CustomerTable} from "./schema.ts";

/** One sink per customer table, plus the truth files. */
export type DemoSinks = Readonly<
  Record<CustomerTable | "truth_customers" | "truth_defects", RowSink>
>;

/** Where duplicated rows go: half right after the original, half up to five rows later. */
function copyOffset(duplicate: RowDefect): number {
  return duplicate.u < 0.5 ? 0 : 1 + Math.floor((duplicate.u - 0.5) * 10);
}

/** Writes rows to the sinks, counts them and logs every planted defect to the truth. */
export class TableWriter {
  readonly defects: Partial<Record<DefectKind, number>> = {};
  readonly rows: Record<CustomerTable, number> = {
    customers: 0,
    orders: 0,
    tickets: 0,
    email_events: 0,
    web_sessions: 0,
    survey_responses: 0
  };

  constructor(private readonly sinks: DemoSinks) {}

  /** Writes a row and returns its row number. */
  write(table: CustomerTable, fields: readonly string[]): number {
    const n = this.sinks[table].write(fields);
    this.rows[table] = n;
    return n;
  }

  /** Logs a defect at a row of a table. */
  log(table: CustomerTable, row: number, column: string, kind: DefectKind): void {
    this.sinks.truth_defects.write([table, String(row), column, kind]);
    this.defects[kind] = (this.defects[kind] ?? 0) + 1;
  }

  /** Writes one customer's block of a table, with its planted defects and duplicated rows. */
  block(table: CustomerTable, rows: readonly Planted[]): void {
    let pending: {fields: string[]; after: number}[] | null = null;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const n = this.write(table, row.fields);
      if (row.cell !== null) this.log(table, n, row.cell.column, row.cell.kind);
      if (row.duplicate !== null) {
        pending ??= [];
        pending.push({fields: row.fields, after: i + copyOffset(row.duplicate)});
      }
      if (pending !== null) pending = this.copies(table, pending, i);
    }
    if (pending !== null) this.copies(table, pending, Infinity);
  }

  /** Writes the pending copies due after row `i` and returns those still pending. */
  private copies(table: CustomerTable, pending: {fields: string[]; after: number}[], i: number) {
    const later: typeof pending = [];
    for (const p of pending) {
      if (p.after <= i) this.log(table, this.write(table, p.fields), "", "duplicate_row");
      else later.push(p);
    }
    return later.length > 0 ? later : null;
  }
}
