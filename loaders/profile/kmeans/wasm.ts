/**
 * WebAssembly SIMD (f64x2) kernels for k-means, assembled in code for one dimension d ≤ 64.
 *
 * Nothing is read from disk and no tool runs: the module's bytes are emitted here, unrolled over the
 * coordinates like the `new Function` kernels in ../kmeans.ts, and compiled once per d. Points are
 * stored with an even stride (d rounded up, padded with zeros) so each row is whole f64x2 lanes.
 */

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;

/** Unsigned LEB128. */
function unsigned(value: number, out: number[]): void {
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
}

/** Signed LEB128 for 32-bit integers. */
function signed(value: number, out: number[]): void {
  value |= 0;
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return;
    }
    out.push(byte | 0x80);
  }
}

function name(text: string, out: number[]): void {
  const bytes = new TextEncoder().encode(text);
  unsigned(bytes.length, out);
  out.push(...bytes);
}

/** One function body under construction: locals by type, then a flat instruction stream. */
class Fn {
  readonly code: number[] = [];
  private readonly locals: number[] = [];

  constructor(
    readonly exportName: string,
    readonly params: number[],
    readonly results: number[]
  ) {}

  local(type: number): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }
  get(index: number): this {
    this.code.push(0x20);
    unsigned(index, this.code);
    return this;
  }
  set(index: number): this {
    this.code.push(0x21);
    unsigned(index, this.code);
    return this;
  }
  tee(index: number): this {
    this.code.push(0x22);
    unsigned(index, this.code);
    return this;
  }
  i32(value: number): this {
    this.code.push(0x41);
    signed(value, this.code);
    return this;
  }
  f64(value: number): this {
    this.code.push(0x44, ...new Uint8Array(Float64Array.of(value).buffer));
    return this;
  }
  private memory(opcode: number, align: number, offset: number): this {
    this.code.push(opcode, align);
    unsigned(offset, this.code);
    return this;
  }
  loadI32(offset = 0): this {
    return this.memory(0x28, 2, offset);
  }
  storeI32(offset = 0): this {
    return this.memory(0x36, 2, offset);
  }
  loadF64(offset = 0): this {
    return this.memory(0x2b, 3, offset);
  }
  storeF64(offset = 0): this {
    return this.memory(0x39, 3, offset);
  }
  simd(opcode: number): this {
    this.code.push(0xfd);
    unsigned(opcode, this.code);
    return this;
  }
  loadV(offset = 0): this {
    this.simd(0x00).code.push(4);
    unsigned(offset, this.code);
    return this;
  }
  storeV(offset = 0): this {
    this.simd(0x0b).code.push(4);
    unsigned(offset, this.code);
    return this;
  }
  lane(index: number): this {
    this.simd(0x21).code.push(index);
    return this;
  }
  /** Sums both lanes of the f64x2 on the stack, kept in local scratch. */
  horizontal(scratch: number): this {
    return this.tee(scratch).lane(0).get(scratch).lane(1).op(F64_ADD);
  }

  body(): number[] {
    const out: number[] = [];
    const groups: [number, number][] = [];
    for (const type of this.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === type) last[0]++;
      else groups.push([1, type]);
    }
    unsigned(groups.length, out);
    for (const [count, type] of groups) {
      unsigned(count, out);
      out.push(type);
    }
    out.push(...this.code, 0x0b);
    const sized: number[] = [];
    unsigned(out.length, sized);
    return sized.concat(out);
  }
}

// Opcodes used below.
const BLOCK = 0x02;
const LOOP = 0x03;
const IF = 0x04;
const ELSE = 0x05;
const END = 0x0b;
const BR_IF = 0x0d;
const VOID = 0x40;
const SELECT = 0x1b;
const I32_EQ = 0x46;
const I32_NE = 0x47;
const I32_LT_U = 0x49;
const I32_GE_U = 0x4f;
const F64_LT = 0x63;
const F64_LE = 0x65;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const I32_MUL = 0x6c;
const I32_SHL = 0x74;
const F64_SQRT = 0x9f;
const F64_ADD = 0xa0;
const F64_SUB = 0xa1;
const F64_MUL = 0xa2;
const F64_MIN = 0xa4;
const F64_MAX = 0xa5;
const V_ADD = 0xf0;
const V_SUB = 0xf1;
const V_MUL = 0xf2;

function section(id: number, payload: number[], out: number[]): void {
  out.push(id);
  unsigned(payload.length, out);
  out.push(...payload);
}

