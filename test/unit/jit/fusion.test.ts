// Fusion decisions: how many kernels, which ops went together, and why each boundary exists.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, config } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import { STORAGE_BUFFER_LIMIT } from "../../../runtime/src/passes/fuse.js";
import { forceSubgroupFallback } from "../../../runtime/src/codegen/subgroupSupport.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import type { ConcreteArray } from "../../../runtime/src/array.js";
import { geluChain, mlpLayer, rowSoftmax } from "./fixtures.js";

config({ backend: "cpu" });

test("the chain tanh(x*1.5+0.5)*x - exp(-x*x) is one kernel", async () => {
  const lo = await jit(geluChain).lower(np.ones([1 << 12]));
  assert.equal(lo.kernels.length, 1);
  assert.deepEqual(
    lo.fusion.decisions.map((d) => [d.kind, d.ops.length, d.reason]),
    [["elementwise", 8, "elementwise chain of 8 ops"]],
  );
  assert.equal(lo.kernels[0]!.bytesRead, 4 << 12);
  assert.equal(lo.kernels[0]!.bytesWritten, 4 << 12);
});

test("without subgroups a row softmax is three kernels: max, sum with its exp prologue, and the normalising divide", async () => {
  // With subgroups the three become one row kernel (test/unit/codegen/rowFused.test.ts).
  const was = forceSubgroupFallback(true);
  const lo = await jit(rowSoftmax)
    .lower(np.ones([32, 64]))
    .finally(() => forceSubgroupFallback(was));
  assert.equal(lo.kernels.length, 3);
  assert.deepEqual(
    lo.fusion.decisions.map((d) => d.kind),
    ["reduction", "reduction", "elementwise"],
  );
  assert.deepEqual(
    lo.kernels.map((k) => k.ops.filter((op) => op !== "broadcast" && op !== "reshape")),
    [["reduce_max"], ["sub", "exp", "reduce_sum"], ["sub", "exp", "div"]],
  );
  assert.deepEqual(new Set(lo.fusion.boundaries.map((b) => b.rule)), new Set(["reduction-broadcast"]));
  for (const b of lo.fusion.boundaries) assert.equal(b.reason, "reduction result is broadcast back over axis 1");
  // The intermediates written between kernels are the two [32] row vectors only.
  assert.equal(lo.kernels[0]!.bytesWritten, 32 * 4);
  assert.equal(lo.kernels[1]!.bytesWritten, 32 * 4);
});

test("relu(x @ w + b) is one matmul kernel with the bias add and relu as its epilogue", async () => {
  const lo = await jit(mlpLayer).lower(np.ones([16, 32]), np.ones([32, 8]), np.ones([8]));
  assert.equal(lo.kernels.length, 1);
  assert.equal(lo.fusion.decisions[0]!.kind, "matmul");
  assert.deepEqual(lo.kernels[0]!.ops, ["matmul", "broadcast", "add", "max"]);
  assert.equal(lo.fusion.decisions[0]!.reason, "matmul with epilogue (3 ops)");
});

test("a matmul operand computed elementwise is written to memory first, and the boundary says so", async () => {
  const f = (x: Tracer, w: Tracer) => np.matmul(np.tanh(x), w);
  const lo = await jit(f).lower(np.ones([4, 4]), np.ones([4, 4]));
  assert.equal(lo.kernels.length, 2);
  assert.deepEqual(
    lo.fusion.boundaries.map((b) => [b.rule, b.reason]),
    [["matmul-operand", "matmul operand: the matmul kernel reads its operands from memory"]],
  );
});

test(`no kernel binds more than ${STORAGE_BUFFER_LIMIT} storage buffers`, async () => {
  const sum9 = (...xs: Tracer[]) => xs.reduce((s, v) => np.add(s, v));
  const args = Array.from({ length: 9 }, () => np.ones([16]));
  const lo = await jit(sum9).lower(...args);
  assert.equal(lo.kernels.length, 2);
  for (const k of lo.kernels) assert.ok(k.inputs.length + k.outputs.length <= STORAGE_BUFFER_LIMIT, k.name);
  assert.deepEqual(
    lo.fusion.boundaries.map((b) => [b.rule, b.reason]),
    [["buffer-limit", "storage buffer limit 8: the kernel would bind 10 buffers"]],
  );
});

test("a costly value needed by two kernels is stored once; a cheap one is recomputed", async () => {
  const costly = (x: Tracer) => {
    let y = x;
    for (let i = 0; i < 5; i++) y = np.sin(np.multiply(y, 1.1));
    return [np.sum(y, 0), np.sum(y, 1)];
  };
  const lo = await jit(costly).lower(np.ones([256, 1024]));
  assert.equal(lo.kernels.length, 3);
  assert.deepEqual(
    lo.fusion.boundaries.map((b) => b.reason),
    [
      "needed by 2 kernels; recomputing 10 ops costs more than storing 1.00 MiB",
      "needed by 2 kernels; recomputing 10 ops costs more than storing 1.00 MiB",
    ],
  );
  const cheap = (x: Tracer) => {
    const y = np.exp(x);
    return [np.sum(y, 0), np.sum(y, 1)];
  };
  const lo2 = await jit(cheap).lower(np.ones([8, 8]));
  assert.equal(lo2.kernels.length, 2, "each reduction recomputes exp in its prologue");
  assert.match(lo2.fusion.decisions[1]!.reason, /recomputes exp/);
});

test("independent elementwise outputs of one shape share a kernel", async () => {
  const f = (x: Tracer) => [np.sin(x), np.cos(x)];
  const lo = await jit(f).lower(np.ones([64]));
  assert.equal(lo.kernels.length, 1);
  assert.equal(lo.kernels[0]!.outputs.length, 2);
});

