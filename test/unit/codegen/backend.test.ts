// The WebGPU backend itself: eager ops through lowerEqn (cached), the bounded buffer pool,
// compiled programs with intermediates in memory-plan slots and one submit per call.

import { test } from "node:test";
import assert from "node:assert/strict";
import { eagerKey, lowerEqn } from "../../../runtime/src/codegen/lowerEqn.js";
import { lowerGroup } from "../../../runtime/src/codegen/lowerGroup.js";
import type { ExecutablePlan } from "../../../runtime/src/codegen/kernelPlan.js";
import type { Atom, Eqn, Lit, Var } from "../../../runtime/src/ir/types.js";
import type { DeviceArray } from "../../../runtime/src/backend/backend.js";
import { Builder, f32, gpuOrSkip } from "./harness.js";

const v = (id: number, shape: number[]): Var => ({ kind: "var", id, aval: { shape, dtype: "float32" } });
const lit = (value: number): Lit => ({ kind: "lit", value, aval: { shape: [], dtype: "float32" } });
const eqn = (prim: Eqn["prim"], inputs: Atom[], out: Var, params: object = {}): Eqn =>
  ({ id: 0, prim, params, inputs, outputs: [out], location: null, nameStack: [] }) as Eqn;

test("eager kernels are cached by prim, params, avals and literal values", () => {
  const a = eqn("add", [v(0, [4]), lit(1)], v(1, [4]));
  const a2 = eqn("add", [v(7, [4]), lit(1)], v(9, [4]));
  const b = eqn("add", [v(0, [4]), lit(2)], v(1, [4]));
  assert.equal(eagerKey(a), eagerKey(a2));
  assert.notEqual(eagerKey(a), eagerKey(b));
  assert.equal(lowerEqn(a), lowerEqn(a2));
  assert.notEqual(lowerEqn(a).spec.wgsl, lowerEqn(b).spec.wgsl);
  assert.match(lowerEqn(b).spec.wgsl, /f32\(2\.0\)/);
  const pad = (value: number) => eqn("pad", [v(0, [2])], v(1, [4]), { low: [1], high: [1], value });
  assert.notEqual(eagerKey(pad(NaN)), eagerKey(pad(Infinity)));
});

test("eager x*x binds the same array twice; results chain without readback in between", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const x = b.fromHost(f32([1, 2, 3]), { shape: [3], dtype: "float32" });
  const [sq] = b.executeOp(eqn("mul", [v(0, [3]), v(1, [3])], v(2, [3])), [x, x]);
  const [p1] = b.executeOp(eqn("add", [v(0, [3]), lit(1)], v(1, [3])), [sq!]);
  assert.deepEqual(Array.from(await b.read(p1!)), [2, 5, 10]);
  for (const a of [x, sq!, p1!]) b.free(a);
});

test("bool arrays round-trip as Uint8Array 0/1", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const x = b.fromHost(Uint8Array.from([1, 0, 1]), { shape: [3], dtype: "bool" });
  const [n] = b.executeOp(
    {
      id: 0,
      prim: "logical_not",
      params: {},
      inputs: [{ kind: "var", id: 0, aval: x.aval }],
      outputs: [{ kind: "var", id: 1, aval: x.aval }],
      location: null,
      nameStack: [],
    },
    [x],
  );
  const got = await b.read(n!);
  assert.ok(got instanceof Uint8Array);
  assert.deepEqual(Array.from(got), [0, 1, 0]);
});

test("10,000 eager ops with freed intermediates keep the pool bounded", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  let x: DeviceArray = b.fromHost(f32([0, 0, 0, 0]), { shape: [4], dtype: "float32" });
  const add1 = eqn("add", [v(0, [4]), lit(1)], v(1, [4]));
  const before = b.stats();
  for (let i = 0; i < 10000; i++) {
    const [y] = b.executeOp(add1, [x]);
    b.free(x);
    x = y!;
  }
  assert.deepEqual(Array.from(await b.read(x)), [10000, 10000, 10000, 10000]);
  const after = b.stats();
  assert.ok(after.pooledBuffers <= 256, `pooled buffers ${after.pooledBuffers}`);
  assert.ok(after.pooledBytes <= 256 * 256, `pooled bytes ${after.pooledBytes}`);
  assert.equal(after.liveArrays, before.liveArrays);
  assert.ok(
    after.submits - before.submits < 10000 / 32,
    `submits ${after.submits - before.submits}: eager dispatches are batched`,
  );
  b.free(x);
});

