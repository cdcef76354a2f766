// Long rows sort by the bitonic network (codegen/lowerBitonicSort.ts): np.sort and np.argsort on
// WebGPU, jitted and eager, equal the CPU reference bit for bit on rows of 1,024 and more that
// are not powers of two, with ties (stable), NaN (last) and -0, int32 and float32, along the last
// axis, a middle axis and axis 0 of a column layout; rows up to 2,048 in workgroup memory, longer
// ones in global memory; shorter rows still rank by counting.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { BITONIC_MIN_ROW, setBitonicMinRow } from "../../../runtime/src/codegen/lowerSort.js";
import { SHARED_MAX_ROW, setSharedBitonic } from "../../../runtime/src/codegen/lowerBitonicSort.js";
import { onBackend, webgpuOrSkip } from "./harness.js";

type DT = "int32" | "float32";
const values = (n: number, dtype: DT): Int32Array | Float32Array =>
  dtype === "int32"
    ? Int32Array.from({ length: n }, (_, i) => ((i * 7919) % 97) - 40)
    : Float32Array.from({ length: n }, (_, i) =>
        i % 53 === 0 ? NaN : i % 11 === 0 ? -0 : i % 13 === 0 ? 0 : Math.round(Math.sin(i) * 20) / 4,
      );

const cases: { shape: number[]; axis: number; dtype: DT }[] = [
  { shape: [1000 + BITONIC_MIN_ROW], axis: 0, dtype: "float32" },
  { shape: [BITONIC_MIN_ROW + 1], axis: 0, dtype: "int32" },
  { shape: [3, 1500], axis: 1, dtype: "float32" },
  { shape: [2, 1025, 2], axis: 1, dtype: "int32" },
  { shape: [1100, 3], axis: 0, dtype: "float32" },
  { shape: [4096], axis: 0, dtype: "float32" },
  { shape: [2, SHARED_MAX_ROW], axis: 1, dtype: "float32" },
  { shape: [SHARED_MAX_ROW + 1, 2], axis: 0, dtype: "int32" },
];

for (const { shape, axis, dtype } of cases) {
  for (const op of ["sort", "argsort"] as const) {
    test(`np.${op} of ${dtype}[${shape}] along axis ${axis} runs the bitonic network on WebGPU, jitted and eager, equal to the CPU bit for bit`, async (t) => {
      if (!(await webgpuOrSkip(t))) return;
      const data = values(
        shape.reduce((a, d) => a * d, 1),
        dtype,
      );
      const x = () => np.array(data, { dtype }).reshape(...shape);
      const f = (v: Tracer) => (op === "sort" ? np.sort(v, axis) : np.argsort(v, axis));
      const want = Array.from(await onBackend("cpu", () => f(x())).data());
      const jitted = Array.from(await onBackend("webgpu", () => jit(f)(x())).data());
      const eager = Array.from(await onBackend("webgpu", () => f(x())).data());
      for (const [got, how] of [
        [jitted, "jit"],
        [eager, "eager"],
      ] as const) {
        const bad = got.findIndex((v, i) => !Object.is(v, want[i]));
        assert.equal(bad, -1, `${how}: element ${bad} is ${got[bad]}, the CPU's ${want[bad]}`);
      }
      const lo = await onBackend("webgpu", () => jit(f).lower(x()));
      const sorts = lo.kernels.filter((k) => /sort/.test(k.name)).map((k) => k.plan);
      const where = shape[axis]! <= SHARED_MAX_ROW ? "bitonic network in workgroup memory" : "bitonic network";
      assert.deepEqual(sorts, [
        `sort kernel, ${data.length / shape[axis]!} row${data.length === shape[axis] ? "" : "s"} of ${shape[axis]} (${where}, a workgroup per row)`,
      ]);
    });
  }
}

test(`a row of ${BITONIC_MIN_ROW - 1} still ranks by counting, and equals the CPU bit for bit`, async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const data = values(BITONIC_MIN_ROW - 1, "float32");
  const f = (v: Tracer) => np.argsort(v);
  const want = Array.from(await onBackend("cpu", () => f(np.array(data))).data());
  const got = Array.from(await onBackend("webgpu", () => jit(f)(np.array(data))).data());
  assert.deepEqual(got, want);
  const lo = await onBackend("webgpu", () => jit(f).lower(np.array(data)));
  assert.ok(lo.kernels.some((k) => k.plan.endsWith("(rank by counting)")));
});

// Short rows leave threads without a block of their own (a row of 100 pads to 128: 64 blocks of
// 2 for 256 threads), and rows under a block's width sort within one thread; both memories.
for (const shared of [true, false]) {
  test(`forced onto the network for every row length, rows of 2 to 513 sort in ${shared ? "workgroup" : "global"} memory equal to the CPU bit for bit`, async (t) => {
    if (!(await webgpuOrSkip(t))) return;
    const wasRow = setBitonicMinRow(0);
    const wasShared = setSharedBitonic(shared);
    try {
      for (const n of [2, 3, 5, 100, 300, 513]) {
        for (const dtype of ["float32", "int32"] as const) {
          const data = values(3 * n, dtype);
          const x = () => np.array(data, { dtype }).reshape(3, n);
          for (const f of [(v: Tracer) => np.sort(v, -1), (v: Tracer) => np.argsort(v, -1)]) {
            const want = Array.from(await onBackend("cpu", () => f(x())).data());
            const got = Array.from(await onBackend("webgpu", () => jit(f)(x())).data());
            const bad = got.findIndex((v, i) => !Object.is(v, want[i]));
            assert.equal(bad, -1, `${dtype}[3,${n}]: element ${bad} is ${got[bad]}, the CPU's ${want[bad]}`);
            const plans = (await onBackend("webgpu", () => jit(f).lower(x()))).kernels.map((k) => k.plan);
            const where = shared ? "bitonic network in workgroup memory" : "bitonic network";
            assert.ok(plans.includes(`sort kernel, 3 rows of ${n} (${where}, a workgroup per row)`), plans.join("; "));
          }
        }
      }
    } finally {
      setBitonicMinRow(wasRow);
      setSharedBitonic(wasShared);
    }
  });
}

test("sort and argsort of empty arrays ([0], [3,0], [0,3], a long axis before an empty one) on WebGPU, eager and under jit: empty results of the input's shape", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  // Their kernels return at once, but once read "(i / 1) % 0", which WGSL refuses to compile.
  for (const shape of [[0], [3, 0], [0, 3], [2 * BITONIC_MIN_ROW, 0]]) {
    for (const axis of [0, -1]) {
      const results = onBackend("webgpu", () => {
        const x = np.zeros(shape);
        return [np.sort(x, axis), np.argsort(x, axis), jit((v: Tracer) => np.argsort(v, axis))(x)];
      });
      for (const r of results) {
        assert.deepEqual(r.shape, shape, `shape ${JSON.stringify(shape)} axis ${axis}`);
        assert.deepEqual(r.size, 0);
        await r.data();
      }
    }
  }
});
