/**
 * The exports (loaders/publish/exports.ts) without a store: the customers' query as text, and
 * the JSON Schemas read as documents. tests/integration/exports.test.ts writes the exports.
 */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {listValue} from "@duckdb/node-api";
import {describe, expect, it} from "vitest";
import {
  CUSTOMER_CSV_COLUMNS,
  customerExportQuery,
  EXPORT_SCHEMAS,
  SCHEMAS_DIR
} from "../../loaders/publish/exports.ts";

const schema = (file: string) => JSON.parse(readFileSync(join(SCHEMAS_DIR, file), "utf8"));

describe("customerExportQuery(source, columns)", () => {
  const source = {
    segment: "country",
    hasValue: true,
    hasPreferred: true,
    briefs: new Map([["p1", "Reach them by 'app'."]])
  };

  it("binds the segment and the profiles' briefs, quotes the columns and sorts by id", () => {
    const {text, params} = customerExportQuery(source, CUSTOMER_CSV_COLUMNS).render();
    expect(params).toEqual([listValue(["p1"]), listValue(["Reach them by 'app'."]), "country"]);
    expect(text).not.toContain("country");
    expect(text).not.toContain("Reach them");
    expect(text).toContain(`SELECT ${CUSTOMER_CSV_COLUMNS.map((c) => `"${c}"`).join(", ")}`);
    expect(text).toMatch(/ORDER BY customer_id$/);
  });

  it("joins no segment, value or channel the store lacks, and binds nothing then", () => {
    const bare = {segment: null, hasValue: false, hasPreferred: false, briefs: new Map()};
    const {text, params} = customerExportQuery(bare, ["customer_id"]).render();
    expect(params).toEqual([]);
    expect(text).toContain("s.segment = NULL");
    expect(text).not.toContain("customer_value");
    expect(text).toContain("NULL::VARCHAR AS preferred_channel");
  });
});

describe("the schemas in schemas/", () => {
  const files = ["customers.v1.json", "profiles.v1.json", "changes.v1.json"];

  it("have an $id, a title, a description and a description on every property", () => {
    const undocumented: string[] = [];
    const visit = (node: unknown, path: string) => {
      if (!node || typeof node !== "object") return;
      for (const [key, child] of Object.entries(node)) {
        if (key === "allOf") continue; // conditions restate properties described above
        if (key === "properties")
          for (const [name, prop] of Object.entries(child as Record<string, object>))
            if (!("description" in prop)) undocumented.push(`${path}/properties/${name}`);
        visit(child, `${path}/${key}`);
      }
    };
    for (const file of files) {
      const s = schema(file);
      expect(s.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
      expect(s.$id).toBe(`urn:portrait:schemas:${file}`);
      expect(s.title).toEqual(expect.any(String));
      expect(s.description).toEqual(expect.any(String));
      visit(s, file);
    }
    expect(undocumented).toEqual([]);
  });

  it("state the version the exports write, in the schema and in schemas/README.md", () => {
    const readme = readFileSync(join(SCHEMAS_DIR, "README.md"), "utf8");
    for (const {file, version} of Object.values(EXPORT_SCHEMAS)) {
      expect(readme).toMatch(
        new RegExp(`\\| \`${file.replaceAll(".", "\\.")}\` \\|.*\\| ${version} \\|`)
      );
      const s = schema(file);
      if (s.properties.schema_version)
        expect(s.properties.schema_version.examples).toEqual([version]);
    }
  });
});
