/**
 * Colours safe for colour-blind readers: Paul Tol's "muted" scheme (nine hues that stay apart
 * under protanopia, deuteranopia and tritanopia) for profiles, and a neutral grey for the base.
 */
export const PROFILE_COLORS = [
  "#88ccee",
  "#cc6677",
  "#44aa99",
  "#ddcc77",
  "#aa4499",
  "#117733",
  "#999933",
  "#882255",
  "#332288",
  "#6f6f6f"
];

/** The whole customer base, drawn beside a profile. */
export const BASE_COLOR = "#9a9a9a";

/**
 * A Plot color scale that gives each profile id (p1, p2, …) the same colour on every page. The
 * colours are CSS variables (--profile-1 …, falling back to the hex above), so the dark theme
 * can lighten the three darkest hues (style.css) without changing any page.
 */
export function profileColor(ids: readonly string[]): {domain: string[]; range: string[]} {
  const sorted = [...ids].sort((a, b) => idNumber(a) - idNumber(b) || a.localeCompare(b));
  return {
    domain: sorted,
    range: sorted.map(
      (id) => PROFILE_COLORS[(idNumber(id) - 1) % PROFILE_COLORS.length] ?? BASE_COLOR
    )
  };
}

function idNumber(id: string): number {
  const n = Number(id.replace(/^\D+/, ""));
  return Number.isFinite(n) && n > 0 ? n : PROFILE_COLORS.length;
}
