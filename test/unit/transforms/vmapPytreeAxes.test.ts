// vmap's in_axes and out_axes as pytree prefixes, as JAX reads them: an object or list inside
// in_axes gives each part of an argument its own axis, and out_axes maps the parts of a result.
// Checked against the same function applied element by element and stacked, on the CPU
// reference and under jit on WebGPU.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "../../../runtime/src/np.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, webgpuOrSkip, type Nested } from "../ops/harness.js";

config({ backend: "cpu" });
type T = Tracer;
type P = { w: T; b: T };

const layer = (p: P, x: T): T => np.add(np.matmul(x, p.w), p.b);
const w = (shape: number[]) => np.sin(np.reshape(np.arange(shape.reduce((a, b) => a * b, 1)), shape));
const xs = np.cos(np.reshape(np.arange(15), [5, 3]));

test("in_axes [{ w: null, b: null }, 0]: shared parameters, mapped inputs; equals the layer on the whole batch", async () => {
  const p = { w: w([3, 2]), b: np.array([0.5, -1]) };
  const mapped = vmap(layer, [{ w: null, b: null }, 0]);
  assertClose(await mapped(p, xs).toArray(), (await layer(p, xs).toArray()) as Nested, "float32", 1e-6, 1e-6);
});

test("in_axes [{ w: 0, b: null }, 0]: per-example weights beside a shared bias, as each example computed alone", async () => {
  const ws = w([5, 3, 2]);
  const b = np.array([0.25, 2]);
  const got = await vmap(layer, [{ w: 0, b: null }, 0])({ w: ws, b }, xs).toArray();
  const want: Nested[] = [];
  for (let i = 0; i < 5; i++)
    want.push((await layer({ w: np.take(ws, i, 0), b }, np.take(xs, i, 0)).toArray()) as Nested);
  assertClose(got, want, "float32", 1e-6, 1e-6);
});

test("in_axes with a list inside ([[0, null], 0]) and out_axes as an object ({ y: 0, t: 1 }) put each part where asked", async () => {
  const f = ([a, s]: [T, T], x: T) => ({ y: np.add(np.multiply(a, x), s), t: np.stack([x, a]) });
  const a = np.reshape(np.arange(10), [5, 2]);
  const s = np.array(3);
  const x = np.reshape(np.arange(10, 20), [5, 2]);
  const out = vmap(f, { in_axes: [[0, null], 0], out_axes: { y: 0, t: 1 } })([a, s], x) as { y: T; t: T };
  assert.deepEqual(out.y.shape, [5, 2]);
  assert.deepEqual(out.t.shape, [2, 5, 2], "t's batch axis is 1");
  for (let i = 0; i < 5; i++) {
    const one = f([np.take(a, i, 0), s], np.take(x, i, 0));
    assert.deepEqual(await np.take(out.y, i, 0).toArray(), await one.y.toArray());
    assert.deepEqual(await np.take(out.t, i, 1).toArray(), await one.t.toArray());
  }
});

test("a jitted vmap with object in_axes on WebGPU gives the CPU's values", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const f = jit(vmap(layer, [{ w: 0, b: null }, 0]));
  const cpu = await f({ w: w([5, 3, 2]), b: np.array([1, 2]) }, xs).toArray();
  const gpu = await onBackend("webgpu", () =>
    f({ w: w([5, 3, 2]), b: np.array([1, 2]) }, np.cos(np.reshape(np.arange(15), [5, 3]))),
  ).toArray();
  assertClose(gpu, cpu as Nested, "float32", 1e-5, 1e-5);
});

test("an in_axes object or list that does not match the argument's structure is a JitScopeError naming the path and the keys", () => {
  const p = { w: w([3, 2]), b: np.array([0.5, -1]) };
  const refuses = (fn: () => unknown, re: RegExp) =>
    assert.throws(fn, (e: unknown) => e instanceof JitScopeError && re.test(e.message));
  refuses(
    () => vmap(layer, [{ w: null }, 0])(p, xs),
    /inAxes for argument 0 is an object with keys w but argument 0 has keys w, b \(none given for b\)/,
  );
  refuses(
    () => vmap(layer, [[null, null], 0])(p, xs),
    /inAxes for argument 0 is a list of 2 but argument 0 is not a list/,
  );
  refuses(() => vmap(layer, [{ w: 0.5, b: null }, 0]), /inAxes entries must be integers or null, got 0\.5/);
});
