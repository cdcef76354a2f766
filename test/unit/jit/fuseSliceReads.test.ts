// A value read by many slices is stored instead of recomputed per slice (passes/fuseSliceReads.ts):
// vmap over np.stack of n split keys put n threefry copies into each of n branches (WGSL ~ n²).
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, config } from "../../../runtime/src/index.js";
import * as random from "../../../runtime/src/random.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, webgpuOrSkip } from "../ops/harness.js";

config({ backend: "cpu" });

/** One uniform per key, the keys taken one by one from split and stacked again (the old idiom). */
const perKey = (n: number) => (key: Tracer) =>
  vmap((k: Tracer) => random.uniform(k, []))(np.stack([...random.split(key, n)]));

const wgslChars = (lo: { kernels: readonly { wgsl: string }[] }) => lo.kernels.reduce((a, k) => a + k.wgsl.length, 0);
const vals = async (t: Tracer) => Array.from(await t.data());

test("vmap over n stacked split keys: WGSL grows linearly in n (16, 64, 256), the bits stored with a multi-slice reason", async () => {
  const sizes: number[] = [];
  for (const n of [16, 64, 256]) {
    const lo = await jit(perKey(n)).lower(random.key(0));
    sizes.push(wgslChars(lo));
    assert.ok(lo.kernels.length <= 3, `n = ${n}: ${lo.kernels.length} kernels`);
    const why = lo.fusion.boundaries.filter((b) => b.rule === "multi-slice").map((b) => b.reason);
    assert.ok(
      why.some((r) => r.startsWith(`read by ${n} slices`) && r.includes("threefry")),
      `n = ${n}: ${JSON.stringify(why)}`,
    );
  }
  // Per key about 0.5 KB of WGSL (one threefry call and a select); n² would be 256× from 16 to 256.
  for (const [i, n] of [16, 64, 256].entries()) assert.ok(sizes[i]! < 1000 * n, `n = ${n}: ${sizes[i]} chars`);
  assert.ok(sizes[2]! < 20 * sizes[0]!, `16 → 256 keys: ${sizes[0]} → ${sizes[2]} chars`);
});

test("vmap over n stacked split keys under jit equals eager, bit for bit, on the CPU (n = 16, 64, 256)", async () => {
  for (const n of [16, 64, 256]) {
    const k = random.key(n);
    assert.deepEqual(await vals(jit(perKey(n))(k) as Tracer), await vals(perKey(n)(k)), `n = ${n}`);
  }
});

test("a cheap cone read by disjoint slices stays in registers: one kernel, no multi-slice store", async () => {
  const f = (x: Tracer) => {
    const t = np.tanh(x);
    return np.add(np.add(t.at("0:2").get(), t.at("2:4").get()), np.add(t.at("4:6").get(), t.at("6:8").get()));
  };
  const lo = await jit(f).lower(np.ones([8]));
  assert.equal(lo.kernels.length, 1);
  assert.deepEqual(
    lo.fusion.boundaries.filter((b) => b.rule === "multi-slice"),
    [],
  );
});

test("WebGPU: vmap over 16, 64 and 256 stacked split keys under jit equals the CPU eager draws", async (t) => {
  const want = await Promise.all([16, 64, 256].map((n) => vals(onBackend("cpu", () => perKey(n)(random.key(3))))));
  if (!(await webgpuOrSkip(t))) return;
  for (const [i, n] of [16, 64, 256].entries()) {
    const got = onBackend("webgpu", () => jit(perKey(n))(random.key(3))) as Tracer;
    assert.deepEqual(await vals(got), want[i], `n = ${n}`);
  }
});

/** `steps` Jacobi steps of a five-point stencil on an n×n grid whose border is made of zeros
 *  (np.zeros inside jit: index math, no buffer). */
const stencil = (n: number, steps: number) => (u0: Tracer) => {
  let u = u0;
  for (let s = 0; s < steps; s++) {
    const at = (r: number, c: number) => np.slice(u, [r, c], [r + n - 2, c + n - 2]);
    const inner = np.add(
      at(1, 1),
      np.multiply(
        0.2,
        np.subtract(np.add(np.add(at(0, 1), at(2, 1)), np.add(at(1, 0), at(1, 2))), np.multiply(4, at(1, 1))),
      ),
    );
    const rows = np.concatenate([np.zeros([n - 2, 1]), inner, np.zeros([n - 2, 1])], 1);
    u = np.concatenate([np.zeros([1, n]), rows, np.zeros([1, n])], 0);
  }
  return u;
};

test("an iterated stencil with computed borders: no kernel computes an earlier step again (8 steps: 9 kernels, each under 4 KB of WGSL), and values match eager", async () => {
  const n = 16;
  const grid = () => np.reshape(np.array(Float32Array.from({ length: n * n }, (_, i) => ((i * 37) % 17) / 17)), [n, n]);
  const lo = await jit(stencil(n, 8)).lower(grid());
  // Each step's interior is stored (it is concatenated); the next step reads it through slices of
  // the concatenate. Merged into one kernel, every step would compute the one before 6 times over.
  assert.equal(lo.kernels.length, 9, lo.kernels.map((k) => k.name).join(", "));
  for (const k of lo.kernels) assert.ok(k.wgsl.length < 4000, `${k.name}: ${k.wgsl.length} chars`);
  const got = await vals(jit(stencil(n, 8))(grid()));
  const want = await vals(stencil(n, 8)(grid()));
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) <= 1e-6, `element ${i}: ${v} vs ${want[i]}`));
});

test("a cheap stored value read through a transpose merges with its reader: a + aᵀ for a = 2x + 1 is one kernel, equal to eager", async () => {
  const f = (x: Tracer) => {
    const a = np.add(np.multiply(x, 2), 1);
    return np.add(a, np.transpose(a));
  };
  const x = () => np.reshape(np.array(Float32Array.from({ length: 36 }, (_, i) => i / 7)), [6, 6]);
  const lo = await jit(f).lower(x());
  assert.equal(lo.kernels.length, 1, lo.kernels.map((k) => k.name).join(", "));
  assert.deepEqual(await vals(jit(f)(x())), await vals(f(x())));
});
