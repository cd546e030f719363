/** The clustering tests' catalog and settings: four numeric features and a describe-only category. */
import {parseConfig} from "../../loaders/config/project.ts";
import type {CatalogEntry} from "../../loaders/profile/features.ts";
import {feature} from "./catalog.ts";

const entry = (
  id: string,
  dimension: CatalogEntry["dimension"],
  extra: Partial<CatalogEntry> = {}
) => feature(id, extra.kind ?? "number", extra.unit ?? "score", {dimension, ...extra});

export const CATALOG: CatalogEntry[] = [
  entry("spend", "behavioral", {transform: "log", unit: "currency"}),
  entry("visits", "behavioral"),
  entry("price", "psychographic"),
  entry("age", "demographic"),
  entry("channel", "behavioral", {kind: "category", describeOnly: true})
];

/** Settings as the config gives them, with a smaller search for speed. */
export function settings(clustering: Record<string, unknown> = {}) {
  return parseConfig(
    {
      sources: {crm: {table: "customers", file: "c.csv"}},
      clustering: {k: {min: 2, max: 6}, ...clustering}
    },
    "/project/portrait.config.ts"
  ).clustering;
}
