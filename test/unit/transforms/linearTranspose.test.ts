// linear_transpose against JAX (scripts/jax/run_jax_transforms_misc.py wrote
// test/fixtures/jax/transforms_misc.json): a matmul with a constant matrix, a two-argument map,
// a convolution transposed in its input and in its kernel, a linear scan. Each on the CPU
// reference, on WebGPU and under jit on WebGPU (the transpose then made inside jit). Then: the
// transpose equals vjp's pullback, a transpose made outside jit called inside it, and the
// refusals of functions that are not linear, naming the op.
import { test } from "node:test";
import assert from "node:assert/strict";
import { jit, lax, linear_transpose, ShapeDtypeStruct, vjp } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, opCases, refuses, type Nested } from "../ops/harness.js";
import { fixtureCases } from "../ops/surface2Expected.js";

const { jaxOpCase, jaxParts, jaxCase } = fixtureCases("transforms_misc");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const tol = { rtol: 1e-5, atol: 1e-5 };
const first = (r: unknown[]): Tracer => r[0] as Tracer;

opCases("linear_transpose", [
  jaxOpCase(
    "lt_matmul",
    (a, ct) => first(linear_transpose((x: Tracer) => np.matmul(f(a), x), np.zeros([4]))(f(ct))),
    tol,
  ),
  ...jaxParts(
    "lt_two",
    2,
    (a, b, ct) =>
      linear_transpose(
        (x: Tracer, y: Tracer) => np.subtract(np.matmul(f(a), x), np.multiply(2, np.matmul(f(b), y))),
        new ShapeDtypeStruct([4]),
        new ShapeDtypeStruct([2]),
      )(f(ct)) as Tracer[],
  ).map((c) => ({ ...c, ...tol })),
  jaxOpCase(
    "lt_conv_input",
    (x, w, ct) =>
      first(linear_transpose((v: Tracer) => lax.conv(v, f(w), [1, 1], "SAME"), np.zeros([1, 2, 6, 6]))(f(ct))),
    tol,
  ),
  jaxOpCase(
    "lt_conv_kernel",
    (x, w, ct) =>
      first(linear_transpose((k: Tracer) => lax.conv(f(x), k, [1, 1], "SAME"), np.zeros([3, 2, 3, 3]))(f(ct))),
    tol,
  ),
  jaxOpCase(
    "lt_scan",
    (ct) =>
      first(
        linear_transpose(
          (xs: Tracer) =>
            lax.scan((c: Tracer, xi: Tracer) => [np.add(np.multiply(0.5, c), xi), c], np.zeros([]), xs)[1] as Tracer,
          np.zeros([4]),
        )(f(ct)),
      ),
    tol,
  ),
]);

test("linear_transpose of a conv in its input equals vjp's pullback of the same conv (within 1e-5)", async () => {
  const [viaTranspose, viaVjp] = onBackend("cpu", () => {
    const { inputs } = jaxCase("lt_conv_input");
    const [x, w, ct] = inputs.map(f) as [Tracer, Tracer, Tracer];
    const conv = (v: Tracer) => lax.conv(v, w, [1, 1], "SAME");
    return [first(linear_transpose(conv, x)(ct)), (vjp(conv, x)[1](ct) as Tracer[])[0]!];
  });
  assertClose(await viaTranspose.toArray(), (await viaVjp.toArray()) as Nested, "float32", 1e-5, 1e-5, "conv");
});

test("linear_transpose made outside jit, called inside jit on a traced cotangent, gives Aᵀct; the transpose is a list of one", async () => {
  const { inputs, expect } = jaxCase("lt_matmul");
  const [a, ct] = inputs.map(f) as [Tracer, Tracer];
  const t = linear_transpose((x: Tracer) => np.matmul(a, x), new ShapeDtypeStruct([4]));
  const r = t(ct);
  assert.ok(Array.isArray(r) && r.length === 1);
  const jitted = jit((c: Tracer) => first(t(c)));
  assertClose(await jitted(ct).toArray(), expect, "float32", 1e-5, 1e-5, "jit");
});

test("linear_transpose of an affine map transposes its linear part (JAX ignores the constant too): x ↦ 3x + 1 gives 3·ct", async () => {
  const t = linear_transpose((x: Tracer) => np.add(np.multiply(3, x), 1), np.zeros([2]));
  assert.deepEqual(await first(t(np.array([1, 2]))).toArray(), [3, 6]);
});

test("linear_transpose refuses functions that are not linear, naming the op: sin, x·x, x/x, a while_loop, a comparison", () => {
  onBackend("cpu", () => {
    const x = np.zeros([3]);
    refuses(
      () => linear_transpose(np.sin, x),
      /linear_transpose\(sin\): sin is not linear in its arguments: it applies sin/,
    );
    refuses(
      () => linear_transpose((v: Tracer) => np.multiply(v, v), x),
      /not linear in its arguments: it multiplies two values that both depend on them \(mul\)/,
    );
    refuses(
      () => linear_transpose((v: Tracer) => np.divide(1, v), x),
      /it divides by a value that depends on them \(div\)/,
    );
    refuses(
      () =>
        linear_transpose(
          (v: Tracer) =>
            lax.while_loop(
              ([i]: [Tracer, Tracer]) => np.less(i, 3),
              ([i, c]: [Tracer, Tracer]): [Tracer, Tracer] => [np.add(i, 1), np.multiply(c, 2)],
              [np.array(0, { dtype: "int32" }), v],
            )[1],
          x,
        ),
      /it runs a lax\.while_loop on them, which cannot be transposed/,
    );
    refuses(
      () => linear_transpose((v: Tracer) => np.where(np.greater(v, 0), v, 0), x),
      /it applies gt to a value computed from them/,
    );
  });
});

test("linear_transpose refuses integer functions and a cotangent of the wrong shape or structure, naming them", () => {
  onBackend("cpu", () => {
    refuses(
      () => linear_transpose((v: Tracer) => v, np.zeros([3], { dtype: "int32" })),
      /only supports float32 -> float32 functions, but got \[int32\] -> \[int32\]/,
    );
    const t = linear_transpose((v: Tracer) => np.multiply(v, 2), np.zeros([3]));
    refuses(() => t(np.ones([4])), /cotangent 0 is float32\[4\] but fn's output 0 is float32\[3\]; they must match/);
    refuses(() => t([np.ones([3]), np.ones([3])]), /the cotangent does not match fn's output/);
  });
});
