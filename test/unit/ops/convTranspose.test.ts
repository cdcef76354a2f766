// lax.conv_transpose against JAX (test/fixtures/jax/conv_transpose.json, written by
// scripts/jax/run_jax_conv_transpose.py): a decoder's stride-2 SAME upsampling, VALID, a kernel
// larger than its stride, exact doubling, stride 1, unequal strides with explicit padding,
// transpose_kernel, rhs_dilation, 1-D, and NCHW given as dimension_numbers. Values and the
// gradients of a weighted sum in both operands, on the CPU and on WebGPU, eagerly and under jit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as lax from "../../../runtime/src/lax.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import type { ConvTransposeOptions, Padding } from "../../../runtime/src/lax/conv.js";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import { assertClose, onBackend, webgpuOrSkip } from "./harness.js";

interface Case {
  name: string;
  lhs_shape: number[];
  rhs_shape: number[];
  strides: number[];
  padding: Padding;
  options: ConvTransposeOptions;
  out_shape: number[];
  out: number[];
  grad_lhs: number[];
  grad_rhs: number[];
}
const fixture = JSON.parse(
  readFileSync(new URL("../../fixtures/jax/conv_transpose.json", import.meta.url), "utf8"),
) as { cases: Case[] };

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const seq = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

/** The fixture's operands and weights (see run_jax_conv_transpose.py), on the current backend. */
function problem(c: Case) {
  const lhs = np.reshape(np.array(seq(size(c.lhs_shape), (i) => (((i * 7 + 3) % 11) - 5) / 4)), c.lhs_shape);
  const rhs = np.reshape(np.array(seq(size(c.rhs_shape), (i) => (((i * 5 + 1) % 9) - 4) / 8)), c.rhs_shape);
  const w = np.reshape(np.array(seq(size(c.out_shape), (o) => (1 + (o % 5)) / 4)), c.out_shape);
  const f = (a: Tracer, b: Tracer) => lax.conv_transpose(a, b, c.strides, c.padding, c.options);
  const loss = (a: Tracer, b: Tracer) => np.sum(np.multiply(f(a, b), w));
  return { lhs, rhs, f, loss };
}

async function check(c: Case, backend: "cpu" | "webgpu", jitted: boolean): Promise<void> {
  const [y, gl, gr] = onBackend(backend, () => {
    const { lhs, rhs, f, loss } = problem(c);
    const g = grad(loss, [0, 1]);
    const [dl, dr] = (jitted ? jit(g) : g)(lhs, rhs) as [Tracer, Tracer];
    return [(jitted ? jit(f) : f)(lhs, rhs) as Tracer, dl, dr];
  });
  const where = `${c.name} [${backend}${jitted ? ", jit" : ""}]`;
  assert.deepEqual(y.shape, c.out_shape, `${where} shape`);
  // Sums of up to ~50 products of quarters and eighths: exact or nearly so in float32.
  assertClose(Array.from(await y.data()), c.out, "float32", 1e-5, 1e-6, `${where} value`);
  assertClose(Array.from(await gl.data()), c.grad_lhs, "float32", 1e-5, 1e-5, `${where} grad lhs`);
  assertClose(Array.from(await gr.data()), c.grad_rhs, "float32", 1e-5, 1e-5, `${where} grad rhs`);
}

for (const c of fixture.cases) {
  test(`conv_transpose ${c.name}: values and both gradients equal JAX's on the CPU, eager and under jit`, async () => {
    await check(c, "cpu", false);
    await check(c, "cpu", true);
  });
  test(`conv_transpose ${c.name}: values and both gradients equal JAX's on WebGPU, eager and under jit`, async (t) => {
    if (!(await webgpuOrSkip(t))) return;
    await check(c, "webgpu", false);
    await check(c, "webgpu", true);
  });
}

test("conv_transpose refuses what it cannot compute, naming it: ranks that differ, strides of the wrong length, an unknown option", () => {
  const refuses = (f: () => unknown, message: RegExp) =>
    assert.throws(f, (e: unknown) => e instanceof JitScopeError && message.test(e.message));
  onBackend("cpu", () => {
    refuses(
      () => lax.conv_transpose(np.ones([1, 4, 4, 1]), np.ones([3, 3, 1]), [2, 2], "SAME"),
      /conv_transpose: lhs float32\[1,4,4,1\] and rhs float32\[3,3,1\] need one rank/,
    );
    refuses(
      () => lax.conv_transpose(np.ones([1, 4, 4, 1]), np.ones([3, 3, 1, 1]), [2], "SAME"),
      /strides needs 2 positive integers/,
    );
    refuses(
      () =>
        lax.conv_transpose(np.ones([1, 4, 4, 1]), np.ones([3, 3, 1, 1]), [2, 2], "SAME", {
          transposeKernel: true,
        } as never),
      /lax\.conv_transpose: unknown option "transposeKernel": did you mean "transpose_kernel"/,
    );
  });
});
