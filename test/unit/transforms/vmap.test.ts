// vmap against a plain JS loop over the mapped axis (np.take each element, np.stack the results),
// for every op class: elementwise (unary, binary, mixed batched/unbatched, rank-0), where, cast,
// reductions, argmax, shape ops, slice/pad/concatenate, matmul (either side or both batched),
// random with batched keys; inAxes/outAxes forms, nesting, and vmap of grad.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as L from "../../../runtime/src/trace/rules/lax.js";
import { config } from "../../../runtime/src/config.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import * as random from "../../../runtime/src/random.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, webgpuOrSkip, type Nested } from "../ops/harness.js";
import { input, toArray } from "./fd.js";

config({ backend: "cpu" });

type F = (...xs: Tracer[]) => Tracer;

/** The loop vmap must equal: f on each slice along the mapped axes, stacked along outAxis. */
function loop(f: F, args: readonly Tracer[], inAxes: readonly (number | null)[], outAxis = 0): Tracer {
  const axes = inAxes.map((a, k) => (a === null ? null : a < 0 ? a + args[k]!.ndim : a));
  const first = axes.findIndex((a) => a !== null);
  const size = args[first]!.shape[axes[first]!]!;
  const outs: Tracer[] = [];
  for (let i = 0; i < size; i++) outs.push(f(...args.map((a, k) => (axes[k] === null ? a : np.take(a, i, axes[k]!)))));
  return np.stack(outs, outAxis);
}

async function same(f: F, args: readonly Tracer[], inAxes: readonly (number | null)[], outAxis = 0): Promise<void> {
  const got = vmap(f, inAxes, outAxis)(...args);
  const want = loop(f, args, inAxes, outAxis);
  assert.deepEqual(got.shape, want.shape, "shape");
  assert.equal(got.dtype, want.dtype, "dtype");
  assertClose(await got.toArray(), (await want.toArray()) as Nested, got.dtype, 1e-5, 1e-5);
}

const X = toArray(input([4, 3], 1));
const Y = toArray(input([4, 3], 2));
const XT = toArray(input([3, 4], 3));
const V = toArray(input([3], 4));
const POS = toArray(input([4, 3], 5, 0.5, 2));

test("vmap = loop: unary elementwise ops", async () => {
  for (const op of [np.negative, np.exp, np.tanh, np.sin, np.abs, np.sign]) await same(op, [X], [0]);
  await same(np.log, [POS], [0]);
  await same(np.sqrt, [POS], [1]);
});

test("vmap = loop: binary ops with both, one, or a different axis batched", async () => {
  for (const op of [np.add, np.subtract, np.multiply, np.divide, np.maximum, np.minimum]) {
    await same(op, [X, Y], [0, 0]);
    await same(op, [X, V], [0, null]);
    await same(op, [V, X], [null, 0]);
    await same(op, [X, XT], [0, 1]);
  }
  await same(np.power, [POS, Y], [0, 0]);
});

test("vmap = loop: rank-0 elements, JS numbers and comparisons", async () => {
  const s = toArray(input([4], 6));
  await same((a, b) => np.multiply(a, b), [s, X], [0, 0]); // batched scalar times batched row
  await same((a, b) => np.add(a, b), [s, V], [0, null]); // batched scalar plus unbatched vector
  await same((a) => np.add(np.multiply(a, 2), 1), [X], [0]);
  await same((a, b) => np.greater(a, b), [X, Y], [0, 1 - 1]);
  await same((a) => np.logical_not(np.less(a, 0)), [X], [0]);
});

test("vmap = loop: where and cast", async () => {
  await same((a, b) => np.where(np.greater(a, 0), a, b), [X, Y], [0, 0]);
  await same((a, b) => np.where(np.greater(b, 0), a, 0), [X, V], [0, null]);
  await same((a) => np.astype(np.multiply(a, 10), "int32"), [X], [0]);
});

test("vmap = loop: reductions and argmax/argmin", async () => {
  await same((a) => np.sum(a), [X], [0]);
  await same((a) => np.sum(a), [X], [1]);
  const M = toArray(input([2, 3, 4], 7));
  await same((a) => np.sum(a, 0), [M], [1]);
  await same((a) => np.max(a, 1), [M], [0]);
  await same((a) => np.min(a, -1), [M], [2]);
  await same((a) => np.mean(a, 0), [M], [2]);
  await same((a) => np.argmax(a, 1), [M], [0]);
  await same((a) => np.argmin(a, 0), [M], [2]);
});

test("vmap = loop: reshape, transpose, broadcast_to, expand_dims, concatenate", async () => {
  const M = toArray(input([2, 3, 4], 8));
  await same((a) => np.reshape(a, [6]), [M], [2]);
  await same((a) => np.transpose(a), [M], [1]);
  await same((a) => np.broadcast_to(a, [5, 3]), [X], [0]);
  await same((a) => np.expand_dims(a, 0), [X], [1]);
  await same((a, b) => np.concatenate([a, b, a], 0), [X, Y], [0, 1 - 1]);
  await same((a, b) => np.concatenate([a, b], 0), [X, V], [0, null]);
});

test("vmap = loop: slice (strided) and pad", async () => {
  const M = toArray(input([3, 5, 4], 9));
  await same((a) => np.slice(a, [1, 0], [5, 4], [2, 3]), [M], [0]);
  await same((a) => np.slice(a, [0], [2]), [M], [1]);
  await same((a) => L.pad(a, [1, 0], [0, 2], 7) as Tracer, [M], [2]);
});

