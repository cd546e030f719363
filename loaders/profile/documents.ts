/**
 * The profile documents: each profile's facts (size, revenue, value, risk, quality), its name
 * (generated from its traits unless the analysts' notes give one), its narrative and notes.
 *
 * Tables: profiles (one row per profile; notes as a JSON array of strings), profile_sentences
 * (the narrative, section by section).
 */
import type {CatalogEntry} from "./features.ts";
import {describeProfile, SECTIONS, type ProfileDocument, type ProfileFacts} from "./narrative.ts";
import {profileName, readsAsWords, stableName, type Phrases, type Relatedness} from "./names.ts";
import type {ProfileNote} from "../config/notes.ts";
import type {Store} from "../core/store.ts";
import {ident, join, sql, valueList} from "../core/sql.ts";
import {transformed} from "./matrix.ts";
import type {Trait} from "./traits.ts";
import {fewAtRisk} from "../../src/contracts/risk.ts";
import {storedSuppression, suppressRisk} from "./risk-suppression.ts";

export interface Profile extends ProfileFacts {
  name: string;
  generatedName: string;
  /** The name the build keeps: the previous build's when the profile matched one, else generated. */
  stableName: string;
  summary: string;
  notes: string[];
  document: ProfileDocument;
}

const byProfileNumber = (a: string, b: string) => Number(a.slice(1)) - Number(b.slice(1));

/**
 * The whole base's value figures, the one base every page compares a profile with: expected
 * value and P(alive) over the customers with a value, the at-risk share over those assessed
 * (and how many customers are at risk, and in all, to suppress a share of a few: fewAtRisk).
 */
export async function baseValue(store: Store): Promise<
  | {
      value12m: number | null;
      p_alive: number | null;
      at_risk: number | null;
      at_risk_customers: number;
      customers: number;
    }
  | undefined
> {
  return store.one(
    sql`SELECT avg(v.expected_value_12m) AS value12m, avg(v.p_alive) AS p_alive,
          avg(v.at_risk::DOUBLE) AS at_risk,
          count(*) FILTER (WHERE v.at_risk)::INTEGER AS at_risk_customers,
          count(*)::INTEGER AS customers
        FROM customer_profiles p JOIN customer_value v USING (customer_id)`
  );
}

/**
 * The facts of every profile, from the clustering, the features and the customer values; an
 * at-risk share of 1 to minGroupSize − 1 customers at risk is left out (atRiskSuppressed).
 */
export async function profileFacts(
  store: Store,
  catalog: CatalogEntry[],
  minGroupSize: number
): Promise<ProfileFacts[]> {
  const hasSpend = catalog.some((f) => f.id === "spend_12m" && f.measured);
  const hasValue = await store.has("customer_value");
  const rows = await store.all<{
    profile_id: string;
    customers: number;
    share: number;
    silhouette: number | null;
    stability: number | null;
    revenue: number | null;
    value12m: number | null;
    p_alive: number | null;
    at_risk: number | null;
    at_risk_customers: number | null;
  }>(
    sql`SELECT q.profile_id, q.customers, q.share, q.silhouette, q.stability,
          ${hasSpend ? sql`s.revenue` : sql`NULL::DOUBLE AS revenue`},
          ${hasValue ? sql`v.value12m, v.p_alive, v.at_risk, v.at_risk_customers` : sql`NULL::DOUBLE AS value12m, NULL::DOUBLE AS p_alive, NULL::DOUBLE AS at_risk, NULL::INTEGER AS at_risk_customers`}
        FROM cluster_quality q
        ${hasSpend ? sql`LEFT JOIN (SELECT p.profile_id, sum(f.spend_12m) AS revenue FROM customer_profiles p JOIN features f USING (customer_id) GROUP BY 1) s USING (profile_id)` : sql``}
        ${
          hasValue
            ? sql`LEFT JOIN (SELECT p.profile_id, avg(v.expected_value_12m) AS value12m, avg(v.p_alive) AS p_alive,
                   avg(v.at_risk::DOUBLE) AS at_risk,
                   count(*) FILTER (WHERE v.at_risk)::INTEGER AS at_risk_customers
                 FROM customer_profiles p JOIN customer_value v USING (customer_id) GROUP BY 1) v USING (profile_id)`
            : sql``
        }
        ORDER BY q.profile_id`
  );
  const base = hasValue ? await baseValue(store) : undefined;
  const revenue = rows.reduce((sum, r) => sum + (r.revenue ?? 0), 0);
  const shown = suppressRisk(
    rows.map((r) => ({
      atRisk: r.at_risk === null ? null : r.at_risk_customers,
      customers: r.customers
    })),
    minGroupSize
  );
  const baseFew =
    base?.at_risk != null && fewAtRisk(base.at_risk_customers, base.customers, minGroupSize);
  return rows
    .map((r, i) => ({
      id: r.profile_id,
      customers: r.customers,
      share: r.share,
      revenueShare: hasSpend && revenue > 0 ? (r.revenue ?? 0) / revenue : null,
      value12m: r.value12m,
      baseValue12m: base?.value12m ?? null,
      pAlive: r.p_alive,
      basePAlive: base?.p_alive ?? null,
      atRiskShare: shown.profiles[i] ? null : r.at_risk,
      atRiskSuppressed: shown.profiles[i],
      baseAtRiskShare: baseFew ? null : (base?.at_risk ?? null),
      baseAtRiskSuppressed: baseFew,
      silhouette: r.silhouette,
      stability: r.stability
    }))
    .sort((a, b) => byProfileNumber(a.id, b.id));
}

