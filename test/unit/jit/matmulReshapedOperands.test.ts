// Reshaped matmul operands: a reshape of a value in memory (an argument, or another kernel's
// output) is the same bytes in the same order, so the matmul kernel binds the value's buffer and
// reads it at the reshaped shape: no copy kernel. A reshape of a value computed in registers
// still goes through the producer's kernel, which writes it at the new shape. The inner product
// of two vectors is a multiply and a sum, one reduction kernel. Every plan run on WebGPU equals
// eager evaluation on the CPU reference.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, config } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { firstLines, testKernelCases, type KernelCase } from "./kernelCases.js";

config({ backend: "cpu" });

const cases: KernelCase[] = [
  {
    name: "x [64,5] @ w [5] (a linear model's logits)",
    f: (x, w) => np.matmul(x, w),
    shapes: [[64, 5], [5]],
    // The [64, 1] product is stored as [64] by the matmul kernel itself.
    kernels: [/^\/\/ matmul_reshape: \[1×\] 64×5 @ 5×1 \(A·B\)/],
  },
  {
    name: "v [48] @ K [48,48] (a vector times a matrix)",
    f: (v, k) => np.matmul(v, k),
    shapes: [[48], [48, 48]],
    kernels: [/^\/\/ matmul_reshape: \[1×\] 1×48 @ 48×48 \(A·B\).*vec4 loads/],
  },
  {
    name: "activations [2,16,32] as [32,32] @ W [32,48] (a GPT block's projection)",
    f: (h, w) => np.matmul(np.reshape(h, [32, 32]), w),
    shapes: [
      [2, 16, 32],
      [32, 48],
    ],
    kernels: [/^\/\/ matmul: \[1×\] 32×32 @ 32×48 \(A·B\).*vec4 loads/],
  },
  {
    name: "a chain of reshapes [4,8,6] → [32,6] → [192] → [12,16] @ W [16,8]",
    f: (h, w) => np.matmul(np.reshape(np.reshape(np.reshape(h, [32, 6]), [192]), [12, 16]), w),
    shapes: [
      [4, 8, 6],
      [16, 8],
    ],
    kernels: [/^\/\/ matmul: \[1×\] 12×16 @ 16×8 \(A·B\).*vec4 loads/],
  },
  {
    name: "one matmul's output reshaped into the next: (x @ w1) [8,12] as [4,24] @ w2 [24,8]",
    f: (x, w1, w2) => np.matmul(np.reshape(np.matmul(x, w1), [4, 24]), w2),
    shapes: [
      [8, 16],
      [16, 12],
      [24, 8],
    ],
    kernels: [/^\/\/ matmul: \[1×\] 8×16 @ 16×12 /, /^\/\/ matmul: \[1×\] 4×24 @ 24×8 \(A·B\).*vec4 loads/],
  },
  {
    name: "h [2,16,32] @ W [32,48] (np.matmul's rows [32,32] @ W, reshaped back to [2,16,48])",
    f: (h, w) => np.matmul(h, w),
    shapes: [
      [2, 16, 32],
      [32, 48],
    ],
    // Read as rows and stored at [2,16,48] by the matmul kernel itself.
    kernels: [/^\/\/ matmul_reshape: \[1×\] 32×32 @ 32×48 \(A·B\).*vec4 loads/],
  },
  {
    name: "one argument reshaped as both operands: v [6] as [6,1] @ [1,6] (scalar loads, K = 1)",
    f: (v) => np.matmul(np.reshape(v, [6, 1]), np.reshape(v, [1, 6])),
    shapes: [[6]],
    kernels: [/^\/\/ matmul: \[1×\] 6×1 @ 1×6 \(A·B\), (?!.*vec4 loads)/],
  },
  {
    name: "a computed value reshaped: tanh(x) [2,8,8] as [16,8] @ w [8,4]",
    f: (x, w) => np.matmul(np.reshape(np.tanh(x), [16, 8]), w),
    shapes: [
      [2, 8, 8],
      [8, 4],
    ],
    // tanh is computed once, written at the reshaped shape by its own kernel; no copy after it.
    kernels: [/^\/\/ (fused_)?tanh\w*: elementwise kernel/, /^\/\/ matmul: \[1×\] 16×8 @ 8×4 /],
  },
];

testKernelCases(
  cases,
  (c) => `${c.name}: ${c.kernels.length} kernel(s), no copy of a reshaped operand or result, on WebGPU ≡ eager CPU`,
);

test("np.dot and np.matmul of two vectors are a multiply and a sum (no matmul), = Σ aᵢbᵢ by hand", async () => {
  const a = np.array([1, 2, 3, 4, 5]);
  const b = np.array([0.5, -1, 2, 0.25, -3]);
  for (const f of [np.dot, np.matmul]) {
    const lo = await jit((x: Tracer, y: Tracer) => f(x, y)).lower(a, b);
    const prims = lo.program.eqns.map((e) => e.prim);
    assert.ok(!prims.includes("matmul"), prims.join(" "));
    assert.equal(lo.kernels.length, 1, firstLines(lo).join("\n"));
    assert.equal(await jit((x: Tracer, y: Tracer) => f(x, y))(a, b).toArray(), 0.5 - 2 + 6 + 1 - 15);
  }
  assert.throws(() => np.dot(a, np.array([1, 2])), /dot: shapes float32\[5\] and float32\[2\] do not align/);
});

test("the gradient of v·(K v) in v is (K + Kᵀ) v, by hand, with the inner product as a sum", async () => {
  const k = np.array([
    [2, 1, 0],
    [0, 3, 1],
    [1, 0, 1],
  ]);
  const v = np.array([1, -2, 0.5]);
  const g = await jit(grad((x: Tracer) => np.dot(x, np.matmul(k, x))))(v).toArray();
  // K + Kᵀ = [[4,1,1],[1,6,1],[1,1,2]]; times v = [4-2+0.5, 1-12+0.5, 1-2+1].
  assert.deepEqual(g, [2.5, -10.5, 0]);
});
