/**
 * Exports for the tools teams already use (CRM, support desk): one row per customer with their
 * profile, segment, value and risk, and one JSON document with every profile. Both are written
 * from the store, sorted and rounded, so the same store gives the same bytes.
 *
 *   exports/customers.csv   customer_id, profile_id, profile_name, segment, p_alive,
 *                           expected_value_12m, at_risk, preferred_channel
 *   exports/profiles.json   {as_of, k, rule, silhouette, profiles: [{id, name, customers, …}]}
 */
import {mkdir, writeFile} from "node:fs/promises";
import {join} from "node:path";
import {SECTIONS, SECTION_TITLES} from "./narrative.ts";
import type {Store} from "./store.ts";
import {byProfileId} from "./site.ts";

/** Rounds to 6 significant digits, so floating-point noise never reaches an export. */
export function roundNumber(x: number | null): number | null {
  if (x === null || !Number.isFinite(x)) return null;
  return Number(x.toPrecision(6));
}

function roundAll(value: unknown): unknown {
  if (typeof value === "number") return roundNumber(value);
  if (Array.isArray(value)) return value.map(roundAll);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, roundAll(v)]));
  }
  return value;
}

const sqlPath = (path: string) => `'${path.replaceAll("'", "''")}'`; // COPY takes no bound path

/** The segmentation the customer export names: the first of the config's that was built. */
async function exportSegment(store: Store, order: string[]): Promise<string | null> {
  const built = new Set(
    (
      await store.all<{segment: string}>(
        "SELECT DISTINCT segment FROM customer_segments ORDER BY 1"
      )
    ).map((r) => r.segment)
  );
  return order.find((s) => built.has(s)) ?? null;
}

/**
 * Writes exports/customers.csv (unless customer-level output is left out) and
 * exports/profiles.json under dir; returns their paths.
 */
export async function writeExports(
  store: Store,
  dir: string,
  {segments, customerLevel = true}: {segments: string[]; customerLevel?: boolean}
): Promise<string[]> {
  if (!(await store.has("profiles"))) return [];
  const out = join(dir, "exports");
  await mkdir(out, {recursive: true});
  const profiles = join(out, "profiles.json");
  await writeFile(
    profiles,
    `${JSON.stringify(roundAll(await profilesDocument(store)), null, 2)}\n`
  );
  if (!customerLevel) return [profiles];
  const segment = await exportSegment(store, segments);
  const hasValue = await store.has("customer_value");
  const hasPreferred =
    (
      await store.all<{name: string}>(
        "SELECT column_name AS name FROM duckdb_columns() WHERE table_name = 'features' AND column_name = 'preferred_channel'"
      )
    ).length > 0;
  const customers = join(out, "customers.csv");
  await store.run(
    `COPY (
       SELECT p.customer_id, p.profile_id, pr.name AS profile_name, s.value AS segment,
         ${hasValue ? "round(v.p_alive, 4) AS p_alive, round(v.expected_value_12m, 2) AS expected_value_12m, coalesce(v.at_risk, false) AS at_risk" : "NULL::DOUBLE AS p_alive, NULL::DOUBLE AS expected_value_12m, false AS at_risk"},
         ${hasPreferred ? "f.preferred_channel" : "NULL::VARCHAR AS preferred_channel"}
       FROM customer_profiles p
       JOIN profiles pr USING (profile_id)
       LEFT JOIN customer_segments s ON s.customer_id = p.customer_id AND s.segment = ${segment === null ? "NULL" : "$segment"}
       ${hasValue ? "LEFT JOIN customer_value v ON v.customer_id = p.customer_id" : ""}
       LEFT JOIN features f ON f.customer_id = p.customer_id
       ORDER BY p.customer_id
     ) TO ${sqlPath(customers)} (HEADER, DELIMITER ',')`,
    segment === null ? undefined : {segment}
  );
  return [customers, profiles];
}

/** Every profile with its facts, quality, distinguishing traits, narrative and notes. */
export async function profilesDocument(store: Store): Promise<Record<string, unknown>> {
  if (!(await store.has("profiles"))) return {as_of: null, k: 0, silhouette: null, profiles: []};
  const meta = await store.one<{as_of: string}>(
    "SELECT strftime(as_of, '%Y-%m-%d') AS as_of FROM overview_as_of"
  );
  const run = await store.one<{k: number; silhouette: number}>(
    "SELECT k, silhouette FROM clustering_runs WHERE chosen"
  );
  const profiles = await store.all(`SELECT * FROM profiles ORDER BY ${byProfileId()}`);
  const traits = await store.all(
    `SELECT profile_id, feature, level, dimension, label, unit, profile_value, base_value, lift,
       effect, effect_low, effect_high, coverage, rank
     FROM profile_traits WHERE distinguishing
     ORDER BY ${byProfileId()}, rank`
  );
  const sentences = await store.all<{profile_id: string; section: string; text: string}>(
    "SELECT profile_id, section, text FROM profile_sentences ORDER BY profile_id, section, position"
  );
  return {
    as_of: meta?.as_of ?? null,
    k: run?.k ?? profiles.length,
    silhouette: run?.silhouette ?? null,
    profiles: profiles.map((p) => {
      const id = String(p.profile_id);
      return {
        id,
        name: p.name,
        generated_name: p.generated_name,
        summary: p.summary,
        customers: p.customers,
        share: p.share,
        revenue_share: p.revenue_share,
        value_12m: p.value_12m,
        p_alive: p.p_alive,
        at_risk_share: p.at_risk_share,
        quality: {silhouette: p.silhouette, stability: p.stability},
        traits: traits.filter((t) => t.profile_id === id).map(({profile_id: _, ...t}) => t),
        narrative: SECTIONS.map((section) => ({
          section,
          title: SECTION_TITLES[section],
          sentences: sentences
            .filter((s) => s.profile_id === id && s.section === section)
            .map((s) => s.text)
        })),
        notes: JSON.parse(String(p.notes ?? "[]"))
      };
    })
  };
}