/** The strongest distinguishing number traits a profile could be named after, per profile. */
const NAMING_TRAITS = 8;

/**
 * How alike the features are that could name a profile: |correlation| across the base on the
 * clustering's scale (log1p for skewed amounts), for the number features among each profile's
 * strongest distinguishing traits. One query; other pairs read as unrelated.
 */
async function relatedness(
  store: Store,
  catalog: CatalogEntry[],
  traits: Trait[]
): Promise<Relatedness> {
  const numbers = new Map(
    catalog.filter((f) => f.measured && f.kind === "number").map((f) => [f.id, f])
  );
  const ids = [
    ...new Set(
      traits
        .filter((t) => t.distinguishing && t.level === null && t.rank !== null)
        .filter((t) => t.rank! <= NAMING_TRAITS && numbers.has(t.feature))
        .map((t) => t.feature)
    )
  ].sort();
  const pairs = ids.flatMap((a, i) => ids.slice(i + 1).map((b) => [a, b] as const));
  if (pairs.length === 0) return () => 0;
  const x = (id: string) => transformed(id, numbers.get(id)!.transform);
  const row = await store.one<Record<string, number | null>>(
    sql`SELECT ${join(pairs.map(([a, b], i) => sql`corr(${x(a)}, ${x(b)}) AS ${ident(`r${i}`)}`))} FROM features`
  );
  const table = new Map<string, number>();
  pairs.forEach(([a, b], i) => {
    const r = Number(row?.[`r${i}`]);
    if (Number.isFinite(r)) table.set(`${a}|${b}`, Math.abs(r));
  });
  return (a, b) => table.get(a < b ? `${a}|${b}` : `${b}|${a}`) ?? 0;
}

/** Builds every profile's document and writes `profiles` and `profile_sentences`. */
export async function buildProfiles(
  store: Store,
  catalog: CatalogEntry[],
  traits: Trait[],
  notes: Map<string, ProfileNote>,
  log: (line: string) => void = () => {},
  kept: Map<string, string> = new Map(),
  currency: string | null = null,
  minGroupSize = 10
): Promise<Profile[]> {
  const facts = await profileFacts(store, catalog, minGroupSize);
  const phrases = new Map<string, Phrases>(
    catalog.map((f) => [f.id, {high: f.high, low: f.low, describeOnly: f.describeOnly}])
  );
  const related = await relatedness(store, catalog, traits);
  const measuredDimensions = new Set(catalog.filter((f) => f.measured).map((f) => f.dimension));
  for (const id of notes.keys()) {
    if (!facts.some((f) => f.id === id)) {
      log(
        `notes: no profile ${id} in this build (profiles are ${facts.map((f) => f.id).join(", ")}); its note is not shown`
      );
    }
  }
  const taken = new Set<string>([...notes.values()].flatMap((n) => (n.name ? [n.name] : [])));
  const profiles: Profile[] = [];
  for (const f of facts) {
    const own = traits.filter((t) => t.profile_id === f.id);
    // other profiles' kept names are taken too; its own is not, so it generates the same name
    const others = [...kept].filter(([id]) => id !== f.id).map(([, name]) => name);
    const generatedName = profileName(own, phrases, new Set([...taken, ...others]), related);
    taken.add(generatedName);
    const note = notes.get(f.id);
    // a profile that matched the previous build keeps its name (names.ts, stableName)
    const previous = kept.get(f.id);
    if (previous !== undefined && !readsAsWords(previous))
      log(`${f.id}: the kept name "${previous}" does not read as words; named "${generatedName}"`);
    const keptName = stableName(previous, generatedName);
    const name = note?.name ?? keptName;
    const document = describeProfile(f, own, {name, measuredDimensions, currency, minGroupSize});
    profiles.push({
      ...f,
      name,
      generatedName,
      stableName: keptName,
      summary: document.summary,
      notes: note?.notes ?? [],
      document
    });
  }
  await storeProfiles(store, profiles);
  return profiles;
}

async function storeProfiles(store: Store, profiles: Profile[]): Promise<void> {
  await store.run(sql`CREATE OR REPLACE TABLE profiles (
    profile_id VARCHAR, name VARCHAR, generated_name VARCHAR, summary VARCHAR, customers INTEGER,
    share DOUBLE, revenue_share DOUBLE, value_12m DOUBLE, p_alive DOUBLE, at_risk_share DOUBLE,
    silhouette DOUBLE, stability DOUBLE, notes VARCHAR, stable_name VARCHAR,
    at_risk_suppressed VARCHAR)`);
  await store.run(sql`CREATE OR REPLACE TABLE profile_sentences (
    profile_id VARCHAR, section VARCHAR, position INTEGER, text VARCHAR, feature VARCHAR, level VARCHAR)`);
  for (const p of profiles) {
    await store.run(
      sql`INSERT INTO profiles VALUES (${valueList([
        p.id,
        p.name,
        p.generatedName,
        p.summary,
        p.customers,
        p.share,
        p.revenueShare,
        p.value12m,
        p.pAlive,
        p.atRiskShare,
        p.silhouette,
        p.stability,
        JSON.stringify(p.notes),
        p.stableName,
        storedSuppression(p.atRiskSuppressed)
      ])})`
    );
    for (const section of SECTIONS) {
      for (const [position, s] of p.document.sections[section].entries()) {
        await store.run(
          sql`INSERT INTO profile_sentences VALUES (${valueList([
            p.id,
            section,
            position,
            s.text,
            s.feature,
            s.level
          ])})`
        );
      }
    }
  }
}
