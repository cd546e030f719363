/**
 * The geographic reference: countries, the places customers live in and a postal-code table
 * generated from them. The table is the same for every seed (reference data is external to a
 * customer base), so enrichment joins behave the same in every demo run.
 */

import {rng, Weighted} from "./random.ts";
import type {Random} from "./random.ts";

export type CountryCode = "US" | "GB" | "DE" | "FR" | "NL" | "CA" | "AU" | "ES";
export type Language = "en" | "de" | "fr" | "nl" | "es";
export type Urbanicity = "urban" | "suburban" | "rural";

/** How a country writes phone numbers: national significant number layout and grouping. */
export interface PhonePlan {
  readonly callingCode: string;
  /** Trunk prefix dialled before national numbers ("" where there is none). */
  readonly trunk: string;
  /** Digits of the national number before the 7 unique subscriber digits. */
  readonly lead: (random: Random, areaCode: string) => string;
  /** Group sizes of the national number when written with spaces. */
  readonly groups: readonly number[];
}

export interface Country {
  readonly code: CountryCode;
  readonly name: string;
  readonly language: Language;
  /** Share of customers living there. */
  readonly share: number;
  /** Median household income (USD), the scale for area and personal incomes. */
  readonly medianIncome: number;
  readonly phone: PhonePlan;
  readonly mailProviders: readonly string[];
  /** Ways exports spell the country besides its ISO code (see dirt.ts). */
  readonly variants: readonly string[];
  /** Builds a postal code from a place's prefix. */
  readonly postalCode: (random: Random, prefix: string) => string;
}

export interface PostalCode {
  readonly country: CountryCode;
  readonly postalCode: string;
  readonly region: string;
  readonly city: string;
  readonly urbanicity: Urbanicity;
  readonly areaIncome: number;
  readonly latitude: number;
  readonly longitude: number;
  readonly areaCode: string;
}

const LETTERS = "ABCDEFGHJLNPRSTUWXYZ";

function digits(random: Random, count: number): string {
  let s = "";
  for (let i = 0; i < count; i++) s += String(random.int(0, 9));
  return s;
}

function letter(random: Random): string {
  return LETTERS[random.int(0, LETTERS.length - 1)];
}

function numeric(length: number) {
  return (random: Random, prefix: string) => prefix + digits(random, length - prefix.length);
}

const nanp: PhonePlan = {
  callingCode: "1",
  trunk: "",
  lead: (_random, areaCode) => areaCode,
  groups: [3, 3, 4]
};

function mobile(callingCode: string, trunk: string, lead: string, groups: number[]): PhonePlan {
  return {callingCode, trunk, lead: (random) => lead + String(random.int(1, 9)), groups};
}

/** The countries customers live in, with how they write phones, postal codes and their own name. */
export const COUNTRIES: readonly Country[] = [
  {
    code: "US",
    name: "United States",
    language: "en",
    share: 0.28,
    medianIncome: 75000,
    phone: nanp,
    mailProviders: ["gmail", "yahoo", "outlook", "icloud", "aol", "comcast"],
    variants: ["United States", "USA", "U.S.", "us", "United States of America", " US"],
    postalCode: numeric(5)
  },
  {
    code: "GB",
    name: "United Kingdom",
    language: "en",
    share: 0.15,
    medianIncome: 48000,
    phone: mobile("44", "0", "7", [4, 6]),
    mailProviders: ["gmail", "hotmail", "yahoo", "btinternet", "outlook"],
    variants: ["United Kingdom", "UK", "Great Britain", "GBR", "england", "U.K."],
    postalCode: (random, prefix) =>
      `${prefix}${random.int(1, 20)} ${random.int(1, 9)}${letter(random)}${letter(random)}`
  },
  {
    code: "DE",
    name: "Germany",
    language: "de",
    share: 0.15,
    medianIncome: 54000,
    phone: mobile("49", "0", "15", [3, 7]),
    mailProviders: ["gmx", "web", "t-online", "gmail", "posteo"],
    variants: ["Germany", "germany", " germany", "Deutschland", "DEU", "de"],
    postalCode: numeric(5)
  },
  {
    code: "FR",
    name: "France",
    language: "fr",
    share: 0.1,
    medianIncome: 46000,
    phone: mobile("33", "0", "6", [1, 2, 2, 2, 2]),
    mailProviders: ["orange", "free", "gmail", "laposte", "sfr"],
    variants: ["France", "france ", "FRA", "fr", "République française"],
    postalCode: numeric(5)
  },
  {
    code: "NL",
    name: "Netherlands",
    language: "nl",
    share: 0.07,
    medianIncome: 56000,
    phone: mobile("31", "0", "6", [1, 8]),
    mailProviders: ["gmail", "hotmail", "ziggo", "kpnmail", "outlook"],
    variants: ["Netherlands", "The Netherlands", "Holland", "Nederland", "NLD", "nl"],
    postalCode: (random, prefix) =>
      `${prefix}${digits(random, 2)} ${letter(random)}${letter(random)}`
  },
  {
    code: "CA",
    name: "Canada",
    language: "en",
    share: 0.09,
    medianIncome: 68000,
    phone: nanp,
    mailProviders: ["gmail", "hotmail", "yahoo", "outlook", "videotron"],
    variants: ["Canada", "canada", "CAN", "ca", " Canada"],
    postalCode: (random, prefix) =>
      `${prefix}${random.int(1, 9)}${letter(random)} ${random.int(0, 9)}${letter(random)}${random.int(0, 9)}`
  },
  {
    code: "AU",
    name: "Australia",
    language: "en",
    share: 0.07,
    medianIncome: 72000,
    phone: mobile("61", "0", "4", [3, 3, 3]),
    mailProviders: ["gmail", "bigpond", "outlook", "yahoo"],
    variants: ["Australia", "australia", "AUS", "au", "Australia "],
    postalCode: numeric(4)
  },
  {
    code: "ES",
    name: "Spain",
    language: "es",
    share: 0.09,
    medianIncome: 36000,
    phone: mobile("34", "", "6", [3, 3, 3]),
    mailProviders: ["gmail", "hotmail", "yahoo", "telefonica"],
    variants: ["Spain", "España", "ESP", "es", "spain"],
    postalCode: numeric(5)
  }
];

