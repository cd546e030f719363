// Observable Framework configuration for the Portrait report site.
// Builds are offline and deterministic: no web font, no dated footer, DuckDB-Wasm without
// downloadable extensions (data reaches the browser as Arrow).
import {outputDir} from "./loaders/paths.ts";

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#4269d0"/><circle cx="16" cy="12.5" r="5.5" fill="#fff"/><path d="M6.5 27c1.6-5.6 5.2-8.5 9.5-8.5s7.9 2.9 9.5 8.5" fill="#fff"/></svg>`;

export default {
  title: "Portrait",
  root: "src",
  output: outputDir(),
  style: "style.css",
  globalStylesheets: [],
  // An inline icon: no favicon request, no file to serve.
  head: `<link rel="icon" href="data:image/svg+xml,${encodeURIComponent(ICON)}">`,
  footer: "Portrait: customer profiles built from your own data.",
  pager: false,
  search: false,
  duckdb: {extensions: {json: null, parquet: null}},
  pages: [
    {name: "Data overview", path: "/"},
    {name: "Profiles", path: "/profiles"},
    {name: "Activity explorer", path: "/activity"},
    {name: "Data quality", path: "/quality"}
  ]
};
