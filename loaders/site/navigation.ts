/**
 * The site's shape, read from the store: the profile ids behind the `/profiles/<id>` routes and
 * the navigation. Both `observablehq.config.ts` and the page loaders take the ids from here.
 */
import {existsSync} from "node:fs";
import {withStore, type Store} from "../core/store.ts";
import {byProfileId, sql} from "../core/sql.ts";
import {CUSTOMER_LEVEL_OUTPUT} from "./published.ts";

export type ProfileEntry = {
  id: string;
  name: string;
};

/** The profiles of the build, in id order (p1, p2, … p10): the ids the report routes use. */
export async function profileEntries(store: Store): Promise<ProfileEntry[]> {
  if (!(await store.has("profiles"))) return [];
  return store.all<ProfileEntry>(
    sql`SELECT profile_id AS id, name FROM profiles
     ORDER BY ${byProfileId()}`
  );
}

/** The profile entries of the store at path; none when the engine has not built it yet. */
export async function readProfileEntries(path: string): Promise<ProfileEntry[]> {
  return existsSync(path) ? withStore(path, profileEntries) : [];
}

/** Whether the build at path publishes customer-level pages (privacy.customerLevel). */
export async function readCustomerLevel(path: string): Promise<boolean> {
  if (!existsSync(path)) return true;
  return withStore(path, async (store) => {
    if (!(await store.has("build_meta"))) return true;
    const row = await store.one<{customer_level: boolean | null}>(
      sql`SELECT customer_level FROM build_meta`
    );
    return row?.customer_level ?? true;
  });
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

export type NavPage = {name: string; path: string};
export type NavSection = {name: string; open?: boolean; pages: NavPage[]};

/** The customer-level pages (published.ts): left out of a build with privacy.customerLevel false. */
export const CUSTOMER_LEVEL_PAGES: readonly NavPage[] = CUSTOMER_LEVEL_OUTPUT.filter(
  (o) => o.kind === "page"
).map((o) => ({name: o.title ?? o.path, path: `/${o.path.slice(0, -".html".length)}`}));

/** The sidebar: overview, every profile's report, the drill-downs, history, the data pages, the method. */
export function navigation(
  profiles: readonly ProfileEntry[],
  {customerLevel}: {customerLevel: boolean}
): (NavPage | NavSection)[] {
  return [
    {name: "Overview", path: "/"},
    {
      name: "Profiles",
      open: true,
      pages: [
        {name: "All profiles", path: "/profiles"},
        ...profiles.map((p) => ({name: p.name, path: `/profiles/${p.id}`}))
      ]
    },
    {name: "Segments and profiles", path: "/segments"},
    {name: "History", path: "/history"},
    ...(customerLevel ? CUSTOMER_LEVEL_PAGES : []),
    {
      name: "Data",
      open: false,
      pages: [
        {name: "Sources", path: "/sources"},
        {name: "Activity explorer", path: "/activity"},
        {name: "Data quality", path: "/quality"}
      ]
    },
    {name: "Method", path: "/method"}
  ];
}