function assemble(functions: Fn[]): Uint8Array<ArrayBuffer> {
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types: number[] = [];
  unsigned(functions.length, types);
  for (const f of functions) {
    types.push(0x60);
    unsigned(f.params.length, types);
    types.push(...f.params);
    unsigned(f.results.length, types);
    types.push(...f.results);
  }
  section(1, types, out);
  const imports: number[] = [1];
  name("env", imports);
  name("memory", imports);
  imports.push(0x02, 0x00, 0x00); // memory, limits {min 0}
  section(2, imports, out);
  const declarations: number[] = [];
  unsigned(functions.length, declarations);
  functions.forEach((_, index) => unsigned(index, declarations));
  section(3, declarations, out);
  const exports: number[] = [];
  unsigned(functions.length, exports);
  functions.forEach((f, index) => {
    name(f.exportName, exports);
    exports.push(0x00);
    unsigned(index, exports);
  });
  section(7, exports, out);
  const code: number[] = [];
  unsigned(functions.length, code);
  for (const f of functions) code.push(...f.body());
  section(10, code, out);
  return Uint8Array.from(out);
}

/**
 * Emits a balanced sum over lanes [from, to) of term(t), each an f64x2: a shallow tree keeps the
 * dependency chains short so several terms are in flight at once.
 */
function tree(f: Fn, from: number, to: number, term: (t: number) => void): void {
  if (to - from === 1) {
    term(from);
    return;
  }
  const middle = (from + to) >> 1;
  tree(f, from, middle, term);
  tree(f, middle, to, term);
  f.simd(V_ADD);
}

/** Loads the m lanes of the row at the byte address in local `row` into the locals `lanes`. */
function loadRow(f: Fn, row: number, lanes: number[]): void {
  lanes.forEach((lane, t) =>
    f
      .get(row)
      .loadV(16 * t)
      .set(lane)
  );
}

/** Squared distance, as f64, between the row in `lanes` and the row at the address in local `at`. */
function squaredDistance(f: Fn, lanes: number[], at: number, scratch: number): void {
  tree(f, 0, lanes.length, (t) => {
    f.get(lanes[t])
      .get(at)
      .loadV(16 * t)
      .simd(V_SUB);
    f.tee(scratch).get(scratch).simd(V_MUL);
  });
}

/** The dot product, as f64x2 lanes, of the row in `lanes` and the row at the address in local `at`. */
function dot(f: Fn, lanes: number[], at: number): void {
  tree(f, 0, lanes.length, (t) =>
    f
      .get(lanes[t])
      .get(at)
      .loadV(16 * t)
      .simd(V_MUL)
  );
}

/** Exported function names and signatures; pointers are byte offsets into the shared memory. */
export interface WasmExports {
  /** norms[i] = |x_i|² for i in [from, to). */
  norms(points: number, norms: number, from: number, to: number): void;
  /** Nearest and runner-up centres of every point in [from, to); accumulates sums and counts. */
  initial(
    points: number,
    norms: number,
    labels: number,
    upper: number,
    lower: number,
    centres: number,
    centreNorms: number,
    sums: number,
    counts: number,
    k: number,
    from: number,
    to: number
  ): void;
  /** One Hamerly assignment over [from, to), bounds moved by the drifts first; returns changes. */
  hamerly(
    points: number,
    norms: number,
    labels: number,
    upper: number,
    lower: number,
    centres: number,
    centreNorms: number,
    sums: number,
    counts: number,
    k: number,
    from: number,
    to: number,
    drift: number,
    half: number,
    maxJ: number,
    maxDrift: number,
    secondDrift: number
  ): number;
  /** closest[i] = |x_i - x_c|² for the row at byte address c; returns their sum in index order. */
  seedFirst(points: number, closest: number, centre: number, from: number, to: number): number;
  /**
   * For each candidate r (row addresses at offsets), out[r n + i] = min(closest[i], |x_i - c_r|²)
   * and potentials[r] += it, in index order.
   */
  seedCandidates(
    points: number,
    closest: number,
    offsets: number,
    trials: number,
    out: number,
    n: number,
    potentials: number,
    from: number,
    to: number
  ): void;
}

