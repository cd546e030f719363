/** Name, street and company vocabularies per language, to make records look like real exports. */

import type {Language} from "./geography.ts";
import type {Random} from "./random.ts";

interface Vocabulary {
  readonly female: readonly string[];
  readonly male: readonly string[];
  readonly last: readonly string[];
  readonly streets: readonly string[];
  /** Writes a street address from a street name and a house number. */
  readonly address: (street: string, number: number) => string;
}

const EN: Vocabulary = {
  female: [
    "Emma",
    "Olivia",
    "Ava",
    "Sophia",
    "Isabella",
    "Mia",
    "Charlotte",
    "Amelia",
    "Harper",
    "Evelyn",
    "Abigail",
    "Emily",
    "Ella",
    "Grace",
    "Chloe",
    "Lily",
    "Hannah",
    "Zoe",
    "Sarah",
    "Jessica",
    "Laura",
    "Rachel",
    "Megan",
    "Lauren",
    "Natalie",
    "Victoria",
    "Rebecca",
    "Ruth",
    "Margaret",
    "Susan"
  ],
  male: [
    "Liam",
    "Noah",
    "Oliver",
    "James",
    "William",
    "Benjamin",
    "Lucas",
    "Henry",
    "Alexander",
    "Jack",
    "Daniel",
    "Michael",
    "Ethan",
    "Jacob",
    "Logan",
    "Samuel",
    "David",
    "Joseph",
    "Thomas",
    "Matthew",
    "Andrew",
    "Ryan",
    "Nathan",
    "Christopher",
    "Robert",
    "Peter",
    "George",
    "Richard",
    "Kevin",
    "Brian"
  ],
  last: [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "Wilson",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Martin",
    "Jackson",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Hill",
    "Green",
    "Adams",
    "Baker",
    "Nelson",
    "Carter",
    "Mitchell",
    "Roberts",
    "Turner",
    "Phillips",
    "Campbell",
    "Evans",
    "O'Brien",
    "MacDonald"
  ],
  streets: [
    "Maple Avenue",
    "Oak Street",
    "High Street",
    "Church Road",
    "Park Lane",
    "Main Street",
    "Elm Street",
    "Station Road",
    "Victoria Road",
    "Cedar Drive",
    "Lake View Drive",
    "Mill Lane",
    "Hillside Avenue",
    "King Street",
    "Queens Road",
    "Pine Street",
    "Washington Avenue",
    "Riverside Drive"
  ],
  address: (street, number) => `${number} ${street}`
};

const DE: Vocabulary = {
  female: [
    "Anna",
    "Sophie",
    "Marie",
    "Laura",
    "Lena",
    "Julia",
    "Lea",
    "Hannah",
    "Sarah",
    "Katharina",
    "Lisa",
    "Johanna",
    "Clara",
    "Emma",
    "Mia",
    "Petra",
    "Sabine",
    "Ursula",
    "Monika",
    "Claudia",
    "Jana",
    "Franziska",
    "Miriam",
    "Ines",
    "Birgit"
  ],
  male: [
    "Lukas",
    "Leon",
    "Jonas",
    "Felix",
    "Maximilian",
    "Paul",
    "Tim",
    "Jan",
    "Niklas",
    "Moritz",
    "Tobias",
    "Florian",
    "Stefan",
    "Thomas",
    "Michael",
    "Andreas",
    "Markus",
    "Jürgen",
    "Klaus",
    "Wolfgang",
    "Sebastian",
    "Matthias",
    "Philipp",
    "Dominik",
    "Uwe"
  ],
  last: [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Krause",
    "Meier",
    "Lehmann"
  ],
  streets: [
    "Hauptstraße",
    "Schulstraße",
    "Gartenstraße",
    "Bahnhofstraße",
    "Lindenstraße",
    "Bergstraße",
    "Kirchweg",
    "Waldstraße",
    "Ringstraße",
    "Am Markt",
    "Mühlenweg",
    "Rosenstraße",
    "Birkenweg",
    "Goethestraße",
    "Schillerstraße"
  ],
  address: (street, number) => `${street} ${number}`
};

const FR: Vocabulary = {
  female: [
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Emma",
    "Inès",
    "Sarah",
    "Julie",
    "Marie",
    "Lucie",
    "Claire",
    "Élodie",
    "Pauline",
    "Mathilde",
    "Juliette",
    "Céline",
    "Nathalie",
    "Isabelle",
    "Sophie",
    "Anaïs"
  ],
  male: [
    "Lucas",
    "Hugo",
    "Louis",
    "Nathan",
    "Gabriel",
    "Jules",
    "Thomas",
    "Antoine",
    "Maxime",
    "Nicolas",
    "Julien",
    "Pierre",
    "Alexandre",
    "Mathieu",
    "Olivier",
    "François",
    "Philippe",
    "Laurent",
    "Théo",
    "Baptiste"
  ],
  last: [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand"
  ],
  streets: [
    "rue de la République",
    "rue Victor Hugo",
    "avenue Jean Jaurès",
    "rue des Lilas",
    "rue du Moulin",
    "place de l'Église",
    "rue Pasteur",
    "boulevard Gambetta",
    "rue de la Gare",
    "chemin des Vignes",
    "rue Nationale",
    "allée des Tilleuls"
  ],
  address: (street, number) => `${number} ${street}`
};

