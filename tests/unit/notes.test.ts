/** The analysts' notes file (loaders/config/notes.ts), written to a temporary folder per test. */
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {readNotes} from "../../loaders/config/notes.ts";

const dir = mkdtempSync(join(tmpdir(), "portrait-notes-"));
let files = 0;

/** Writes text to a new notes file and returns its path. */
function notesFile(text: string): string {
  const path = join(dir, `notes-${++files}.json`);
  writeFileSync(path, text);
  return path;
}

const json = (value: unknown) => notesFile(JSON.stringify(value));

afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe("readNotes(path)", () => {
  it("reads a missing file as no notes", () => {
    expect(readNotes(join(dir, "portrait.notes.json")).size).toBe(0);
  });

  it("reads an empty object as no notes", () => {
    expect(readNotes(json({})).size).toBe(0);
  });

  it("reads a name and a list of notes per profile", () => {
    const notes = readNotes(
      json({
        p1: {name: "App-first regulars", notes: ["Pilot the in-app chat.", "Ask about gifts."]},
        p12: {notes: []}
      })
    );
    expect([...notes]).toEqual([
      ["p1", {name: "App-first regulars", notes: ["Pilot the in-app chat.", "Ask about gifts."]}],
      ["p12", {name: undefined, notes: []}]
    ]);
  });

  it("reads a single note given as a string as a list of one", () => {
    expect(readNotes(json({p2: {notes: "Call before renewal."}})).get("p2")).toEqual({
      name: undefined,
      notes: ["Call before renewal."]
    });
  });

  it("gives a profile with a name and no notes an empty list, and trims the name", () => {
    expect(readNotes(json({p3: {name: "  Deal seekers "}})).get("p3")).toEqual({
      name: "Deal seekers",
      notes: []
    });
  });

  it("rejects a file that is not JSON, naming the file", () => {
    const path = notesFile('{"p1": {"name": "x"');
    expect(() => readNotes(path)).toThrow(`${path}: not valid JSON: `);
  });

  it("rejects a key that is not a profile id, naming the file and the key", () => {
    const path = json({cluster1: {name: "x"}});
    expect(() => readNotes(path)).toThrow(
      `${path}: cluster1: profile ids look like p1, p2, …; expected {"p1": {"name": "…", "notes": ["…"]}}`
    );
    expect(() => readNotes(json({p0: {name: "x"}}))).toThrow("p0: profile ids look like p1");
  });

  it("rejects an unknown key in a note, naming the file, the profile and the key", () => {
    const path = json({p1: {nmae: "Typo"}});
    expect(() => readNotes(path)).toThrow(`${path}: p1: Unrecognized key: "nmae"`);
  });

  it("rejects a value of the wrong type, naming its key", () => {
    const path = json({p1: {notes: 3}});
    expect(() => readNotes(path)).toThrow(`${path}: p1.notes: `);
    expect(() => readNotes(json({p1: {name: " "}}))).toThrow("p1.name: ");
  });

  it("rejects a file that is not an object, at the top level", () => {
    const path = json([{p1: {name: "x"}}]);
    expect(() => readNotes(path)).toThrow(`${path}: (top level): `);
  });
});
