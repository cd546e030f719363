/**
 * ISO 3166-1 countries: alpha-2, alpha-3, English short name and international calling code,
 * with the other ways exports write them (common English names, abbreviations, local-language
 * names). Standardisation maps any of these spellings to the alpha-2 code.
 */

import {listValue} from "@duckdb/node-api";
import type {Store} from "../core/store.ts";
import {sql, val, type SQL} from "../core/sql.ts";

export interface Country {
  /** ISO 3166-1 alpha-2, the form the engine stores. */
  readonly alpha2: string;
  readonly alpha3: string;
  /** English short name (ISO 3166-1, "the" and comma inversions as ISO writes them). */
  readonly name: string;
  /** ITU calling code without "+", or null where the territory has none of its own. */
  readonly callingCode: string | null;
  /** Trunk prefix dialled before national numbers ("" where national numbers have none). */
  readonly trunkPrefix: string;
  /** Other spellings: common English names, abbreviations, names in local languages. */
  readonly variants: readonly string[];
}

type Row = readonly [alpha2: string, alpha3: string, name: string, callingCode: string];

// prettier-ignore
const ROWS: readonly Row[] = [
  ["AF", "AFG", "Afghanistan", "93"],
  ["AX", "ALA", "Åland Islands", "358"],
  ["AL", "ALB", "Albania", "355"],
  ["DZ", "DZA", "Algeria", "213"],
  ["AS", "ASM", "American Samoa", "1"],
  ["AD", "AND", "Andorra", "376"],
  ["AO", "AGO", "Angola", "244"],
  ["AI", "AIA", "Anguilla", "1"],
  ["AQ", "ATA", "Antarctica", "672"],
  ["AG", "ATG", "Antigua and Barbuda", "1"],
  ["AR", "ARG", "Argentina", "54"],
  ["AM", "ARM", "Armenia", "374"],
  ["AW", "ABW", "Aruba", "297"],
  ["AU", "AUS", "Australia", "61"],
  ["AT", "AUT", "Austria", "43"],
  ["AZ", "AZE", "Azerbaijan", "994"],
  ["BS", "BHS", "Bahamas", "1"],
  ["BH", "BHR", "Bahrain", "973"],
  ["BD", "BGD", "Bangladesh", "880"],
  ["BB", "BRB", "Barbados", "1"],
  ["BY", "BLR", "Belarus", "375"],
  ["BE", "BEL", "Belgium", "32"],
  ["BZ", "BLZ", "Belize", "501"],
  ["BJ", "BEN", "Benin", "229"],
  ["BM", "BMU", "Bermuda", "1"],
  ["BT", "BTN", "Bhutan", "975"],
  ["BO", "BOL", "Bolivia (Plurinational State of)", "591"],
  ["BQ", "BES", "Bonaire, Sint Eustatius and Saba", "599"],
  ["BA", "BIH", "Bosnia and Herzegovina", "387"],
  ["BW", "BWA", "Botswana", "267"],
  ["BV", "BVT", "Bouvet Island", ""],
  ["BR", "BRA", "Brazil", "55"],
  ["IO", "IOT", "British Indian Ocean Territory", "246"],
  ["BN", "BRN", "Brunei Darussalam", "673"],
  ["BG", "BGR", "Bulgaria", "359"],
  ["BF", "BFA", "Burkina Faso", "226"],
  ["BI", "BDI", "Burundi", "257"],
  ["CV", "CPV", "Cabo Verde", "238"],
  ["KH", "KHM", "Cambodia", "855"],
  ["CM", "CMR", "Cameroon", "237"],
  ["CA", "CAN", "Canada", "1"],
  ["KY", "CYM", "Cayman Islands", "1"],
  ["CF", "CAF", "Central African Republic", "236"],
  ["TD", "TCD", "Chad", "235"],
  ["CL", "CHL", "Chile", "56"],
  ["CN", "CHN", "China", "86"],
  ["CX", "CXR", "Christmas Island", "61"],
  ["CC", "CCK", "Cocos (Keeling) Islands", "61"],
  ["CO", "COL", "Colombia", "57"],
  ["KM", "COM", "Comoros", "269"],
  ["CG", "COG", "Congo", "242"],
  ["CD", "COD", "Congo, Democratic Republic of the", "243"],
  ["CK", "COK", "Cook Islands", "682"],
  ["CR", "CRI", "Costa Rica", "506"],
  ["CI", "CIV", "Côte d'Ivoire", "225"],
  ["HR", "HRV", "Croatia", "385"],
  ["CU", "CUB", "Cuba", "53"],
  ["CW", "CUW", "Curaçao", "599"],
  ["CY", "CYP", "Cyprus", "357"],
  ["CZ", "CZE", "Czechia", "420"],
  ["DK", "DNK", "Denmark", "45"],
  ["DJ", "DJI", "Djibouti", "253"],
  ["DM", "DMA", "Dominica", "1"],
  ["DO", "DOM", "Dominican Republic", "1"],
  ["EC", "ECU", "Ecuador", "593"],
  ["EG", "EGY", "Egypt", "20"],
  ["SV", "SLV", "El Salvador", "503"],
  ["GQ", "GNQ", "Equatorial Guinea", "240"],
  ["ER", "ERI", "Eritrea", "291"],
  ["EE", "EST", "Estonia", "372"],
  ["SZ", "SWZ", "Eswatini", "268"],
  ["ET", "ETH", "Ethiopia", "251"],
  ["FK", "FLK", "Falkland Islands (Malvinas)", "500"],
  ["FO", "FRO", "Faroe Islands", "298"],
  ["FJ", "FJI", "Fiji", "679"],
  ["FI", "FIN", "Finland", "358"],
  ["FR", "FRA", "France", "33"],
  ["GF", "GUF", "French Guiana", "594"],
  ["PF", "PYF", "French Polynesia", "689"],
  ["TF", "ATF", "French Southern Territories", "262"],
  ["GA", "GAB", "Gabon", "241"],
  ["GM", "GMB", "Gambia", "220"],
  ["GE", "GEO", "Georgia", "995"],
  ["DE", "DEU", "Germany", "49"],
  ["GH", "GHA", "Ghana", "233"],
  ["GI", "GIB", "Gibraltar", "350"],
  ["GR", "GRC", "Greece", "30"],
  ["GL", "GRL", "Greenland", "299"],
  ["GD", "GRD", "Grenada", "1"],
  ["GP", "GLP", "Guadeloupe", "590"],
  ["GU", "GUM", "Guam", "1"],
  ["GT", "GTM", "Guatemala", "502"],
  ["GG", "GGY", "Guernsey", "44"],
  ["GN", "GIN", "Guinea", "224"],
  ["GW", "GNB", "Guinea-Bissau", "245"],
  ["GY", "GUY", "Guyana", "592"],
  ["HT", "HTI", "Haiti", "509"],
  ["HM", "HMD", "Heard Island and McDonald Islands", ""],
  ["VA", "VAT", "Holy See", "39"],
  ["HN", "HND", "Honduras", "504"],
  ["HK", "HKG", "Hong Kong", "852"],
  ["HU", "HUN", "Hungary", "36"],
  ["IS", "ISL", "Iceland", "354"],
  ["IN", "IND", "India", "91"],
  ["ID", "IDN", "Indonesia", "62"],
  ["IR", "IRN", "Iran (Islamic Republic of)", "98"],
  ["IQ", "IRQ", "Iraq", "964"],
  ["IE", "IRL", "Ireland", "353"],
  ["IM", "IMN", "Isle of Man", "44"],
  ["IL", "ISR", "Israel", "972"],
  ["IT", "ITA", "Italy", "39"],
  ["JM", "JAM", "Jamaica", "1"],
  ["JP", "JPN", "Japan", "81"],
  ["JE", "JEY", "Jersey", "44"],
  ["JO", "JOR", "Jordan", "962"],
  ["KZ", "KAZ", "Kazakhstan", "7"],
  ["KE", "KEN", "Kenya", "254"],
  ["KI", "KIR", "Kiribati", "686"],
  ["KP", "PRK", "Korea (Democratic People's Republic of)", "850"],
  ["KR", "KOR", "Korea, Republic of", "82"],
  ["KW", "KWT", "Kuwait", "965"],
  ["KG", "KGZ", "Kyrgyzstan", "996"],
  ["LA", "LAO", "Lao People's Democratic Republic", "856"],
  ["LV", "LVA", "Latvia", "371"],
  ["LB", "LBN", "Lebanon", "961"],
  ["LS", "LSO", "Lesotho", "266"],
  ["LR", "LBR", "Liberia", "231"],
  ["LY", "LBY", "Libya", "218"],
  ["LI", "LIE", "Liechtenstein", "423"],
  ["LT", "LTU", "Lithuania", "370"],
  ["LU", "LUX", "Luxembourg", "352"],
  ["MO", "MAC", "Macao", "853"],
  ["MG", "MDG", "Madagascar", "261"],
  ["MW", "MWI", "Malawi", "265"],
  ["MY", "MYS", "Malaysia", "60"],
  ["MV", "MDV", "Maldives", "960"],
  ["ML", "MLI", "Mali", "223"],
  ["MT", "MLT", "Malta", "356"],
  ["MH", "MHL", "Marshall Islands", "692"],
  ["MQ", "MTQ", "Martinique", "596"],
  ["MR", "MRT", "Mauritania", "222"],
  ["MU", "MUS", "Mauritius", "230"],
  ["YT", "MYT", "Mayotte", "262"],
  ["MX", "MEX", "Mexico", "52"],
  ["FM", "FSM", "Micronesia (Federated States of)", "691"],
  ["MD", "MDA", "Moldova, Republic of", "373"],
  ["MC", "MCO", "Monaco", "377"],
  ["MN", "MNG", "Mongolia", "976"],
  ["ME", "MNE", "Montenegro", "382"],
  ["MS", "MSR", "Montserrat", "1"],
  ["MA", "MAR", "Morocco", "212"],
  ["MZ", "MOZ", "Mozambique", "258"],
  ["MM", "MMR", "Myanmar", "95"],
  ["NA", "NAM", "Namibia", "264"],
  ["NR", "NRU", "Nauru", "674"],
  ["NP", "NPL", "Nepal", "977"],
  ["NL", "NLD", "Netherlands", "31"],
  ["NC", "NCL", "New Caledonia", "687"],
  ["NZ", "NZL", "New Zealand", "64"],
  ["NI", "NIC", "Nicaragua", "505"],
  ["NE", "NER", "Niger", "227"],
  ["NG", "NGA", "Nigeria", "234"],
  ["NU", "NIU", "Niue", "683"],
  ["NF", "NFK", "Norfolk Island", "672"],
  ["MK", "MKD", "North Macedonia", "389"],
  ["MP", "MNP", "Northern Mariana Islands", "1"],
  ["NO", "NOR", "Norway", "47"],
  ["OM", "OMN", "Oman", "968"],
  ["PK", "PAK", "Pakistan", "92"],
  ["PW", "PLW", "Palau", "680"],
  ["PS", "PSE", "Palestine, State of", "970"],
  ["PA", "PAN", "Panama", "507"],
  ["PG", "PNG", "Papua New Guinea", "675"],
  ["PY", "PRY", "Paraguay", "595"],
  ["PE", "PER", "Peru", "51"],
  ["PH", "PHL", "Philippines", "63"],
  ["PN", "PCN", "Pitcairn", "64"],
  ["PL", "POL", "Poland", "48"],
  ["PT", "PRT", "Portugal", "351"],
  ["PR", "PRI", "Puerto Rico", "1"],
  ["QA", "QAT", "Qatar", "974"],
  ["RE", "REU", "Réunion", "262"],
  ["RO", "ROU", "Romania", "40"],
  ["RU", "RUS", "Russian Federation", "7"],
  ["RW", "RWA", "Rwanda", "250"],
  ["BL", "BLM", "Saint Barthélemy", "590"],
  ["SH", "SHN", "Saint Helena, Ascension and Tristan da Cunha", "290"],
  ["KN", "KNA", "Saint Kitts and Nevis", "1"],
  ["LC", "LCA", "Saint Lucia", "1"],
  ["MF", "MAF", "Saint Martin (French part)", "590"],
  ["PM", "SPM", "Saint Pierre and Miquelon", "508"],
  ["VC", "VCT", "Saint Vincent and the Grenadines", "1"],
  ["WS", "WSM", "Samoa", "685"],
  ["SM", "SMR", "San Marino", "378"],
  ["ST", "STP", "Sao Tome and Principe", "239"],
  ["SA", "SAU", "Saudi Arabia", "966"],
  ["SN", "SEN", "Senegal", "221"],
  ["RS", "SRB", "Serbia", "381"],
  ["SC", "SYC", "Seychelles", "248"],
  ["SL", "SLE", "Sierra Leone", "232"],
  ["SG", "SGP", "Singapore", "65"],
  ["SX", "SXM", "Sint Maarten (Dutch part)", "1"],
  ["SK", "SVK", "Slovakia", "421"],
  ["SI", "SVN", "Slovenia", "386"],
  ["SB", "SLB", "Solomon Islands", "677"],
  ["SO", "SOM", "Somalia", "252"],
  ["ZA", "ZAF", "South Africa", "27"],
  ["GS", "SGS", "South Georgia and the South Sandwich Islands", "500"],
  ["SS", "SSD", "South Sudan", "211"],
  ["ES", "ESP", "Spain", "34"],
  ["LK", "LKA", "Sri Lanka", "94"],
  ["SD", "SDN", "Sudan", "249"],
  ["SR", "SUR", "Suriname", "597"],
  ["SJ", "SJM", "Svalbard and Jan Mayen", "47"],
  ["SE", "SWE", "Sweden", "46"],
  ["CH", "CHE", "Switzerland", "41"],
  ["SY", "SYR", "Syrian Arab Republic", "963"],
  ["TW", "TWN", "Taiwan, Province of China", "886"],
  ["TJ", "TJK", "Tajikistan", "992"],
  ["TZ", "TZA", "Tanzania, United Republic of", "255"],
  ["TH", "THA", "Thailand", "66"],
  ["TL", "TLS", "Timor-Leste", "670"],
  ["TG", "TGO", "Togo", "228"],
  ["TK", "TKL", "Tokelau", "690"],
  ["TO", "TON", "Tonga", "676"],
  ["TT", "TTO", "Trinidad and Tobago", "1"],
  ["TN", "TUN", "Tunisia", "216"],
  ["TR", "TUR", "Türkiye", "90"],
  ["TM", "TKM", "Turkmenistan", "993"],
  ["TC", "TCA", "Turks and Caicos Islands", "1"],
  ["TV", "TUV", "Tuvalu", "688"],
  ["UG", "UGA", "Uganda", "256"],
  ["UA", "UKR", "Ukraine", "380"],
  ["AE", "ARE", "United Arab Emirates", "971"],
  ["GB", "GBR", "United Kingdom of Great Britain and Northern Ireland", "44"],
  ["US", "USA", "United States of America", "1"],
  ["UM", "UMI", "United States Minor Outlying Islands", ""],
  ["UY", "URY", "Uruguay", "598"],
  ["UZ", "UZB", "Uzbekistan", "998"],
  ["VU", "VUT", "Vanuatu", "678"],
  ["VE", "VEN", "Venezuela (Bolivarian Republic of)", "58"],
  ["VN", "VNM", "Viet Nam", "84"],
  ["VG", "VGB", "Virgin Islands (British)", "1"],
  ["VI", "VIR", "Virgin Islands (U.S.)", "1"],
  ["WF", "WLF", "Wallis and Futuna", "681"],
  ["EH", "ESH", "Western Sahara", "212"],
  ["YE", "YEM", "Yemen", "967"],
  ["ZM", "ZMB", "Zambia", "260"],
  ["ZW", "ZWE", "Zimbabwe", "263"]
];

