/**
 * The data-quality report: per source, rows read, accepted and quarantined by reason; values
 * cleared; identities merged; fields filled; coverage of every canonical field; and the first
 * quarantined rows with their reasons, showing no identifier unless the config allows them
 * (maskedSamples).
 * The data-quality page and `npm run check` both show it.
 */
import {CANONICAL_TABLES} from "../config/canonical.ts";
import {normalise} from "../core/closest.ts";
import {redact} from "../core/redact.ts";
import type {PortraitConfig} from "../config/project.ts";
import {type Store} from "../core/store.ts";
import {ident, join, sql, val} from "../core/sql.ts";
import type {
  QualityReport,
  LinesSummary,
  RelatedQuality,
  SourceQuality,
  StatusCount
} from "../../src/contracts/quality.ts";
import {type FieldMapping, usedColumns} from "../ingest/mapping.ts";
import type {RelatedSummary} from "../ingest/related.ts";
import {formatShare} from "../../src/contracts/share.ts";
import type {Validation} from "./validate.ts";

export type {QualityReport, SourceQuality};

/** Canonical fields that identify a person directly. */
export const DIRECT_IDENTIFIERS = ["email", "phone", "first_name", "last_name", "street"];

/** How many quarantined rows per source the report shows. */
export const SAMPLE_ROWS = 10;

/** Collects the report from the store after the pipeline ran. */
export async function buildQuality(
  store: Store,
  config: PortraitConfig,
  validation: Validation
): Promise<QualityReport> {
  const sources: SourceQuality[] = [];
  for (const v of validation.sources) {
    const source = config.sources[v.source];
    const reasons = await store.all<{reason: string; column: string | null; rows: number}>(
      sql`SELECT reason, "column", count(*)::INTEGER AS rows FROM quarantine WHERE source = ${val(v.source)}
       GROUP BY ALL ORDER BY rows DESC, reason, "column"`
    );
    const samples = await store.all<QuarantinedRow>(
      sql`SELECT "row", file, "column", reason, message, record::VARCHAR AS record FROM quarantine
       WHERE source = ${val(v.source)} ORDER BY "row", file LIMIT ${SAMPLE_ROWS}`
    );
    const statuses = (await store.has("order_statuses"))
      ? await store.all<StatusCount>(
          sql`SELECT status, counts_as AS "countsAs", orders FROM order_statuses WHERE source = ${val(v.source)} ORDER BY orders DESC, status`
        )
      : [];
    sources.push({
      source: v.source,
      table: v.table,
      location: "file" in source ? source.file : `postgresql:${source.postgres.table ?? "query"}`,
      read: v.read,
      accepted: v.accepted,
      quarantined: v.quarantined,
      cleared: v.cleared,
      clearedBy: await store.all<SourceQuality["clearedBy"][number]>(
        sql`SELECT "column", reason, count(*)::INTEGER AS rows FROM cleared_values
         WHERE source = ${val(v.source)} GROUP BY ALL ORDER BY rows DESC, "column", reason`
      ),
      ignored: v.ignored,
      reasons,
      samples: config.privacy.identifiers
        ? samples.map((s) => ({...s, record: shown(JSON.parse(s.record), () => true)}))
        : await maskedSamples(store, v, samples),
      ...(v.lines ? {lines: v.lines} : {}),
      ...(statuses.length > 0 ? {statuses} : {})
    });
  }
  return {
    // An as-of date taken from the clock only because nothing is dated is no date of the data.
    asOf: validation.asOfRule === "today" ? null : validation.asOf,
    sources,
    related: await relatedQuality(store, config.privacy.identifiers),
    identity: await identitySummary(store),
    filled: (await store.has("derived_values"))
      ? await store.all<QualityReport["filled"][number]>(
          sql`SELECT "table", field, method, count(*)::INTEGER AS rows FROM derived_values GROUP BY ALL ORDER BY "table", field, method`
        )
      : [],
    issues: (await store.has("standardise_issues"))
      ? await store.all<QualityReport["issues"][number]>(
          sql`SELECT "table", field, reason, count(*)::INTEGER AS rows FROM standardise_issues GROUP BY ALL ORDER BY "table", field, reason`
        )
      : [],
    coverage: await coverage(store)
  };
}

