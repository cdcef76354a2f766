// Elementwise groups: fused chains with broadcasts and transposes, computed on WebGPU and
// compared with hand-computed values and the CPU reference; vec4 chosen when shapes allow.

import { test } from "node:test";
import assert from "node:assert/strict";
import { lowerGroup } from "../../../runtime/src/codegen/lowerGroup.js";
import { flatWidth } from "../../../runtime/src/codegen/lowerElementwise.js";
import { assertClose, Builder, cpuRunGroup, f32, gpuOrSkip, i32, noise, range, runGroup } from "./harness.js";

test("tanh(x*1.5+0.5)*x - exp(-x*x) on 4096 floats is one vec4 kernel named fused_mul_add_tanh_neg…, matching hand values", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const B = new Builder();
  const x = B.input([4096]);
  const a1 = B.op("mul", [x, B.lit(1.5)], {}, x.aval);
  const a2 = B.op("add", [a1, B.lit(0.5)], {}, x.aval);
  const a3 = B.op("tanh", [a2], {}, x.aval);
  const a4 = B.op("mul", [a3, x], {}, x.aval);
  const a5 = B.op("mul", [x, x], {}, x.aval);
  const a6 = B.op("neg", [a5], {}, x.aval);
  const a7 = B.op("exp", [a6], {}, x.aval);
  const out = B.op("sub", [a4, a7], {}, x.aval);
  const g = B.group("elementwise", [x], [out]);
  assert.equal(flatWidth(g), 4);
  const spec = lowerGroup(g);
  assert.equal(spec.name, "fused_mul_add_tanh_neg");
  assert.match(spec.wgsl, /array<vec4<f32>>/);
  assert.equal(spec.dispatch[0], 4); // 4096 / 4 / 256
  assert.equal(spec.bytesRead, 4096 * 4);
  assert.equal(spec.bytesWritten, 4096 * 4);
  assert.equal(spec.flops, 8 * 4096);
  const xs = noise(4096);
  const [got] = await runGroup(b, g, [xs], spec);
  const want = Array.from(xs, (v) => Math.tanh(v * 1.5 + 0.5) * v - Math.exp(-v * v));
  assertClose(got!, want, 1e-5);
});

test("a row vector broadcast over a matrix and a transposed input fuse into one nd kernel", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const B = new Builder();
  const m = B.input([2, 3]);
  const row = B.input([3]);
  const mt = B.input([3, 2]);
  const rb = B.op("broadcast", [row], { shape: [2, 3], dims: [1] }, { shape: [2, 3], dtype: "float32" });
  const tr = B.op("transpose", [mt], { perm: [1, 0] }, { shape: [2, 3], dtype: "float32" });
  const s = B.op("add", [m, rb], {}, m.aval);
  const out = B.op("mul", [s, tr], {}, m.aval);
  const g = B.group("elementwise", [m, row, mt], [out]);
  assert.equal(flatWidth(g), 0);
  const data = [f32([1, 2, 3, 4, 5, 6]), f32([10, 20, 30]), f32([1, 2, 3, 4, 5, 6])];
  const [got] = await runGroup(b, g, data);
  // mt^T = [[1,3,5],[2,4,6]]
  assert.deepEqual(got, [11 * 1, 22 * 3, 33 * 5, 14 * 2, 25 * 4, 36 * 6]);
  assert.deepEqual(got, cpuRunGroup(g, data)[0]);
});

test("a scalar (rank-0) input broadcast keeps a vec4 kernel; the scalar binding stays scalar", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const B = new Builder();
  const x = B.input([8]);
  const s = B.input([]);
  const sb = B.op("broadcast", [s], { shape: [8], dims: [] }, x.aval);
  const out = B.op("max", [x, sb], {}, x.aval);
  const g = B.group("elementwise", [x, s], [out]);
  assert.equal(flatWidth(g), 4);
  const spec = lowerGroup(g);
  assert.match(spec.wgsl, /in1: array<f32>;/);
  const [got] = await runGroup(b, g, [f32([-3, -2, -1, 0, 1, 2, 3, 4]), f32([0.5])], spec);
  assert.deepEqual(got, [0.5, 0.5, 0.5, 0.5, 1, 2, 3, 4]);
});

