/**
 * Where a profile's customers live: countries shaded by how over- or under-represented the
 * profile is there (its share of the country's customers against its share of all), regions
 * as dots sized by the profile's customers. Suppressed regions show as empty rings.
 */
import type {GeoPermissibleObjects} from "d3";
import * as Plot from "npm:@observablehq/plot";
import type {Geography} from "../contracts/report.js";
import type {CountryProperties} from "../contracts/world.js";
import {formatCell, formatShare, suppressedWhy} from "./format.js";

/** data/world.json as GeoJSON (topojson-client's feature()), the way the page hands it over. */
interface World {
  type: "FeatureCollection";
  features: {
    type: "Feature";
    id: string;
    properties: CountryProperties;
    geometry: unknown;
  }[];
}

/**
 * Representation classes, under- (orange) to over-represented (purple): Color Brewer's PuOr,
 * with a mid grey for "as everywhere" instead of its near-white, which glares on a dark page.
 */
const REPRESENTATION_COLORS = [
  "#b35806",
  "#f1a340",
  "#fee0b6",
  "#8c8c8c",
  "#d8daeb",
  "#998ec3",
  "#542788"
];

/** The map: a choropleth of representation per country and the regions as dots. */
export function profileMap(
  world: World,
  {countries, regions}: Geography,
  {
    width,
    color,
    profileName,
    minGroupSize,
    document
  }: {width: number; color: string; profileName: string; minGroupSize: number; document?: Document}
): SVGSVGElement | HTMLElement {
  const byCode = new Map(countries.map((c) => [c.country, c]));
  const present = world.features.filter((f) => f.properties.code && byCode.has(f.properties.code));
  const lift = (f: World["features"][number]) => {
    const c = byCode.get(f.properties.code ?? "");
    return c && c.share !== null && c.base_share > 0 ? c.share / c.base_share : null;
  };
  const describe = (f: World["features"][number]) => {
    const c = byCode.get(f.properties.code ?? "");
    if (!c) return f.properties.name;
    return `${f.properties.name}\n${profileName}: ${formatShare(c.share)} of the profile (${formatCell(c.customers)})\nAll customers: ${formatShare(c.base_share)}`;
  };
  const dots = regions.filter((r) => r.latitude !== null && r.longitude !== null);
  return Plot.plot({
    document,
    width,
    height: Math.round(width * 0.52),
    title: "Where they live",
    subtitle:
      "Countries: the profile's share of customers there against its share overall (1× = as everywhere). Dots: the profile's customers per region.",
    ariaLabel: `Map of ${profileName}'s customers by country and region`,
    projection: {
      type: "equal-earth",
      domain: {
        type: "FeatureCollection",
        features: present.length ? present : world.features
      } as GeoPermissibleObjects,
      inset: 12
    },
    color: {
      // classes, not a ramp: easier to read off, and they print
      type: "threshold",
      domain: [0.67, 0.8, 0.91, 1.1, 1.25, 1.5],
      range: REPRESENTATION_COLORS,
      legend: true,
      label: "Representation (× the overall share)",
      tickFormat: (x: number) => `${x}×`
    },
    r: {range: [2, 16]},
    marks: [
      Plot.graticule({stroke: "currentColor", strokeOpacity: 0.08}),
      Plot.geo(world.features, {
        fill: "var(--theme-foreground-faintest, #eee)",
        stroke: "var(--theme-background, white)",
        strokeWidth: 0.5
      }),
      Plot.geo(present, {
        fill: (f) => lift(f),
        stroke: "var(--theme-background, white)",
        strokeWidth: 0.6,
        title: describe
      }),
      Plot.dot(
        dots.filter((r) => r.customers !== null && r.customers > 0),
        {
          x: "longitude",
          y: "latitude",
          r: "customers",
          fill: color,
          fillOpacity: 0.75,
          stroke: "var(--theme-background, white)",
          strokeWidth: 0.8,
          title: (r) =>
            `${r.region}, ${r.country}\n${profileName}: ${formatCell(r.customers)} (${formatShare(r.share)} of the profile)`
        }
      ),
      Plot.dot(
        dots.filter((r) => r.customers === null),
        {
          x: "longitude",
          y: "latitude",
          r: 3,
          stroke: color,
          strokeWidth: 1,
          title: (r) =>
            `${r.region}, ${r.country}\n${profileName}: suppressed (${suppressedWhy(minGroupSize)})`
        }
      ),
      Plot.sphere({stroke: "currentColor", strokeOpacity: 0.15})
    ]
  });
}
