/**
 * Stable profile identities across rebuilds. Each build's profiles are matched to the previous
 * build's by an optimal assignment on centroid distance (the Hungarian method), with the old
 * centroids moved into this build's clustering space, so ids, names and the analysts' notes
 * survive new data. A profile too far from every old one is new, or split from the old profile
 * it is nearest to; an old profile left without a match vanished, or merged into the one it is
 * nearest to. Ids are never reused: the state file keeps the next free number.
 */
import {existsSync} from "node:fs";
import {readFile, writeFile} from "node:fs/promises";
import {z} from "zod";
import type {Store} from "../core/store.ts";
import {byProfileId, ident, sql, valueList, type SQL} from "../core/sql.ts";

/**
 * A clustering column (of `cluster_columns` under the alias given) by what it measures (the
 * feature, or feature=level for a category's level), not by its position: the columns of two
 * builds line up even when features come or go.
 */
export function columnKey(table: SQL): SQL {
  return sql`CASE WHEN ${table}.level IS NULL THEN ${table}.feature ELSE ${table}.feature || '=' || ${table}.level END`;
}

/** A profile's centre in the units of the clustering columns before standardising. */
export interface Centroid {
  id: string;
  /** Column name → value, transformed (log where the column is) but not centred or scaled. */
  values: Record<string, number>;
}

/** How one column of this build's clustering space is standardised. */
export interface ColumnScale {
  column: string;
  center: number;
  scale: number;
  weight: number;
}

export type MatchStatus = "matched" | "new" | "split" | "vanished" | "merged";

export interface Match {
  /** The profile's id in this build; for a vanished or merged profile, its old id. */
  id: string;
  /** The id this build's clustering gave it (p1 … by size); null for an old profile. */
  fitted_id: string | null;
  previous_id: string | null;
  status: MatchStatus;
  /** Distance to the matched or nearest profile in this build's clustering space. */
  distance: number | null;
  /** The distance under which two profiles count as the same. */
  threshold: number;
  /** For split: the old profile it split from; for merged: the profile it merged into. */
  related_id: string | null;
}

/** Optimal assignment for a cost matrix (rows × columns): for each row its column, or -1. */
export function hungarian(cost: number[][]): number[] {
  const rows = cost.length;
  const cols = rows === 0 ? 0 : cost[0].length;
  if (rows === 0 || cols === 0) return Array(rows).fill(-1);
  const n = Math.max(rows, cols);
  const big = Math.max(1, ...cost.flat().map(Math.abs)) * n * 10;
  const a = (i: number, j: number) => (i < rows && j < cols ? cost[i][j] : big);
  // Jonker-Volgenant style potentials, 1-based as in the classic formulation.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1);
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(Infinity);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = a(i0 - 1, j - 1) - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const result: number[] = Array(rows).fill(-1);
  for (let j = 1; j <= n; j++) if (p[j] - 1 < rows && j - 1 < cols) result[p[j] - 1] = j - 1;
  return result;
}

/** A centroid in this build's standardised, weighted space, on the columns both builds have. */
function standardise(c: Centroid, scales: ColumnScale[]): (number | null)[] {
  return scales.map((s) => {
    const x = c.values[s.column];
    return x === undefined || !Number.isFinite(x) ? null : ((x - s.center) / s.scale) * s.weight;
  });
}

function distance(a: (number | null)[], b: (number | null)[]): number {
  let sum = 0;
  let shared = 0;
  for (let j = 0; j < a.length; j++) {
    if (a[j] === null || b[j] === null) continue;
    sum += (a[j]! - b[j]!) ** 2;
    shared++;
  }
  // on fewer shared columns, scale up as the partial distances of the clustering do
  return shared === 0 ? Infinity : Math.sqrt((sum * a.length) / shared);
}

const idNumber = (id: string) => Number(id.replace(/^\D+/, "")) || 0;

/**
 * Matches this build's profiles (ids as fitted, p1 … by size) to the previous build's. Two
 * profiles are the same when the assignment pairs them and they are closer than `threshold` ×
 * the median distance between the previous build's profiles. New profiles get ids from nextId.
 */
