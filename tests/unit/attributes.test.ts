/**
 * Custom attributes, outcomes and custom features in the config (loaders/config/project.ts),
 * their mapping onto a customers source (loaders/ingest/mapping.ts) and their features
 * (loaders/profile/catalogue.ts).
 */
import {describe, expect, it} from "vitest";
import {ConfigError, customerFields, parseConfig} from "../../loaders/config/project.ts";
import {sql} from "../../loaders/core/sql.ts";
import {resolveAttributes} from "../../loaders/ingest/mapping.ts";
import {attributeDeclarations, customDeclarations} from "../../loaders/profile/catalogue.ts";

const PATH = "/project/portrait.config.ts";

function configError(input: unknown): ConfigError {
  try {
    parseConfig(input, PATH);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("the config was accepted");
}

const crm = (extra: object) => ({sources: {crm: {table: "customers", file: "crm.csv", ...extra}}});

describe("parseConfig: attributes and outcomes", () => {
  it("gathers every customers source's attributes and outcomes, with the key that declares each", () => {
    const config = parseConfig(
      {
        sources: {
          crm: {
            table: "customers",
            file: "crm.csv",
            attributes: {plan: {type: "category", dimension: "behavioral"}},
            outcomes: {churned: {type: "flag"}}
          },
          billing: {
            table: "customers",
            file: "billing.csv",
            attributes: {
              plan: {type: "category", dimension: "behavioral"},
              monthly_fee: {type: "number", dimension: "behavioral", unit: "currency"}
            }
          }
        }
      },
      PATH
    );
    expect(Object.keys(config.attributes)).toEqual(["plan", "monthly_fee"]);
    expect(config.attributes.plan.key).toBe("sources.crm.attributes.plan");
    expect(customerFields(config)).toEqual({plan: "text", monthly_fee: "number", churned: "flag"});
  });

  it("refuses attributes on a source that is not customers, and says where they go", () => {
    const error = configError({
      sources: {
        crm: {table: "customers", file: "crm.csv"},
        shop: {
          table: "orders",
          file: "orders.csv",
          attributes: {basket: {type: "number", dimension: "behavioral"}}
        }
      }
    });
    expect(error.key).toBe("sources.shop.attributes");
    expect(error.problem).toMatch(/only a customers source has attributes.*features\.custom/);
  });

  it("refuses a canonical field's name, and a name that means two things", () => {
    expect(
      configError(crm({attributes: {income: {type: "number", dimension: "demographic"}}})).key
    ).toBe("sources.crm.attributes.income");
    const twice = configError({
      sources: {
        a: {
          table: "customers",
          file: "a.csv",
          attributes: {plan: {type: "category", dimension: "behavioral"}}
        },
        b: {table: "customers", file: "b.csv", outcomes: {plan: {type: "flag"}}}
      }
    });
    expect(twice.key).toBe("sources.b.outcomes.plan");
    expect(twice.problem).toMatch(/already declares plan as a category attribute/);
  });

  it("needs a type and a dimension, and takes a column or SQL, not both", () => {
    expect(configError(crm({attributes: {plan: {dimension: "behavioral"}}})).key).toBe(
      "sources.crm.attributes.plan.type"
    );
    expect(configError(crm({attributes: {plan: {type: "category"}}})).key).toBe(
      "sources.crm.attributes.plan.dimension"
    );
    expect(
      configError(crm({outcomes: {churned: {type: "flag", column: "Churn", sql: "Churn = 'Y'"}}}))
        .problem
    ).toBe("give column or sql, not both");
  });
});

describe("resolveAttributes(configPath, sourceName, source, columns)", () => {
  const config = parseConfig(
    crm({
      attributes: {
        tenure: {type: "number", dimension: "behavioral"},
        plan: {column: "Contract Type", type: "category", dimension: "behavioral"},
        spend: {
          sql: "try_cast(a AS DOUBLE) + try_cast(b AS DOUBLE)",
          type: "number",
          dimension: "behavioral"
        }
      },
      outcomes: {churned: {column: "Churn", type: "flag", yes: ["Churned "]}}
    }),
    PATH
  );
  const source = config.sources.crm;

  it("finds an attribute's column by its name unless told, and takes SQL as written", () => {
    const mappings = resolveAttributes(PATH, "crm", source, [
      "TENURE",
      "Contract Type",
      "a",
      "b",
      "Churn"
    ]);
    expect(mappings.map((m) => [m.field, m.kind, m.sql.render().text])).toEqual([
      ["tenure", "column", '"TENURE"'],
      ["plan", "column", '"Contract Type"'],
      ["spend", "sql", "(try_cast(a AS DOUBLE) + try_cast(b AS DOUBLE))"],
      ["churned", "column", '"Churn"']
    ]);
    expect(mappings[3].flag).toEqual({yes: ["churned"], no: ["0", "0.0", "false", "f", "no", "n"]});
    expect(mappings[3].key).toBe("sources.crm.outcomes.churned");
  });

  it("names the key, the closest column and all of them when a column is missing", () => {
    try {
      resolveAttributes(PATH, "crm", source, ["Tenur", "Contract Type", "Churn"]);
      throw new Error("resolved");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).key).toBe("sources.crm.attributes.tenure");
      expect((error as ConfigError).problem).toBe(
        'no column "tenure" in this source; did you mean "Tenur"? Name it with column: "...". Its columns: Tenur, Contract Type, Churn'
      );
    }
  });
});

