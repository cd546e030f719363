/**
 * A SQL editor over data in the browser: a query box, a Run button (Ctrl+Enter or ⌘+Enter in the
 * box), a status line and the result. The database opens on the first run only, so a page that
 * offers SQL never downloads DuckDB-Wasm for a reader who does not ask; a failed opening is
 * tried again on the next run.
 */
import {builder, type Child} from "./dom.js";

/** What the console needs of a database: DuckDBClient's query. */
export interface Queryable {
  query(sql: string): Promise<Iterable<{toJSON(): Record<string, unknown>}>>;
}

export interface SqlConsoleOptions {
  /** The query the box starts with. */
  query: string;
  /** What the box is for, for screen readers ("SQL query over the customers table"). */
  label: string;
  /** The status before the first run: what running will load. */
  note: string;
  /** Opens the database; called once, on the first run. */
  connect: () => Promise<Queryable>;
  /** Draws a result's rows (the page passes Inputs.table). */
  table: (rows: Record<string, unknown>[]) => Node;
  /** Shown between the Run bar and the result (a list of columns, say). */
  extra?: Child;
  rows?: number;
  document?: Document;
}

const count = new Intl.NumberFormat("en-US");

/** The console as one element; ids sql-query, sql-run, sql-status, sql-output, sql-error. */
export function sqlConsole(o: SqlConsoleOptions): HTMLElement {
  const document = o.document ?? globalThis.document;
  const h = builder(document);
  const box = h(
    "textarea",
    {
      id: "sql-query",
      class: "sql-query",
      rows: String(o.rows ?? 9),
      spellcheck: "false",
      "aria-label": o.label
    },
    o.query
  ) as HTMLTextAreaElement;
  const run = h("button", {type: "button", id: "sql-run"}, "Run") as HTMLButtonElement;
  const status = h(
    "span",
    {id: "sql-status", class: "muted", role: "status", "aria-live": "polite"},
    o.note
  );
  const output = h("div", {id: "sql-output"});
  let database: Promise<Queryable> | null = null;

  async function execute(): Promise<void> {
    run.disabled = true;
    try {
      if (database === null) {
        status.textContent = "Loading DuckDB…";
        database = o.connect();
      }
      const db = await database;
      status.textContent = "Running…";
      const start = performance.now();
      const result = await db.query(box.value);
      const ms = performance.now() - start;
      const rows = Array.from(result, (row) => row.toJSON());
      status.textContent = `${count.format(rows.length)} ${rows.length === 1 ? "row" : "rows"} in ${ms < 10 ? ms.toFixed(1) : count.format(Math.round(ms))} ms`;
      output.replaceChildren(
        rows.length ? o.table(rows) : h("p", {class: "notice"}, "The query returned no rows.")
      );
    } catch (error) {
      if (
        database !== null &&
        !(await database.then(
          () => true,
          () => false
        ))
      )
        database = null;
      status.textContent = "The query failed.";
      output.replaceChildren(
        h(
          "div",
          {class: "sql-error", id: "sql-error", role: "alert"},
          h("strong", {}, "DuckDB says:"),
          " ",
          h("pre", {}, error instanceof Error ? error.message : String(error))
        )
      );
    } finally {
      run.disabled = false;
    }
  }

  run.addEventListener("click", () => void execute());
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void execute();
    }
  });
  return h(
    "div",
    {class: "sql-console"},
    box,
    h(
      "div",
      {class: "sql-bar"},
      run,
      " ",
      h("kbd", {}, "Ctrl"),
      "+",
      h("kbd", {}, "Enter"),
      " ",
      status
    ),
    o.extra,
    output
  );
}
