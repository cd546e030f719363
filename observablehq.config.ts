// Observable Framework configuration for the Portrait report site.
// Builds are offline and deterministic: no web font, no dated footer, DuckDB-Wasm without
// downloadable extensions (data reaches the browser as Arrow).
import {outputDir, storePath} from "./loaders/core/paths.ts";
import {navigation, readCustomerLevel, readProfileEntries} from "./loaders/site/navigation.ts";

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#4269d0"/><circle cx="16" cy="12.5" r="5.5" fill="#fff"/><path d="M6.5 27c1.6-5.6 5.2-8.5 9.5-8.5s7.9 2.9 9.5 8.5" fill="#fff"/></svg>`;

const SKIP_LINK = `<script>addEventListener("DOMContentLoaded", () => { const a = document.createElement("a"); a.href = "#observablehq-main"; a.className = "skip-link"; a.textContent = "Skip to content"; document.body.prepend(a); });</script>`;

// Charts and tables, whenever a page draws them: Plot names each mark's <g> after its type
// ("bar", "rule"), a label no role allows, so it moves to data-mark; a chart becomes one
// focusable image, named by its aria-label (and aria-description), that the keyboard reaches;
// the titles of its marks (what a pointer shows) are listed in a <details> at the foot of its
// <figure>, the keyboard's route to the values (up to 200 distinct ones); a scrolling table is
// focusable, so the keyboard can scroll it.
const FIGURES = `<script>{
const mend = (root) => {
  for (const svg of root.querySelectorAll('svg[class^="plot-"]')) {
    for (const mark of svg.querySelectorAll("[aria-label]:not([role]):not([tabindex])")) {
      mark.setAttribute("data-mark", mark.getAttribute("aria-label"));
      mark.removeAttribute("aria-label");
    }
    if (!svg.hasAttribute("aria-label") || svg.hasAttribute("role") || svg.querySelector("a, [tabindex]")) continue;
    svg.setAttribute("role", "img");
    svg.setAttribute("tabindex", "0");
    const titles = [...new Set(Array.from(svg.querySelectorAll("title"), (t) => t.textContent.trim()).filter(Boolean))];
    const figure = svg.closest("figure");
    if (!figure || titles.length === 0 || titles.length > 200 || (figure.closest(".card") ?? figure).querySelector(".chart-values")) continue;
    const details = document.createElement("details");
    details.className = "chart-values no-print";
    const summary = details.appendChild(document.createElement("summary"));
    summary.textContent = "The values in this chart";
    const list = details.appendChild(document.createElement("ul"));
    for (const title of titles) list.appendChild(document.createElement("li")).textContent = title.replace(/\\n/g, "; ");
    figure.append(details);
  }
  for (const table of root.querySelectorAll('form[class$="-table"]:not([tabindex])')) table.setAttribute("tabindex", "0");
  // Inputs.table's first column holds the row checkboxes; with none, its header is a blank spacer, not a header.
  for (const th of root.querySelectorAll('form[class$="-table"] thead th:first-child:not([role])')) if (!th.textContent.trim() && !th.querySelector("input")) th.setAttribute("role", "cell");
};
new MutationObserver((records) => {
  for (const r of records) for (const n of r.addedNodes) if (n.nodeType === 1) mend(n.parentElement ?? n);
}).observe(document, {childList: true, subtree: true});
}</script>`;

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
  // An inline icon (no favicon request, no file to serve), a skip link, the first thing a
  // keyboard reaches, past the sidebar to the page's content, and accessible charts.
  head: `<link rel="icon" href="data:image/svg+xml,${encodeURIComponent(ICON)}">${SKIP_LINK}${FIGURES}`,
  footer: "Portrait: customer profiles built from your own data.",
  pager: false,
  search: false,
  duckdb: {extensions: {json: null, parquet: null}},
  dynamicPaths: profiles.map((p) => `/profiles/${p.id}`),
  pages: navigation(profiles, {customerLevel})
};
