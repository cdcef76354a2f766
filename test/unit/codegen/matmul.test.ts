// Matmul groups: tiled, register-blocked kernels with epilogues, batches, edge tiles, and the
// generic (non-vec4) path when an operand is computed in the kernel.

import { test } from "node:test";
import assert from "node:assert/strict";
import { lowerGroup } from "../../../runtime/src/codegen/lowerGroup.js";
import { isHardwareAdapter, sharedRunsAvailable } from "../../../runtime/src/codegen/subgroupSupport.js";
import { assertClose, Builder, cpuRunGroup, f32, gpuOrSkip, i32, noise, runGroup } from "./harness.js";

function matmulGroup(batch: number[], m: number, k: number, n: number) {
  const B = new Builder();
  const a = B.input([...batch, m, k]);
  const w = B.input([...batch, k, n]);
  const out = B.op("matmul", [a, w], {}, { shape: [...batch, m, n], dtype: "float32" });
  return B.group("matmul", [a, w], [out]);
}

test("[[1,2],[3,4]] @ [[5,6],[7,8]] = [[19,22],[43,50]]", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const [got] = await runGroup(b, matmulGroup([], 2, 2, 2), [f32([1, 2, 3, 4]), f32([5, 6, 7, 8])]);
  assert.deepEqual(got, [19, 22, 43, 50]);
});

test("relu(x @ w + b) is one kernel named matmul_add_max with vec4 loads and the default block's dispatch, equal to the CPU reference", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const B = new Builder();
  const x = B.input([70, 36]);
  const w = B.input([36, 132]);
  const bias = B.input([132]);
  const mm = B.op("matmul", [x, w], {}, { shape: [70, 132], dtype: "float32" });
  const bb = B.op("broadcast", [bias], { shape: [70, 132], dims: [1] }, mm.aval);
  const s = B.op("add", [mm, bb], {}, mm.aval);
  const r = B.op("max", [s, B.lit(0)], {}, mm.aval);
  const g = B.group("matmul", [x, w, bias], [r]);
  const spec = lowerGroup(g);
  assert.equal(spec.name, "matmul_add_max");
  assert.match(spec.wgsl, /in0: array<vec4<f32>>/);
  // On a GPU 2×4 per thread in 8×8 workgroups; on a CPU adapter with runs of 8 lanes 2×32 with
  // B shared by a run (one run a workgroup: 5 column blocks, 5 of 16 rows), else 4×4 in 8×8
  // workgroups (matmulConfig.ts).
  assert.deepEqual(spec.dispatch, isHardwareAdapter() ? [5, 5, 1] : sharedRunsAvailable() ? [5, 5, 1] : [5, 3, 1]);
  assert.equal(spec.flops, 2 * 70 * 132 * 36 + 2 * 70 * 132);
  const data = [noise(70 * 36, 1), noise(36 * 132, 2), noise(132, 3)];
  const [got] = await runGroup(b, g, data, spec);
  assertClose(got!, cpuRunGroup(g, data)[0]!, 1e-4);
});

test("batched matmul [3, 5, 7] @ [3, 7, 9] with sizes that fill no tile (generic loads)", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const g = matmulGroup([3], 5, 7, 9);
  assert.doesNotMatch(lowerGroup(g).wgsl, /vec4<f32>>;/);
  const data = [noise(3 * 5 * 7, 4), noise(3 * 7 * 9, 5)];
  const [got] = await runGroup(b, g, data);
  assertClose(got!, cpuRunGroup(g, data)[0]!, 1e-4);
});

test("a transposed operand computed in the kernel: x @ transpose(w)", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const B = new Builder();
  const x = B.input([65, 20]);
  const w = B.input([33, 20]);
  const wt = B.op("transpose", [w], { perm: [1, 0] }, { shape: [20, 33], dtype: "float32" });
  const out = B.op("matmul", [x, wt], {}, { shape: [65, 33], dtype: "float32" });
  const g = B.group("matmul", [x, w], [out]);
  const data = [noise(65 * 20, 8), noise(33 * 20, 9)];
  const [got] = await runGroup(b, g, data);
  assertClose(got!, cpuRunGroup(g, data)[0]!, 1e-4);
});

