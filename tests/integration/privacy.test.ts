/**
 * The build's privacy check (loaders/privacy/) against a real store: a small demo's CRM
 * export read, validated, standardised and merged by the engine's own stages, plus a second
 * customers source whose one row is quarantined. Each test writes a published folder of its
 * own and plants what it is about.
 */
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {dirname, join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {rowsToArrow} from "../../loaders/site/arrow.ts";
import {parseConfig, type PortraitConfig} from "../../loaders/config/project.ts";
import {writeDemo} from "../../loaders/demo/write.ts";
import {runPipeline} from "../../loaders/engine.ts";
import {checkPrivacy, checkPrivacyReusing} from "../../loaders/privacy/check.ts";
import {digestSql, identifierDigest} from "../../loaders/privacy/digests.ts";
import {
  privacyFailure,
  privacySummary,
  type PrivacyReport
} from "../../loaders/privacy/findings.ts";
import {isCustomerLevel} from "../../loaders/privacy/group-size.ts";
import {isCustomerSample} from "../../loaders/privacy/k-anonymity.ts";
import {streetTokens} from "../../loaders/privacy/identifiers.ts";
import {identifierIndex} from "../../loaders/privacy/roster.ts";
import {scanPublished} from "../../loaders/privacy/scan.ts";
import {CUSTOMER_LEVEL_OUTPUT} from "../../loaders/site/published.ts";
import {sql, val} from "../../loaders/core/sql.ts";
import {Store} from "../../loaders/core/store.ts";

const dir = mkdtempSync(join(tmpdir(), "portrait-privacy-"));
let store: Store;
let config: PortraitConfig;

/** A US customer with every identifier, as the store holds them. */
let who: {
  customer_id: string;
  email: string;
  phone_key: string;
  first_name: string;
  last_name: string;
  street: string;
};

/** A customer id that is an e-mail address. */
const ID_EMAIL = "mia.jones@fastmail.example";

/** Street lines of the store ending in "Street" and in "Drive", as a record writes them. */
let streets: {street: string; drive: string};

/** The quarantined row's e-mail: a real person's, though the store keeps no customer for them. */
const QUARANTINED_EMAIL = "Noor.Visser-Quarantined@posteo.example";

beforeAll(async () => {
  const data = join(dir, "data");
  writeDemo({customers: 400, seed: 42, end: "2026-10-31", out: data});
  // A second CRM export under its own column names, with one row that has no customer id.
  writeFileSync(
    join(data, "crm2.csv"),
    `Id,E-mail,Phone,FirstName,LastName\n,${QUARANTINED_EMAIL},+31 6 1234 0000,Noor,Visser\n`
  );
  // A third whose customer id is an e-mail address, its e-mail column empty.
  writeFileSync(join(data, "crm3.csv"), `customer_id,email,country\n${ID_EMAIL},,NL\n`);
  config = parseConfig(
    {
      sources: {
        crm: {table: "customers", file: "data/customers.csv"},
        crm2: {
          table: "customers",
          file: "data/crm2.csv",
          columns: {customer_id: "Id", email: "E-mail", phone: "Phone"},
          validation: {maxRejectShare: 1}
        },
        crm3: {table: "customers", file: "data/crm3.csv"}
      }
    },
    join(dir, "portrait.config.ts")
  );
  store = await Store.open(":memory:");
  await runPipeline(store, config);
  who = (await store.one(
    sql`SELECT customer_id, email, phone_key, first_name, last_name, street FROM customers
     WHERE country = 'US' AND email IS NOT NULL AND phone_key IS NOT NULL AND length(phone_key) = 11
       AND first_name IS NOT NULL AND last_name IS NOT NULL AND regexp_matches(street, '^\\d+ \\w+ \\w+$')
     ORDER BY customer_id LIMIT 1`
  )) as typeof who;
  streets = (await store.one(
    sql`SELECT min(street) FILTER (regexp_matches(street, '^\\d+ \\w+ Street$')) AS street,
       min(street) FILTER (regexp_matches(street, '^\\d+ [\\w ]+ Drive$')) AS drive FROM customers`
  )) as typeof streets;
});

afterAll(() => {
  store?.close();
  rmSync(dir, {recursive: true, force: true});
});

let site = 0;

/** A published folder holding files (path relative to it → contents). */
function published(files: Record<string, string | Uint8Array>): string {
  const out = join(dir, `site-${++site}`);
  for (const [path, contents] of Object.entries(files)) {
    mkdirSync(dirname(join(out, path)), {recursive: true});
    writeFileSync(join(out, path), contents);
  }
  return out;
}

/** A page as Framework writes one, around some text. */
const page = (body: string) =>
  `<!DOCTYPE html>\n<html lang="en">\n<head><title>Report</title></head>\n<body>\n<main id="observablehq-main">\n${body}\n</main>\n</body>\n</html>\n`;

/** What every test folder holds besides its plant: a clean page, an aggregate, the export. */
function clean(): Record<string, string> {
  return {
    "index.html": page(
      "<h1>Overview</h1><p>20,005 customers; 1,234 orders worth $56,789.12 since 2014-01-02.</p>"
    ),
    "_file/data/overview.1b54280f.json": JSON.stringify({
      tables: [
        {table: "orders", customers: 380, rows: 4321},
        {table: "tickets", customers: null, rows: 12}
      ]
    }),
    "exports/customers.csv": `customer_id,profile_id,profile_name,segment,p_alive\n${who.customer_id},p1,Deal-seeking,35–44,0.51\n`
  };
}

const check = (out: string, privacy: Partial<PortraitConfig["privacy"]> = {}) =>
  checkPrivacy(store, out, {...config, privacy: {...config.privacy, ...privacy}});

/** The report's violations as the build prints them, one line each. */
const lines = (report: PrivacyReport) =>
  privacyFailure(report)
    .split("\n")
    .filter((l) => l.startsWith("- "));

describe("checkPrivacy(store, dir, config)", () => {
  it("passes a clean folder and says what it checked", async () => {
    const report = await check(published(clean()));
    expect(report.violations).toEqual([]);
    expect(report.files).toBe(3);
    expect(report.customers).toBeGreaterThan(300);
    expect(report.identifiers).toBeGreaterThan(report.customers * 2);
    expect(report.counts).toBe(2);
    expect(privacySummary(report)).toMatch(
      /^privacy check: 3 files \(0\.0 MB\), [\d,]+ identifiers of [\d,]+ customers checked, 2 customer counts checked \(minimum 10\), [\d,]+ tables with totals differenced: no violations in \d+\.\d s$/
    );
  });

  it("finds a customer's e-mail address written in another case", async () => {
    const planted = page(`<p>Write to <a href="mailto:x">${who.email.toUpperCase()}</a>.</p>`);
    const report = await check(published({...clean(), "profiles/p1.html": planted}));
    expect(report.violations.map((v) => [v.file, v.kind])).toEqual([["profiles/p1.html", "email"]]);
    const [line] = lines(report);
    expect(line).toContain(`profiles/p1.html, line 6, column`);
    expect(line).toContain(`the e-mail address ${who.email[0].toLowerCase()}…@`);
    expect(line).toContain(`of customer ${who.customer_id}`);
    expect(line).toContain("Remove the field");
    expect(line).toContain("set privacy.identifiers: true");
    // The message never repeats the address it found.
    expect(privacyFailure(report).toLowerCase()).not.toContain(who.email.toLowerCase());
  });

  it("finds a phone number written in another format, in a JSON string", async () => {
    const key = who.phone_key; // 1NPANXXXXXX
    const formatted = `(${key.slice(1, 4)}) ${key.slice(4, 7)}.${key.slice(7, 9)}.${key.slice(9)}`;
    const report = await check(
      published({
        ...clean(),
        "_file/data/contacts.json": JSON.stringify({rows: [{note: `call ${formatted} today`}]})
      })
    );
    expect(report.violations).toHaveLength(1);
    expect(lines(report)[0]).toBe(
      `- _file/data/contacts.json, at rows[0].note: the phone number …${key.slice(-4)} of customer ${who.customer_id}. ` +
        "Remove the field from what the page or loader publishes (publish the pseudonymous customer id instead), or set privacy.identifiers: true in the config for an internal build."
    );
  });

  it("finds a full name in a page, and a first and last name in two fields of one record", async () => {
    const report = await check(
      published({
        ...clean(),
        "segments.html": page(`<p>Top buyer: ${who.first_name} ${who.last_name}.</p>`),
        "exports/customers.csv": `customer_id,first_name,profile_id,last_name\n${who.customer_id},${who.first_name},p1,${who.last_name}\n`,
        "_file/data/cards/01.json": JSON.stringify([
          {id: who.customer_id, first: who.first_name, profile: "p1", last: who.last_name}
        ])
      })
    );
    expect(report.violations.map((v) => [v.file, v.kind, v.where])).toEqual([
      ["_file/data/cards/01.json", "name", "at [0]"],
      ["exports/customers.csv", "name", 'line 2, column "first_name"'],
      ["segments.html", "name", "line 6, column 15"]
    ]);
    expect(lines(report)[2]).toContain(
      `the full name ${who.first_name[0].toUpperCase()}. ${who.last_name[0].toUpperCase()}.`
    );
  });

  it("finds a street address with its house number, and names in an Arrow file", async () => {
    const arrow = rowsToArrow([
      {customer_id: "a", first_name: "Zed", last_name: "Nobody", x: 1},
      {customer_id: who.customer_id, first_name: who.first_name, last_name: who.last_name, x: 2}
    ]);
    const report = await check(
      published({
        ...clean(),
        "quality.html": page(`<td>${who.street.toUpperCase()}</td>`),
        "_file/data/customers.arrow": arrow
      })
    );
    expect(report.violations.map((v) => [v.file, v.kind, v.where])).toEqual([
      ["_file/data/customers.arrow", "name", "row 2"],
      ["quality.html", "street", "line 6, column 5"]
    ]);
  });

  it("finds a customer's e-mail address however it is written", async () => {
    const [local, domain] = who.email.split("@");
    const written = [
      `${local} @ ${domain}`,
      `${local}\u200b@${domain}`,
      `${local}\uff20${domain}`,
      `mailto:${local}%40${domain}`,
      [...who.email].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join("")
    ];
    const files = Object.fromEntries(written.map((w, i) => [`p${i}.html`, page(`<p>${w}</p>`)]));
    const report = await check(published({...clean(), ...files}));
    expect(report.violations.map((v) => [v.file, v.kind])).toEqual(
      written.map((_, i) => [`p${i}.html`, "email"])
    );
    for (const line of lines(report)) expect(line).toContain(`of customer ${who.customer_id}`);
  });

  it("finds a phone number written with en dashes or narrow no-break spaces", async () => {
    const key = who.phone_key; // 1NPANXXXXXX
    const national = [key.slice(1, 4), key.slice(4, 7), key.slice(7)];
    const report = await check(
      published({
        ...clean(),
        "a.html": page(`<p>${national.join("\u2013")}</p>`),
        "b.html": page(`<p>+1\u202f${national.join("\u202f")}</p>`),
        "_file/data/c.json": JSON.stringify({note: `tel. ${national.join("\u2011")}`})
      })
    );
    expect(report.violations.map((v) => [v.file, v.kind])).toEqual([
      ["_file/data/c.json", "phone"],
      ["a.html", "phone"],
      ["b.html", "phone"]
    ]);
    for (const line of lines(report)) expect(line).toContain(`of customer`);
  });

  it("finds a street address with its street type abbreviated", async () => {
    const abbreviated = [
      streets.street.replace(/ Street$/, " St."),
      streets.drive.replace(/ Drive$/, " Dr")
    ];
    const report = await check(
      published({...clean(), "quality.html": page(`<p>${abbreviated.join("</p>\n<p>")}</p>`)})
    );
    expect(report.violations.map((v) => [v.where, v.kind])).toEqual([
      ["line 6, column 4", "street"],
      ["line 7, column 4", "street"]
    ]);
  });

  it("finds e-mail addresses and phone numbers of no customer by their shape", async () => {
    const report = await check(
      published({
        ...clean(),
        "about.html": page(
          "<p>Write to someone.else@unknown-shop.example or call +49 30 1234 5678.</p>"
        ),
        "_file/data/notes.json": JSON.stringify({notes: ["ring (030) 1234-5678 after 6"]})
      })
    );
    expect(report.violations.map((v) => [v.file, v.kind])).toEqual([
      ["_file/data/notes.json", "phone"],
      ["about.html", "email"],
      ["about.html", "phone"]
    ]);
    expect(lines(report)[1]).toContain(
      "the e-mail address s…@unknown-shop.example, by its shape (an address or number of no customer in the store)"
    );
    expect(privacyFailure(report)).not.toContain("1234 5678");
  });

  it("finds an e-mail address used as the customer id, the e-mail column empty, and masks it in the message", async () => {
    const report = await check(
      published({
        ...clean(),
        "exports/customers.csv": `customer_id,profile_id\n${ID_EMAIL},p1\n`
      })
    );
    expect(lines(report)).toEqual([
      expect.stringContaining(
        '- exports/customers.csv, line 2, column "customer_id": the e-mail address m…@fastmail.example of customer m…@fastmail.example.'
      )
    ]);
    expect(privacyFailure(report)).not.toContain("mia.jones");
  });

  it("finds the identifiers of a quarantined customer row", async () => {
    const planted = page(`<pre>${QUARANTINED_EMAIL}</pre>`);
    const report = await check(published({...clean(), "quality.html": planted}));
    // The address holds the name too, and says so.
    expect(lines(report)).toEqual([
      expect.stringContaining(
        "quality.html, line 6, column 6: the e-mail address n…@posteo.example of the customer in quarantined row 1 of source crm2."
      ),
      expect.stringContaining(
        "quality.html, line 6, column 6: the full name N. V. of the customer in quarantined row 1 of source crm2."
      )
    ]);
  });

  it("fails an aggregate below the minimum group size, and names the path to the count", async () => {
    const report = await check(
      published({
        ...clean(),
        "_file/data/segments.json": JSON.stringify({
          cells: [
            {segment: "DE", profile: "p1", customers: 3},
            {segment: "FR", profile: "p1", customers: null},
            {segment: "NL", profile: "p1", customers: 0},
            {segment: "ES", profile: "p1", at_risk_customers: 9, orders: 2}
          ]
        })
      })
    );
    expect(report.counts).toBe(6);
    expect(lines(report)).toEqual([
      '- _file/data/segments.json, at cells[0].customers: a count of 3 customers, below privacy.minGroupSize (10). Raise the suppression: publish null for any count under 10 (and say "fewer than 10" on the page). If the file holds one row per customer, add its path to CUSTOMER_LEVEL_OUTPUT in loaders/site/published.ts as customer rows.',
      expect.stringMatching(
        /^- _file\/data\/segments\.json, at cells\[3\]\.at_risk_customers: a count of 9 customers, below/
      )
    ]);
  });

  it("applies the group size to loader output and exports, not to customer-level files", async () => {
    const one = JSON.stringify({customers: 1});
    const report = await check(
      published({
        "_file/data/cards/07.json": one, // one card per customer
        "exports/profiles.json": JSON.stringify({profiles: [{id: "p1", customers: 4}]}),
        "_npm/some-lib@1.0.0/package.json": one // not published data
      }),
      {minGroupSize: 5}
    );
    expect(report.violations.map((v) => [v.file, v.where])).toEqual([
      ["exports/profiles.json", "at profiles[0].customers"]
    ]);
    expect(privacyFailure(report)).toContain("below privacy.minGroupSize (5)");
  });

  it("passes planted identifiers when the config allows them, and still checks counts", async () => {
    const out = published({
      ...clean(),
      "customer.html": page(
        `<p>${who.first_name} ${who.last_name}, ${who.email}, +${who.phone_key}</p>`
      )
    });
    const report = await check(out, {identifiers: true});
    expect(report.violations).toEqual([]);
    expect(report.identifiers).toBeNull();
    expect(privacySummary(report)).toContain("identifiers allowed by privacy.identifiers");
    expect((await check(out)).violations.map((v) => v.kind)).toEqual(["name", "email", "phone"]);
  });

  it("does not take a first name alone, a street name alone or shared digits for identifiers", async () => {
    const national = who.phone_key.slice(1);
    const street = who.street.split(" ");
    const report = await check(
      published({
        ...clean(),
        "profiles/p2.html": page(
          [
            `<p>${who.first_name} and ${who.last_name} are common names; so is ${who.first_name} Anyone-Else.</p>`,
            `<p>Most live near ${street.slice(1).join(" ")}, at number ${street[0]}0 or elsewhere.</p>`,
            `<p>Order ${national.slice(0, 6)}, amount ${national.slice(0, 7)}.${national.slice(7)}, id ${national}9,`,
            `ratio 0.${national}1, code ${national.slice(0, -1)}; ${who.email.split("@")[0]} at another domain.</p>`,
            "<p>Since 2014-01-02 12:30, 31.12.2024, 2024 2025 2026; $1,234,567.89, 12.345.678 and 0.51234567;",
            "coordinates 52.3676 4.9041, host 192.168.100.200, d3@7.9.0, ids C0000001-2024 and 10 of 3 4 5 6 7 8 9.</p>"
          ].join("\n")
        ),
        "_file/data/amounts.json": JSON.stringify({
          orders: [
            {
              amount: Number(`${national.slice(0, 7)}.${national.slice(7)}`),
              id: Number(`${national}7`)
            }
          ]
        })
      })
    );
    expect(report.violations).toEqual([]);
  });

  it("fails a data file it cannot read instead of passing it unread", async () => {
    const report = await check(published({...clean(), "_file/data/customers.parquet": "PAR1"}));
    expect(lines(report)).toEqual([
      expect.stringContaining(
        "- _file/data/customers.parquet, whole file: a .parquet file the check cannot read. Publish data as JSON, CSV or uncompressed Arrow IPC"
      )
    ]);
  });
});

describe("checkPrivacy(store, dir, config): customer samples", () => {
  const SAMPLE = "_file/data/explore.1a2b3c4d.arrow";
  /** Forty customers: two age bands, two profiles, exact values and risk (no quasi-identifiers). */
  const rows = (plant?: (i: number) => Record<string, unknown>) =>
    Array.from({length: 40}, (_, i) => ({
      customer_id: `C${String(i).padStart(4, "0")}`,
      profile_id: i % 2 ? "p1" : "p2",
      p_alive: 0.5 + i / 100,
      age: i < 20 ? 35 : 45,
      expected_value_12m: 100 + i * 3.7,
      ...plant?.(i)
    }));

  it("passes a sample whose every combination of quasi-identifiers covers the group size", async () => {
    const report = await check(published({...clean(), [SAMPLE]: rowsToArrow(rows())}));
    expect(report.violations).toEqual([]);
    expect(report.samples).toEqual([{file: SAMPLE, smallest: 20, columns: 1}]);
    expect(privacySummary(report)).toContain(
      "1 customer sample checked for quasi-identifiers (smallest combination 20)"
    );
  });

  it("fails a sample with a planted fine-grained column, naming the file and the columns", async () => {
    const planted = rowsToArrow(rows((i) => ({signup_date: `2020-01-${(i % 28) + 1}`})));
    const report = await check(published({...clean(), [SAMPLE]: planted}));
    expect(report.violations.map((v) => [v.file, v.kind])).toEqual([[SAMPLE, "sample"]]);
    const [line] = lines(report);
    expect(line).toContain(`${SAMPLE}, quasi-identifier columns age, signup_date:`);
    expect(line).toContain(
      "40 of 40 customers share their combination of these columns with fewer than 10 customers (privacy.minGroupSize; the smallest combination: 1)"
    );
    expect(line).toContain(
      "the finest columns are signup_date (28 distinct values), age (2 distinct values)"
    );
    expect(line).toContain("Coarsen these columns");
    // The models' exact output singles no one out: it is no quasi-identifier.
    const behaviour = await check(published({...clean(), [SAMPLE]: rowsToArrow(rows())}), {
      minGroupSize: 20
    });
    expect(behaviour.violations).toEqual([]);
  });
});

describe("scanPublished(dir, index, minGroupSize, {pieceBytes})", () => {
  it("reads a customer-level file too large for one string in pieces of lines, finding what a whole read finds", async () => {
    const filler = (i: number) =>
      `\t{"customer_id":"X${i}","profile_brief":"Reach them by email, against 43 % of all customers."},`;
    const json = [
      '{"$schema":"./schemas/customers.v2.json","customers":[',
      ...Array.from({length: 40}, (_, i) => filler(i)),
      `\t{"customer_id":"${who.customer_id}","first":"${who.first_name}","last":"${who.last_name}"},`,
      ...Array.from({length: 40}, (_, i) => filler(i + 40)),
      `\t{"customer_id":"Y","note":"write to ${who.email}"}`,
      "]}"
    ].join("\n");
    const csvRows = Array.from({length: 60}, (_, i) => `X${i},p1,Deal-seeking,`);
    csvRows.splice(30, 0, `${who.customer_id},p1,${who.first_name},${who.last_name}`);
    const csv = `customer_id,profile_id,first,last\n${csvRows.join("\n")}\n`;
    const out = published({"exports/customers.json": json, "exports/customers.csv": csv});
    const index = await identifierIndex(store, config);
    const where = (r: PrivacyReport) => r.violations.map((v) => [v.file, v.kind, v.where]);
    const pieces = await scanPublished(out, index, 10, {pieceBytes: 256});
    expect(where(pieces)).toEqual([
      ["exports/customers.csv", "name", 'line 32, column "first"'],
      ["exports/customers.json", "name", "line 42"],
      ["exports/customers.json", "email", "line 83, at note"]
    ]);
    // read whole, the CSV gives the same places, the JSON its paths
    const whole = await scanPublished(out, index, 10);
    expect(where(whole)).toEqual([
      ["exports/customers.csv", "name", 'line 32, column "first"'],
      ["exports/customers.json", "name", "at customers[40]"],
      ["exports/customers.json", "email", "at customers[81].note"]
    ]);
    expect(await scanPublished(out, null, 10, {pieceBytes: 256})).toMatchObject({violations: []});
  });

  it("builds its index from customers without any phone number", async () => {
    const bare = await Store.open(":memory:");
    try {
      await bare.run(
        sql`CREATE TABLE customers AS SELECT 'C1' AS customer_id, 'ann@mail.example' AS email, 'Ann' AS first_name, 'Vogel' AS last_name`
      );
      const index = await identifierIndex(bare, config);
      expect([index.emails.size, index.phones.size]).toEqual([1, 0]);
    } finally {
      bare.close();
    }
  });
});

describe("the check's parts", () => {
  it("computes the same identifier digest in JS and in DuckDB", async () => {
    expect(digestSql(sql`f`).render()).toEqual({
      text: "(md5_number_upper(f) >> 11)::BIGINT",
      params: []
    });
    for (const text of [who.email.toLowerCase(), who.phone_key, "müller@straße.example", ""]) {
      const row = await store.one<{d: number}>(sql`SELECT ${digestSql(sql`${val(text)}`)} AS d`);
      expect(row?.d).toBe(identifierDigest(text));
    }
  });

  it("reads a street line only with its house number", () => {
    expect(streetTokens("39 Elm Street, Apt 9")).toEqual(["39", "elm", "st"]);
    expect(streetTokens("39 Elm St.")).toEqual(["39", "elm", "st"]);
    expect(streetTokens("11 Lake View Dr")).toEqual(streetTokens("11 Lake View Drive"));
    expect(streetTokens("Calle Luna, 39")).toEqual(["calle", "luna", "39"]);
    expect(streetTokens("Schulstraße 135")).toEqual(["schulstr", "135"]);
    expect(streetTokens("Schulstr. 135")).toEqual(["schulstr", "135"]);
    expect(streetTokens("Main Street")).toBeNull();
    expect(streetTokens("42")).toBeNull();
  });

  it("takes customer rows from the one list of customer-level output, content hash ignored", () => {
    const rows = CUSTOMER_LEVEL_OUTPUT.filter((e) => e.kind === "customer rows").map((e) => e.path);
    expect(rows).toContain("exports/customers.csv");
    expect(rows).toContain("exports/customers.json");
    expect(rows).toContain("exports/changes.csv");
    expect(isCustomerLevel("data/cards/07.json")).toBe(true);
    expect(isCustomerLevel("_file/data/cards/07.1a2b3c4d.json")).toBe(true);
    expect(isCustomerLevel("_file/data/customers.1a2b3c4d.arrow")).toBe(true);
    expect(isCustomerLevel("_file/data/explore.0a1b2c3d.arrow")).toBe(true);
    expect(isCustomerLevel("exports/customers.csv")).toBe(true);
    expect(isCustomerLevel("exports/customers.json")).toBe(true);
    expect(isCustomerLevel("exports/changes.csv")).toBe(true);
    expect(isCustomerLevel("exports/profiles.json")).toBe(false);
    expect(isCustomerLevel("exports/schemas/customers.v2.json")).toBe(false);
    expect(isCustomerLevel("_file/data/profiles/p1.b2738034.json")).toBe(false);
    // a customer-level page and its summaries are left out of an aggregates-only build, but
    // their counts are aggregates all the same
    expect(isCustomerLevel("explore.html")).toBe(false);
    expect(isCustomerLevel("_file/data/explore.5e6f7a8b.json")).toBe(false);
    expect(isCustomerLevel("_file/data/cards.1a2b3c4d.json")).toBe(false);
    // the Explore sample is drawn for analysis: its quasi-identifiers are checked too
    expect(isCustomerSample("_file/data/explore.0a1b2c3d.arrow")).toBe(true);
    expect(isCustomerSample("exports/customers.csv")).toBe(false);
    expect(isCustomerSample("_file/data/cards/07.1a2b3c4d.json")).toBe(false);
  });
});

describe("checkPrivacyReusing(store, dir, config, {cache, storeFingerprint})", () => {
  it("reuses a clean check of the same files and store, and checks anything else afresh", async () => {
    const out = published(clean());
    const cache = join(dir, "privacy-check.json");
    const options = {cache, storeFingerprint: "store-a"};
    const first = await checkPrivacyReusing(store, out, config, options);
    expect(first.reused).toBeUndefined();
    expect(first.violations).toEqual([]);
    const again = await checkPrivacyReusing(store, out, config, options);
    expect(again).toMatchObject({reused: true, files: first.files, counts: first.counts});
    expect(privacySummary(again)).toContain(
      "(the same files as the last clean check of this store)"
    );
    // Another store, other settings: checked again.
    const other = await checkPrivacyReusing(store, out, config, {cache, storeFingerprint: "b"});
    expect(other.reused).toBeUndefined();
    const settings = {...config, privacy: {...config.privacy, minGroupSize: 20}};
    expect((await checkPrivacyReusing(store, out, settings, options)).reused).toBeUndefined();
    // One changed byte, here a planted e-mail address: checked, found, and nothing kept.
    await checkPrivacyReusing(store, out, config, options);
    writeFileSync(join(out, "index.html"), page(`<p>${who.email}</p>`));
    const leaked = await checkPrivacyReusing(store, out, config, options);
    expect(leaked.reused).toBeUndefined();
    expect(leaked.violations.map((v) => v.kind)).toEqual(["email"]);
    expect((await checkPrivacyReusing(store, out, config, options)).violations).toHaveLength(1);
  });
});