export function matchProfiles(
  current: Centroid[],
  previous: Centroid[],
  scales: ColumnScale[],
  {threshold = 0.5, nextId}: {threshold?: number; nextId: number}
): {matches: Match[]; nextId: number} {
  const now = current.map((c) => standardise(c, scales));
  const before = previous.map((c) => standardise(c, scales));
  // "Close" is relative to how far apart the previous build's profiles were (this build's when
  // there was only one): the old profiles are the reference the new ones are placed against.
  const median = (points: (number | null)[][]) => {
    const d: number[] = [];
    for (let i = 0; i < points.length; i++)
      for (let j = i + 1; j < points.length; j++) d.push(distance(points[i], points[j]));
    const finiteD = d.filter(Number.isFinite).sort((x, y) => x - y);
    return finiteD.length ? finiteD[Math.floor((finiteD.length - 1) / 2)] : null;
  };
  const spread = median(before) ?? median(now);
  const limit = spread === null ? Infinity : threshold * spread;
  const cost = now.map((x) => before.map((y) => distance(x, y)));
  const finite = (d: number) => (Number.isFinite(d) ? d : 1e12);
  const assigned = hungarian(cost.map((row) => row.map(finite)));
  const matches: Match[] = [];
  const taken = new Set<number>();
  let next = nextId;
  const nearest = (row: number[]) => row.reduce((best, d, j) => (d < row[best] ? j : best), 0);
  current.forEach((c, i) => {
    const j = assigned[i];
    if (j >= 0 && cost[i][j] <= limit) {
      taken.add(j);
      matches.push({
        id: previous[j].id,
        fitted_id: c.id,
        previous_id: previous[j].id,
        status: "matched",
        distance: cost[i][j],
        threshold: limit,
        related_id: null
      });
    }
  });
  current.forEach((c, i) => {
    if (matches.some((m) => m.fitted_id === c.id)) return;
    const j = previous.length ? nearest(cost[i]) : -1;
    const split = j >= 0 && cost[i][j] <= limit && taken.has(j);
    matches.push({
      id: `p${next++}`,
      fitted_id: c.id,
      previous_id: null,
      status: split ? "split" : "new",
      distance: j >= 0 && Number.isFinite(cost[i][j]) ? cost[i][j] : null,
      threshold: limit,
      related_id: split ? previous[j].id : null
    });
  });
  previous.forEach((old, j) => {
    if (taken.has(j)) return;
    const column = cost.map((row) => row[j]);
    const i = column.length ? nearest(column) : -1;
    const merged = i >= 0 && column[i] <= limit;
    const into = merged ? matches.find((m) => m.fitted_id === current[i].id)!.id : null;
    matches.push({
      id: old.id,
      fitted_id: null,
      previous_id: old.id,
      status: merged ? "merged" : "vanished",
      distance: i >= 0 && Number.isFinite(column[i]) ? column[i] : null,
      threshold: limit,
      related_id: into
    });
  });
  return {matches, nextId: next};
}

const stateSchema = z.object({
  version: z.literal(1),
  as_of: z.string().nullable(),
  next_id: z.number().int().min(1),
  profiles: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      customers: z.number().int(),
      centroid: z.record(z.string(), z.number())
    })
  )
});

/** The state kept next to the config between builds: the profiles' ids, names and centres. */
export type IdentityState = z.infer<typeof stateSchema>;

