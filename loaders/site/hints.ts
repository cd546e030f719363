/**
 * Developer hints: what a page says to the analyst who builds the site about filling a gap
 * ("add notes in portrait.notes.json"). They belong in the preview (`npm run dev`) only, never
 * in the published site or its PDFs, so the build writes them into a page's data only in
 * preview, and the published pages carry neither the hint nor its words.
 */
import type {ReportHints} from "../../src/contracts/report.ts";

/** The variable `npm run dev` sets for Framework's preview server and its data loaders. */
export const PREVIEW_ENV = "PORTRAIT_PREVIEW";

/** Whether the data loaders run for the preview server (`npm run dev`), not for a published build. */
export function isPreview(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[PREVIEW_ENV] === "1";
}

/** A profile report's hints: none when published; in preview, how to fill each empty section. */
export function reportHints(profileId: string, {preview}: {preview: boolean}): ReportHints {
  if (!preview) return {};
  return {
    notes: `No analysts' notes yet: add them in portrait.notes.json under ${profileId}.`,
    outcomes:
      "Declare a churn, response or conversion column under outcomes in the config (README, Outcomes) to see how often this profile has it."
  };
}