test("memory: intermediates reuse slots once their last reader ran; peak bytes counted", async () => {
  const chain = (x: Tracer, w: Tracer) => np.matmul(np.matmul(np.matmul(np.matmul(x, w), w), w), w);
  const lo = await jit(chain).lower(np.ones([8, 8]), np.ones([8, 8]));
  const memory = lo.passes.find((p) => p.name === "memory")!;
  // Three intermediates, live [k0,k1], [k1,k2], [k2,k3]: the third reuses the first's slot.
  assert.match(memory.text, /slot 0: 256 B ← c \(k0\), e \(k2\)/);
  assert.match(memory.text, /slot 1: 256 B ← d \(k1\)/);
  assert.equal(lo.peakBytes, 2 * 256 + 2 * 256 + 256); // inputs + 2 slots + output
});

test("a program output also read by a later kernel is written once and read back", async () => {
  const f = (x: Tracer) => {
    const y = np.exp(x);
    return [y, np.sum(y)];
  };
  const lo = await jit(f).lower(np.ones([10]));
  assert.equal(lo.kernels.length, 2);
  assert.equal(lo.fusion.boundaries[0]!.rule, "output");
});

test("a computed scalar broadcast over an array is recomputed in place, not stored", async () => {
  const f = (x: Tracer, s: Tracer) => np.multiply(x, np.exp(np.add(s, 1)));
  const lo = await jit(f).lower(np.ones([3, 4]), np.full([], 2));
  assert.equal(lo.kernels.length, 1);
  assert.deepEqual(lo.kernels[0]!.ops, ["add", "exp", "broadcast", "mul"]);
  const { runScheduleOnCpu } = await import("./scheduleInterpreter.js");
  const { cpuBackend } = await import("../../../runtime/src/backend/select.js");
  const args = [np.full([3, 4], 2), np.full([], 0.5)] as ConcreteArray[];
  const host = args.map((c) => ({ data: cpuBackend().hostData(c.device), shape: c.shape, dtype: c.dtype }));
  const [out] = runScheduleOnCpu(lo.schedule, host);
  assert.ok(Math.abs(out!.data[5]! - 2 * Math.exp(1.5)) < 1e-4);
});

test("data movement fuses with the elementwise ops around it; a transposed matmul operand that only a copy makes vec4-readable (Aᵀ with M = 6) is its own layout kernel, and with K = 6 (scalar either way) is read in place", async () => {
  const f = (x: Tracer, y: Tracer) => np.tanh(np.add(np.transpose(x), y));
  const lo = await jit(f).lower(np.ones([3, 5]), np.ones([5, 3]));
  assert.equal(lo.kernels.length, 1);
  assert.deepEqual(lo.kernels[0]!.ops, ["transpose", "add", "tanh"]);
  const g = (x: Tracer, y: Tracer) => np.matmul(np.transpose(x), y);
  const lo2 = await jit(g).lower(np.ones([8, 6]), np.ones([8, 12]));
  assert.deepEqual(
    lo2.fusion.decisions.map((d) => [d.kind, d.reason]),
    [
      ["layout", "transpose (layout change)"],
      ["matmul", "matmul"],
    ],
  );
  assert.equal(lo2.fusion.boundaries[0]!.rule, "matmul-operand");
  const h = (x: Tracer, w: Tracer) => np.matmul(x, np.transpose(w));
  const lo3 = await jit(h).lower(np.ones([4, 6]), np.ones([8, 6]));
  assert.deepEqual(
    lo3.kernels.map((k) => k.ops),
    [["transpose", "matmul"]],
  );
});

test("an MLP training step: every SGD update rides in the epilogue of the matmul or sum that makes its gradient", async () => {
  type P = { w1: Tracer; b1: Tracer; w2: Tracer; b2: Tracer };
  const loss = (p: P, x: Tracer, y: Tracer) =>
    np.mean(np.square(np.subtract(np.add(np.matmul(np.tanh(np.add(np.matmul(x, p.w1), p.b1)), p.w2), p.b2), y)));
  const step = (p: P, x: Tracer, y: Tracer): P => {
    const g = grad(loss)(p, x, y) as P;
    const upd = (w: Tracer, d: Tracer) => np.subtract(w, np.multiply(0.1, d));
    return { w1: upd(p.w1, g.w1), b1: upd(p.b1, g.b1), w2: upd(p.w2, g.w2), b2: upd(p.b2, g.b2) };
  };
  const p = { w1: np.ones([784, 256]), b1: np.zeros([256]), w2: np.ones([256, 10]), b2: np.zeros([10]) };
  const lo = await jit(step).lower(p, np.ones([128, 784]), np.ones([128, 10]));
  const kinds = lo.fusion.decisions.map((d) => d.kind);
  assert.deepEqual(kinds.filter((k) => k === "matmul").length, 5, "2 forward, 3 backward matmuls");
  assert.deepEqual(kinds.filter((k) => k === "reduction").length, 2, "the two bias gradients");
  assert.ok(lo.kernels.length <= 10, `${lo.kernels.length} kernels`);
  // Each parameter update (sub) sits in the same kernel as the op that produced its gradient.
  const subs = lo.schedule.groups.filter((g) =>
    g.eqns.some((e) => e.prim === "sub" && g.outputs.some((o) => o === e.outputs[0])),
  );
  assert.equal(subs.filter((g) => g.kind === "matmul" || g.kind === "reduction").length, 4);
});
