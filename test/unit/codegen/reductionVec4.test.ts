// Reductions over trailing axes whose rows are read as vec4 (rows a multiple of 4 long, prologue
// flat-indexable): sum/max/min over odd row counts, int32 and bool inputs, NaN propagation,
// prologue broadcasts, outputs at the input's shape, epilogues, the one-workgroup strategy; and
// the reductions that must stay scalar (rows not a multiple of 4, leading axes, argmax).
// Every result compared with the CPU reference.

import { test } from "node:test";
import assert from "node:assert/strict";
import { lowerGroup } from "../../../runtime/src/codegen/lowerGroup.js";
import { forceSoftwareAdapter } from "../../../runtime/src/codegen/subgroupSupport.js";
import type { DType, Primitive } from "../../../runtime/src/ir/types.js";
import { assertClose, Builder, cpuRunGroup, f32, gpuOrSkip, noise, runGroup, type HostData } from "./harness.js";

function reduceGroup(prim: Primitive, shape: number[], axes: number[], dtype: DType = "float32") {
  const B = new Builder();
  const x = B.input(shape, dtype);
  const outShape = shape.filter((_, i) => !axes.includes(i));
  const isArg = prim === "argmax" || prim === "argmin";
  const params = isArg ? { axis: axes[0]! } : { axes };
  const outDtype: DType = isArg ? "int32" : dtype;
  const out = B.op(prim as "reduce_sum", [x], params as { axes: number[] }, { shape: outShape, dtype: outDtype });
  return B.group("reduction", [x], [out]);
}

const VEC = /rows read as vec4/;

test("sum, max and min over the last axis (and the last two) read rows as vec4, at odd row counts, matching the CPU", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const cases: [number[], number[]][] = [
    [[1, 4], [1]],
    [[3, 8], [1]],
    [[17, 1024], [1]],
    [[1023, 12], [1]],
    [
      [5, 3, 4],
      [1, 2],
    ],
    [
      [2, 5, 7, 8],
      [2, 3],
    ],
    [[3, 4096], [1]], // few long rows: one workgroup per row
    [[3, 512], [1]], // one 64-wide workgroup per row (128 vec4 loads)
    [[8196], [0]], // the whole array: one workgroup
  ];
  for (const [shape, axes] of cases) {
    for (const prim of ["reduce_sum", "reduce_max", "reduce_min"] as const) {
      const g = reduceGroup(prim, shape, axes);
      const spec = lowerGroup(g);
      assert.match(spec.plan, VEC, `${prim} [${shape}] over [${axes}]`);
      const n = shape.reduce((a, d) => a * d, 1);
      const data = [noise(n, n + axes.length)];
      const [got] = await runGroup(b, g, data, spec);
      assertClose(got!, cpuRunGroup(g, data)[0]!, 1e-4, `${prim} [${shape}] over [${axes}]`);
    }
  }
});

test("rows not a multiple of 4, reductions over leading axes, and argmax stay scalar and match the CPU", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const cases: [Primitive, number[], number[]][] = [
    ["reduce_sum", [7, 5], [1]],
    ["reduce_max", [3, 1021], [1]],
    ["reduce_sum", [8, 4], [0]],
    ["reduce_min", [4, 8, 4], [0, 2]],
    ["argmax", [5, 8], [1]],
  ];
  for (const [prim, shape, axes] of cases) {
    const g = reduceGroup(prim, shape, axes);
    const spec = lowerGroup(g);
    assert.doesNotMatch(spec.plan, VEC, `${prim} [${shape}]`);
    const n = shape.reduce((a, d) => a * d, 1);
    const data = [noise(n, 9)];
    const [got] = await runGroup(b, g, data, spec);
    assertClose(got!, cpuRunGroup(g, data)[0]!, 1e-4, `${prim} [${shape}] over [${axes}]`);
  }
});

test("int32 sums, maxima and minima and bool any/all (max/min) read rows as vec4 and match the CPU exactly", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const shape = [9, 36];
  const ints = Int32Array.from({ length: 9 * 36 }, (_, i) => ((i * 7919) % 201) - 100);
  const bools = Uint8Array.from({ length: 9 * 36 }, (_, i) => ((i * 31) % 7 < 3 ? 1 : 0));
  const cases: [Primitive, DType, HostData][] = [
    ["reduce_sum", "int32", ints],
    ["reduce_max", "int32", ints],
    ["reduce_min", "int32", ints],
    ["reduce_max", "bool", bools],
    ["reduce_min", "bool", bools],
  ];
  for (const [prim, dtype, data] of cases) {
    const g = reduceGroup(prim, shape, [1], dtype);
    const spec = lowerGroup(g);
    assert.match(spec.plan, VEC, `${prim} ${dtype}`);
    const [got] = await runGroup(b, g, [data], spec);
    assert.deepEqual(got, cpuRunGroup(g, [data])[0], `${prim} ${dtype}`);
  }
});