/** Spellings besides the code and ISO name; local names for the larger economies. */
const VARIANTS: Readonly<Record<string, readonly string[]>> = {
  AE: ["UAE", "U.A.E.", "Emirates", "Vereinigte Arabische Emirate", "Émirats arabes unis"],
  AR: ["Argentinien", "Argentine"],
  AT: ["Österreich", "Oesterreich", "Autriche", "Oostenrijk", "Republic of Austria"],
  AU: ["Australien", "Australie", "Commonwealth of Australia"],
  AX: ["Aland"],
  BA: ["Bosnia", "Bosnia-Herzegovina", "Bosnien und Herzegowina"],
  BE: ["België", "Belgique", "Belgien", "Bélgica", "Belgio", "Kingdom of Belgium"],
  BG: ["Bulgarien", "Bulgarie", "България"],
  BN: ["Brunei"],
  BO: ["Bolivia", "Bolivien"],
  BQ: ["Caribbean Netherlands", "Bonaire"],
  BR: ["Brasil", "Brasilien", "Brésil", "Federative Republic of Brazil"],
  BS: ["The Bahamas", "Bahamas, The"],
  CA: ["Kanada", "Canadá"],
  CD: [
    "DR Congo",
    "DRC",
    "D.R.C.",
    "Democratic Republic of the Congo",
    "Congo (Democratic Republic)",
    "Congo-Kinshasa",
    "Zaire"
  ],
  CG: ["Republic of the Congo", "Congo-Brazzaville", "Congo (Republic)"],
  CH: [
    "Schweiz",
    "Suisse",
    "Svizzera",
    "Svizra",
    "Suiza",
    "Zwitserland",
    "Confoederatio Helvetica"
  ],
  CI: ["Ivory Coast", "Cote d'Ivoire", "Elfenbeinküste"],
  CL: ["Chili"],
  CN: ["PRC", "People's Republic of China", "Chine", "中国", "中華人民共和國", "Zhongguo"],
  CO: ["Kolumbien", "Colombie"],
  CV: ["Cape Verde"],
  CW: ["Curacao"],
  CZ: ["Czech Republic", "Česko", "Česká republika", "Tschechien", "République tchèque"],
  DE: [
    "Deutschland",
    "Allemagne",
    "Alemania",
    "Germania",
    "Duitsland",
    "Niemcy",
    "Tyskland",
    "Saksa",
    "Německo",
    "BRD",
    "Bundesrepublik Deutschland",
    "Federal Republic of Germany"
  ],
  DK: ["Danmark", "Dänemark", "Danemark", "Dinamarca", "Danimarca", "Denemarken"],
  DO: ["Dominican Rep.", "República Dominicana"],
  EE: ["Eesti", "Estland", "Estonie"],
  EG: ["Ägypten", "Égypte", "Egipto"],
  ES: [
    "España",
    "Espana",
    "Spanien",
    "Espagne",
    "Spanje",
    "Spagna",
    "Espanya",
    "Kingdom of Spain",
    "Reino de España"
  ],
  FI: ["Suomi", "Finnland", "Finlande", "Finlandia"],
  FK: ["Falkland Islands", "Falklands", "Malvinas"],
  FM: ["Micronesia", "Federated States of Micronesia"],
  FO: ["Faroes", "Færøerne", "Føroyar"],
  FR: ["Frankreich", "Francia", "Frankrijk", "Francja", "République française", "French Republic"],
  GB: [
    "United Kingdom",
    "UK",
    "U.K.",
    "Great Britain",
    "Britain",
    "England",
    "Scotland",
    "Wales",
    "Northern Ireland",
    "Vereinigtes Königreich",
    "Großbritannien",
    "Grossbritannien",
    "Royaume-Uni",
    "Grande-Bretagne",
    "Reino Unido",
    "Gran Bretaña",
    "Regno Unito",
    "Verenigd Koninkrijk",
    "Groot-Brittannië"
  ],
  GM: ["The Gambia", "Gambia, The"],
  GR: ["Hellas", "Ellada", "Ελλάδα", "Griechenland", "Grèce", "Grecia", "Griekenland"],
  HK: ["Hong Kong SAR", "Hongkong", "香港"],
  HR: ["Hrvatska", "Kroatien", "Croatie"],
  HU: ["Magyarország", "Ungarn", "Hongrie", "Hungría"],
  IE: ["Éire", "Eire", "Irland", "Irlande", "Irlanda", "Ierland", "Republic of Ireland"],
  IL: ["Israël"],
  IN: ["Bharat", "Indien", "Inde", "Republic of India"],
  IR: ["Iran", "Persia"],
  IS: ["Ísland", "Island"],
  IT: ["Italia", "Italien", "Italie", "Italië", "Italian Republic"],
  JP: ["Nippon", "Nihon", "Japon", "Japón", "Giappone", "日本"],
  KN: ["St Kitts and Nevis", "St. Kitts and Nevis", "Saint Kitts", "St Kitts"],
  KP: ["North Korea", "DPRK", "Korea, North", "Democratic People's Republic of Korea"],
  KR: ["South Korea", "Republic of Korea", "Korea, South", "Südkorea", "Corée du Sud", "대한민국"],
  LA: ["Laos", "Lao PDR"],
  LC: ["St Lucia", "St. Lucia"],
  LT: ["Lietuva", "Litauen", "Lituanie"],
  LU: ["Lëtzebuerg", "Luxemburg"],
  LV: ["Latvija", "Lettland", "Lettonie"],
  MA: ["Marokko", "Maroc", "Marruecos"],
  MD: ["Moldova", "Republic of Moldova", "Moldavia"],
  MF: ["Saint Martin", "St Martin"],
  MK: ["Macedonia", "Republic of North Macedonia", "FYROM", "Nordmazedonien"],
  MM: ["Burma"],
  MO: ["Macau", "澳門"],
  MX: [
    "México",
    "Mexiko",
    "Mexique",
    "Messico",
    "United Mexican States",
    "Estados Unidos Mexicanos"
  ],
  NL: [
    "The Netherlands",
    "Netherlands, The",
    "Netherlands (Kingdom of the)",
    "Kingdom of the Netherlands",
    "Holland",
    "Nederland",
    "Niederlande",
    "Pays-Bas",
    "Países Bajos",
    "Paesi Bassi",
    "Nederlân"
  ],
  NO: ["Norge", "Noreg", "Norwegen", "Norvège", "Noruega", "Norvegia", "Noorwegen"],
  NZ: ["Aotearoa", "Neuseeland", "Nouvelle-Zélande", "Nueva Zelanda"],
  PH: ["Philippinen", "The Philippines"],
  PL: ["Polska", "Polen", "Pologne", "Polonia"],
  PM: ["St Pierre and Miquelon", "St. Pierre and Miquelon"],
  PS: ["Palestine", "State of Palestine", "Palestinian Territories"],
  PT: ["Portuguese Republic", "República Portuguesa"],
  RO: ["România", "Rumänien", "Roumanie", "Rumania"],
  RS: ["Srbija", "Serbien", "Serbie"],
  RU: ["Russia", "Rossiya", "Россия", "Russland", "Russie", "Rusia"],
  SA: ["KSA", "Kingdom of Saudi Arabia", "Saudi-Arabien", "Arabie saoudite"],
  SE: ["Sverige", "Schweden", "Suède", "Suecia", "Svezia", "Zweden"],
  SH: ["Saint Helena", "St Helena"],
  SI: ["Slovenija", "Slowenien", "Slovénie"],
  SK: ["Slovak Republic", "Slovensko", "Slowakei", "Slovaquie"],
  SX: ["Sint Maarten"],
  SY: ["Syria", "Syrien", "Syrie"],
  SZ: ["Swaziland"],
  TH: ["Thaïlande", "Tailandia"],
  TL: ["East Timor"],
  TR: ["Turkey", "Turkiye", "Türkei", "Turquie", "Turquía", "Turchia", "Turkije"],
  TT: ["Trinidad", "Trinidad & Tobago"],
  TW: ["Taiwan", "台灣", "臺灣"],
  TZ: ["Tanzania"],
  UA: ["Ukraina", "Україна"],
  US: [
    "United States",
    "USA",
    "U.S.A.",
    "U.S.",
    "US of A",
    "America",
    "United States of America (the)",
    "Vereinigte Staaten",
    "Vereinigte Staaten von Amerika",
    "États-Unis",
    "Etats-Unis",
    "Estados Unidos",
    "EE.UU.",
    "EEUU",
    "Stati Uniti",
    "Verenigde Staten"
  ],
  VA: ["Vatican", "Vatican City", "Vatican City State", "Città del Vaticano"],
  VC: ["St Vincent and the Grenadines", "St. Vincent and the Grenadines", "Saint Vincent"],
  VE: ["Venezuela"],
  VG: ["British Virgin Islands", "BVI"],
  VI: ["US Virgin Islands", "U.S. Virgin Islands", "USVI"],
  VN: ["Vietnam", "Việt Nam"],
  ZA: ["RSA", "Suid-Afrika", "Südafrika", "Afrique du Sud", "Sudáfrica", "Zuid-Afrika"]
};

