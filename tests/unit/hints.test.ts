/**
 * Developer hints are for the preview only: a published report carries none of them, neither
 * in its data nor in its words.
 */
import {describe, expect, it} from "vitest";
import {isPreview, PREVIEW_ENV, reportHints} from "../../loaders/site/hints.ts";

describe("reportHints(profileId, {preview})", () => {
  it("gives a published report no hints", () => {
    expect(reportHints("p1", {preview: false})).toEqual({});
  });

  it("tells the analyst in preview where a profile's notes and the outcomes are declared", () => {
    const hints = reportHints("p3", {preview: true});
    expect(hints.notes).toBe("No analysts' notes yet: add them in portrait.notes.json under p3.");
    expect(hints.outcomes).toMatch(
      /^Declare a churn, response or conversion column under outcomes/
    );
  });
});

describe("isPreview(env)", () => {
  it(`is true only when ${PREVIEW_ENV} is 1, as npm run dev sets it`, () => {
    expect(isPreview({[PREVIEW_ENV]: "1"})).toBe(true);
    expect(isPreview({[PREVIEW_ENV]: "0"})).toBe(false);
    expect(isPreview({})).toBe(false);
  });
});
