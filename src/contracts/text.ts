/** Words both sides write the same way: the build's sentences and the pages' titles. */

/** A sentence's or a title's first letter in capitals: "relationship" → "Relationship". */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