/** A city (urban and suburban codes) or a small town (rural codes); area codes for North America. */
type PlaceRow = [
  city: string,
  region: string,
  lat: number,
  lon: number,
  kind: "city" | "town",
  prefix: string,
  areaCode?: string
];

const PLACES: Readonly<Record<CountryCode, readonly PlaceRow[]>> = {
  US: [
    ["New York", "New York", 40.713, -74.006, "city", "100|101|112", "212"],
    ["Los Angeles", "California", 34.052, -118.244, "city", "900|902", "213"],
    ["Chicago", "Illinois", 41.878, -87.63, "city", "606", "312"],
    ["Houston", "Texas", 29.76, -95.37, "city", "770", "713"],
    ["Phoenix", "Arizona", 33.448, -112.074, "city", "850", "602"],
    ["Boston", "Massachusetts", 42.36, -71.059, "city", "021", "617"],
    ["Seattle", "Washington", 47.606, -122.332, "city", "981", "206"],
    ["Atlanta", "Georgia", 33.749, -84.388, "city", "303", "404"],
    ["Bozeman", "Montana", 45.677, -111.043, "town", "597", "406"],
    ["Burlington", "Vermont", 44.476, -73.212, "town", "054", "802"],
    ["Asheville", "North Carolina", 35.595, -82.551, "town", "288", "828"],
    ["Bend", "Oregon", 44.058, -121.315, "town", "977", "541"],
    ["Ames", "Iowa", 42.034, -93.62, "town", "500", "515"],
    ["Flagstaff", "Arizona", 35.198, -111.651, "town", "860", "928"]
  ],
  GB: [
    ["London", "Greater London", 51.507, -0.128, "city", "SW|SE|N|E|W|NW"],
    ["Manchester", "North West", 53.481, -2.242, "city", "M"],
    ["Birmingham", "West Midlands", 52.486, -1.89, "city", "B"],
    ["Leeds", "Yorkshire and the Humber", 53.801, -1.549, "city", "LS"],
    ["Glasgow", "Scotland", 55.864, -4.252, "city", "G"],
    ["Bristol", "South West", 51.455, -2.588, "city", "BS"],
    ["Cardiff", "Wales", 51.482, -3.179, "city", "CF"],
    ["Kendal", "North West", 54.328, -2.746, "town", "LA"],
    ["Hexham", "North East", 54.971, -2.101, "town", "NE"],
    ["Truro", "South West", 50.263, -5.051, "town", "TR"],
    ["Ludlow", "West Midlands", 52.367, -2.718, "town", "SY"],
    ["Pitlochry", "Scotland", 56.704, -3.73, "town", "PH"]
  ],
  DE: [
    ["Berlin", "Berlin", 52.52, 13.405, "city", "10|12|13"],
    ["Hamburg", "Hamburg", 53.551, 9.994, "city", "20|22"],
    ["München", "Bayern", 48.137, 11.576, "city", "80|81"],
    ["Köln", "Nordrhein-Westfalen", 50.938, 6.96, "city", "50|51"],
    ["Frankfurt am Main", "Hessen", 50.11, 8.682, "city", "60"],
    ["Stuttgart", "Baden-Württemberg", 48.776, 9.183, "city", "70"],
    ["Leipzig", "Sachsen", 51.34, 12.375, "city", "04"],
    ["Dresden", "Sachsen", 51.05, 13.738, "city", "01"],
    ["Husum", "Schleswig-Holstein", 54.477, 9.052, "town", "25"],
    ["Garmisch-Partenkirchen", "Bayern", 47.492, 11.095, "town", "82"],
    ["Wernigerode", "Sachsen-Anhalt", 51.835, 10.785, "town", "38"],
    ["Cochem", "Rheinland-Pfalz", 50.147, 7.167, "town", "56"],
    ["Waren (Müritz)", "Mecklenburg-Vorpommern", 53.516, 12.68, "town", "17"]
  ],
  FR: [
    ["Paris", "Île-de-France", 48.857, 2.352, "city", "75"],
    ["Lyon", "Auvergne-Rhône-Alpes", 45.764, 4.836, "city", "69"],
    ["Marseille", "Provence-Alpes-Côte d'Azur", 43.297, 5.37, "city", "13"],
    ["Toulouse", "Occitanie", 43.605, 1.444, "city", "31"],
    ["Nice", "Provence-Alpes-Côte d'Azur", 43.71, 7.262, "city", "06"],
    ["Bordeaux", "Nouvelle-Aquitaine", 44.838, -0.579, "city", "33"],
    ["Lille", "Hauts-de-France", 50.629, 3.057, "city", "59"],
    ["Sarlat-la-Canéda", "Nouvelle-Aquitaine", 44.89, 1.216, "town", "24"],
    ["Millau", "Occitanie", 44.098, 3.078, "town", "12"],
    ["Paimpol", "Bretagne", 48.778, -3.048, "town", "22"],
    ["Beaune", "Bourgogne-Franche-Comté", 47.025, 4.84, "town", "21"],
    ["Gérardmer", "Grand Est", 48.073, 6.877, "town", "88"]
  ],
  NL: [
    ["Amsterdam", "Noord-Holland", 52.368, 4.904, "city", "10|11"],
    ["Rotterdam", "Zuid-Holland", 51.924, 4.478, "city", "30"],
    ["Den Haag", "Zuid-Holland", 52.07, 4.3, "city", "25"],
    ["Utrecht", "Utrecht", 52.091, 5.122, "city", "35"],
    ["Eindhoven", "Noord-Brabant", 51.441, 5.47, "city", "56"],
    ["Groningen", "Groningen", 53.219, 6.567, "city", "97"],
    ["Zierikzee", "Zeeland", 51.65, 3.918, "town", "43"],
    ["Giethoorn", "Overijssel", 52.74, 6.077, "town", "83"],
    ["Dokkum", "Friesland", 53.326, 5.999, "town", "91"],
    ["Winterswijk", "Gelderland", 51.972, 6.72, "town", "71"]
  ],
  CA: [
    ["Toronto", "Ontario", 43.653, -79.383, "city", "M", "416"],
    ["Montréal", "Quebec", 45.502, -73.567, "city", "H", "514"],
    ["Vancouver", "British Columbia", 49.283, -123.121, "city", "V", "604"],
    ["Calgary", "Alberta", 51.045, -114.072, "city", "T", "403"],
    ["Ottawa", "Ontario", 45.421, -75.697, "city", "K", "613"],
    ["Halifax", "Nova Scotia", 44.649, -63.575, "city", "B", "902"],
    ["Canmore", "Alberta", 51.089, -115.359, "town", "T", "403"],
    ["Lunenburg", "Nova Scotia", 44.377, -64.309, "town", "B", "902"],
    ["Stratford", "Ontario", 43.37, -80.982, "town", "N", "519"],
    ["Tofino", "British Columbia", 49.153, -125.907, "town", "V", "250"],
    ["Baie-Saint-Paul", "Quebec", 47.441, -70.498, "town", "G", "418"]
  ],
  AU: [
    ["Sydney", "New South Wales", -33.869, 151.209, "city", "20|21"],
    ["Melbourne", "Victoria", -37.814, 144.963, "city", "30|31"],
    ["Brisbane", "Queensland", -27.47, 153.026, "city", "40|41"],
    ["Perth", "Western Australia", -31.951, 115.861, "city", "60|61"],
    ["Adelaide", "South Australia", -34.929, 138.601, "city", "50"],
    ["Canberra", "Australian Capital Territory", -35.281, 149.13, "city", "26"],
    ["Darwin", "Northern Territory", -12.463, 130.842, "town", "08"],
    ["Hobart", "Tasmania", -42.882, 147.327, "town", "70"],
    ["Broome", "Western Australia", -17.955, 122.24, "town", "67"],
    ["Mudgee", "New South Wales", -32.599, 149.588, "town", "28"],
    ["Bright", "Victoria", -36.73, 146.96, "town", "37"],
    ["Byron Bay", "New South Wales", -28.643, 153.612, "town", "24"]
  ],
  ES: [
    ["Madrid", "Comunidad de Madrid", 40.417, -3.704, "city", "28"],
    ["Barcelona", "Cataluña", 41.385, 2.173, "city", "08"],
    ["Valencia", "Comunidad Valenciana", 39.47, -0.376, "city", "46"],
    ["Sevilla", "Andalucía", 37.389, -5.984, "city", "41"],
    ["Bilbao", "País Vasco", 43.263, -2.935, "city", "48"],
    ["Málaga", "Andalucía", 36.721, -4.421, "city", "29"],
    ["Zaragoza", "Aragón", 41.649, -0.889, "city", "50"],
    ["Ronda", "Andalucía", 36.742, -5.167, "town", "29"],
    ["Cangas de Onís", "Asturias", 43.351, -5.129, "town", "33"],
    ["Olite", "Navarra", 42.482, -1.651, "town", "31"],
    ["Trujillo", "Extremadura", 39.46, -5.882, "town", "10"],
    ["Cadaqués", "Cataluña", 42.289, 3.277, "town", "17"]
  ]
};

