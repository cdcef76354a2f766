// A matmul or dot with a 1-D operand whose result is reshaped and broadcast by a fused
// elementwise op (issue 21): fusion no longer takes such an op into the matmul's epilogue (an
// epilogue reads the product only where it was computed), the result is stored and the boundary
// says why. The repros of the issue, float32 and int32, on CPU and WebGPU, against eager.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, jit, np } from "../../../runtime/src/index.js";
import { fusePass } from "../../../runtime/src/passes/fuse.js";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, here, onBackend, webgpuOrSkip, type Nested } from "../ops/harness.js";

const maxOfProduct = (a: Tracer, b: Tracer, c: Tracer) => np.maximum(np.matmul(a, b), c);
const tanhDotLoss = (x: Tracer, w: Tracer) => np.sum(np.multiply(np.tanh(np.matmul(x, x)), w));

interface Repro {
  name: string;
  run: () => Tracer;
  expect: Nested;
  shape: number[];
  dtype: "float32" | "int32";
}

const repros: Repro[] = [
  {
    name: "jit(maximum(matmul(a[1,1], b[1]), c[1,1])) gives shape [1,1]",
    run: () => jit(maximum3)(np.array([[0.197]]), np.array([-1.54]), np.array([[-1.62]])),
    expect: [[Math.max(0.197 * -1.54, -1.62)]],
    shape: [1, 1],
    dtype: "float32",
  },
  {
    name: "the same in int32",
    run: () => jit(maximum3)(np.array([[2]], { dtype: "int32" }), np.array([-3], { dtype: "int32" }), np.array([[-7]], { dtype: "int32" })),
    expect: [[-6]],
    shape: [1, 1],
    dtype: "int32",
  },
  {
    name: "jit(maximum(matmul(a[3,4], b[4]), c[2,3])): the [3] product broadcast over 2 rows",
    run: () => jit(maximum3)(np.arange(12).reshape([3, 4]), np.array([1, -1, 0.5, 2]), np.array([[0, 0, 100], [10, -100, 0]])),
    // a @ b = [0-1+1+6, 4-5+3+14, 8-9+5+22] = [6, 16, 26]
    expect: [[6, 16, 100], [10, 16, 26]],
    shape: [2, 3],
    dtype: "float32",
  },
  {
    name: "jit(grad(sum(tanh(x·x)·w))) for a 1-D x of 7",
    run: () => jit(grad(tanhDotLoss))(np.array([0.3, -1.2, 0.5, 2.0, -0.7, 1.1, 0.4]), np.array(0.8)),
    expect: gradTanhDot([0.3, -1.2, 0.5, 2.0, -0.7, 1.1, 0.4], 0.8),
    shape: [7],
    dtype: "float32",
  },
];

function maximum3(a: Tracer, b: Tracer, c: Tracer): Tracer {
  return maxOfProduct(a, b, c);
}

/** d/dx sum(tanh(x·x)·w) = w (1 - tanh²(x·x)) 2x, in float64. */
function gradTanhDot(x: number[], w: number): number[] {
  const s = x.reduce((acc, v) => acc + v * v, 0);
  const t = Math.tanh(s);
  return x.map((v) => w * (1 - t * t) * 2 * v);
}

for (const r of repros) {
  test(`${r.name} [cpu]`, async () => {
    const out = onBackend("cpu", r.run);
    assert.deepEqual(out.shape, r.shape);
    assertClose(await out.toArray(), r.expect, r.dtype, 1e-5, 1e-6);
  });
  test(`${r.name} [webgpu]`, async (t) => {
    if (!(await webgpuOrSkip(t))) return;
    const out = onBackend("webgpu", r.run);
    assert.deepEqual(out.shape, r.shape);
    assertClose(await out.toArray(), r.expect, r.dtype, 1e-5, 1e-6);
  });
}

test("the [1,1] product broadcast back is stored by the matmul kernel, and the boundary names the broadcast", async () => {
  const lo = await onBackend("cpu", () => jit(maximum3).lower(np.array([[0.197]]), np.array([-1.54]), np.array([[-1.62]])));
  // w [1] is read in place as [1,1] (no copy kernel before the matmul).
  assert.deepEqual(lo.fusion.decisions.map((d) => d.kind), ["matmul", "elementwise"]);
  const after = lo.fusion.boundaries.filter((b) => b.fromKernel === lo.fusion.decisions[0]!.kernel);
  assert.deepEqual(after.map((b) => [b.rule, b.reason]), [["matmul-broadcast", "matmul result is broadcast back over axis 0"]]);
});

test("relu(x @ w + b) keeps its bias add and relu in the matmul epilogue (views of other inputs are not refused)", async () => {
  const f = (x: Tracer, w: Tracer, b: Tracer) => np.maximum(np.add(np.matmul(x, w), b), 0);
  const lo = await onBackend("cpu", () => jit(f).lower(np.ones([4, 8]), np.ones([8, 4]), np.ones([4])));
  assert.equal(lo.kernels.length, 1);
});

test("an internal compiler error surfaces as a JitScopeError naming the function, the pass and the user's line", () => {
  const run = fusePass.run;
  (fusePass as { run: typeof run }).run = () => {
    throw new Error("codegen: an invented failure");
  };
  try {
    const line = here() + 1;
    const call = () => onBackend("cpu", () => jit(function brokenCompile(x: Tracer) { return np.exp(x); })(np.ones([3])));
    assert.throws(call, (e: unknown) => {
      assert.ok(e instanceof JitScopeError, String(e));
      assert.match(e.message, /^jit\(brokenCompile\): internal compiler error in the fuse pass \(a bug in JIT Scope, not in your program\): codegen: an invented failure/);
      assert.equal(e.location?.line, line);
      return true;
    });
  } finally {
    (fusePass as { run: typeof run }).run = run;
  }
});
