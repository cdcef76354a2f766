// jax.eval_shape and jax.make_jaxpr: f traced on its arguments' shapes and dtypes, never run.
// eval_shape returns ShapeDtypeStructs in the result's structure (from ShapeDtypeStruct
// arguments, allocating no array, or from arrays); make_jaxpr prints the traced program.
import { test } from "node:test";
import assert from "node:assert/strict";
import { eval_shape, make_jaxpr, ShapeDtypeStruct, lax, nn } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import { config } from "../../../runtime/src/config.js";
import { trackedStats } from "../../../runtime/src/arrayMemory.js";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";

config({ backend: "cpu" });
type P = { w: Tracer; b: Tracer };
const mlp = (p: P, x: Tracer) => ({
  logits: np.add(np.matmul(nn.relu(x), p.w), p.b),
  label: np.argmax(x, -1),
  sizes: [np.sum(x), 3],
});

test("eval_shape of an MLP on ShapeDtypeStructs: the result's structure with each leaf's shape and dtype, and no array allocated", () => {
  const before = trackedStats().liveArrays;
  const s = eval_shape(
    mlp as never,
    { w: new ShapeDtypeStruct([784, 10]), b: new ShapeDtypeStruct([10]) },
    new ShapeDtypeStruct([128, 784]),
  ) as { logits: ShapeDtypeStruct; label: ShapeDtypeStruct; sizes: [ShapeDtypeStruct, ShapeDtypeStruct] };
  assert.equal(trackedStats().liveArrays, before, "no array was made");
  assert.deepEqual([s.logits.shape, s.logits.dtype], [[128, 10], "float32"]);
  assert.deepEqual([s.label.shape, s.label.dtype], [[128], "int32"]);
  assert.deepEqual([s.sizes[0].shape, s.sizes[0].dtype], [[], "float32"]);
  // A number returned is a literal output: a float32 scalar, as jit returns it.
  assert.deepEqual(s.sizes[1].shape, []);
});

test("eval_shape on arrays gives what the call's result has, and a shape mismatch is the op's own error", () => {
  const p = { w: np.ones([6, 2]), b: np.zeros([2]) };
  const x = np.ones([5, 6]);
  const s = eval_shape(mlp as never, p, x) as { logits: ShapeDtypeStruct };
  const real = mlp(p, x);
  assert.deepEqual(s.logits.shape, real.logits.shape);
  assert.throws(
    () => eval_shape(mlp as never, p, new ShapeDtypeStruct([5, 7])),
    (e: unknown) => e instanceof JitScopeError && /matmul/.test(e.message),
  );
});

test("make_jaxpr prints the traced program before any pass: inputs with their avals, one line per op, the outputs", () => {
  const jaxpr = make_jaxpr((x: Tracer, y: number) => np.tanh(np.add(np.multiply(x, 2), y)))(np.ones([3]), 1);
  assert.equal(
    String(jaxpr),
    [
      "{ lambda a:f32[3] .",
      "  let b:f32[3] = mul a 2.0",
      "      c:f32[3] = add b 1.0",
      "      d:f32[3] = tanh c",
      "  in (d) }",
    ].join("\n"),
  );
  const scanned = make_jaxpr(
    (xs: Tracer) => lax.scan((c: Tracer, x: Tracer) => [np.add(c, x), c], np.zeros([]), xs)[0],
  )(new ShapeDtypeStruct([4]));
  assert.match(String(scanned), /scan/);
});

test("eval_shape and make_jaxpr refuse what they cannot trace, naming it: a non-function, a Map as an argument, a bad ShapeDtypeStruct", () => {
  const refuses = (f: () => unknown, message: RegExp) =>
    assert.throws(f, (e: unknown) => e instanceof JitScopeError && message.test(e.message));
  refuses(() => eval_shape(3 as never), /eval_shape: the first argument must be a function/);
  refuses(
    () => make_jaxpr((x: Tracer) => x)(new Map()),
    /make_jaxpr: argument 0 is object; arguments must be arrays, ShapeDtypeStructs/,
  );
  refuses(() => new ShapeDtypeStruct([2, -1]), /ShapeDtypeStruct: shape must be non-negative integers, got \[2,-1\]/);
});
