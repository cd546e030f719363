/**
 * The make-up of a selection of customers against the whole sample: how many, which profiles
 * they belong to, and the features on which they differ most from everyone shown.
 */
import * as Plot from "npm:@observablehq/plot";
import {formatShare} from "../contracts/share.js";
import {BASE_COLOR, profileColor} from "./palette.js";
import {shareTick} from "./format.js";

/** A feature column of the sample, NaN for missing. */
export interface FeatureColumn {
  id: string;
  label: string;
  unit: string;
  values: ArrayLike<number>;
}

export interface ProfileShare {
  profile: string;
  /** Customers of this profile in the selection. */
  customers: number;
  /** Their share of the selection. */
  share: number;
  /** The profile's share of the whole sample. */
  base_share: number;
}

export interface FeatureContrast {
  id: string;
  label: string;
  unit: string;
  /** Mean over the selected customers with a value; null when none has one. */
  mean: number | null;
  /** Mean over the whole sample. */
  base_mean: number | null;
  /** (mean − base mean) / the sample's standard deviation: comparable across units. */
  difference: number | null;
  /** Share of the selection with a value. */
  coverage: number;
}

export interface Makeup {
  customers: number;
  total_customers: number;
  mix: ProfileShare[];
  features: FeatureContrast[];
}

/** Mean, standard deviation and count of the finite values at the given rows (all when null). */
function moments(values: ArrayLike<number>, rows: ArrayLike<number> | null) {
  const n = rows === null ? values.length : rows.length;
  let count = 0;
  let mean = 0;
  let m2 = 0;
  for (let k = 0; k < n; k++) {
    const v = values[rows === null ? k : rows[k]];
    if (!Number.isFinite(v)) continue;
    count++;
    const delta = v - mean;
    mean += delta / count;
    m2 += delta * (v - mean);
  }
  return {count, mean: count ? mean : null, sd: count > 1 ? Math.sqrt(m2 / (count - 1)) : null};
}

/**
 * The selection's make-up: its size, its profile mix against the sample's, and the features
 * ranked by how far the selection's mean lies from the sample's (in standard deviations).
 * `selected` holds row indices; null means everyone shown.
 */
export function selectionMakeup(
  profile: ArrayLike<string>,
  features: readonly FeatureColumn[],
  selected: ArrayLike<number> | null,
  {profiles, top = 8}: {profiles: readonly string[]; top?: number}
): Makeup {
  const total = profile.length;
  const rows = selected ?? null;
  const customers = rows === null ? total : rows.length;
  const counts = new Map(profiles.map((id) => [id, 0]));
  const baseCounts = new Map(profiles.map((id) => [id, 0]));
  for (let i = 0; i < total; i++) baseCounts.set(profile[i], (baseCounts.get(profile[i]) ?? 0) + 1);
  for (let k = 0; k < customers; k++) {
    const id = profile[rows === null ? k : rows[k]];
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const mix = [...baseCounts.keys()].map((id) => ({
    profile: id,
    customers: counts.get(id) ?? 0,
    share: customers ? (counts.get(id) ?? 0) / customers : 0,
    base_share: total ? (baseCounts.get(id) ?? 0) / total : 0
  }));
  const contrasts = features.map((f) => {
    const base = moments(f.values, null);
    const sel = moments(f.values, rows);
    const difference =
      sel.mean !== null && base.mean !== null && base.sd ? (sel.mean - base.mean) / base.sd : null;
    return {
      id: f.id,
      label: f.label,
      unit: f.unit,
      mean: sel.mean,
      base_mean: base.mean,
      difference,
      coverage: customers ? sel.count / customers : 0
    };
  });
  contrasts.sort(
    (a, b) =>
      Math.abs(b.difference ?? 0) - Math.abs(a.difference ?? 0) || a.label.localeCompare(b.label)
  );
  return {customers, total_customers: total, mix, features: contrasts.slice(0, top)};
}

/** The rows matching a filter: a profile id and a segment value, either null for any. */
export function filterRows(
  columns: {profile: ArrayLike<string>; segment?: ArrayLike<string | null> | null},
  {profile, segment}: {profile: string | null; segment: string | null}
): Uint8Array {
  const n = columns.profile.length;
  const match = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    match[i] =
      (profile === null || columns.profile[i] === profile) &&
      (segment === null || columns.segment?.[i] === segment)
        ? 1
        : 0;
  }
  return match;
}

/** The selection's profile mix against the sample's: coloured bars over thin grey ones. */
export function mixChart(
  mix: readonly ProfileShare[],
  {
    width,
    document,
    profiles
  }: {width: number; document?: Document; profiles: readonly {id: string; name: string}[]}
): HTMLElement | SVGSVGElement {
  const names = new Map(profiles.map((p) => [p.id, p.name]));
  const label = (id: string) => `${id} ${names.get(id) ?? ""}`.trim();
  const color = profileColor(profiles.map((p) => p.id));
  const domain = color.domain.map(label);
  const fill = new Map(color.domain.map((id, i) => [id, color.range[i]]));
  return Plot.plot({
    document,
    title: "Profile mix: the selection (colour) against everyone shown (grey)",
    ariaLabel: "Bar chart of each profile's share of the selection and of the sample",
    width,
    height: 30 + 26 * mix.length,
    marginLeft: Math.min(230, width / 2),
    marginRight: 44,
    x: {label: "Share of customers", tickFormat: shareTick, grid: true, domain: [0, 1], nice: true},
    y: {label: null, domain},
    marks: [
      Plot.barX(mix, {
        x: "base_share",
        y: (d: ProfileShare) => label(d.profile),
        fill: BASE_COLOR,
        insetTop: 15,
        title: (d: ProfileShare) =>
          `${label(d.profile)}\n${formatShare(d.base_share)} of everyone shown`
      }),
      Plot.barX(mix, {
        x: "share",
        y: (d: ProfileShare) => label(d.profile),
        fill: (d: ProfileShare) => fill.get(d.profile) ?? BASE_COLOR,
        insetBottom: 9,
        title: (d: ProfileShare) =>
          `${label(d.profile)}\n${d.customers.toLocaleString("en-US")} selected, ${formatShare(d.share)} of the selection`
      }),
      Plot.text(mix, {
        x: "share",
        y: (d: ProfileShare) => label(d.profile),
        text: (d: ProfileShare) => formatShare(d.share),
        dx: 4,
        dy: -4,
        textAnchor: "start",
        fill: "currentColor"
      }),
      Plot.ruleX([0])
    ]
  });
}
