// A run of row kernels may take kernels on the same rows that read nothing the run wrote
// (passes/fuseRows.ts, at most 2 in a row). The cross-entropy gradient of a log-softmax is the
// case: its row max, then the gradient's sum over the one-hot rows (which does not read the max),
// then the sum of exps that does. Before, the max stayed a kernel of its own. Every WebGPU result
// is compared with the CPU backend's on the same inputs.

import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, jit, nn, np } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { forceRowKernels } from "../../../runtime/src/codegen/subgroupSupport.js";
import { assertClose, onBackend, webgpuBackendOrSkip } from "../ops/harness.js";

type A = Tracer;
forceRowKernels(true);

const loss = (w: A, h: A, onehot: A): A =>
  np.negative(np.mean(np.sum(np.multiply(onehot, nn.log_softmax(np.matmul(h, w), -1)), -1))) as A;

test("the gradient of a log-softmax cross-entropy puts the row max, the one-hot sum and the sum of exps in one row kernel between its two matmuls, and matches the CPU", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  const host = {
    w: Float32Array.from({ length: 32 * 256 }, (_, i) => Math.sin(i) * 0.1),
    h: Float32Array.from({ length: 64 * 32 }, (_, i) => Math.cos(i)),
    o: Float32Array.from({ length: 64 * 256 }, (_, i) => (i % 256 === (Math.floor(i / 256) * 7) % 256 ? 1 : 0)),
  };
  const args = (): [A, A, A] => [
    np.reshape(np.array(host.w), [32, 256]) as A,
    np.reshape(np.array(host.h), [64, 32]) as A,
    np.reshape(np.array(host.o), [64, 256]) as A,
  ];
  const dw = (w: A, h: A, o: A) => grad(loss)(w, h, o) as A;
  const want = await onBackend("cpu", () => dw(...args())).data();
  const got = await onBackend("webgpu", () => jit(dw)(...args())).data();
  assertClose(Array.from(got), Array.from(want), "float32", 1e-5, 1e-5, "dw");
  const lo = await onBackend("webgpu", () => jit(dw).lower(...args()));
  assert.deepEqual(
    lo.schedule.groups.map((g) => g.kind),
    ["matmul", "row", "matmul"],
    `kernels: ${lo.kernels.map((k) => k.name).join(", ")}`,
  );
  const row = lo.schedule.groups[1]!;
  assert.deepEqual(
    row.eqns.filter((e) => e.prim.startsWith("reduce")).map((e) => e.prim),
    ["reduce_max", "reduce_sum", "reduce_sum"],
  );
});

test("row max, row min, argmax and argmin of one array under jit: the run takes the max and min, never the argmax or argmin (their own kernels), and all four match the CPU", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  const host = Float32Array.from({ length: 6 * 40 }, (_, i) => Math.sin(i * 1.7) * 3);
  const x = () => np.reshape(np.array(host), [6, 40]) as A;
  const f = (v: A) =>
    np.stack([
      np.max(v, -1),
      np.min(v, -1),
      np.astype(np.argmax(v, -1), "float32"),
      np.astype(np.argmin(v, -1), "float32"),
    ]) as A;
  const want = await onBackend("cpu", () => f(x())).data();
  const got = await onBackend("webgpu", () => jit(f)(x())).data();
  assert.deepEqual(Array.from(got), Array.from(want));
  const lo = await onBackend("webgpu", () => jit(f).lower(x()));
  for (const g of lo.schedule.groups.filter((k) => k.kind === "row"))
    assert.ok(
      g.eqns.every((e) => e.prim !== "argmax" && e.prim !== "argmin"),
      `row kernel ${g.id}: ${g.eqns.map((e) => e.prim).join(",")}`,
    );
});

test("after 40 connected elementwise kernels (an optimizer update reading one clipping scale), a layer norm still becomes one row kernel, and everything matches the CPU", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  // 40 parameters of different shapes (so none fuse with another), each scaled by one norm.
  const shapes = Array.from({ length: 40 }, (_, i) => [i + 2, 3]);
  const params = () => shapes.map((s, i) => np.multiply(np.ones(s), i * 0.01 + 0.5) as A);
  const rows = Float32Array.from({ length: 8 * 64 }, (_, i) => Math.sin(i * 0.37) * 2);
  const f = (ps: A[], x: A): [A[], A] => {
    const norm = np.sqrt(ps.reduce((acc: A, p) => np.add(acc, np.sum(np.square(p))) as A, np.zeros([]) as A)) as A;
    const scaled = ps.map((p) => np.subtract(p, np.divide(p, np.add(norm, 1))) as A);
    const mean = np.mean(x, -1, { keepdims: true });
    const centred = np.subtract(x, mean);
    const ln = np.divide(centred, np.sqrt(np.add(np.mean(np.square(centred), -1, { keepdims: true }), 1e-5))) as A;
    return [scaled, ln];
  };
  const x = () => np.reshape(np.array(rows), [8, 64]) as A;
  const flat = async (out: [A[], A]) => [
    ...(await Promise.all(out[0].map(async (p) => Array.from(await p.data())))).flat(),
    ...Array.from(await out[1].data()),
  ];
  const want = await flat(onBackend("cpu", () => f(params(), x())));
  const got = await flat(onBackend("webgpu", () => jit(f)(params(), x())));
  assertClose(got, want, "float32", 1e-5, 1e-5, "params and layer norm");
  const lo = await onBackend("webgpu", () => jit(f).lower(params(), x()));
  const kinds = lo.schedule.groups.map((g) => g.kind);
  assert.ok(kinds.filter((k) => k === "elementwise").length >= 40, kinds.join(","));
  const rowKernels = lo.schedule.groups.filter((g) => g.kind === "row");
  assert.equal(rowKernels.length, 1, kinds.join(","));
  assert.deepEqual(
    rowKernels[0]!.eqns.filter((e) => e.prim.startsWith("reduce")).map((e) => e.prim),
    ["reduce_sum", "reduce_sum"],
  );
});
