// A scatter over many indices compiled from their stable sorted order (passes/sortScatterIndices.ts):
// the compiled program (an argsort kernel, then scatter_sorted), its values equal bit for bit to
// the scanning scatter's and to the eager CPU reference's in every mode, with duplicates, dropped
// and negative indices, 2-D index arrays on a middle axis, int32 data, vmap and a scan body; and
// the cost model's choice on the sizes bench/dev/scatter_sorted.ts measured.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import { lax } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { setScatterSorting, sortingPays, SORT_MIN_INDICES } from "../../../runtime/src/passes/sortScatterIndices.js";
import { onBackend, webgpuOrSkip } from "./harness.js";

type Fn = (...xs: Tracer[]) => Tracer;
type Host = { data: Float32Array | Int32Array; shape: number[]; dtype: "float32" | "int32" };

/** Deterministic values with a spread of signs; ints in [lo, hi). */
const floats = (n: number, scale = 1): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + 0.3) * scale);
const ints = (n: number, lo: number, hi: number): Int32Array =>
  Int32Array.from({ length: n }, (_, i) => lo + ((i * 7919 + (i >> 2) * 31) % (hi - lo)));
const arr = (h: Host): Tracer => np.array(h.data, { dtype: h.dtype }).reshape(...h.shape);

/** `f` on fresh arrays: eagerly (the CPU reference's scatter), and under jit with the indices
 *  sorted and scanned, on `backend`; the flat results and the sorted compile's IR after fuse. */
async function runBoth(backend: "cpu" | "webgpu", f: Fn, args: readonly Host[]) {
  const out: { sorted: number[]; scanned: number[]; eager: number[]; ir: string; scanIr: string } = {
    sorted: [],
    scanned: [],
    eager: [],
    ir: "",
    scanIr: "",
  };
  out.eager = Array.from(await onBackend("cpu", () => f(...args.map(arr))).data());
  for (const sorted of [true, false]) {
    const was = setScatterSorting(sorted);
    try {
      const jf = jit(f);
      const values = Array.from(await onBackend(backend, () => jf(...args.map(arr))).data());
      const ir = (await onBackend(backend, () => jf.lower(...args.map(arr)))).text("fuse");
      if (sorted) [out.sorted, out.ir] = [values, ir];
      else [out.scanned, out.scanIr] = [values, ir];
    } finally {
      setScatterSorting(was);
    }
  }
  return out;
}

const identical = (a: readonly number[], b: readonly number[], what: string): void => {
  assert.equal(a.length, b.length, what);
  const bad = a.findIndex((v, i) => !Object.is(v, b[i]));
  assert.equal(bad, -1, `${what}: element ${bad} is ${a[bad]}, expected ${b[bad]}`);
};

const f32 = (shape: number[], scale = 1): Host => ({
  data: floats(
    shape.reduce((a, d) => a * d, 1),
    scale,
  ),
  shape,
  dtype: "float32",
});
const i32 = (shape: number[], lo: number, hi: number): Host => ({
  data: ints(
    shape.reduce((a, d) => a * d, 1),
    lo,
    hi,
  ),
  shape,
  dtype: "int32",
});

// 96 indices into 40 rows: every row hit about twice, some negative (counted from the end), some
// past either end (dropped).
const rows: Host = i32([96], -44, 44);
const cases: { name: string; f: Fn; args: Host[]; axis: number }[] = [
  {
    name: "add (an embedding's gradient)",
    f: (x, i, u) => x.at(i).add(u),
    args: [f32([40, 3]), rows, f32([96, 3])],
    axis: 0,
  },
  { name: "multiply", f: (x, i, u) => x.at(i).multiply(u), args: [f32([40, 3]), rows, f32([96, 3], 0.5)], axis: 0 },
  { name: "min", f: (x, i, u) => x.at(i).min(u), args: [f32([40, 3]), rows, f32([96, 3], 2)], axis: 0 },
  { name: "max", f: (x, i, u) => x.at(i).max(u), args: [f32([40, 3]), rows, f32([96, 3], 2)], axis: 0 },
  {
    name: "set keeps the last duplicate",
    f: (x, i, u) => x.at(i).set(u),
    args: [f32([40, 3]), rows, f32([96, 3])],
    axis: 0,
  },
  {
    name: "add on int32 data",
    f: (x, i, u) => x.at(i).add(u),
    args: [i32([40, 3], -50, 50), rows, i32([96, 3], -9, 9)],
    axis: 0,
  },
  {
    name: "add on the middle axis with a 2-D index array",
    f: (x, i, u) => x.at(null, i).add(u),
    args: [f32([2, 30, 2]), i32([6, 12], -33, 33), f32([2, 6, 12, 2])],
    axis: 1,
  },
];