/** Writes the report into the store (quality_report) for the page loaders. */
export async function storeQuality(store: Store, report: QualityReport): Promise<void> {
  await store.run(sql`CREATE OR REPLACE TABLE quality_report (report JSON)`);
  await store.run(sql`INSERT INTO quality_report VALUES (${val(JSON.stringify(report))})`);
}

/** Reads the stored report back. */
export async function readQuality(store: Store): Promise<QualityReport> {
  const row = await store.one<{report: string}>(
    sql`SELECT report::VARCHAR AS report FROM quality_report`
  );
  if (!row) throw new Error("the store has no data-quality report: rebuild it with npm run build");
  return JSON.parse(row.report);
}

/** Each related file's accounting (ingest/related.ts), with its first unmatched rows and misses. */
async function relatedQuality(store: Store, identifiers: boolean): Promise<RelatedQuality[]> {
  if (!(await store.has("related_files"))) return [];
  const files = await store.all<{summary: string}>(
    sql`SELECT summary::VARCHAR AS summary FROM related_files ORDER BY position`
  );
  const out: RelatedQuality[] = [];
  for (const {summary} of files) {
    const r = JSON.parse(summary) as RelatedSummary;
    const samples = await store.all<{
      row: number;
      file: string;
      key: string | null;
      record: string;
    }>(
      sql`SELECT "row", file, "key", record::VARCHAR AS record FROM related_unmatched
        WHERE related = ${val(r.name)} ORDER BY file, "row" LIMIT ${SAMPLE_ROWS}`
    );
    const misses = await store.all<RelatedQuality["misses"][number]>(
      sql`SELECT "user", field, "row", file, "key" FROM (
          SELECT *, row_number() OVER (PARTITION BY "user", field ORDER BY file, "row") AS n
          FROM lookup_misses WHERE related = ${val(r.name)})
        WHERE n <= ${SAMPLE_ROWS} ORDER BY "user", field, file, "row"`
    );
    const masked = (text: string | null) => (identifiers || text === null ? text : redact(text));
    out.push({
      ...r,
      samples: samples.map((s) => ({
        ...s,
        row: Number(s.row),
        key: masked(s.key),
        record: identifiers
          ? shown(JSON.parse(s.record), () => true)
          : maskRelated(JSON.parse(s.record), r)
      })),
      misses: misses.map((m) => ({...m, row: Number(m.row), key: masked(m.key)}))
    });
  }
  return out;
}

/** A quarantined row as the store holds it, its record as JSON text. */
type QuarantinedRow = Omit<SourceQuality["samples"][number], "record"> & {record: string};

/** What a hidden value reads on the page. */
export const HIDDEN = "(hidden)";

/**
 * Quarantined rows as the report shows them when identifiers are not allowed: the values of the
 * columns a mapping reads into a field that identifies no one (what the reason is about), with
 * any e-mail address or phone number in them masked; every other column named with its value
 * hidden (a direct identifier, a column no mapping reads, an unreadable line); messages masked.
 */
async function maskedSamples(
  store: Store,
  v: Validation["sources"][number],
  samples: QuarantinedRow[]
): Promise<SourceQuality["samples"]> {
  const records = samples.map((s) => JSON.parse(s.record) as Record<string, string | null>);
  const columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
  const identifying = (m: FieldMapping) => DIRECT_IDENTIFIERS.includes(m.field);
  const hidden = new Set(await usedColumns(store, columns, v.mappings.filter(identifying)));
  const read = await usedColumns(
    store,
    columns,
    v.mappings.filter((m) => !identifying(m))
  );
  const visible = new Set(read.filter((c) => !hidden.has(c) && !v.ignored.includes(c)));
  return samples.map((s, i) => ({
    ...s,
    message: redact(s.message),
    // A line that could not be read is one text: nothing tells its fields apart.
    record: redactValues(shown(records[i], (key) => !isLine(s) && visible.has(key)))
  }));
}

/** A quarantined line that could not be split into columns (its record is {line}). */
function isLine(s: {reason: string}): boolean {
  return s.reason === "malformed_line";
}