/** Postal codes per urbanicity within a place, and the income level of such areas. */
const AREAS: readonly {
  urbanicity: Urbanicity;
  count: number;
  spread: [number, number];
  income: number;
  weight: number;
}[] = [
  {urbanicity: "urban", count: 3, spread: [0, 0.03], income: 1.0, weight: 3},
  {urbanicity: "suburban", count: 2, spread: [0.05, 0.14], income: 1.18, weight: 2.5},
  {urbanicity: "rural", count: 2, spread: [0, 0.05], income: 0.82, weight: 1}
];

/** A reference-table row plus how many customers it tends to attract. */
export interface WeightedPostalCode extends PostalCode {
  readonly weight: number;
}

function placeCodes(
  country: Country,
  row: PlaceRow,
  random: Random,
  seen: Set<string>
): WeightedPostalCode[] {
  const [city, region, lat, lon, kind, prefixes, areaCode = ""] = row;
  const prefixList = prefixes.split("|");
  const placeIncome = country.medianIncome * random.lognormal(1, 0.12);
  const codes: WeightedPostalCode[] = [];
  for (const area of AREAS) {
    if ((kind === "town") !== (area.urbanicity === "rural")) continue;
    for (let i = 0; i < area.count; i++) {
      let postalCode = country.postalCode(random, random.pick(prefixList));
      while (seen.has(postalCode)) postalCode = country.postalCode(random, random.pick(prefixList));
      seen.add(postalCode);
      const distance = random.uniform(area.spread[0], area.spread[1]);
      const angle = random.uniform(0, 2 * Math.PI);
      codes.push({
        country: country.code,
        postalCode,
        region,
        city,
        urbanicity: area.urbanicity,
        areaIncome: Math.round((placeIncome * area.income * random.lognormal(1, 0.1)) / 100) * 100,
        latitude: Math.round((lat + distance * Math.sin(angle)) * 1e4) / 1e4,
        longitude: Math.round((lon + distance * Math.cos(angle) * 1.4) * 1e4) / 1e4,
        areaCode,
        weight: area.weight * (kind === "city" ? 1 : 0.6)
      });
    }
  }
  return codes;
}

let reference: WeightedPostalCode[] | null = null;

/** The postal-code reference table, in a fixed order (country, then place). */
export function postalCodes(): readonly WeightedPostalCode[] {
  if (reference === null) {
    reference = COUNTRIES.flatMap((country, i) => {
      // A fixed stream: the reference table does not change with the run's seed.
      const random = rng(0x5eed, "postal-codes", i);
      const seen = new Set<string>();
      return PLACES[country.code].flatMap((row) => placeCodes(country, row, random, seen));
    });
  }
  return reference;
}

const pickers = new Map<CountryCode, Weighted<WeightedPostalCode>>();

/** Draws a postal code of a country, weighted towards where people live. */
export function pickPostalCode(random: Random, country: CountryCode): WeightedPostalCode {
  let picker = pickers.get(country);
  if (picker === undefined) {
    picker = new Weighted(
      postalCodes()
        .filter((p) => p.country === country)
        .map((p) => [p, p.weight] as const)
    );
    pickers.set(country, picker);
  }
  return picker.pick(random);
}

/** Draws a country by customer share. */
export const countryPicker = new Weighted(COUNTRIES.map((c) => [c, c.share] as const));