const NL: Vocabulary = {
  female: [
    "Emma",
    "Julia",
    "Sophie",
    "Tess",
    "Fleur",
    "Anna",
    "Sanne",
    "Lotte",
    "Eva",
    "Lisa",
    "Femke",
    "Iris",
    "Anouk",
    "Marieke",
    "Ingrid",
    "Noor",
    "Saskia",
    "Esther",
    "Linda",
    "Maud"
  ],
  male: [
    "Daan",
    "Sem",
    "Lucas",
    "Levi",
    "Finn",
    "Bram",
    "Jesse",
    "Thijs",
    "Ruben",
    "Lars",
    "Joost",
    "Pieter",
    "Jeroen",
    "Bas",
    "Wouter",
    "Sander",
    "Kees",
    "Hendrik",
    "Martijn",
    "Niels"
  ],
  last: [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer"
  ],
  streets: [
    "Kerkstraat",
    "Dorpsstraat",
    "Schoolstraat",
    "Molenweg",
    "Stationsweg",
    "Julianastraat",
    "Beatrixlaan",
    "Wilhelminastraat",
    "Nieuwstraat",
    "Hoofdstraat",
    "Kastanjelaan",
    "Prinsengracht"
  ],
  address: (street, number) => `${street} ${number}`
};

const ES: Vocabulary = {
  female: [
    "Lucía",
    "Sofía",
    "María",
    "Martina",
    "Paula",
    "Julia",
    "Daniela",
    "Valeria",
    "Alba",
    "Carmen",
    "Laura",
    "Marta",
    "Elena",
    "Ana",
    "Cristina",
    "Isabel",
    "Pilar",
    "Rocío",
    "Irene",
    "Nuria"
  ],
  male: [
    "Hugo",
    "Martín",
    "Lucas",
    "Mateo",
    "Pablo",
    "Daniel",
    "Alejandro",
    "Javier",
    "David",
    "Sergio",
    "Carlos",
    "Jorge",
    "Manuel",
    "Antonio",
    "José",
    "Francisco",
    "Miguel",
    "Raúl",
    "Álvaro",
    "Iker"
  ],
  last: [
    "García",
    "Rodríguez",
    "González",
    "Fernández",
    "López",
    "Martínez",
    "Sánchez",
    "Pérez",
    "Gómez",
    "Martín",
    "Jiménez",
    "Ruiz",
    "Hernández",
    "Díaz",
    "Moreno",
    "Muñoz",
    "Álvarez",
    "Romero",
    "Alonso",
    "Gutiérrez",
    "Navarro",
    "Torres",
    "Domínguez",
    "Vázquez",
    "Ramos"
  ],
  streets: [
    "Calle Mayor",
    "Calle Real",
    "Avenida de la Constitución",
    "Calle del Sol",
    "Plaza de España",
    "Calle San José",
    "Calle de la Iglesia",
    "Avenida Andalucía",
    "Calle Nueva",
    "Paseo del Prado",
    "Calle Cervantes",
    "Calle Luna"
  ],
  address: (street, number) => `${street}, ${number}`
};

const VOCABULARIES: Readonly<Record<Language, Vocabulary>> = {
  en: EN,
  de: DE,
  fr: FR,
  nl: NL,
  es: ES
};

/** A first name for a gender (X draws from either list). */
export function firstName(random: Random, language: Language, gender: "F" | "M" | "X"): string {
  const v = VOCABULARIES[language];
  const female = gender === "F" || (gender === "X" && random.chance(0.5));
  return random.pick(female ? v.female : v.male);
}

/** A family name. */
export function lastName(random: Random, language: Language): string {
  return random.pick(VOCABULARIES[language].last);
}

/** A street address; some carry a flat or unit, which puts a comma in the field. */
export function streetAddress(random: Random, language: Language): string {
  const v = VOCABULARIES[language];
  const address = v.address(random.pick(v.streets), random.int(1, random.chance(0.7) ? 60 : 240));
  return random.chance(0.06)
    ? `${address}, ${language === "en" ? "Apt" : "App."} ${random.int(1, 40)}`
    : address;
}

const COMPANY_STEMS = [
  "Northwind",
  "Bluepeak",
  "Ironbridge",
  "Silverline",
  "Greenfield",
  "Brightwave",
  "Oakridge",
  "Redstone",
  "Clearwater",
  "Highland",
  "Sunrise",
  "Westgate",
  "Cobalt",
  "Harbor",
  "Summit",
  "Pioneer",
  "Evergreen",
  "Keystone",
  "Atlas",
  "Meridian",
  "Lakeside",
  "Falcon",
  "Granite",
  "Crescent"
];
const COMPANY_NOUNS = [
  "Logistics",
  "Systems",
  "Foods",
  "Clinic",
  "Studio",
  "Builders",
  "Partners",
  "Hotels",
  "Labs",
  "Trading",
  "Consulting",
  "Supplies",
  "Schools",
  "Media",
  "Works",
  "Retail"
];
const LEGAL_FORMS: Readonly<Record<Language, readonly string[]>> = {
  en: ["Inc.", "LLC", "Ltd", "Co.", "Group"],
  de: ["GmbH", "AG", "GmbH & Co. KG", "e.K."],
  fr: ["SARL", "SAS", "SA"],
  nl: ["B.V.", "N.V.", "V.O.F."],
  es: ["S.L.", "S.A.", "S.L.U."]
};

/** A company name; a few have commas or quotes, as real CRM exports do. */
export function companyName(random: Random, language: Language, founder: string): string {
  const legal = random.pick(LEGAL_FORMS[language]);
  const u = random.next();
  if (u < 0.08) return `${founder}, ${random.pick(COMPANY_NOUNS)} ${legal}`;
  if (u < 0.1) return `"${random.pick(COMPANY_STEMS)}" ${random.pick(COMPANY_NOUNS)}`;
  return `${random.pick(COMPANY_STEMS)} ${random.pick(COMPANY_NOUNS)} ${legal}`;
}

/** Lower-case ASCII form of a name for e-mail local parts and domains. */
export function asciiSlug(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "");
}
