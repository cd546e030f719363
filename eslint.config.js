import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {ignores: ["node_modules/", "reports/", "data/", "src/.observablehq/", ".ci/"]},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        {argsIgnorePattern: "^_", varsIgnorePattern: "^_"}
      ],
      "@typescript-eslint/consistent-type-imports": "error"
    }
  }
);