/** The module's bytes for dimension d (padded to an even stride). */
export function moduleBytes(d: number): Uint8Array<ArrayBuffer> {
  const m = Math.ceil(d / 2);
  const stride = 16 * m; // bytes per row
  const functions: Fn[] = [];

  {
    const f = new Fn("norms", [I32, I32, I32, I32], []);
    const [points, norms, from, to] = [0, 1, 2, 3];
    const i = f.local(I32);
    const row = f.local(I32);
    const scratch = f.local(V128);
    const sum = f.local(V128);
    f.get(from).get(to).op(I32_GE_U, IF, VOID).op(0x0f, END); // return on an empty range
    f.get(from).set(i);
    f.op(LOOP, VOID);
    f.get(points).get(i).i32(stride).op(I32_MUL, I32_ADD).set(row);
    tree(f, 0, m, (t) =>
      f
        .get(row)
        .loadV(16 * t)
        .tee(scratch)
        .get(scratch)
        .simd(V_MUL)
    );
    f.set(sum);
    f.get(norms).get(i).i32(3).op(I32_SHL, I32_ADD).get(sum).horizontal(scratch).storeF64();
    f.get(i).i32(1).op(I32_ADD).tee(i).get(to).op(I32_LT_U, BR_IF, 0);
    f.op(END);
    functions.push(f);
  }

  /**
   * The scan over all k centres for the point in `lanes`: leaves the nearest index in bestJ and
   * the square roots of the nearest and runner-up squared distances in upper[i] and lower[i].
   */
  const scan = (
    f: Fn,
    p: {
      lanes: number[];
      norm: number;
      centres: number;
      centreNorms: number;
      k: number;
      upperAt: number;
      lowerAt: number;
      bestJ: number;
    }
  ) => {
    const j = f.local(I32);
    const q = f.local(I32);
    const best = f.local(F64);
    const second = f.local(F64);
    const dist = f.local(F64);
    const scratch = f.local(V128);
    f.f64(Infinity).set(best).f64(Infinity).set(second).i32(0).set(p.bestJ).i32(0).set(j);
    f.get(p.centres).set(q);
    f.op(LOOP, VOID);
    // dist = norm - 2 (x · c_j) + |c_j|², as scikit-learn computes it.
    f.get(p.norm).f64(2);
    dot(f, p.lanes, q);
    f.horizontal(scratch).op(F64_MUL, F64_SUB);
    f.get(p.centreNorms).get(j).i32(3).op(I32_SHL, I32_ADD).loadF64().op(F64_ADD).set(dist);
    f.get(dist).get(best).op(F64_LT, IF, VOID);
    f.get(best).set(second).get(dist).set(best).get(j).set(p.bestJ);
    f.op(ELSE);
    f.get(dist).get(second).get(dist).get(second).op(F64_LT, SELECT).set(second);
    f.op(END);
    f.get(q).i32(stride).op(I32_ADD).set(q);
    f.get(j).i32(1).op(I32_ADD).tee(j).get(p.k).op(I32_LT_U, BR_IF, 0);
    f.op(END);
    // Rounding in the dot-product form can dip just below zero.
    f.get(p.upperAt).get(best).f64(0).op(F64_MAX, F64_SQRT).storeF64();
    f.get(p.lowerAt).get(second).f64(0).op(F64_MAX, F64_SQRT).storeF64();
  };

  /** sums[to] += x (and sums[from] -= x when from ≥ 0 is a local), counts likewise. */
  const move = (f: Fn, lanes: number[], sums: number, counts: number, from: number, to: number) => {
    const at = f.local(I32);
    if (from >= 0) {
      f.get(sums).get(from).i32(stride).op(I32_MUL, I32_ADD).set(at);
      lanes.forEach((lane, t) => {
        f.get(at)
          .get(at)
          .loadV(16 * t)
          .get(lane)
          .simd(V_SUB)
          .storeV(16 * t);
      });
      f.get(counts).get(from).i32(2).op(I32_SHL, I32_ADD).tee(at);
      f.get(at).loadI32().i32(1).op(I32_SUB).storeI32();
    }
    f.get(sums).get(to).i32(stride).op(I32_MUL, I32_ADD).set(at);
    lanes.forEach((lane, t) => {
      f.get(at)
        .get(at)
        .loadV(16 * t)
        .get(lane)
        .simd(V_ADD)
        .storeV(16 * t);
    });
    f.get(counts).get(to).i32(2).op(I32_SHL, I32_ADD).tee(at);
    f.get(at).loadI32().i32(1).op(I32_ADD).storeI32();
  };

  const lloydParams = [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32];
  {
    const f = new Fn("initial", lloydParams, []);
    const [points, norms, labels, upper, lower, centres, centreNorms, sums, counts, k, from, to] = [
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
    ];
    const i = f.local(I32);
    const row = f.local(I32);
    const bestJ = f.local(I32);
    const upperAt = f.local(I32);
    const lowerAt = f.local(I32);
    const norm = f.local(F64);
    const lanes = Array.from({length: m}, () => f.local(V128));
    f.get(from).get(to).op(I32_GE_U, IF, VOID).op(0x0f, END);
    f.get(from).set(i);
    f.op(LOOP, VOID);
    f.get(points).get(i).i32(stride).op(I32_MUL, I32_ADD).set(row);
    loadRow(f, row, lanes);
    f.get(norms).get(i).i32(3).op(I32_SHL, I32_ADD).loadF64().set(norm);
    f.get(upper).get(i).i32(3).op(I32_SHL, I32_ADD).set(upperAt);
    f.get(lower).get(i).i32(3).op(I32_SHL, I32_ADD).set(lowerAt);
    scan(f, {lanes, norm, centres, centreNorms, k, upperAt, lowerAt, bestJ});
    f.get(labels).get(i).i32(2).op(I32_SHL, I32_ADD).get(bestJ).storeI32();
    move(f, lanes, sums, counts, -1, bestJ);
    f.get(i).i32(1).op(I32_ADD).tee(i).get(to).op(I32_LT_U, BR_IF, 0);
    f.op(END);
    functions.push(f);
  }

  {
    const f = new Fn("hamerly", [...lloydParams, I32, I32, I32, F64, F64], [I32]);
    const [points, norms, labels, upper, lower, centres, centreNorms, sums, counts, k, from, to] = [
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
    ];
    const [drift, half, maxJ, maxDrift, secondDrift] = [12, 13, 14, 15, 16];
    const i = f.local(I32);
    const a = f.local(I32);
    const row = f.local(I32);
    const bestJ = f.local(I32);
    const upperAt = f.local(I32);
    const lowerAt = f.local(I32);
    const at = f.local(I32);
    const changed = f.local(I32);
    const u = f.local(F64);
    const bound = f.local(F64);
    const norm = f.local(F64);
    const scratch = f.local(V128);
    const lanes = Array.from({length: m}, () => f.local(V128));
    f.i32(0).set(changed);
    f.op(BLOCK, VOID);
    f.get(from).get(to).op(I32_GE_U, BR_IF, 0);
    f.get(from).set(i);
    f.op(LOOP, VOID);
    f.op(BLOCK, VOID); // continue
    f.get(labels).get(i).i32(2).op(I32_SHL, I32_ADD).loadI32().set(a);
    f.get(upper).get(i).i32(3).op(I32_SHL, I32_ADD).set(upperAt);
    f.get(lower).get(i).i32(3).op(I32_SHL, I32_ADD).set(lowerAt);
    // u = upper + drift[a]; lower -= (a === maxJ ? secondDrift : maxDrift)
    f.get(upperAt).loadF64().get(drift).get(a).i32(3).op(I32_SHL, I32_ADD).loadF64();
    f.op(F64_ADD).set(u);
    f.get(lowerAt).get(lowerAt).loadF64().get(secondDrift).get(maxDrift);
    f.get(a).get(maxJ).op(I32_EQ, SELECT, F64_SUB).tee(bound).storeF64();
    f.get(half).get(a).i32(3).op(I32_SHL, I32_ADD).loadF64().get(bound).op(F64_MAX).set(bound);
    f.get(upperAt).get(u).storeF64();
    f.get(u).get(bound).op(F64_LE, BR_IF, 0);
    // Tighten the upper bound exactly before paying for a full scan over all centres.
    f.get(points).get(i).i32(stride).op(I32_MUL, I32_ADD).set(row);
    loadRow(f, row, lanes);
    f.get(centres).get(a).i32(stride).op(I32_MUL, I32_ADD).set(at);
    squaredDistance(f, lanes, at, scratch);
    f.horizontal(scratch).op(F64_SQRT).set(u);
    f.get(upperAt).get(u).storeF64();
    f.get(u).get(bound).op(F64_LE, BR_IF, 0);
    f.get(norms).get(i).i32(3).op(I32_SHL, I32_ADD).loadF64().set(norm);
    scan(f, {lanes, norm, centres, centreNorms, k, upperAt, lowerAt, bestJ});
    f.get(bestJ).get(a).op(I32_NE, IF, VOID);
    f.get(labels).get(i).i32(2).op(I32_SHL, I32_ADD).get(bestJ).storeI32();
    move(f, lanes, sums, counts, a, bestJ);
    f.get(changed).i32(1).op(I32_ADD).set(changed);
    f.op(END);
    f.op(END); // continue
    f.get(i).i32(1).op(I32_ADD).tee(i).get(to).op(I32_LT_U, BR_IF, 0);
    f.op(END, END);
    f.get(changed);
    functions.push(f);
  }

  {
    const f = new Fn("seedFirst", [I32, I32, I32, I32, I32], [F64]);
    const [points, closest, centre, from, to] = [0, 1, 2, 3, 4];
    const i = f.local(I32);
    const row = f.local(I32);
    const s = f.local(F64);
    const sum = f.local(F64);
    const scratch = f.local(V128);
    const lanes = Array.from({length: m}, () => f.local(V128));
    f.f64(0).set(sum);
    f.op(BLOCK, VOID);
    f.get(from).get(to).op(I32_GE_U, BR_IF, 0);
    loadRow(f, centre, lanes);
    f.get(from).set(i);
    f.op(LOOP, VOID);
    f.get(points).get(i).i32(stride).op(I32_MUL, I32_ADD).set(row);
    squaredDistance(f, lanes, row, scratch);
    f.horizontal(scratch).set(s);
    f.get(closest).get(i).i32(3).op(I32_SHL, I32_ADD).get(s).storeF64();
    f.get(sum).get(s).op(F64_ADD).set(sum);
    f.get(i).i32(1).op(I32_ADD).tee(i).get(to).op(I32_LT_U, BR_IF, 0);
    f.op(END, END);
    f.get(sum);
    functions.push(f);
  }

  {
    const f = new Fn("seedCandidates", [I32, I32, I32, I32, I32, I32, I32, I32, I32], []);
    const [points, closest, offsets, trials, out, n, potentials, from, to] = [
      0, 1, 2, 3, 4, 5, 6, 7, 8
    ];
    const i = f.local(I32);
    const r = f.local(I32);
    const row = f.local(I32);
    const at = f.local(I32);
    const c = f.local(F64);
    const s = f.local(F64);
    const scratch = f.local(V128);
    const lanes = Array.from({length: m}, () => f.local(V128));
    f.op(BLOCK, VOID);
    f.get(from).get(to).op(I32_GE_U, BR_IF, 0);
    f.get(from).set(i);
    f.op(LOOP, VOID);
    f.get(points).get(i).i32(stride).op(I32_MUL, I32_ADD).set(row);
    loadRow(f, row, lanes);
    f.get(closest).get(i).i32(3).op(I32_SHL, I32_ADD).loadF64().set(c);
    f.i32(0).set(r);
    f.op(LOOP, VOID);
    f.get(points).get(offsets).get(r).i32(2).op(I32_SHL, I32_ADD).loadI32().op(I32_ADD).set(at);
    squaredDistance(f, lanes, at, scratch);
    f.horizontal(scratch).get(c).op(F64_MIN).set(s);
    // out[r n + i] = s
    f.get(out).get(r).get(n).op(I32_MUL).get(i).op(I32_ADD).i32(3).op(I32_SHL, I32_ADD);
    f.get(s).storeF64();
    f.get(potentials).get(r).i32(3).op(I32_SHL, I32_ADD).tee(at);
    f.get(at).loadF64().get(s).op(F64_ADD).storeF64();
    f.get(r).i32(1).op(I32_ADD).tee(r).get(trials).op(I32_LT_U, BR_IF, 0);
    f.op(END);
    f.get(i).i32(1).op(I32_ADD).tee(i).get(to).op(I32_LT_U, BR_IF, 0);
    f.op(END, END);
    functions.push(f);
  }

  return assemble(functions);
}

const modules = new Map<number, WebAssembly.Module | null>();

/** The compiled module for d, or null where WebAssembly SIMD is unavailable. */
export function wasmModule(d: number): WebAssembly.Module | null {
  let module = modules.get(d);
  if (module !== undefined) return module;
  try {
    const bytes = moduleBytes(d);
    module = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    module = null;
  }
  modules.set(d, module);
  return module;
}

/** A fresh memory of at least `bytes` bytes with the kernels for d bound to it, or null. */
export function instantiate(
  d: number,
  bytes: number
): {memory: WebAssembly.Memory; exports: WasmExports} | null {
  const module = wasmModule(d);
  if (!module) return null;
  const pages = Math.ceil(bytes / 65536);
  if (pages > 65536) return null;
  try {
    const memory = new WebAssembly.Memory({initial: pages});
    const instance = new WebAssembly.Instance(module, {env: {memory}});
    return {memory, exports: instance.exports as unknown as WasmExports};
  } catch {
    return null;
  }
}
