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