test("int32 division truncates toward zero and divides by zero to the dividend; pow on ints and negative float bases", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const B = new Builder();
  const a = B.input([6], "int32");
  const d = B.input([6], "int32");
  const q = B.op("div", [a, d], {}, a.aval);
  const p = B.op("pow", [a, B.lit(3, "int32")], {}, a.aval);
  const g = B.group("elementwise", [a, d], [q, p]);
  assert.equal(flatWidth(g), 4); // pow's scalar helper runs once per lane
  const data = [i32([7, -7, 7, -7, 5, 0]), i32([2, 2, -2, -2, 0, 3])];
  const [gq, gp] = await runGroup(b, g, data);
  assert.deepEqual(gq, [3, -3, -3, 3, 5, 0]);
  assert.deepEqual(gp, [343, -343, 343, -343, 125, 0]);

  const F = new Builder();
  const x = F.input([4]);
  const y = F.op("pow", [x, F.lit(2)], {}, x.aval);
  const z = F.op("pow", [x, F.lit(3)], {}, x.aval);
  const gf = F.group("elementwise", [x], [y, z]);
  const [gy, gz] = await runGroup(b, gf, [f32([-2, -1.5, 0, 3])]);
  assertClose(gy!, [4, 2.25, 0, 9]);
  assertClose(gz!, [-8, -3.375, 0, 27]);
});

test("comparisons make bools stored as u32, where selects, casts convert (float→int truncates and saturates)", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const B = new Builder();
  const x = B.input([8]);
  const c = B.op("gt", [x, B.lit(0)], {}, { shape: [8], dtype: "bool" });
  const w = B.op("where", [c, x, B.lit(-1)], {}, x.aval);
  const n = B.op("logical_not", [c], {}, c.aval);
  const ci = B.op("cast", [x], { dtype: "int32" }, { shape: [8], dtype: "int32" });
  const g = B.group("elementwise", [x], [c, w, n, ci]);
  const xs = f32([-2.7, -0.5, 0, 0.5, 2.7, 3e9, -3e9, NaN]);
  const [gc, gw, gn, gi] = await runGroup(b, g, [xs]);
  assert.deepEqual(gc, [0, 0, 0, 1, 1, 1, 0, 0]);
  assertClose(gw!, [-1, -1, -1, 0.5, 2.7, 3e9, -1, -1], 1e-6);
  assert.deepEqual(gn, [1, 1, 1, 0, 0, 0, 1, 1]);
  assert.deepEqual(gi, [-2, 0, 0, 0, 2, 2147483647, -2147483648, 0]);
  assert.deepEqual(gi, cpuRunGroup(g, [xs])[3]);
});

test("maximum and minimum propagate NaN like NumPy; literals include infinities", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const B = new Builder();
  const x = B.input([4]);
  const y = B.input([4]);
  const mx = B.op("max", [x, y], {}, x.aval);
  const mn = B.op("min", [x, B.lit(-Infinity)], {}, x.aval);
  const g = B.group("elementwise", [x, y], [mx, mn]);
  const [gmx, gmn] = await runGroup(b, g, [f32([1, NaN, 3, -1]), f32([2, 0, NaN, -5])]);
  assert.deepEqual(gmx, [2, NaN, NaN, -1]);
  assert.deepEqual(gmn, [-Infinity, NaN, -Infinity, -Infinity]);
});

test("two outputs of different shapes in one elementwise kernel are each written in full", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const B = new Builder();
  const v = B.input([3]);
  const e = B.op("exp", [v], {}, v.aval);
  const bc = B.op("broadcast", [e], { shape: [2, 3], dims: [1] }, { shape: [2, 3], dtype: "float32" });
  const out = B.op("mul", [bc, B.lit(2)], {}, bc.aval);
  const g = B.group("elementwise", [v], [e, out]);
  const data = [f32([0, 1, 2])];
  const [ge, gout] = await runGroup(b, g, data);
  const want = cpuRunGroup(g, data);
  assertClose(ge!, want[0]!);
  assertClose(gout!, want[1]!);
  assertClose(
    gout!,
    range(6, (i) => 2 * Math.exp(i % 3)),
  );
});

test("tanh keeps NaN and saturates large inputs to ±1", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const B = new Builder();
  const x = B.input([4]);
  const y = B.op("tanh", [x], {}, x.aval);
  const [got] = await runGroup(b, B.group("elementwise", [x], [y]), [f32([NaN, 100, -100, 0.5])]);
  assert.ok(Number.isNaN(got![0]));
  assertClose(got!.slice(1), [1, -1, Math.tanh(0.5)]);
});
