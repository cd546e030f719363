/** Writes the demo dataset to a folder: the CSV files, the reference tables and the truth. */

import {mkdirSync, statSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {CsvFileSink} from "./csv.ts";
import {generateDemo, GENERATOR_VERSION, validateOptions} from "./generate.ts";
import type {DemoOptions, DemoSummary} from "./generate.ts";
import {postalCodes} from "./geography.ts";
import {QUESTIONS} from "./survey.ts";
import {TABLES} from "./schema.ts";
import type {TableName} from "./schema.ts";
import {HISTORY_START, HORIZON} from "./timeline.ts";

export interface WrittenFile {
  /** Path relative to the output folder. */
  readonly file: string;
  readonly rows: number;
  readonly bytes: number;
}

export interface DemoResult {
  readonly summary: DemoSummary;
  readonly files: readonly WrittenFile[];
}

function fixed(value: number, decimals: number): string {
  return value.toFixed(decimals);
}

/** The manifest: what was generated, with no trace of when (same options, same bytes). */
export function manifest(
  options: DemoOptions,
  summary: DemoSummary,
  rows: Readonly<Record<string, number>>
): string {
  const body = {
    generator: "portrait-demo",
    version: GENERATOR_VERSION,
    seed: options.seed,
    customers: options.customers,
    start: HISTORY_START,
    end: options.end,
    horizon: HORIZON,
    rows,
    customerIds: summary.customerIds,
    persons: summary.persons,
    duplicatePersons: summary.duplicatePersons,
    archetypes: summary.archetypes,
    defects: summary.defects
  };
  return JSON.stringify(body, null, 2) + "\n";
}

/** Generates the dataset into `out` (created if needed) and reports each file's rows and size. */
export function writeDemo(options: DemoOptions & {readonly out: string}): DemoResult {
  validateOptions(options);
  const {out} = options;
  mkdirSync(join(out, "truth"), {recursive: true});
  const open = (table: TableName) =>
    new CsvFileSink(join(out, TABLES[table].file), TABLES[table].columns);
  const sinks = {
    customers: open("customers"),
    orders: open("orders"),
    tickets: open("tickets"),
    email_events: open("email_events"),
    web_sessions: open("web_sessions"),
    survey_responses: open("survey_responses"),
    truth_customers: open("truth_customers"),
    truth_defects: open("truth_defects")
  };
  const postal = open("postal_codes");
  for (const p of postalCodes()) {
    postal.write([
      p.country,
      p.postalCode,
      p.region,
      p.city,
      p.urbanicity,
      String(p.areaIncome),
      fixed(p.latitude, 4),
      fixed(p.longitude, 4)
    ]);
  }
  const questions = open("survey_questions");
  for (const q of QUESTIONS) questions.write([q.id, q.text]);

  let summary: DemoSummary;
  try {
    summary = generateDemo(options, sinks);
  } finally {
    for (const sink of [...Object.values(sinks), postal, questions]) sink.close();
  }
  const all = {...sinks, postal_codes: postal, survey_questions: questions};
  const order: TableName[] = [
    "customers",
    "orders",
    "tickets",
    "email_events",
    "web_sessions",
    "survey_responses",
    "survey_questions",
    "postal_codes",
    "truth_customers",
    "truth_defects"
  ];
  const rows: Record<string, number> = {};
  for (const t of order) rows[TABLES[t].file] = all[t].rows;
  const manifestFile = "truth/manifest.json";
  writeFileSync(join(out, manifestFile), manifest(options, summary, rows));
  const files: WrittenFile[] = order.map((t) => ({
    file: TABLES[t].file,
    rows: all[t].rows,
    bytes: statSync(join(out, TABLES[t].file)).size
  }));
  files.push({file: manifestFile, rows: 0, bytes: statSync(join(out, manifestFile)).size});
  return {summary, files};
}