test("vmap = loop: matmul with the left, right, or both sides batched", async () => {
  const As = toArray(input([5, 2, 3], 10));
  const Bs = toArray(input([5, 3, 4], 11));
  const A = toArray(input([2, 3], 12));
  const B = toArray(input([3, 4], 13));
  await same(np.matmul, [As, B], [0, null]);
  await same(np.matmul, [A, Bs], [null, 0]);
  await same(np.matmul, [As, Bs], [0, 0]);
  await same(np.matmul, [toArray(input([2, 5, 3], 14)), B], [1, null]);
  await same(np.matmul, [A, toArray(input([3, 4, 5], 15))], [null, 2]);
  // matrix-vector: the vector batched (as in vmap over examples of a linear layer)
  await same((x) => np.matmul(A, x), [toArray(input([6, 3], 16))], [0]);
  // batched matmul inside: [2, 2, 3] @ [2, 3, 4] per element
  await same(np.matmul, [toArray(input([3, 2, 2, 3], 17)), toArray(input([2, 3, 4], 18))], [0, null]);
});

test("vmap = loop: random draws with a batch of keys", async () => {
  const keys = random.split(random.key(3), 4);
  await same((k) => random.uniform(k, [3]), [keys], [0]);
  await same((k) => random.normal(k, [2]), [keys], [0]);
  await same((k) => random.split(k, 2), [keys], [0]);
});

test("outAxes places the mapped axis; unmapped outputs are broadcast", async () => {
  await same((a) => np.exp(a), [X], [0], 1);
  const got = vmap((_a: Tracer) => V, 0)(X);
  assert.deepEqual(got.shape, [4, 3]);
  assertClose(await got.toArray(), (await np.stack([V, V, V, V], 0).toArray()) as Nested, "float32");
  const [p, q] = vmap((a: Tracer) => [np.sum(a), a] as [Tracer, Tracer], 0, [0, 1])(X);
  assert.deepEqual(p.shape, [4]);
  assert.deepEqual(q.shape, [3, 4]);
});

test("outAxes null returns an unmapped output as it is, and rejects a mapped one (as JAX's out_axes=None)", async () => {
  const [p, v] = vmap((a: Tracer) => [np.exp(a), V] as [Tracer, Tracer], 0, [0, null])(X);
  assert.deepEqual(p.shape, [4, 3]);
  assert.deepEqual(v.shape, V.shape);
  assertClose(await v.toArray(), (await V.toArray()) as Nested, "float32");
  assert.throws(
    () => vmap((a: Tracer) => np.exp(a), 0, null)(X),
    /outAxes is null but the output depends on the mapped axis/,
  );
});

test("inAxes as one number for every argument, per-argument lists, and negative axes", async () => {
  const got = vmap((a: Tracer, b: Tracer) => np.add(a, b))(X, Y);
  assertClose(await got.toArray(), (await np.add(X, Y).toArray()) as Nested, "float32");
  await same((a) => np.sum(a), [X], [-1]);
});

test("nested vmap is an outer product; vmap over pytree arguments", async () => {
  const outer = vmap(
    vmap((a: Tracer, b: Tracer) => np.multiply(a, b), [null, 0]),
    [0, null],
  );
  const a = np.array([1, 2, 3]);
  const b = np.array([10, 20]);
  assert.deepEqual(await outer(a, b).toArray(), [
    [10, 20],
    [20, 40],
    [30, 60],
  ]);
  const f = vmap((p: { w: Tracer; b: Tracer }) => np.add(np.sum(p.w), p.b));
  assert.deepEqual(
    await f({
      w: np.array([
        [1, 2],
        [3, 4],
      ]),
      b: np.array([100, 200]),
    }).toArray(),
    [103, 207],
  );
});

test("vmap(grad(f)) gives per-example gradients equal to a loop of grad", async () => {
  const loss = (w: Tracer, x: Tracer) => np.sum(np.square(np.tanh(np.matmul(x, w))));
  const W = toArray(input([3, 2], 20));
  const xs = toArray(input([5, 3], 21));
  const per = vmap(grad(loss) as (w: Tracer, x: Tracer) => Tracer, [null, 0])(W, xs);
  const want = loop((w, x) => grad(loss)(w, x) as Tracer, [W, xs], [null, 0]);
  assertClose(await per.toArray(), (await want.toArray()) as Nested, "float32", 1e-5, 1e-6);
  // and grad of a vmapped function
  const g = grad((w: Tracer) => np.sum(vmap((x: Tracer) => loss(w, x))(xs)))(W) as Tracer;
  assertClose(await g.toArray(), (await np.sum(want, 0).toArray()) as Nested, "float32", 1e-4, 1e-5);
});

test("vmap on WebGPU equals vmap on the CPU reference (matmul folding, strided slice, pad, reductions, where)", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const build = () => {
    const As = toArray(input([5, 2, 3], 10));
    const B = toArray(input([3, 4], 13));
    const M = toArray(input([3, 5, 4], 9));
    return [
      vmap(np.matmul, [0, null])(As, B),
      vmap(np.matmul, [null, 0])(B, toArray(input([2, 4, 3], 11))),
      vmap((a: Tracer) => np.slice(a, [1, 0], [5, 4], [2, 3]), 0)(M),
      vmap((a: Tracer) => L.pad(a, [1, 0], [0, 2], 7) as Tracer, 2)(M),
      vmap((a: Tracer) => np.max(a, 1), 1)(M),
      vmap((a: Tracer, b: Tracer) => np.where(np.greater(a, 0), a, b), [0, null])(M, toArray(input([5, 4], 3))),
    ];
  };
  const cpu = onBackend("cpu", build);
  const gpu = onBackend("webgpu", build);
  for (let i = 0; i < cpu.length; i++) {
    assert.deepEqual(gpu[i]!.shape, cpu[i]!.shape, `case ${i} shape`);
    assertClose(await gpu[i]!.toArray(), (await cpu[i]!.toArray()) as Nested, "float32", 1e-5, 1e-5);
  }
});
