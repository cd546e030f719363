/**
 * `npm run fixtures`: draws the public-data samples the tests map (tests/fixtures/<name>/data/)
 * from the public repositories' snapshots on this machine, each at a pinned commit, with its
 * sampling script, and checks every file against its md5. The data is public but not ours to
 * commit, so the repository keeps only where it comes from, its licence and how it is drawn
 * (tests/fixtures/<name>/SOURCE.md and sample.py). Files already drawn and intact are kept.
 *
 * The snapshots live in PORTRAIT_SNAPSHOTS (default /work/.mirror), one git directory per
 * repository, `<owner>+<name>/repo`.
 */
import {execFileSync} from "node:child_process";
import {createHash} from "node:crypto";
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {PROJECT_DIR} from "../loaders/core/paths.ts";

interface Extract {
  /** owner/name on GitHub. */
  repo: string;
  commit: string;
  /** Paths to take from the commit. */
  paths: string[];
}

interface Fixture {
  name: string;
  /** The repositories' files the sample is drawn from, in the order sample.py takes them. */
  from: Extract[];
  /** sample.py's arguments after the extracted folders (or none: the file is taken whole). */
  sample: ((extracted: string[], out: string) => string[]) | null;
  /** Every file written, with its md5. */
  files: Record<string, string>;
}

const FIXTURES: Fixture[] = [
  {
    name: "olist",
    from: [
      {
        repo: "Dhipin1/ai-business-intelligence-sales-forecasting",
        commit: "2cb9973df7678bcffeb9d4d26726bdaf162584d5",
        paths: ["data/sample"]
      },
      {
        repo: "olist/work-at-olist-data",
        commit: "c0c07e4286c6b5b43e7ac168509105e2bcab1c3f",
        paths: [
          "datasets/olist_products_dataset.csv",
          "datasets/olist_sellers_dataset.csv",
          "datasets/product_category_name_translation.csv"
        ]
      }
    ],
    sample: ([copy, publisher], out) => [
      join(copy, "data/sample"),
      join(publisher, "datasets"),
      out
    ],
    files: {
      "olist_customers_dataset.csv": "880a64b9d9cb63f0b1187e1c6555182d",
      "olist_orders_dataset.csv": "8de255b5256ac9bd8b40d95f66b8ad25",
      "olist_order_items_dataset.csv": "1e94b37588559d0a0b9fa71f97f0e830",
      "olist_order_payments_dataset.csv": "a558896b2574e3a8d810560965bb16b2",
      "olist_order_reviews_dataset.csv": "ffc6131e19813f5cfd9a1a55dd249722",
      "olist_products_dataset.csv": "3cfac9ebb0631091ccd2ee57700add10",
      "olist_sellers_dataset.csv": "70779216deaf3c8a0b65146e90eaee4f",
      "product_category_name_translation.csv": "cf1038c29c26b3fd95e1cdd305f6a7a2"
    }
  },
  {
    name: "online-retail",
    from: [
      {
        repo: "databricks/Spark-The-Definitive-Guide",
        commit: "4ba5601eb9b9aed1d01ab79775e3af228216ff6f",
        paths: ["data/retail-data/by-day"]
      }
    ],
    sample: ([src], out) => [join(src, "data/retail-data/by-day"), join(out, "online-retail.csv")],
    files: {"online-retail.csv": "5b10ae6b1664a33a87e6634d7ca160f7"}
  },
  {
    name: "marketing-campaign",
    from: [
      {
        repo: "ChaitanyaKampara/Customer_Personality__Analysis",
        commit: "23ea4a6c83da7a76745aa1c70fa681a39d944613",
        paths: ["marketing_campaign.csv"]
      }
    ],
    sample: null,
    files: {"marketing_campaign.csv": "923baf25b6ac19bc0958f15fc53060d2"}
  },
  {
    name: "telco-churn",
    from: [
      {
        repo: "IBM/telco-customer-churn-on-icp4d",
        commit: "d5371f5d83a446ad5673cbcca3b814b926491f8a",
        paths: ["data/Telco-Customer-Churn.csv"]
      }
    ],
    sample: ([src], out) => [
      join(src, "data/Telco-Customer-Churn.csv"),
      join(out, "Telco-Customer-Churn.csv")
    ],
    files: {"Telco-Customer-Churn.csv": "0c6874b693797554af6d1b1b2cae4204"}
  }
];

/** The folder a fixture's data is drawn into (git-ignored). */
export function fixtureData(name: string): string {
  return join(PROJECT_DIR, "tests", "fixtures", name, "data");
}

const md5 = (file: string) => createHash("md5").update(readFileSync(file)).digest("hex");

function intact(fixture: Fixture): boolean {
  const dir = fixtureData(fixture.name);
  return Object.entries(fixture.files).every(
    ([file, sum]) => existsSync(join(dir, file)) && md5(join(dir, file)) === sum
  );
}

/** Extracts a commit's paths from its snapshot into a new temporary folder. */
function extract(snapshots: string, e: Extract, work: string): string {
  const git = join(snapshots, e.repo.replace("/", "+"), "repo");
  if (!existsSync(git))
    throw new Error(
      `no snapshot of github:${e.repo} in ${snapshots}: fetch it (it holds commit ${e.commit}) or set PORTRAIT_SNAPSHOTS to where the snapshots are`
    );
  const dir = mkdtempSync(join(work, "src-"));
  const archive = execFileSync("git", ["-C", git, "archive", e.commit, ...e.paths], {
    maxBuffer: 1 << 30,
    stdio: ["ignore", "pipe", "ignore"]
  });
  execFileSync("tar", ["-x", "-C", dir], {input: archive});
  return dir;
}

function draw(fixture: Fixture, snapshots: string): void {
  const out = fixtureData(fixture.name);
  const work = mkdtempSync(join(tmpdir(), `portrait-fixture-${fixture.name}-`));
  try {
    const extracted = fixture.from.map((e) => extract(snapshots, e, work));
    rmSync(out, {recursive: true, force: true});
    mkdirSync(out, {recursive: true});
    if (fixture.sample === null) {
      const [e] = fixture.from;
      for (const path of e.paths)
        writeFileSync(join(out, path.split("/").at(-1)!), readFileSync(join(extracted[0], path)));
    } else {
      const script = join(PROJECT_DIR, "tests", "fixtures", fixture.name, "sample.py");
      execFileSync("python3", [script, ...fixture.sample(extracted, out)], {stdio: "ignore"});
    }
  } finally {
    rmSync(work, {recursive: true, force: true});
  }
  for (const [file, sum] of Object.entries(fixture.files)) {
    const got = existsSync(join(out, file)) ? md5(join(out, file)) : "missing";
    if (got !== sum)
      throw new Error(
        `tests/fixtures/${fixture.name}/data/${file}: md5 ${got}, expected ${sum}: the snapshot or sample.py changed (see tests/fixtures/${fixture.name}/SOURCE.md)`
      );
  }
}

function main(): void {
  const snapshots = process.env.PORTRAIT_SNAPSHOTS ?? "/work/.mirror";
  for (const fixture of FIXTURES) {
    if (intact(fixture)) continue;
    draw(fixture, snapshots);
    console.log(
      `tests/fixtures/${fixture.name}/data: drawn (${Object.keys(fixture.files).length} files)`
    );
  }
}

main();