// Most countries dial "0" before national numbers; these differ (ITU national numbering plans).
const TRUNK_EXCEPTIONS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    // No trunk prefix: the leading digit, even a 0 (Italy), is part of the number itself.
    [
      ...["AD", "BH", "BZ", "CR", "CY", "CZ", "DK", "EE", "ES", "FO", "GL", "GR", "GT", "HK"],
      ...["HN", "IS", "IT", "KW", "LU", "LV", "MC", "MO", "MT", "MX", "NI", "NO", "OM", "PA"],
      ...["PL", "PT", "QA", "SG", "SM", "SV", "VA"]
    ].map((code) => [code, ""])
  ),
  BY: "8",
  HU: "06",
  KZ: "8",
  RU: "8"
};

/** Every ISO 3166-1 country (249), in the ISO list's order. */
export const COUNTRIES: readonly Country[] = ROWS.map(([alpha2, alpha3, name, callingCode]) => ({
  alpha2,
  alpha3,
  name,
  callingCode: callingCode === "" ? null : callingCode,
  // North American numbers are written with a leading 1 nationally, the calling code itself.
  trunkPrefix: TRUNK_EXCEPTIONS[alpha2] ?? (callingCode === "1" ? "1" : "0"),
  variants: VARIANTS[alpha2] ?? []
}));