describe("attributeDeclarations and customDeclarations", () => {
  const config = parseConfig(
    {
      ...crm({
        attributes: {
          monthly_fee: {type: "number", dimension: "behavioral", unit: "currency", high: "premium"},
          score: {type: "number", dimension: "psychographic"},
          plan: {type: "category", dimension: "behavioral"},
          senior: {type: "flag", dimension: "demographic", label: "Senior citizens"},
          first_order: {type: "date", dimension: "behavioral"}
        }
      }),
      features: {
        custom: {
          children: {sql: "kids + teens", dimension: "demographic", unit: "people"},
          books_share: {
            sql: "avg((category = 'books')::DOUBLE)",
            from: "orders",
            dimension: "behavioral",
            unit: "share"
          }
        }
      }
    },
    PATH
  );

  it("makes each attribute a feature with its unit, transform and words", () => {
    const features = attributeDeclarations(config.attributes).map((d) => d.feature);
    expect(features).toEqual([
      {
        id: "monthly_fee",
        dimension: "behavioral",
        label: "Monthly fee",
        unit: "currency",
        kind: "number",
        transform: "log",
        high: "premium"
      },
      {
        id: "score",
        dimension: "psychographic",
        label: "Score",
        unit: "value",
        kind: "number",
        transform: "none"
      },
      {
        id: "plan",
        dimension: "behavioral",
        label: "Plan",
        unit: "category",
        kind: "category",
        transform: "none"
      },
      {
        id: "senior",
        dimension: "demographic",
        label: "Senior citizens",
        unit: "flag",
        kind: "number",
        transform: "none"
      },
      {
        id: "first_order",
        dimension: "behavioral",
        label: "First order",
        unit: "days",
        kind: "number",
        transform: "log"
      }
    ]);
  });

  it("reads a date attribute as the days from it to the as-of date", () => {
    const first = attributeDeclarations(config.attributes).find(
      (d) => d.feature.id === "first_order"
    )!;
    expect(first.sql(sql`c`, "2026-10-31").render()).toEqual({
      text: `date_diff('day', c."first_order", $1::DATE)`,
      params: ["2026-10-31"]
    });
  });

  it("reads custom features from the population, with the table an aggregate needs", () => {
    const declarations = customDeclarations(config.features.custom);
    expect(declarations.map((d) => [d.feature.id, d.table ?? null, d.key])).toEqual([
      ["children", null, "features.custom.children"],
      ["books_share", "orders", "features.custom.books_share"]
    ]);
  });
});