/** A row's values as the report shows them: those of the columns `visible` accepts, the rest hidden by name. */
function shown(
  record: Record<string, string | null>,
  visible: (key: string) => boolean
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === "_row" || key === "_file") continue;
    out[key] = value === null ? null : visible(key) ? value : HIDDEN;
  }
  return out;
}

/**
 * A related row's values as the report shows them when identifiers are not allowed: its key and
 * the columns lookups read ("payments.sum(payment_value)" reads payment_value), with e-mail
 * addresses and phone numbers masked; every other column named, its value hidden.
 */
function maskRelated(
  record: Record<string, string | null>,
  r: RelatedSummary
): Record<string, string | null> {
  const read = new Set(
    [r.key, ...r.lookups.map((l) => /\(([^()]+)\)$/.exec(l.column)?.[1] ?? "")].map(normalise)
  );
  return redactValues(shown(record, (column) => read.has(normalise(column))));
}

/** A shown row with the e-mail addresses and phone numbers in its values masked. */
function redactValues(record: Record<string, string | null>): Record<string, string | null> {
  return Object.fromEntries(
    Object.entries(record).map(([k, v]) => [
      k,
      typeof v !== "string" || v === HIDDEN ? v : redact(v)
    ])
  );
}

async function identitySummary(store: Store): Promise<QualityReport["identity"]> {
  if (!(await store.has("identity_map"))) return null;
  const totals = await store.one<{ids: number; persons: number}>(
    sql`SELECT count(*)::INTEGER AS ids, count(DISTINCT person_id)::INTEGER AS persons FROM identity_map`
  );
  const byRule = await store.all<{rule: string; ids: number}>(
    sql`SELECT rule, count(*)::INTEGER AS ids FROM identity_map WHERE customer_id <> person_id GROUP BY rule ORDER BY ids DESC, rule`
  );
  const ids = totals?.ids ?? 0;
  const persons = totals?.persons ?? 0;
  return {ids, persons, merged: ids - persons, byRule};
}

async function coverage(store: Store): Promise<QualityReport["coverage"]> {
  const rows: QualityReport["coverage"] = [];
  for (const table of CANONICAL_TABLES) {
    if (!(await store.has(table.name))) continue;
    const columns = [...(await store.tableColumns(table.name)).keys()];
    const fields = columns.filter((c) => !c.startsWith("_"));
    const counts = await store.one(
      sql`SELECT count(*)::INTEGER AS _rows, ${join(fields.map((f) => sql`count(${ident(f)})::INTEGER AS ${ident(f)}`))} FROM ${ident(table.name)}`
    );
    for (const field of fields)
      rows.push({
        table: table.name,
        field,
        rows: Number(counts?._rows),
        present: Number(counts?.[field])
      });
  }
  return rows;
}

/** "12,000 lines made 3,000 orders; 400 credit lines netted (…)". */
export function linesText(l: LinesSummary): string {
  const n = (x: number) => x.toLocaleString("en-US");
  const credits =
    l.credits === 0
      ? "no credit lines"
      : `${n(l.credits)} credit lines: ${n(l.creditsByProduct)} netted against the order of the same product, ${n(l.creditsByCustomer)} against the customer's latest order, ${n(l.unmatchedCredits)} unmatched; ${n(l.cancelledByCredits)} orders cancelled by credits, ${n(l.returnedByCredits)} returned in part`;
  return `${n(l.lines)} lines made ${n(l.orders)} orders; ${credits}`;
}

/** "orders by status: 96,478 delivered (purchase), 625 canceled (cancelled, kept apart) …". */
export function statusText(statuses: StatusCount[]): string {
  const n = (x: number) => x.toLocaleString("en-US");
  const as = (c: StatusCount["countsAs"]) =>
    c === "cancelled"
      ? "cancelled, kept apart"
      : c === "unlisted"
        ? "in no status list: counted as a purchase"
        : c;
  return `orders by status: ${statuses.map((s) => `${n(s.orders)} ${s.status ?? "(none)"} (${as(s.countsAs)})`).join(", ")}`;
}

