/** The demo generator's ground truth, as the tests read it. */
import {readFileSync} from "node:fs";
import {join} from "node:path";

/** The generator's defect kinds that must reject a row, and the reason validation gives. */
export const REJECTING: Record<string, string> = {
  duplicate_row: "duplicate_row",
  malformed_date: "malformed_date",
  non_numeric_amount: "not_a_number",
  negative_amount: "negative_amount",
  missing_value: "missing_value",
  unknown_customer: "unknown_customer",
  future_date: "future_date"
};

export interface PlantedDefect {
  table: string;
  row: number;
  column: string;
  kind: string;
}

/** truth/defects.csv of a generated demo folder. */
export function plantedDefects(dataDir: string): PlantedDefect[] {
  return readFileSync(join(dataDir, "truth", "defects.csv"), "utf8")
    .trimEnd()
    .split("\n")
    .slice(1)
    .map((line) => {
      const [table, row, column, kind] = line.split(",");
      return {table, row: Number(row), column, kind};
    });
}

/**
 * The planted defects that must send their row to the quarantine. Customers' defects (country
 * spellings, e-mail variants, blank countries) are for standardisation and identity resolution.
 */
export function rejectingDefects(dataDir: string): PlantedDefect[] {
  return plantedDefects(dataDir).filter((d) => d.table !== "customers" && d.kind in REJECTING);
}
