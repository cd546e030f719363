/** Benchmark: our one-thread k-means against scikit-learn's Lloyd on the same data and init. */
import {execFileSync} from "node:child_process";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {kmeans, kmeansPlusPlus, random} from "../loaders/profile/kmeans/kmeans.ts";

const {values} = parseArgs({
  options: {
    n: {type: "string", default: "1000000"},
    d: {type: "string", default: "16"},
    k: {type: "string", default: "8"},
    seed: {type: "string", default: "42"}
  }
});
const n = Number(values.n);
const d = Number(values.d);
const k = Number(values.k);
const seed = Number(values.seed);

/** n × d points: k overlapping Gaussians (σ = 2) around centres in [-4, 4]^d, with 5 % uniform noise. */
function mixture(n: number, d: number, k: number, seed: number): Float64Array {
  const rand = random(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const centres = Float64Array.from({length: k * d}, () => 8 * rand() - 4);
  const points = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const noise = rand() < 0.05;
    const c = Math.floor(rand() * k) * d;
    for (let t = 0; t < d; t++) {
      points[i * d + t] = noise ? 20 * rand() - 10 : centres[c + t] + 2 * normal();
    }
  }
  return points;
}

const ms = (from: number) => performance.now() - from;
const fmt = (x: number) => x.toFixed(1);

let started = performance.now();
const points = mixture(n, d, k, seed);
console.log(`data: ${n} × ${d}, k = ${k}, seed ${seed} (generated in ${fmt(ms(started))} ms)`);

started = performance.now();
const init = kmeansPlusPlus(points, {n, d, k, seed});
const seeding = ms(started);
started = performance.now();
const fit = kmeans(points, {n, d, k, seed, init});
const fitTime = ms(started);
const perIteration = fitTime / fit.iterations;
console.log("ours, one thread:");
console.log(`  k-means++ seeding   ${fmt(seeding)} ms`);
console.log(`  fit (from init)     ${fmt(fitTime)} ms`);
console.log(`  iterations          ${fit.iterations}`);
console.log(`  per Lloyd iteration ${fmt(perIteration)} ms`);
console.log(`  inertia             ${fit.inertia.toPrecision(10)}`);

const python = "/usr/bin/python3";
let hasSklearn = false;
try {
  execFileSync(python, ["-c", "import sklearn"], {stdio: "ignore"});
  hasSklearn = true;
} catch {
  console.log("scikit-learn: not installed (apt-get install -y python3-sklearn), no comparison");
}

if (hasSklearn) {
  const dir = mkdtempSync(join(tmpdir(), "kmeans-bench-"));
  try {
    const dataPath = join(dir, "points.f64");
    const initPath = join(dir, "init.f64");
    writeFileSync(dataPath, new Uint8Array(points.buffer, points.byteOffset, points.byteLength));
    writeFileSync(initPath, new Uint8Array(init.buffer, init.byteOffset, init.byteLength));
    // OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE slow a current numpy; unset for this command only.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      OMP_NUM_THREADS: "1",
      OPENBLAS_NUM_THREADS: "1"
    };
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    const script = new URL("./sklearn_kmeans.py", import.meta.url).pathname;
    const output = execFileSync(
      python,
      [script, dataPath, initPath, String(n), String(d), String(k), String(seed)],
      {env, encoding: "utf8", maxBuffer: 1 << 20}
    );
    const sk = JSON.parse(output) as {
      version: string;
      seeding_ms: number;
      fit_ms: number;
      n_iter: number;
      inertia: number;
      blas: string;
    };
    const skPerIteration = sk.fit_ms / sk.n_iter;
    console.log(`scikit-learn ${sk.version}, one thread (${sk.blas}):`);
    console.log(`  k-means++ seeding   ${fmt(sk.seeding_ms)} ms`);
    console.log(`  fit (same init)     ${fmt(sk.fit_ms)} ms`);
    console.log(`  iterations          ${sk.n_iter}`);
    console.log(`  per Lloyd iteration ${fmt(skPerIteration)} ms`);
    console.log(`  inertia             ${sk.inertia.toPrecision(10)}`);
    console.log("ratio ours / scikit-learn:");
    console.log(`  per Lloyd iteration ${(perIteration / skPerIteration).toFixed(3)}`);
    console.log(`  k-means++ seeding   ${(seeding / sk.seeding_ms).toFixed(3)}`);
    console.log(`  fit                 ${(fitTime / sk.fit_ms).toFixed(3)}`);
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}
