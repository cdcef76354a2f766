// JS-isms a JAX user types: each gives a JitScopeError at the user's line that says what to write
// instead; console.log(x) shows NumPy-style values on the host and says how to read them
// elsewhere. Also the new functions' bad-input errors (op, shapes, this file's line).
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { expectUserError, here, onBackend, webgpuOrSkip } from "./harness.js";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as nn from "../../../runtime/src/nn.js";
import * as lax from "../../../runtime/src/lax.js";
import * as random from "../../../runtime/src/random.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";

const FILE = "test/unit/ops/jsIsms.test.ts";
const x = () => np.array([[1, 2], [3, 4]]);
const any = (v: Tracer) => v as unknown as Record<string | number | symbol, unknown> & { at: Record<string, unknown> };

test("x[0] and x[-1] say to use x.at(i).get() or np.take, at the user's line", async (t) => {
  await expectUserError(t, () => any(x())[0], FILE, here(), "x[0] does not index an array", "x.at(0).get()", "np.take(x, 0, 0)");
  await expectUserError(t, () => any(x())[-1], FILE, here(), "x[-1]", "x.at(-1).get()");
});

test("x.at[0].set(v) says to write x.at(0).set(v)", async (t) => {
  await expectUserError(t, () => (any(x()).at[0] as { set(v: number): unknown }).set(5), FILE, here(), "x.at[0] is JAX's Python syntax", "x.at(0).set(v)");
  await expectUserError(t, () => any(x()).at.add, FILE, here(), "x.at(i).add(v)");
});

test("an array in a template string, as a property key, or in arithmetic says what to write", async (t) => {
  await expectUserError(t, () => `${x() as unknown as string}`, FILE, here(), "as a JS string", "await x.toArray()");
  await expectUserError(t, () => any(x())[np.array(1, { dtype: "int32" }) as unknown as number], FILE, here(), "JS property lookup, not indexing", "np.take(y, x, axis)");
  await expectUserError(t, () => (x() as unknown as number) + 1, FILE, here(), "as a JS number", "np.add(x, 1)", "JS counts every object as true. Use lax.cond or np.where");
  await expectUserError(t, () => [...(x() as unknown as number[])], FILE, here(), "not a JS iterable", "np.split");
});

test("console.log of a host (cpu) array prints JAX's repr: values aligned at the point, dtype named", () => {
  onBackend("cpu", () => {
    assert.equal(inspect(np.array([[1, 2.5], [3, -4]])), "Array([[ 1. ,  2.5],\n       [ 3. , -4. ]], dtype=float32)");
    assert.equal(inspect(np.array([true, false])), "Array([ True, False], dtype=bool)");
    assert.equal(inspect(np.array(7, { dtype: "int32" })), "Array(7, dtype=int32)");
    assert.equal(inspect(np.array([NaN, Infinity, 0.1])), "Array([nan, inf, 0.1], dtype=float32)");
    assert.equal(inspect(np.arange(2000)), "Array([   0,    1,    2, ..., 1997, 1998, 1999], dtype=int32)");
  });
});

test("console.log of a WebGPU array or a tracer says where the values are and how to read them", async (t) => {
  let traced = "";
  onBackend("cpu", () => jit((a: Tracer) => ((traced = inspect(a)), a))(np.ones([2])));
  assert.match(traced, /^Array\(shape=\[2\], dtype=float32\) \(jit tracer\): values are not known while tracing/);
  if (!(await webgpuOrSkip(t))) return;
  const gpu = onBackend("webgpu", () => np.ones([2, 3]));
  assert.equal(inspect(gpu), "Array(shape=[2, 3], dtype=float32) on webgpu: values are on the device; print them with `console.log(await x.toArray())`");
});

test("bad input to the new functions names the op, the shapes and the user's line", async (t) => {
  await expectUserError(t, () => np.split(np.ones([5]), 2), FILE, here(), "split", "size 5", "2 equal sections");
  await expectUserError(t, () => np.einsum("ij,jk->ik", np.ones([2, 3]), np.ones([4, 2])), FILE, here(), "einsum", "letter j", "3", "4");
  await expectUserError(t, () => np.einsum("ij->k", np.ones([2, 2])), FILE, here(), "einsum", "output letter k");
  await expectUserError(t, () => np.sort(np.ones([2, 3]), 2), FILE, here(), "sort", "axis 2", "[2,3]");
  await expectUserError(t, () => np.cumsum(np.ones([2, 3]), -3), FILE, here(), "cumsum", "axis -3");
  await expectUserError(t, () => np.tril(np.ones([3])), FILE, here(), "tril", "at least 2 dims");
  await expectUserError(t, () => np.pad(np.ones([2, 2]), [[1, 1]]), FILE, here(), "pad", "pad_width");
  await expectUserError(t, () => nn.one_hot(np.array([1]), -3), FILE, here(), "one_hot", "num_classes", "-3");
  await expectUserError(t, () => lax.top_k(np.ones([3]), 4), FILE, here(), "top_k", "k must be", "[3]");
  await expectUserError(t, () => np.histogram(np.ones([3]), { bins: 5 } as never), FILE, here(), "histogram", "object { bins }", "signature");
  await expectUserError(t, () => random.randint(random.key(0), [2], 5, 5), FILE, here(), "randint", "maxval (5)");
  await expectUserError(t, () => np.linalg.norm(np.ones([3]), "nuc"), FILE, here(), "norm", "nuc", "matrix norm");
  await expectUserError(t, () => np.repeat(np.ones([2]), 1.5), FILE, here(), "repeat", "non-negative integer");
});
