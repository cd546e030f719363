import {defineConfig} from "vitest/config";

export default defineConfig({
  // Components in src/components import libraries as pages do; in Node they come from node_modules.
  resolve: {
    alias: {
      "npm:@observablehq/plot": "@observablehq/plot",
      "npm:d3": "d3",
      "npm:htl": "htl"
    }
  },
  test: {
    env: {TZ: "UTC"},
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {name: "unit", include: ["tests/**/*.test.ts"], exclude: ["tests/e2e/**"]}
      },
      // The browser tests share one offline build of a small demo site (tests/e2e/setup.ts).
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          globalSetup: ["tests/e2e/setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000
        }
      }
    ]
  }
});