for (const backend of ["cpu", "webgpu"] as const) {
  for (const c of cases) {
    test(`scatter ${c.name} from sorted indices on ${backend}: scatter_sorted[axis=${c.axis}] after an argsort, equal bit for bit to the scan and the eager CPU scatter`, async (t) => {
      if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
      const r = await runBoth(backend, c.f, c.args);
      assert.match(r.ir, /= sort\[axis=0\]/);
      assert.match(r.ir, new RegExp(`scatter_sorted\\[axis=${c.axis}, mode=`));
      assert.doesNotMatch(r.scanIr, /scatter_sorted|sort\[/);
      identical(r.sorted, r.eager, "sorted against the eager CPU reference");
      identical(r.scanned, r.eager, "scanned against the eager CPU reference");
    });
  }
}

test("a scatter under vmap (indices offset per batch row) is sorted too, and equals the eager CPU result bit for bit on WebGPU", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const f: Fn = (x, i, u) => vmap((xb: Tracer, ib: Tracer, ub: Tracer) => xb.at(ib).add(ub))(x, i, u) as Tracer;
  const r = await runBoth("webgpu", f, [f32([3, 20, 4]), i32([3, 48], -22, 22), f32([3, 48, 4])]);
  assert.match(r.ir, /scatter_sorted\[axis=0, mode=add\]/);
  identical(r.sorted, r.eager, "sorted against the eager CPU reference");
});

test("the compiler sorts on its own where sortingPays says so: one argsort for two scatters of one index array, a kernel reason naming scatter_sorted, none for a short one", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const big = jit((x: Tracer, i: Tracer, u: Tracer) => np.stack([x.at(i).add(np.multiply(u, 2)), x.at(i).max(u)]));
  const lo = await onBackend("webgpu", () =>
    big.lower(arr(f32([256, 64])), arr(i32([256], 0, 256)), arr(f32([256, 64]))),
  );
  const fuse = lo.passes.find((p) => p.name === "fuse")!;
  assert.equal(fuse.effect?.rules["scatter over many indices → argsort + binary-search scatter"], 2);
  assert.equal(lo.text("fuse").match(/= sort\[axis=0\]/g)?.length, 1);
  assert.ok(lo.kernels.some((k) => k.name === "argsort"));
  assert.ok(
    lo.fusion.decisions.some((d) => /^elementwise chain of \d+ ops?, indexed by scatter_sorted/.test(d.reason)),
    lo.fusion.decisions.map((d) => d.reason).join("; "),
  );
  const small = jit((x: Tracer, i: Tracer, u: Tracer) => x.at(i).add(u));
  const slo = await onBackend("webgpu", () => small.lower(arr(f32([40, 3])), arr(i32([8], 0, 40)), arr(f32([8, 3]))));
  assert.match(slo.text("fuse"), /= scatter\[axis=0, mode=add\]/);
  assert.doesNotMatch(slo.text("fuse"), /sort/);
});

test("a scatter in a scan's body is sorted when the body is compiled, and the loop's result equals the eager CPU one bit for bit", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const f: Fn = (x, i, u) => lax.scan((c: Tracer, ut: Tracer) => [c.at(i).add(ut), np.sum(c)], x, u)[0] as Tracer;
  const args = [f32([256, 16]), i32([512], -300, 300), f32([3, 512, 16])];
  const r = await runBoth("webgpu", f, args);
  identical(r.sorted, r.eager, "sorted against the eager CPU reference");
  const lo = await onBackend("webgpu", () => jit(f).lower(...args.map(arr)));
  assert.deepEqual(
    lo.kernels.filter((k) => /argsort|scatter_sorted/.test(k.name)).map((k) => k.name),
    ["argsort", "scatter_sorted"],
  );
});

test("sortingPays: the scan below 32 indices, for a few outputs over many indices, and where bench/dev/scatter_sorted.ts saw no gain; sorting at an embedding's and a graph's sizes", () => {
  assert.equal(SORT_MIN_INDICES, 32);
  assert.equal(sortingPays(1 << 20, 31), false);
  assert.equal(sortingPays(10, 100_000), false); // a histogram: the argsort alone would be m²
  assert.equal(sortingPays(64 * 16, 128), false); // measured 1.24× (0.91–2.41): no clear gain
  assert.equal(sortingPays(64 * 64, 512), true); // measured 3.6×
  assert.equal(sortingPays(4096 * 64, 4096), true); // measured 39×
  assert.equal(sortingPays(1024 * 64, 4096), true); // segment_sum over a graph's edges: 14×
});
