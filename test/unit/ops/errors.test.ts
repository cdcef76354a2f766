// Bad input: every error is a JitScopeError thrown at the call, naming the op and the shapes or
// dtypes involved, and pointing at THIS file's line (the user's call, not the runtime).
import { test } from "node:test";
import assert from "node:assert/strict";
import { expectUserError, here, onBackend } from "./harness.js";
import * as np from "../../../runtime/src/np.js";
import * as nn from "../../../runtime/src/nn.js";
import type { DType } from "../../../runtime/src/ir/types.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { jit } from "../../../runtime/src/trace/jit.js";

const FILE = "test/unit/ops/errors.test.ts";
const x23 = () => np.ones([2, 3]);

test("broadcasting mismatch names the op and both shapes", async (t) => {
  await expectUserError(t, () => np.add(x23(), np.ones([4])), FILE, here(), "add", "float32[2,3]", "float32[4]", "broadcast");
  await expectUserError(t, () => np.where(np.ones([3], { dtype: "bool" }), x23(), np.ones([2, 1, 2])), FILE, here(), "where", "[3]", "[2,1,2]");
  await expectUserError(t, () => np.greater(np.arange(3), np.arange(2)), FILE, here(), "greater", "int32[3]", "int32[2]");
  await expectUserError(t, () => x23().mul(np.ones([3, 2])), FILE, here(), "multiply", "float32[2,3]", "float32[3,2]");
});

test("matmul and dot shape mismatches name both shapes", async (t) => {
  await expectUserError(t, () => np.matmul(x23(), np.ones([2, 3])), FILE, here(), "matmul", "float32[2,3]", "3", "2");
  await expectUserError(t, () => np.matmul(np.ones([2, 2, 3]), np.ones([3, 3, 4])), FILE, here(), "matmul", "float32[2,2,3]", "float32[3,3,4]", "broadcast");
  await expectUserError(t, () => np.matmul(np.ones([3]), np.array(2)), FILE, here(), "matmul", "float32[]");
  await expectUserError(t, () => np.dot(np.ones([2, 3]), np.ones([2, 2, 4])), FILE, here(), "dot", "float32[2,3]", "float32[2,2,4]");
});

test("bad axes name the op, the axis and the shape", async (t) => {
  await expectUserError(t, () => np.sum(x23(), 2), FILE, here(), "sum", "axis 2", "[2,3]");
  await expectUserError(t, () => np.mean(x23(), -3), FILE, here(), "mean", "axis -3", "[2,3]");
  await expectUserError(t, () => np.max(x23(), [0, -2]), FILE, here(), "max", "repeated axis", "[2,3]");
  await expectUserError(t, () => np.argmax(x23(), 5), FILE, here(), "argmax", "axis 5", "[2,3]");
  await expectUserError(t, () => np.transpose(x23(), [0, 0]), FILE, here(), "transpose", "[0,0]", "float32[2,3]");
  await expectUserError(t, () => np.transpose(x23(), [1]), FILE, here(), "transpose", "float32[2,3]");
  await expectUserError(t, () => np.concatenate([x23(), x23()], 2), FILE, here(), "concatenate", "axis 2");
  await expectUserError(t, () => np.expand_dims(x23(), 4), FILE, here(), "expand_dims", "axis 4");
  await expectUserError(t, () => np.take(x23(), [0], 2), FILE, here(), "take", "axis 2");
});

test("nn functions name themselves, not the ops they call inside (softmax, not max)", async (t) => {
  const notInternal = (fn: () => unknown) => {
    try {
      onBackend("cpu", fn);
    } catch (e) {
      assert.doesNotMatch((e as Error).message, /^(max|sum|maximum|squeeze|subtract)\b/);
    }
  };
  await expectUserError(t, () => nn.softmax(x23(), 3), FILE, here(), "softmax: axis 3", "[2,3]");
  await expectUserError(t, () => nn.log_softmax(np.array([-1.79]), -2), FILE, here(), "log_softmax: axis -2", "[1]");
  await expectUserError(t, () => nn.logsumexp(x23(), 2), FILE, here(), "logsumexp: axis 2", "[2,3]");
  await expectUserError(t, () => nn.logsumexp(x23(), [1, -1]), FILE, here(), "logsumexp: repeated axis");
  await expectUserError(t, () => nn.relu("x" as never), FILE, here(), "relu: argument");
  for (const fn of [() => nn.softmax(x23(), 3), () => nn.log_softmax(x23(), -3), () => nn.logsumexp(x23(), 9), () => nn.relu("x" as never)]) notInternal(fn);
});

