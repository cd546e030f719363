import {defineConfig} from "vitest/config";

/**
 * Three projects by speed: `unit` (no store, no server, no build), `integration` (a real DuckDB,
 * a real PostgreSQL server, the build's own steps) and `e2e` (a built site in Chromium).
 * Timeouts are there to end a test that hangs, never to judge speed: on a loaded machine a slow
 * test is still a passing one, so every test and hook gets fifteen minutes (a unit file's hooks
 * load d3, Plot, jsdom and DuckDB, which took over a minute on a machine seven builds shared).
 */
const HANG = 15 * 60_000;

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
    // The build's clock (loaders/core/clock.ts) is fixed, so "future" never depends on the day.
    env: {TZ: "UTC", PORTRAIT_TODAY: "2026-12-05"},
    projects: [
      // Unit tests share their modules across files (isolate: false): loading d3, Plot, jsdom
      // and DuckDB's bindings again for every file took most of the project's time. So a unit
      // test leaves no state behind: no process.env, globals or mocks it does not restore.
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          isolate: false,
          testTimeout: HANG,
          hookTimeout: HANG
        }
      },
      // Tests that read the small demo share its builds, made once per run on first use
      // (tests/support/demo-builds.ts).
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          globalSetup: ["tests/integration/setup.ts"],
          testTimeout: HANG,
          hookTimeout: HANG
        }
      },
      // The browser tests share one offline build of a small demo site (tests/e2e/setup.ts).
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          globalSetup: ["tests/e2e/setup.ts"],
          testTimeout: HANG,
          hookTimeout: HANG
        }
      }
    ]
  }
});
