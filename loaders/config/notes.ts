/**
 * The analysts' file kept next to the config (default `portrait.notes.json`): a name to use
 * instead of the generated one, and notes, keyed by profile id:
 *
 *   {"p1": {"name": "App-first regulars", "notes": ["Pilot the in-app chat with them first."]}}
 */
import {existsSync, readFileSync} from "node:fs";
import {z} from "zod";

const noteSchema = z
  .object({
    name: z.string().trim().min(1).optional(),
    notes: z.union([z.string(), z.array(z.string())]).optional()
  })
  .strict();

const notesSchema = z.record(
  z.string().regex(/^p[1-9][0-9]*$/, "profile ids look like p1, p2, …"),
  noteSchema
);

export interface ProfileNote {
  name?: string;
  notes: string[];
}

/** Reads the notes file; a missing file means no notes. Errors name the file and the key. */
export function readNotes(path: string): Map<string, ProfileNote> {
  if (!existsSync(path)) return new Map();
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`${path}: not valid JSON: ${(error as Error).message}`);
  }
  const parsed = notesSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // A bad key comes wrapped: the message that says what a key looks like is inside.
    const message =
      issue.code === "invalid_key" ? (issue.issues[0]?.message ?? issue.message) : issue.message;
    throw new Error(
      `${path}: ${issue.path.join(".") || "(top level)"}: ${message}; expected {"p1": {"name": "…", "notes": ["…"]}}`
    );
  }
  return new Map(
    Object.entries(parsed.data).map(([id, note]) => [
      id,
      {
        name: note.name,
        notes: note.notes === undefined ? [] : Array.isArray(note.notes) ? note.notes : [note.notes]
      }
    ])
  );
}
