/**
 * The settings the site's pages read: the slice of the project config that shapes published
 * pages (privacy, churn, history, the explore sample, the clustering settings the Method page
 * explains). The engine records them in the store it builds (build_meta.settings), so every
 * page loader reads them from there: the config is loaded once per build, not once per loader,
 * and a page always describes the store it shows.
 */
import type {Store} from "../core/store.ts";
import {sql} from "../core/sql.ts";
import type {PortraitConfig} from "./project.ts";

/** What the pages read of the config. */
export type PageSettings = Pick<
  PortraitConfig,
  "privacy" | "churn" | "history" | "explore" | "clustering" | "profiles" | "currency"
>;

/** The page settings of a config. */
export function pageSettings(config: PortraitConfig): PageSettings {
  const {privacy, churn, history, explore, clustering, profiles, currency} = config;
  return {privacy, churn, history, explore, clustering, profiles, currency};
}

/** The page settings the store was built with; fails with what to do when it has none. */
export async function readPageSettings(store: Store): Promise<PageSettings> {
  const row = (await store.tableColumns("build_meta")).has("settings")
    ? await store.one<{settings: string | null}>(sql`SELECT settings FROM build_meta`)
    : undefined;
  if (!row?.settings)
    throw new Error(
      `the profile store ${store.path} holds no page settings: it was built by an older Portrait. Run \`npm run build\` (or \`npm run engine\`) to rebuild it.`
    );
  return JSON.parse(row.settings) as PageSettings;
}
