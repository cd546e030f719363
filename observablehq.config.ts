// Observable Framework configuration for the Portrait report site.
// Builds are offline and deterministic: no web font, no dated footer, DuckDB-Wasm without
// downloadable extensions (data reaches the browser as Arrow).
import {outputDir, storePath} from "./loaders/core/paths.ts";
import {navigation, readCustomerLevel, readProfileEntries} from "./loaders/site/navigation.ts";

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#4269d0"/><circle cx="16" cy="12.5" r="5.5" fill="#fff"/><path d="M6.5 27c1.6-5.6 5.2-8.5 9.5-8.5s7.9 2.9 9.5 8.5" fill="#fff"/></svg>`;

const SKIP_LINK = `<script>addEventListener("DOMContentLoaded", () => { const a = document.createElement("a"); a.href = "#observablehq-main"; a.className = "skip-link"; a.textContent = "Skip to content"; document.body.prepend(a); });</script>`;

// One report page per profile, /profiles/<id>: the ids come from the store the engine built.
const profiles = await readProfileEntries(storePath());
const customerLevel = await readCustomerLevel(storePath());
// The customer card page fetches one shard of cards at run time. `npm run build` writes the
// shards itself after Framework, in a few passes (a million customers make 512 of them, too
// many to run a loader for each); the preview server runs src/data/cards/[shard].json.ts.

export default {
  title: "Portrait",
  root: "src",
  output: outputDir(),
  style: "style.css",
  globalStylesheets: [],
  // An inline icon (no favicon request, no file to serve) and a skip link, the first thing a
  // keyboard reaches, past the sidebar to the page's content.
  head: `<link rel="icon" href="data:image/svg+xml,${encodeURIComponent(ICON)}">${SKIP_LINK}`,
  footer: "Portrait: customer profiles built from your own data.",
  pager: false,
  search: false,
  duckdb: {extensions: {json: null, parquet: null}},
  dynamicPaths: profiles.map((p) => `/profiles/${p.id}`),
  pages: navigation(profiles, {customerLevel})
};
