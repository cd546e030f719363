/**
 * One profile's report page: everything `/profiles/<id>` shows, read from the store.
 */
import {profilesDocument} from "./exports.ts";
import {requireProfile} from "./site.ts";
import type {Store} from "./store.ts";

/** The report of profile id. */
export async function profileReport(
  store: Store,
  id: string | undefined
): Promise<Record<string, unknown>> {
  const profileId = await requireProfile(store, id);
  const doc = await profilesDocument(store);
  const profiles = doc.profiles as {id: string}[];
  return {as_of: doc.as_of, profile: profiles.find((p) => p.id === profileId)};
}
