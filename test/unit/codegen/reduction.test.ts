// Reduction groups: over each axis, several axes, with prologue and epilogue; both strategies
// (workgroup tree, thread per output; column reductions: columnReduction.test.ts); argmax/argmin; checked by hand and against the CPU reference.

import { test } from "node:test";
import assert from "node:assert/strict";
import { lowerGroup } from "../../../runtime/src/codegen/lowerGroup.js";
import { forceSoftwareAdapter } from "../../../runtime/src/codegen/subgroupSupport.js";
import type { Primitive } from "../../../runtime/src/ir/types.js";
import { assertClose, Builder, cpuRunGroup, f32, gpuOrSkip, noise, range, runGroup } from "./harness.js";

function reduceGroup(prim: Primitive, shape: number[], axes: number[]) {
  const B = new Builder();
  const x = B.input(shape);
  const outShape = shape.filter((_, i) => !axes.includes(i));
  const isArg = prim === "argmax" || prim === "argmin";
  const params = isArg ? { axis: axes[0]! } : { axes };
  const out = B.op(prim as "reduce_sum", [x], params as { axes: number[] }, {
    shape: outShape,
    dtype: isArg ? "int32" : "float32",
  });
  return B.group("reduction", [x], [out]);
}

test("sum of a 2×3 matrix over axis 0, axis 1 and both, by hand", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const data = [f32([1, 2, 3, 4, 5, 6])];
  assert.deepEqual((await runGroup(b, reduceGroup("reduce_sum", [2, 3], [0]), data))[0], [5, 7, 9]);
  assert.deepEqual((await runGroup(b, reduceGroup("reduce_sum", [2, 3], [1]), data))[0], [6, 15]);
  assert.deepEqual((await runGroup(b, reduceGroup("reduce_sum", [2, 3], [0, 1]), data))[0], [21]);
});

test("every axis and axis pair of a [5,40,70] array, sum/max/min, matches the CPU reference (both strategies)", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const shape = [5, 40, 70];
  const data = [noise(5 * 40 * 70, 7)];
  for (const prim of ["reduce_sum", "reduce_max", "reduce_min"] as const) {
    for (const axes of [[0], [1], [2], [0, 2], [1, 2], [0, 1, 2]]) {
      const g = reduceGroup(prim, shape, axes);
      const [got] = await runGroup(b, g, data);
      assertClose(got!, cpuRunGroup(g, data)[0]!, 1e-4, `${prim} axes [${axes}]`);
    }
  }
});

test("a workgroup reduction is chosen for long contiguous rows under 256 rows (256 wide on a hardware adapter, 64 on a CPU one) and one thread per output for many short rows", () => {
  const was = forceSoftwareAdapter(false);
  try {
    const row = lowerGroup(reduceGroup("reduce_sum", [4, 4096], [1]));
    assert.match(row.wgsl, /var<workgroup> part/);
    assert.deepEqual(row.workgroupSize, [256, 1, 1]);
    assert.equal(row.dispatch[0], 4);
    forceSoftwareAdapter(true);
    const onCpu = lowerGroup(reduceGroup("reduce_sum", [3, 4096], [1]));
    assert.match(onCpu.wgsl, /var<workgroup> part/);
    assert.deepEqual(onCpu.workgroupSize, [64, 1, 1]);
    assert.equal(onCpu.dispatch[0], 3);
    const manyOnCpu = lowerGroup(reduceGroup("reduce_sum", [256, 4096], [1]));
    assert.doesNotMatch(manyOnCpu.wgsl, /var<workgroup>/);
    assert.match(manyOnCpu.plan!, /one thread per output, rows read as vec4$/);
  } finally {
    forceSoftwareAdapter(was);
  }
  const rows = lowerGroup(reduceGroup("reduce_sum", [4096, 100], [1]));
  assert.doesNotMatch(rows.wgsl, /var<workgroup>/);
  assert.equal(rows.name, "sum");
  assert.match(rows.plan!, /one thread per output, rows read as vec4$/);
});

