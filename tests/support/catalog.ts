/** Feature-catalog entries for fixtures: measured, fully covered, behavioral unless told. */
import type {CatalogEntry} from "../../loaders/profile/features.ts";

export function feature(
  id: string,
  kind: "number" | "category",
  unit: string,
  extra: Partial<CatalogEntry> = {}
): CatalogEntry {
  return {
    id,
    dimension: "behavioral",
    label: id,
    unit,
    kind,
    transform: "none",
    describeOnly: false,
    measured: true,
    coverage: 1,
    note: null,
    clustered: false,
    ...extra
  };
}