test("under jit an nn function's error still names it and the user's line", async (t) => {
  await expectUserError(t, () => jit((x: Tracer) => nn.log_softmax(x, -2))(np.array([-1.79])), FILE, here(), "log_softmax: axis -2");
});

test("reshape to a wrong size names both shapes and sizes", async (t) => {
  await expectUserError(t, () => np.reshape(x23(), [4, 2]), FILE, here(), "reshape", "float32[2,3]", "[4,2]", "size 6");
  await expectUserError(t, () => x23().reshape(-1, 4), FILE, here(), "reshape", "float32[2,3]", "[-1,4]");
  await expectUserError(t, () => np.reshape(x23(), [-1, -1]), FILE, here(), "reshape", "one dimension");
});

test("other shape errors: squeeze, concatenate, stack, broadcast_to, slice, take, ragged lists", async (t) => {
  await expectUserError(t, () => np.squeeze(x23(), 1), FILE, here(), "squeeze", "axis 1", "float32[2,3]");
  await expectUserError(t, () => np.concatenate([x23(), np.ones([2, 2, 1])]), FILE, here(), "concatenate", "float32[2,3]", "float32[2,2,1]");
  await expectUserError(t, () => np.stack([x23(), np.ones([3, 2])]), FILE, here(), "stack", "float32[2,3]", "float32[3,2]");
  await expectUserError(t, () => np.broadcast_to(x23(), [3, 3]), FILE, here(), "broadcast_to", "float32[2,3]", "[3,3]");
  await expectUserError(t, () => np.broadcast_to(x23(), [3]), FILE, here(), "broadcast_to", "float32[2,3]", "[3]");
  await expectUserError(t, () => np.slice(x23(), [0, 0, 0]), FILE, here(), "slice", "3 axes", "float32[2,3]");
  await expectUserError(t, () => np.slice(x23(), [0], [1], [0]), FILE, here(), "slice", "stride 0", "float32[2,3]");
  await expectUserError(t, () => np.slice(x23(), "1" as never), FILE, here(), "slice", "starts", "string", "float32[2,3]");
  await expectUserError(t, () => np.take(x23(), [3], 1), FILE, here(), "take", "index 3", "float32[2,3]");
  await expectUserError(t, () => np.take(x23(), np.array([0]), 1), FILE, here(), "take", "int32", "float32[1]");
  await expectUserError(t, () => np.array([[1, 2], [3]]), FILE, here(), "array", "ragged");
  await expectUserError(t, () => np.array([1, [2, 3]] as never), FILE, here(), "array", "ragged");
});

test("unsupported dtypes name the op and the dtype", async (t) => {
  await expectUserError(t, () => np.array([1], { dtype: "float64" as DType }), FILE, here(), "array", '"float64"', "float32, int32, bool");
  await expectUserError(t, () => np.astype(x23(), "uint8" as DType), FILE, here(), "astype", '"uint8"');
  await expectUserError(t, () => np.ones([2], { dtype: "complex64" as DType }), FILE, here(), "ones", '"complex64"', "lax.complex");
  await expectUserError(t, () => np.add(x23(), [1, 2, 3] as never), FILE, here(), "add", "JS list", "np.array");
  await expectUserError(t, () => np.exp("1" as never), FILE, here(), "exp", "string");
});

test("non-finite and non-integer shapes are refused", async (t) => {
  await expectUserError(t, () => np.zeros([2, NaN]), FILE, here(), "zeros", "NaN");
  await expectUserError(t, () => np.ones([Infinity]), FILE, here(), "ones", "Infinity");
  await expectUserError(t, () => np.full([1.5], 0), FILE, here(), "full", "1.5");
  await expectUserError(t, () => np.zeros([-1]), FILE, here(), "zeros", "-1");
  await expectUserError(t, () => np.reshape(x23(), [2.5, 2]), FILE, here(), "reshape", "2.5");
  await expectUserError(t, () => np.broadcast_to(x23(), [NaN, 3]), FILE, here(), "broadcast_to", "NaN");
  await expectUserError(t, () => np.eye(2.5), FILE, here(), "eye", "2.5");
  await expectUserError(t, () => np.linspace(0, 1, -3), FILE, here(), "linspace", "-3");
  await expectUserError(t, () => np.arange(0, Infinity), FILE, here(), "arange", "Infinity");
  await expectUserError(t, () => np.arange(0, 5, 0), FILE, here(), "arange", "step");
});

test("an array read after dispose() is a clear error", async () => {
  const x = onBackend("cpu", () => np.ones([2]));
  x.dispose();
  await assert.rejects(x.data(), /array read after dispose\(\).*f32\[2\]/s);
  assert.throws(() => np.add(x, 1), /dispose/);
});