test("a workgroup's row loop: lanes a workgroup apart on a GPU, each run of 8 lanes over its own eighth on a CPU adapter; both match the CPU on sums, max with a NaN, and argmax/argmin with ties in different runs", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const n = 4099; // not a multiple of 4 (scalar loop) nor of the runs' parts
  const data = noise(2 * n, 11);
  data[n - 5] = 9; // row 0: ties for the max in the last run and, below, the first
  data[7] = 9;
  data[n + 100] = -9; // row 1: ties for the min in the first and the last part
  data[2 * n - 3] = -9;
  const nan = Float32Array.from(data);
  nan[n + 2048] = NaN;
  for (const software of [false, true]) {
    const was = forceSoftwareAdapter(software);
    try {
      for (const [prim, input] of [
        ["reduce_sum", data],
        ["reduce_max", nan],
        ["argmax", data],
        ["argmin", data],
      ] as const) {
        const g = reduceGroup(prim, [2, n], [1]);
        const spec = lowerGroup(g);
        assert.match(
          spec.wgsl,
          software
            ? /let rlo = i32\(lid \/ 8u\) \* \d+;\n\s*let rhi = min\(rlo \+ \d+, 4099\);\n\s*for \(var r = rlo \+ i32\(lid % 8u\); r < rhi; r = r \+ 8\)/
            : /for \(var r = i32\(lid\); r < 4099; r = r \+ 256\)/,
          `${prim} software=${software}`,
        );
        const want = cpuRunGroup(g, [input])[0]!;
        const got: number[] = (await runGroup(b, g, [input], spec))[0]!;
        if (prim === "reduce_sum") assertClose(got, want, 1e-5, `${prim} software=${software}`);
        else assert.deepEqual(Array.from(got), Array.from(want), `${prim} software=${software}`);
      }
    } finally {
      forceSoftwareAdapter(was);
    }
  }
});

test("sum over 2^20 elements to a scalar", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const n = 1 << 20;
  const [got] = await runGroup(b, reduceGroup("reduce_sum", [n], [0]), [f32(range(n, (i) => (i % 4) * 0.25))]);
  assertClose(got!, [n * 0.375], 1e-5);
});

test("argmax and argmin pick the first extreme (and the first NaN), per row", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const data = [f32([1, 5, 5, 2, -1, -1, 0, 3, 7, NaN, 2, NaN])];
  assert.deepEqual((await runGroup(b, reduceGroup("argmax", [3, 4], [1]), data))[0], [1, 3, 1]);
  assert.deepEqual((await runGroup(b, reduceGroup("argmin", [3, 4], [1]), data))[0], [0, 0, 1]);
  const long = noise(3 * 300, 3);
  const g = reduceGroup("argmax", [3, 300], [1]);
  assert.deepEqual((await runGroup(b, g, [long]))[0], cpuRunGroup(g, [long])[0]);
  const g0 = reduceGroup("argmin", [300, 3], [0]);
  assert.deepEqual((await runGroup(b, g0, [long]))[0], cpuRunGroup(g0, [long])[0]);
});

test("softmax denominator: sum(exp(x - max)) with a broadcast prologue and a log epilogue is one kernel named sum_exp_sub_log_add", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const B = new Builder();
  const x = B.input([4, 300]);
  const m = B.input([4]);
  const mb = B.op("broadcast", [m], { shape: [4, 300], dims: [0] }, x.aval);
  const d = B.op("sub", [x, mb], {}, x.aval);
  const e = B.op("exp", [d], {}, x.aval);
  const s = B.op("reduce_sum", [e], { axes: [1] }, { shape: [4], dtype: "float32" });
  const l = B.op("log", [s], {}, s.aval);
  const out = B.op("add", [l, m], {}, s.aval);
  const g = B.group("reduction", [x, m], [s, out]);
  const spec = lowerGroup(g);
  assert.equal(spec.name, "sum_exp_sub_log_add");
  const xs = noise(1200, 11);
  const ms = f32([2, 2, 2, 2]);
  const [gs, gout] = await runGroup(b, g, [xs, ms], spec);
  const want = cpuRunGroup(g, [xs, ms]);
  assertClose(gs!, want[0]!, 1e-4);
  assertClose(gout!, want[1]!, 1e-4);
  let row0 = 0;
  for (let j = 0; j < 300; j++) row0 += Math.exp(xs[j]! - 2);
  assertClose([gout![0]!], [Math.log(row0) + 2], 1e-4);
});

test("a prologue value can also be a kernel output at the input's shape", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const B = new Builder();
  const x = B.input([3, 50]);
  const sq = B.op("mul", [x, x], {}, x.aval);
  const s = B.op("reduce_max", [sq], { axes: [1] }, { shape: [3], dtype: "float32" });
  const g = B.group("reduction", [x], [sq, s]);
  const xs = noise(150, 5);
  const got = await runGroup(b, g, [xs]);
  const want = cpuRunGroup(g, [xs]);
  assertClose(got[0]!, want[0]!);
  assertClose(got[1]!, want[1]!);
});