/** Every spelling the engine recognises with the country it names: codes, names, variants. */
export function countrySpellings(): {spelling: string; alpha2: string}[] {
  return COUNTRIES.flatMap((c) =>
    [c.alpha2, c.alpha3, c.name, ...c.variants].map((spelling) => ({spelling, alpha2: c.alpha2}))
  );
}

/**
 * The matching key of a country spelling: lower case, accents stripped, a leading or trailing
 * "the" dropped, "&" read as "and", then letters and digits only ("U.S." → "us").
 * `countryKeySql` below is the same function in SQL.
 */
export function countryKey(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .normalize("NFC")
    .trim()
    .replace(/^the\s+/u, "")
    .replace(/,\s*the$/u, "")
    .replaceAll("&", "and")
    .replace(/[^\p{L}\p{N}]/gu, "");
}

let byKey: Map<string, string> | undefined;

/** The alpha-2 code of a country written any known way, or undefined. */
export function countryCode(text: string): string | undefined {
  byKey ??= new Map(countrySpellings().map(({spelling, alpha2}) => [countryKey(spelling), alpha2]));
  return byKey.get(countryKey(text));
}

/**
 * The SQL twin of `countryKey` (above): lower case, accents stripped, a
 * leading or trailing "the" dropped, "&" as "and", letters and digits only.
 */
