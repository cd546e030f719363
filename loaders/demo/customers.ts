/**
 * The customers.csv row of one account: the person's facts as that account recorded them,
 * with blanks, spelling variants and, for a second account, the small differences that make
 * duplicates hard to spot (name case, e-mail case and spaces, another phone format).
 */

import {formatDate, formatDay} from "./calendar.ts";
import {formatPhone, PHONE_STYLES} from "./contact.ts";
import {countryVariant, DIRT, emailVariant, postalCodeVariant} from "./dirt.ts";
import type {DefectKind} from "./dirt.ts";
import type {Person} from "./person.ts";
import type {Random} from "./random.ts";

export interface CellDefect {
  readonly column: string;
  readonly kind: DefectKind;
}

export interface CustomerRecord {
  readonly fields: string[];
  readonly defects: CellDefect[];
}

function blank(random: Random, field: keyof typeof DIRT.blank, value: string): string {
  return random.chance(DIRT.blank[field]) ? "" : value;
}

function recase(random: Random, name: string): string {
  const u = random.next();
  return u < 0.15 ? name.toUpperCase() : u < 0.3 ? name.toLowerCase() : name;
}

/** Builds the row of account `which` (0: first, 1: second) of a person, from the account's stream. */
export function customerRecord(
  person: Person,
  which: 0 | 1,
  id: string,
  random: Random
): CustomerRecord {
  const defects: CellDefect[] = [];
  const d = person.demographics;
  const second = which === 1;

  // Each account has its own phone style; a second account never repeats the first one's.
  const styles = PHONE_STYLES.length;
  const firstStyle = Math.floor(random.next() * styles);
  const style = second
    ? (firstStyle + 1 + Math.floor(random.next() * (styles - 1))) % styles
    : firstStyle;
  const phone = blank(
    random,
    "phone",
    formatPhone(person.country, person.phone, PHONE_STYLES[style])
  );

  const clean = person.emails[which];
  let email = clean ?? "";
  // Most second accounts differ from the first only after normalisation; some are identical.
  const variantChance = second ? DIRT.secondAccountEmailVariant : DIRT.emailVariant;
  if (clean !== null && random.chance(variantChance)) {
    email = emailVariant(random, clean);
    defects.push({column: "email", kind: "email_variant"});
  }

  let country: string = person.country.code;
  if (random.chance(DIRT.missingCountry)) {
    country = "";
    defects.push({column: "country", kind: "missing_value"});
  } else if (random.chance(DIRT.countryVariant)) {
    country = countryVariant(random, person.country);
    defects.push({column: "country", kind: "country_variant"});
  }

  let postal = blank(random, "postal_code", person.postal.postalCode);
  if (postal !== "" && random.chance(DIRT.postalCodeVariant)) {
    const variant = postalCodeVariant(random, postal, person.country);
    if (variant !== null) {
      postal = variant;
      defects.push({column: "postal_code", kind: "postal_code_variant"});
    }
  }

  const company = person.company;
  const fields = [
    id,
    email,
    phone,
    second ? recase(random, person.firstName) : person.firstName,
    second ? recase(random, person.lastName) : person.lastName,
    blank(random, "birth_date", formatDay(d.birthDay)),
    blank(random, "gender", d.gender),
    blank(random, "income", String(d.income)),
    blank(random, "education", d.education),
    blank(random, "occupation", d.occupation),
    blank(random, "household_size", String(d.householdSize)),
    blank(random, "marital_status", d.maritalStatus),
    blank(random, "street", person.street),
    blank(random, "city", person.postal.city),
    postal,
    country,
    formatDate(second ? person.secondSignup : person.signup),
    blank(random, "acquisition_channel", second ? "direct" : person.acquisition),
    blank(random, "preferred_channel", person.preferredChannel),
    company?.name ?? "",
    company?.industry ?? "",
    company ? String(company.employees) : "",
    company ? String(company.annualRevenue) : ""
  ];
  return {fields, defects};
}
