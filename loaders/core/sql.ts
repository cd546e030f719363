/**
 * SQL built apart from being run, in the manner of Mosaic's `sql` tag: a tagged template whose
 * interpolations are bound as parameters, never spliced into the text.
 *
 *   sql`SELECT * FROM ${ident(table)} WHERE customer_id = ${val(id)} AND orders > ${n}`
 *
 * An interpolation is one of:
 * - another fragment (`sql`…``, `ident`, `raw`, `join`): its text inlined, its values still bound;
 * - a number, boolean, bigint, null or DuckDB value (`listValue(...)`): bound as a parameter;
 * - a string only through `val(s)` (bound) or `ident(s)` (a quoted name): the types refuse a bare
 *   string, so text meant as SQL can never be bound by mistake, nor a value spliced.
 * The store renders a fragment into text with positional parameters ($1, $2, …) and runs it; it
 * runs nothing else.
 */
import type {DuckDBValue} from "@duckdb/node-api";

/** A value bound as a parameter. */
class Bound {
  constructor(readonly value: DuckDBValue) {}
}

type Chunk = string | Bound;

/** What a `sql` template accepts between its strings; see the module doc. */
export type Interpolation = SQL | Bound | Exclude<DuckDBValue, string>;

/** A piece of SQL: text and the values bound into it, rendered by `render`. */
export class SQL {
  /** @internal use `sql`, `ident`, `raw` or `join` */
  constructor(readonly chunks: readonly Chunk[]) {}

  /** The text with positional parameters ($1, $2, …) and the values they bind, in order. */
  render(): {text: string; params: DuckDBValue[]} {
    const params: DuckDBValue[] = [];
    let text = "";
    for (const chunk of this.chunks) {
      if (typeof chunk === "string") text += chunk;
      else {
        params.push(chunk.value);
        text += `$${params.length}`;
      }
    }
    return {text, params};
  }

  /** Whether the fragment has no text at all (an omitted clause). */
  get empty(): boolean {
    return this.chunks.every((c) => c === "");
  }

  /**
   * Fragments compose through `sql`, never through string templates: text built around a
   * fragment would escape the tag (and a value bound into it would be lost), so that fails here.
   */
  toString(): string {
    throw new Error(
      `an SQL fragment was written into a string: compose it with sql\`…\` instead (${this.render().text.slice(0, 80)})`
    );
  }
}

/** The tag: see the module doc. */
export function sql(strings: TemplateStringsArray, ...values: Interpolation[]): SQL {
  const chunks: Chunk[] = [];
  strings.forEach((s, i) => {
    chunks.push(s);
    if (i < values.length) {
      const value = values[i];
      if (value instanceof SQL) chunks.push(...value.chunks);
      else if (value instanceof Bound) chunks.push(value);
      else if (typeof value === "string") throw new Error(stringRefused(strings, i));
      else chunks.push(new Bound(value as DuckDBValue));
    }
  });
  return new SQL(merge(chunks));
}

function stringRefused(strings: TemplateStringsArray, i: number): string {
  return `a string interpolated into sql\`${strings[i].slice(-40)}\${…}${strings[i + 1].slice(0, 40)}\`: wrap it in val() to bind it as a value or ident() to quote it as a name`;
}

/** Adjacent text chunks joined, empty ones dropped: the same SQL, easier to read in errors. */
function merge(chunks: Chunk[]): Chunk[] {
  const out: Chunk[] = [];
  for (const chunk of chunks) {
    const last = out.at(-1);
    if (typeof chunk === "string" && typeof last === "string") out[out.length - 1] = last + chunk;
    else if (chunk !== "") out.push(chunk);
  }
  return out;
}

/** A value bound as a parameter: the way to put a string (or any value) into `sql`. */
export function val(value: DuckDBValue): Bound {
  return new Bound(value);
}

/** A quoted identifier: a table's or a column's name. */
export function ident(name: string): SQL {
  return new SQL([`"${name.replaceAll('"', '""')}"`]);
}

/**
 * SQL text taken as it is: the code's own keywords and expressions, or the SQL the project's
 * config writes on purpose (a column's `sql` mapping). Never data: values go through `val`.
 */
export function raw(text: string): SQL {
  return new SQL([text]);
}

/** Fragments joined by a separator (", " unless given); empty fragments are left out. */
export function join(fragments: readonly SQL[], separator: SQL | string = ", "): SQL {
  const sep = typeof separator === "string" ? [separator] : separator.chunks;
  const chunks: Chunk[] = [];
  fragments
    .filter((f) => !f.empty)
    .forEach((f, i) => {
      if (i > 0) chunks.push(...sep);
      chunks.push(...f.chunks);
    });
  return new SQL(merge(chunks));
}

/**
 * Orders profile ids by their number (p2 before p10): the ORDER BY of every query that lists
 * profiles, on profile_id unless another column is given (`byProfileId(sql\`p.profile_id\`)`).
 */
export function byProfileId(column: SQL = ident("profile_id")): SQL {
  return sql`TRY_CAST(substr(${column}, 2) AS INTEGER), ${column}`;
}

/**
 * A string literal written into the text, quoted: only for the two statements DuckDB cannot
 * prepare, ATTACH (its file name) and CREATE VIEW (a view's definition is stored as text, so a
 * file path it reads is part of it: "This type of statement can't be prepared"). Everywhere else
 * a value is bound with `val`.
 */
export function literal(text: string): SQL {
  return new SQL([`'${text.replaceAll("'", "''")}'`]);
}

/** Values bound one by one and joined by commas: the inside of `VALUES (…)` or `IN (…)`. */
export function valueList(values: readonly DuckDBValue[]): SQL {
  return join(values.map((value) => sql`${val(value)}`));
}