test("a NaN anywhere in a vec4 row makes its max and min NaN; other rows keep their extremes", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const xs = f32([1, 2, NaN, 4, 5, 6, 7, 8, -1, -9, 3, 0, 2, 2, 2, NaN]);
  for (const prim of ["reduce_max", "reduce_min"] as const) {
    const g = reduceGroup(prim, [2, 8], [1]);
    assert.match(lowerGroup(g).plan, VEC);
    const [got] = await runGroup(b, g, [xs]);
    assert.ok(Number.isNaN(got![0]) && Number.isNaN(got![1]), `${prim}: ${got}`);
    assert.deepEqual(got!.map(Number.isNaN), cpuRunGroup(g, [xs])[0]!.map(Number.isNaN));
  }
  const ok = f32([1, 2, 3, 4, 5, 6, 7, 8, -1, -9, 3, 0, 2, 2, 2, 1]);
  const [mx] = await runGroup(b, reduceGroup("reduce_max", [2, 8], [1]), [ok]);
  assert.deepEqual(mx, [8, 3]);
});

test("softmax's sum: a row max broadcast into the vec4 prologue, the exp written at the input's shape, a log epilogue", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  for (const [r, c] of [
    [3, 8],
    [37, 1024],
  ] as const) {
    const B = new Builder();
    const x = B.input([r, c]);
    const m = B.input([r, 1]);
    const bias = B.input([c]);
    const mb = B.op("broadcast", [m], { shape: [r, c], dims: [0, 1] }, x.aval);
    const bb = B.op("broadcast", [bias], { shape: [r, c], dims: [1] }, x.aval);
    const e = B.op("exp", [B.op("sub", [B.op("add", [x, bb], {}, x.aval), mb], {}, x.aval)], {}, x.aval);
    const s = B.op("reduce_sum", [e], { axes: [1] }, { shape: [r], dtype: "float32" });
    const l = B.op("log", [s], {}, s.aval);
    const g = B.group("reduction", [x, m, bias], [e, l]);
    const spec = lowerGroup(g);
    assert.match(spec.plan, VEC);
    assert.match(spec.wgsl, /in0: array<vec4<f32>>/);
    assert.match(spec.wgsl, /in1: array<f32>/); // the row max: one scalar per row, splatted
    assert.match(spec.wgsl, /in2: array<vec4<f32>>/); // the bias over trailing axes
    assert.match(spec.wgsl, /out0: array<vec4<f32>>/); // exp at the input's shape
    assert.match(spec.wgsl, /out1: array<f32>/);
    assert.equal(spec.bytesRead, (r * c + r + c) * 4);
    assert.equal(spec.bytesWritten, (r * c + r) * 4);
    const data = [noise(r * c, 1), noise(r, 2), noise(c, 3)];
    const got = await runGroup(b, g, data, spec);
    const want = cpuRunGroup(g, data);
    assertClose(got[0]!, want[0]!, 1e-5, "exp");
    assertClose(got[1]!, want[1]!, 1e-5, "log sum");
  }
});

test("an input read as vec4 in the prologue and again by the epilogue keeps the scalar loop", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  // The rows of x [1,4] are the reduction's input, and the epilogue adds x's first element.
  const B = new Builder();
  const x = B.input([1, 4]);
  const s = B.op("reduce_sum", [x], { axes: [1] }, { shape: [1], dtype: "float32" });
  const xr = B.op("reshape", [x], { shape: [4] }, { shape: [4], dtype: "float32" });
  const first = B.op("slice", [xr], { starts: [0], limits: [1], strides: [1] }, { shape: [1], dtype: "float32" });
  const out = B.op("add", [s, first], {}, s.aval);
  const g = B.group("reduction", [x], [out]);
  const spec = lowerGroup(g);
  assert.doesNotMatch(spec.plan, VEC);
  const data = [f32([1, 2, 3, 4])];
  const [got] = await runGroup(b, g, data, spec);
  assert.deepEqual(got, [11]);
  assert.deepEqual(got, cpuRunGroup(g, data)[0]);
});

test("a workgroup per row is as wide as the row has vec4 loads (up to 256 on a hardware adapter, 64 on a CPU one); the row loop reuses the row index", () => {
  const was = forceSoftwareAdapter(false);
  try {
    assert.deepEqual(lowerGroup(reduceGroup("reduce_sum", [3, 4096], [1])).workgroupSize, [256, 1, 1]);
    forceSoftwareAdapter(true);
    assert.deepEqual(lowerGroup(reduceGroup("reduce_sum", [3, 4096], [1])).workgroupSize, [64, 1, 1]);
  } finally {
    forceSoftwareAdapter(was);
  }
  const narrow = lowerGroup(reduceGroup("reduce_sum", [3, 512], [1]));
  assert.deepEqual(narrow.workgroupSize, [64, 1, 1]);
  assert.match(narrow.plan, /one workgroup per output.*rows read as vec4/);
  // A row max broadcast into the prologue is read at the row index, not at i / (row length).
  const B = new Builder();
  const x = B.input([300, 64]);
  const m = B.input([300]);
  const mb = B.op("broadcast", [m], { shape: [300, 64], dims: [0] }, x.aval);
  const s = B.op("reduce_sum", [B.op("sub", [x, mb], {}, x.aval)], { axes: [1] }, { shape: [300], dtype: "float32" });
  const spec = lowerGroup(B.group("reduction", [x, m], [s]));
  assert.match(spec.wgsl, /in1\[o\]/);
  assert.doesNotMatch(spec.wgsl, /i \/ 16/);
});