export function countryKeySql(expr: SQL): SQL {
  return sql`regexp_replace(replace(regexp_replace(regexp_replace(trim(strip_accents(lower(${expr}))), '^the\\s+', ''), ',\\s*the$', ''), '&', 'and'), '[^\\pL\\pN]', '', 'g')`;
}

/** Loads the ISO 3166 spellings into the temporary table `_country_keys(key, alpha2)`, once. */
export async function ensureCountryKeys(store: Store): Promise<void> {
  if (await hasTemp(store, "_country_keys")) return;
  const spellings = countrySpellings();
  // A key two countries share (none today) would be a guess, so it is left out.
  await store.run(
    sql`CREATE TEMP TABLE _country_keys AS
     SELECT key, min(alpha2) AS alpha2 FROM (
       SELECT ${countryKeySql(sql`spelling`)} AS key, alpha2
       FROM (SELECT unnest(${listValue(spellings.map((s) => s.spelling))}) AS spelling, unnest(${listValue(spellings.map((s) => s.alpha2))}) AS alpha2))
     WHERE key <> '' GROUP BY key HAVING count(DISTINCT alpha2) = 1`
  );
}

/** The alpha-2 code of a country written any known way, as a scalar SQL expression. */
export function countryCodeSql(expr: SQL): SQL {
  return sql`(SELECT alpha2 FROM _country_keys WHERE key = ${countryKeySql(expr)})`;
}

async function hasTemp(store: Store, table: string): Promise<boolean> {
  const row = await store.one<{n: number}>(
    sql`SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = ${val(table)} AND temporary`
  );
  return (row?.n ?? 0) > 0;
}