/** Reads the state file; undefined when there is none yet. */
export async function readState(path: string): Promise<IdentityState | undefined> {
  if (!existsSync(path)) return undefined;
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === "EISDIR"
        ? `${path}: the profiles' state file (profiles.state in the config) is a directory, not a file; move it away, or set profiles.state to a file path`
        : `${path}: the profiles' state file (profiles.state in the config) cannot be read (${code ?? (error as Error).message}); check its permissions, or set profiles.state to another file`
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `${path}: not valid JSON (${(error as Error).message}); restore it from version control or delete it to number the profiles afresh`
    );
  }
  const parsed = stateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${path}: ${issue.path.join(".") || "the file"}: ${issue.message}; restore it from version control or delete it to number the profiles afresh`
    );
  }
  return parsed.data;
}

/**
 * The state a store's build would keep (build_meta.state, written by the engine), parsed; undefined
 * when the store has none (it built no profiles, or an older engine wrote it). The file is
 * written from it once the site built from the store is published (publish/published-store.ts).
 */
export async function storedState(store: Store): Promise<IdentityState | undefined> {
  if (!(await store.has("build_meta"))) return undefined;
  if (!(await store.tableColumns("build_meta")).has("state")) return undefined;
  const row = await store.one<{state: string | null}>(sql`SELECT state FROM build_meta`);
  if (!row?.state) return undefined;
  return stateSchema.parse(JSON.parse(row.state));
}

/** Writes the state file: sorted, rounded, one profile per block, so its diffs read well. */
export async function writeState(path: string, state: IdentityState): Promise<void> {
  const round = (x: number) => Number(x.toPrecision(8));
  const profiles = [...state.profiles]
    .sort((a, b) => idNumber(a.id) - idNumber(b.id) || a.id.localeCompare(b.id))
    .map((p) => ({
      ...p,
      centroid: Object.fromEntries(
        Object.keys(p.centroid)
          .sort()
          .map((k) => [k, round(p.centroid[k])])
      )
    }));
  await writeFile(path, `${JSON.stringify({...state, profiles}, null, 2)}\n`);
}

/** What keepIdentities did: the matches, and the names the profiles keep from the state. */
export interface Identities {
  matches: Match[];
  /** Profile id → the name it had in the previous build (matched profiles only). */
  names: Map<string, string>;
  nextId: number;
}

/**
 * Renames this build's fitted profiles (p1 … by size) to the ids they matched in the state
 * file, in every table the clustering wrote, and records the matches in `profile_matches`.
 */
export async function keepIdentities(
  store: Store,
  state: IdentityState | undefined,
  {threshold}: {threshold: number}
): Promise<Identities> {
  const scales = await store.all<ColumnScale & Record<string, unknown>>(
    sql`SELECT ${columnKey(sql`k`)} AS "column", center, scale, weight FROM cluster_columns k
        WHERE weight <> 0 ORDER BY position`
  );
  const current = await currentCentroids(store);
  const previous = (state?.profiles ?? []).map((p) => ({id: p.id, values: p.centroid}));
  const {matches, nextId} = matchProfiles(current, previous, scales, {
    threshold,
    nextId: state?.next_id ?? 1
  });
  await store.run(sql`CREATE OR REPLACE TABLE profile_matches (
    profile_id VARCHAR, fitted_id VARCHAR, previous_id VARCHAR, status VARCHAR, distance DOUBLE,
    threshold DOUBLE, related_id VARCHAR)`);
  for (const m of matches) {
    const distance = m.distance === null || !Number.isFinite(m.distance) ? null : m.distance;
    const threshold = Number.isFinite(m.threshold) ? m.threshold : null;
    await store.run(
      sql`INSERT INTO profile_matches VALUES (${valueList([
        m.id,
        m.fitted_id,
        m.previous_id,
        m.status,
        distance,
        threshold,
        m.related_id
      ])})`
    );
  }
  for (const table of ["customer_profiles", "profile_centroids", "cluster_quality"])
    await store.run(
      sql`UPDATE ${ident(table)} SET profile_id = m.profile_id FROM profile_matches m
          WHERE m.fitted_id = ${ident(table)}.profile_id`
    );
  const before = new Map((state?.profiles ?? []).map((p) => [p.id, p.name]));
  const names = new Map(
    matches
      .filter((m) => m.status === "matched" && before.has(m.id))
      .map((m) => [m.id, before.get(m.id)!])
  );
  return {matches, names, nextId};
}

/** This build's centroids in the clustering columns' units before centring and scaling. */
export async function currentCentroids(store: Store): Promise<Centroid[]> {
  const rows = await store.all<{profile_id: string; column: string; raw: number}>(
    sql`SELECT c.profile_id, ${columnKey(sql`k`)} AS "column",
          c.value / k.weight * k.scale + k.center AS raw
        FROM profile_centroids c JOIN cluster_columns k USING ("column")
        WHERE k.weight <> 0
        ORDER BY ${byProfileId(sql`c.profile_id`)}, k.position`
  );
  const byId = new Map<string, Record<string, number>>();
  for (const r of rows) {
    if (!byId.has(r.profile_id)) byId.set(r.profile_id, {});
    byId.get(r.profile_id)![r.column] = r.raw;
  }
  return [...byId].map(([id, values]) => ({id, values}));
}

/** The state to keep after this build: every profile's id, stable name, size and centroid. */
export async function stateOf(
  store: Store,
  {asOf, nextId}: {asOf: string | null; nextId: number}
): Promise<IdentityState> {
  const centroids = new Map((await currentCentroids(store)).map((c) => [c.id, c.values]));
  const profiles = await store.all<{id: string; name: string; customers: number}>(
    // the name the build gave (kept or generated), not an analyst's rename from the notes file
    sql`SELECT p.profile_id AS id, p.stable_name AS name, p.customers
        FROM profiles p ORDER BY ${byProfileId(sql`p.profile_id`)}`
  );
  return {
    version: 1,
    as_of: asOf,
    next_id: nextId,
    profiles: profiles.map((p) => ({...p, centroid: centroids.get(p.id) ?? {}}))
  };
}

/** One line for the build log: what happened to a profile that did not simply match. */
export function describeMatch(m: Match): string {
  switch (m.status) {
    case "matched":
      return `${m.id} matched ${m.previous_id}`;
    case "new":
      return `${m.id} is new${m.previous_id === null && m.distance !== null ? " (no previous profile close enough)" : ""}`;
    case "split":
      return `${m.id} is new, split from ${m.related_id}`;
    case "merged":
      return `${m.id} is gone, merged into ${m.related_id}`;
    case "vanished":
      return `${m.id} vanished`;
  }
}
