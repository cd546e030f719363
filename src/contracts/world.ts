/**
 * The report maps' countries (data/world.json): world-atlas's 1:110m countries as TopoJSON
 * (topojson-specification's Topology), each country's properties as below; the pages turn it
 * into GeoJSON with topojson-client.
 */

/** A country's properties: its name and ISO 3166-1 alpha-2 code (null where ISO has none). */
export interface CountryProperties {
  name: string;
  code: string | null;
}
