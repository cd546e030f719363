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

  it("takes at_risk as the value stage left it: NULL where not assessed, never coalesced to false", () => {
    const {text} = customerExportQuery(source, CUSTOMER_CSV_COLUMNS).render();
    expect(text).toContain("v.at_risk, round(v.p_lapse, 4) AS p_lapse");
    expect(text).not.toMatch(/coalesce\(v\.at_risk/);
    const bare = {segment: null, hasValue: false, hasPreferred: false, briefs: new Map()};
    expect(customerExportQuery(bare, ["at_risk"]).render().text).toContain(
      "NULL::BOOLEAN AS at_risk, NULL::DOUBLE AS p_lapse"
    );
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
  const files = [
    "customers.v1.json",
    "customers.v2.json",
    "profiles.v1.json",
    "changes.v1.json",
    "changes.v2.json"
  ];

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

  it("keep v1 for older exports and let v2 hold a risk that was not assessed as null", () => {
    expect(schema("customers.v1.json").$defs.customer.properties.at_risk.type).toBe("boolean");
    const v2 = schema("customers.v2.json").$defs.customer;
    expect(v2.properties.at_risk.type).toEqual(["boolean", "null"]);
    expect(v2.properties.at_risk.description).toMatch(
      /Null, never false, where risk was not assessed/
    );
    expect(v2.properties.p_lapse.type).toEqual(["number", "null"]);
    expect(v2.required).toContain("p_lapse");
    expect(Object.keys(v2.properties)).toEqual(expect.arrayContaining([...CUSTOMER_CSV_COLUMNS]));
    expect(schema("changes.v2.json").properties.at_risk.type).toEqual(["boolean", "null"]);
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
