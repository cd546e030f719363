/**
 * The world's countries for the report maps, from Natural Earth via the world-atlas package
 * (1:110m TopoJSON, bundled through npm, so the build needs no network and the pages fetch
 * nothing from outside the site). Each country gets its ISO 3166-1 alpha-2 code, the code the
 * store uses, as `properties.code`; pages turn it into GeoJSON with topojson-client.
 */
import {readFile} from "node:fs/promises";
import {createRequire} from "node:module";
import countries from "i18n-iso-countries";
import type {GeometryCollection, Topology} from "topojson-specification";
import type {CountryProperties} from "../../src/contracts/world.ts";

const require = createRequire(import.meta.url);

/** data/world.json. */
export type World = Topology<{countries: GeometryCollection<CountryProperties>}>;

/** world-atlas's 1:110m countries, each with its alpha-2 code (null where ISO has none). */
export async function worldCountries(): Promise<World> {
  const path = require.resolve("world-atlas/countries-110m.json");
  const world = JSON.parse(await readFile(path, "utf8")) as World;
  for (const country of world.objects.countries.geometries) {
    const numeric = country.id === undefined ? undefined : String(country.id);
    const name = (country.properties as {name?: string} | undefined)?.name ?? "";
    country.properties = {name, code: (numeric && countries.numericToAlpha2(numeric)) || null};
  }
  return world;
}
