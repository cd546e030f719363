/**
 * The site's shape, read from the store: the profile ids behind the `/profiles/<id>` routes and
 * the navigation. Both `observablehq.config.ts` and the page loaders take the ids from here.
 */
import {existsSync} from "node:fs";
import {withStore, type Store} from "./store.ts";

export type ProfileEntry = {
  id: string;
  name: string;
};

/** The profiles of the build, in id order (p1, p2, … p10): the ids the report routes use. */
export async function profileEntries(store: Store): Promise<ProfileEntry[]> {
  if (!(await store.has("profiles"))) return [];
  return store.all<ProfileEntry>(
    `SELECT profile_id AS id, name FROM profiles
     ORDER BY TRY_CAST(substr(profile_id, 2) AS INTEGER), profile_id`
  );
}

/** The profile entries of the store at path; none when the engine has not built it yet. */
export async function readProfileEntries(path: string): Promise<ProfileEntry[]> {
  return existsSync(path) ? withStore(path, profileEntries) : [];
}

/** Fails with a clear message when id is not a profile of this build. */
export async function requireProfile(store: Store, id: string | undefined): Promise<string> {
  const ids = (await profileEntries(store)).map((p) => p.id);
  if (id === undefined || !ids.includes(id))
    throw new Error(
      `no profile ${JSON.stringify(id)} in this build: the profiles are ${ids.join(", ") || "none"}`
    );
  return id;
}
