/**
 * Every profile of the build as one document: facts, brief for agents, quality, distinguishing
 * traits, narrative and the analysts' notes. The profiles page, the overview and the reports
 * read it, and exports/profiles.json publishes it.
 */
import {readSuppression} from "../profile/risk-suppression.ts";
import {byProfileId, sql} from "../core/sql.ts";
import type {Row, Store} from "../core/store.ts";
import {profileBrief, SECTIONS, SECTION_TITLES} from "../profile/narrative.ts";
import {profileOutcomesQuery} from "../profile/outcomes.ts";
import type {
  OutcomeRate,
  Profile,
  ProfilesDocument,
  ProfileTrait
} from "../../src/contracts/profiles.ts";

/** Each profile's brief for support agents: its summary and first "how to serve" sentence. */
export async function profileBriefs(store: Store): Promise<Map<string, string>> {
  const rows = await store.all<{profile_id: string; summary: string | null; serve: string | null}>(
    sql`SELECT p.profile_id, p.summary,
       (SELECT s.text FROM profile_sentences s
        WHERE s.profile_id = p.profile_id AND s.section = 'serve'
        ORDER BY s.position LIMIT 1) AS serve
     FROM profiles p ORDER BY p.profile_id`
  );
  return new Map(rows.map((r) => [r.profile_id, profileBrief(r.summary ?? "", r.serve)]));
}

/** A row of the profiles table (loaders/profile/documents.ts). */
type ProfileRow = Omit<Profile, "id" | "brief" | "quality" | "traits" | "narrative" | "notes"> &
  Profile["quality"] & {profile_id: string; notes: string | null};

/** Every profile with its facts, brief, quality, distinguishing traits, narrative and notes. */
export async function profilesDocument(store: Store): Promise<ProfilesDocument> {
  if (!(await store.has("profiles"))) return {as_of: null, k: 0, silhouette: null, profiles: []};
  const meta = await store.one<{as_of: string}>(
    sql`SELECT strftime(as_of, '%Y-%m-%d') AS as_of FROM overview_as_of`
  );
  const run = await store.one<{k: number; silhouette: number}>(
    sql`SELECT k, silhouette FROM clustering_runs WHERE chosen`
  );
  const profiles = await store.all<ProfileRow>(
    sql`SELECT * FROM profiles ORDER BY ${byProfileId()}`
  );
  const traits = await store.all<ProfileTrait & {profile_id: string} & Row>(
    sql`SELECT profile_id, feature, level, dimension, label, unit, profile_value, base_value, lift,
       effect, effect_low, effect_high, coverage, rank
     FROM profile_traits WHERE distinguishing
     ORDER BY ${byProfileId()}, rank`
  );
  const sentences = await store.all<{profile_id: string; section: string; text: string}>(
    sql`SELECT profile_id, section, text FROM profile_sentences ORDER BY profile_id, section, position`
  );
  const briefs = await profileBriefs(store);
  const outcomes = (await store.has("outcome_rates"))
    ? await store.all<OutcomeRate & {profile_id: string} & Row>(profileOutcomesQuery())
    : [];
  return {
    as_of: meta?.as_of ?? null,
    k: run?.k ?? profiles.length,
    silhouette: run?.silhouette ?? null,
    profiles: profiles.map((p): Profile => {
      const id = p.profile_id;
      return {
        id,
        name: p.name,
        generated_name: p.generated_name,
        summary: p.summary,
        brief: briefs.get(id) ?? "",
        customers: p.customers,
        share: p.share,
        revenue_share: p.revenue_share,
        value_12m: p.value_12m,
        p_alive: p.p_alive,
        at_risk_share: p.at_risk_share,
        at_risk_suppressed: readSuppression(p.at_risk_suppressed as string | null),
        quality: {silhouette: p.silhouette, stability: p.stability},
        traits: traits.filter((t) => t.profile_id === id).map(({profile_id: _, ...t}) => t),
        narrative: SECTIONS.map((section) => ({
          section,
          title: SECTION_TITLES[section],
          sentences: sentences
            .filter((s) => s.profile_id === id && s.section === section)
            .map((s) => s.text)
        })),
        notes: JSON.parse(p.notes ?? "[]") as string[],
        outcomes: outcomes
          .filter((o) => o.profile_id === id)
          .map((o) => ({
            outcome: o.outcome,
            label: o.label,
            kind: o.kind,
            customers: o.customers,
            rate: o.rate,
            low: o.low,
            high: o.high,
            base_rate: o.base_rate,
            lift: o.lift
          }))
      };
    })
  };
}