test("a two-kernel compiled program: intermediate in a plan slot, outputs fresh, calls join the shared batch (no submit inside a call, one per stretch of JS)", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const B = new Builder();
  const x = B.input([4, 64]);
  const e = B.op("exp", [x], {}, x.aval);
  const s = B.op("reduce_sum", [e], { axes: [1] }, { shape: [4], dtype: "float32" });
  const g1 = B.group("elementwise", [x], [e], B.eqns.slice(0, 1), "k0");
  const g2 = B.group("reduction", [e], [s], B.eqns.slice(1), "k1");
  const plan: ExecutablePlan = {
    compilationId: "c0",
    program: { name: "sumexp", inputs: [x], eqns: [...g1.eqns, ...g2.eqns], outputs: [s, x] },
    kernels: [lowerGroup(g1), lowerGroup(g2)],
    memory: { slots: [4 * 64 * 4], slotOf: new Map([[e.id, 0]]), peakBytes: 4 * 64 * 4 },
    outputs: [s, x],
  };
  const exe = b.createExecutable(plan);
  assert.equal(exe.dispatchesPerCall, 2);
  const data = Float32Array.from({ length: 256 }, (_, i) => (i % 64) / 64);
  const input = b.fromHost(data, x.aval);
  let want = 0;
  for (let j = 0; j < 64; j++) want += Math.exp(j / 64);
  for (let call = 0; call < 3; call++) {
    const submits: number = b.stats().submits;
    const [sum, copy] = exe.run([input]);
    assert.equal(b.stats().submits - submits, 0); // encoded, not yet submitted: nothing waits
    await Promise.resolve(); // the batch's microtask flush
    assert.equal(b.stats().submits - submits, 1);
    const got = Array.from(await b.read(sum!));
    for (const g of got) assert.ok(Math.abs(g - want) < 1e-3, `${g} vs ${want}`);
    assert.deepEqual(Array.from(await b.read(copy!)), Array.from(data)); // an input returned is copied, not aliased
    b.free(sum!);
    b.free(copy!);
  }
  // Ten calls in one stretch of JS share one submit, and each output still holds its own result.
  const before: number = b.stats().submits;
  const outs = Array.from({ length: 10 }, () => exe.run([input]));
  await Promise.resolve();
  assert.equal(b.stats().submits - before, 1);
  for (const [sum, copy] of outs) {
    for (const g of await b.read(sum!)) assert.ok(Math.abs(g - want) < 1e-3, `${g} vs ${want}`);
    b.free(sum!);
    b.free(copy!);
  }
  assert.throws(() => exe.run([b.fromHost(f32([1]), { shape: [1], dtype: "float32" })]), /compiled for f32\[4,64\]/);
});

test("a Dawn validation error surfaces as a JitScopeError of kind backend at the next call, once", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const B = new Builder();
  const x = B.input([4]);
  const y = B.op("neg", [x], {}, x.aval);
  const g = B.group("elementwise", [x], [y]);
  const broken = { ...lowerGroup(g), wgsl: "this is not WGSL" };
  const input = b.fromHost(f32([1, 2, 3, 4]), x.aval);
  const exe = b.createExecutable({
    compilationId: "bad",
    program: { name: "bad", inputs: [x], eqns: g.eqns, outputs: [y] },
    kernels: [broken],
    memory: { slots: [], slotOf: new Map(), peakBytes: 0 },
    outputs: [y],
  });
  const runAndRead = async () => {
    const [out] = exe.run([input]);
    await b.read(out!);
  };
  await assert.rejects(
    runAndRead(),
    (e: unknown) => e instanceof Error && (e as { kind?: string }).kind === "backend" && /WGSL/.test(e.message),
  );
  // The device is still usable afterwards.
  const [ok] = b.executeOp(eqn("neg", [v(0, [4])], v(1, [4])), [input]);
  assert.deepEqual(Array.from(await b.read(ok!)), [-1, -2, -3, -4]);
});

test("eager reshape is a view: no dispatch, and the buffer returns to the pool only after both arrays are freed", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const x = b.fromHost(f32([1, 2, 3, 4, 5, 6]), { shape: [2, 3], dtype: "float32" });
  const d0 = b.stats().dispatches;
  const [r] = b.executeOp(eqn("reshape", [{ kind: "var", id: 0, aval: x.aval }], v(1, [3, 2]), { shape: [3, 2] }), [x]);
  assert.equal(b.stats().dispatches, d0);
  assert.deepEqual(r!.aval.shape, [3, 2]);
  b.free(x);
  const [y] = b.executeOp(eqn("add", [v(0, [3, 2]), lit(10)], v(1, [3, 2])), [r!]);
  assert.deepEqual(Array.from(await b.read(y!)), [11, 12, 13, 14, 15, 16]);
  assert.deepEqual(Array.from(await b.read(r!)), [1, 2, 3, 4, 5, 6]);
  const live = b.stats().liveBytes;
  b.free(r!);
  assert.ok(b.stats().liveBytes < live, "the shared buffer is released with the last view");
  b.free(y!);
});