/** The report as plain text for a terminal (npm run check). */
export function qualityText(report: QualityReport): string {
  const n = (x: number) => x.toLocaleString("en-US");
  const pct = (part: number, whole: number) => (whole === 0 ? "–" : formatShare(part / whole));
  const lines: string[] = [`Data as of ${report.asOf ?? "(no dates)"}`, ""];
  lines.push("Sources");
  for (const s of report.sources) {
    lines.push(
      `  ${s.source} → ${s.table} (${s.location})`,
      `    read ${n(s.read)}, accepted ${n(s.accepted)}, quarantined ${n(s.quarantined)} (${pct(s.quarantined, s.read)})${s.cleared ? `, values cleared ${n(s.cleared)}` : ""}`
    );
    for (const r of s.reasons)
      lines.push(`      ${n(r.rows).padStart(9)}  ${r.reason}${r.column ? ` (${r.column})` : ""}`);
    for (const c of s.clearedBy.slice(0, 5))
      lines.push(`      ${n(c.rows).padStart(9)}  ${c.column} cleared: ${c.reason}`);
    if (s.clearedBy.length > 5) lines.push(`      … and ${s.clearedBy.length - 5} more fields`);
    if (s.ignored.length > 0)
      lines.push(
        `    ${s.ignored.length} column${s.ignored.length > 1 ? "s" : ""} not used: ${s.ignored.join(", ")}`
      );
    for (const q of s.samples.slice(0, 3))
      lines.push(`      e.g. ${q.file} row ${q.row}: ${q.message}`);
    if (s.lines) lines.push(`    ${linesText(s.lines)}`);
    if (s.statuses) lines.push(`    ${statusText(s.statuses)}`);
  }
  if (report.related.length > 0) lines.push("", "Related files");
  for (const r of report.related) {
    lines.push(
      `  ${r.name} by ${r.key} (${r.location})`,
      `    read ${n(r.read)}, matched ${n(r.matched)}, unmatched ${n(r.unmatched)}${r.malformed ? `, malformed ${n(r.malformed)}` : ""}${r.duplicateKeys ? `; ${n(r.duplicateKeys)} keys on several rows (${n(r.duplicateRows)} rows)` : ""}`
    );
    for (const u of r.samples.slice(0, 3))
      lines.push(
        `      e.g. ${u.file} row ${u.row}: ${r.key} ${u.key ?? "(empty)"} is looked up by no row`
      );
    for (const l of r.lookups) {
      lines.push(
        `    ${l.user}.${l.field} = ${l.column}: ${n(l.rows - l.missed)} of ${n(l.rows)} rows found a match, ${n(l.missed)} found none (${pct(l.missed, l.rows)})`
      );
      for (const m of r.misses.filter((m) => m.user === l.user && m.field === l.field).slice(0, 3))
        lines.push(
          `      e.g. ${m.file} row ${m.row}: no ${r.name} row has ${r.key} ${m.key ?? "(empty)"}`
        );
    }
  }
  if (report.identity) {
    const {ids, persons, merged, byRule} = report.identity;
    lines.push(
      "",
      `Identities: ${n(ids)} customer ids → ${n(persons)} persons (${n(merged)} merged${byRule.length ? `: ${byRule.map((r) => `${n(r.ids)} by ${r.rule}`).join(", ")}` : ""})`
    );
  }
  if (report.filled.length > 0) {
    lines.push("", "Values filled or standardised (marked as derived)");
    for (const f of report.filled)
      lines.push(`  ${n(f.rows).padStart(9)}  ${f.table}.${f.field} (${f.method})`);
  }
  if (report.issues.length > 0) {
    lines.push("", "Values cleared by standardisation");
    for (const i of report.issues)
      lines.push(`  ${n(i.rows).padStart(9)}  ${i.table}.${i.field}: ${i.reason}`);
  }
  lines.push("", "Coverage (share of rows with a value)");
  for (const table of [...new Set(report.coverage.map((c) => c.table))]) {
    const fields = report.coverage.filter((c) => c.table === table);
    lines.push(
      `  ${table}: ${fields.map((f) => `${f.field} ${formatShare(f.rows ? f.present / f.rows : 0)}`).join(", ")}`
    );
  }
  return lines.join("\n");
}