test("a [8, 1] column transposed to a [1, 8] row (row stride 1) @ [8, 8] reads vec4s with a 0 row stride, no fractional literal, equal to the CPU reference", async (t) => {
  // Householder QR's vᵀ·A: found as invalid WGSL ("* 0.25u") under jit.
  const B = new Builder();
  const v = B.input([8, 1]);
  const a = B.input([8, 8]);
  const vt = B.op("transpose", [v], { perm: [1, 0] }, { shape: [1, 8], dtype: "float32" });
  const out = B.op("matmul", [vt, a], {}, { shape: [1, 8], dtype: "float32" });
  const grp = B.group("matmul", [v, a], [out]);
  const spec = lowerGroup(grp);
  assert.doesNotMatch(spec.wgsl, /\d\.\d+u/, "a u32 literal with a fraction");
  assert.match(spec.wgsl, /in0: array<vec4<f32>>/);
  const b = await gpuOrSkip(t);
  if (!b) return;
  const data = [noise(8, 21), noise(64, 22)];
  assertClose((await runGroup(b, grp, data, spec))[0]!, cpuRunGroup(grp, data)[0]!, 1e-4);
});

test("int32 matmul and a 2-batch-dim product", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const B = new Builder();
  const a = B.input([2, 3], "int32");
  const c = B.input([3, 2], "int32");
  const out = B.op("matmul", [a, c], {}, { shape: [2, 2], dtype: "int32" });
  const [got] = await runGroup(b, B.group("matmul", [a, c], [out]), [
    i32([1, 2, 3, 4, 5, 6]),
    i32([1, -1, 2, 0, 0, 3]),
  ]);
  assert.deepEqual(got, [5, 8, 14, 14]);
  const g = matmulGroup([2, 2], 4, 8, 4);
  const data = [noise(2 * 2 * 4 * 8, 10), noise(2 * 2 * 8 * 4, 11)];
  assertClose((await runGroup(b, g, data))[0]!, cpuRunGroup(g, data)[0]!, 1e-4);
});

test("transposed operands load as vec4: transpose(x) @ g and x @ transpose(w), equal to the CPU reference", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const B = new Builder();
  const x = B.input([12, 8]); // x^T: [8, 12]
  const g = B.input([12, 8]);
  const xt = B.op("transpose", [x], { perm: [1, 0] }, { shape: [8, 12], dtype: "float32" });
  const out = B.op("matmul", [xt, g], {}, { shape: [8, 8], dtype: "float32" });
  const grp = B.group("matmul", [x, g], [out]);
  const spec = lowerGroup(grp);
  assert.match(spec.wgsl, /in0: array<vec4<f32>>/);
  assert.match(spec.wgsl, /let at0_0 = /);
  const data = [noise(96, 12), noise(96, 13)];
  assertClose((await runGroup(b, grp, data, spec))[0]!, cpuRunGroup(grp, data)[0]!, 1e-4);

  const C = new Builder();
  const h = C.input([2, 5, 16]);
  const w = C.input([2, 7, 16]);
  const wt = C.op("transpose", [w], { perm: [0, 2, 1] }, { shape: [2, 16, 7], dtype: "float32" });
  const o2 = C.op("matmul", [h, wt], {}, { shape: [2, 5, 7], dtype: "float32" });
  const g2 = C.group("matmul", [h, w], [o2]);
  const spec2 = lowerGroup(g2);
  assert.match(spec2.wgsl, /let bt0 = /);
  const d2 = [noise(160, 14), noise(224, 15)];
  assertClose((await runGroup(b, g2, d2, spec2))[0]!, cpuRunGroup(g2, d2)[0]!, 1e-4);
});
