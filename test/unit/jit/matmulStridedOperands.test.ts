// Matmul operands that are strided views of a value in memory: reshapes, transposes and slices
// composed into one set of strides (codegen/stridedView.ts). A head split [B,T,H·d] →
// [B,H,T,d], its swap for kᵀ, the transpose of a flattened activation for xᵀ @ g, a slice of
// columns of a fused qkv projection: the matmul binds the source buffer and indexes it, with
// vec4 loads where every stride but the unit one is a whole number of vec4s. Views the strides
// cannot express (a transpose whose reshape merges the swapped axes) are still copied first.
// Every plan run on WebGPU equals eager evaluation on the CPU reference.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, nn, config } from "../../../runtime/src/index.js";
import { valueAndGrad } from "../../../runtime/src/trace/grad.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import type { ConcreteArray } from "../../../runtime/src/array.js";
import { assertClose, type Nested } from "../ops/harness.js";
import { ramp, runPlanOnWebGpu, webgpuDeviceOrSkip } from "./webgpuPlan.js";
import { firstLines, testKernelCases, type KernelCase } from "./kernelCases.js";

config({ backend: "cpu" });

const heads = (h: Tracer, [b, t, nh, d]: number[]) => np.transpose(np.reshape(h, [b!, t!, nh!, d!]), [0, 2, 1, 3]);

const cases: KernelCase[] = [
  {
    name: "attention scores of head splits: q [2,16,32] and k [2,16,32] as [2,4,16,8], q @ kᵀ",
    f: (q, k) => np.matmul(heads(q, [2, 16, 4, 8]), np.swapaxes(heads(k, [2, 16, 4, 8]), -1, -2)),
    shapes: [
      [2, 16, 32],
      [2, 16, 32],
    ],
    kernels: [/^\/\/ matmul: \[8×\] 16×8 @ 8×16 \(A·Bᵀ\).*vec4 loads/],
  },
  {
    name: "weights @ v with v a head split: w [2,4,16,16] @ v [2,16,32] as [2,4,16,8]",
    f: (w, v) => np.matmul(w, heads(v, [2, 16, 4, 8])),
    shapes: [
      [2, 4, 16, 16],
      [2, 16, 32],
    ],
    kernels: [/^\/\/ matmul: \[8×\] 16×16 @ 16×8 \(A·B\).*vec4 loads/],
  },
  {
    name: "a weight gradient: h [2,16,32] flattened and transposed, [32,32]ᵀ @ g [32,24]",
    f: (h, g) => np.matmul(np.transpose(np.reshape(h, [32, 32])), g),
    shapes: [
      [2, 16, 32],
      [32, 24],
    ],
    kernels: [/^\/\/ matmul: \[1×\] 32×32 @ 32×24 \(Aᵀ·B\).*vec4 loads/],
  },
  {
    name: "slices of a fused projection: qkv [24,96] columns 32:64 @ w [32,16] (offset 32, row stride 96)",
    f: (qkv, w) => np.matmul(qkv.at(null, "32:64").get(), w),
    shapes: [
      [24, 96],
      [32, 16],
    ],
    kernels: [/^\/\/ matmul: \[1×\] 24×32 @ 32×16 \(A·B\).*vec4 loads/],
  },
  {
    name: "every other row: x [32,16] rows ::2 @ w [16,8] (row stride 32)",
    f: (x, w) => np.matmul(x.at("::2").get(), w),
    shapes: [
      [32, 16],
      [16, 8],
    ],
    kernels: [/^\/\/ matmul: \[1×\] 16×16 @ 16×8 \(A·B\).*vec4 loads/],
  },
  {
    name: "head size 6 (strides not in vec4s): q [2,8,12] as [2,2,8,6] @ w [2,2,6,5] read by scalar loads",
    f: (q, w) => np.matmul(heads(q, [2, 8, 2, 6]), w),
    shapes: [
      [2, 8, 12],
      [2, 2, 6, 5],
    ],
    kernels: [/^\/\/ matmul: \[4×\] 8×6 @ 6×5 \(A·B\), (?!.*vec4 loads)/],
  },
  {
    name: "heads merged back [2,4,16,8] → [2,16,32] (axes no stride can merge) @ w [32,16]",
    f: (o, w) => np.matmul(np.reshape(np.transpose(o, [0, 2, 1, 3]), [2, 16, 32]), w),
    shapes: [
      [2, 4, 16, 8],
      [32, 16],
    ],
    // The merge of an argument is a copy; the matmul reads the copy as rows.
    kernels: [/^\/\/ fused_transpose_reshape: layout kernel/, /^\/\/ matmul_reshape: \[1×\] 32×32 @ 32×16 /],
  },
  {
    name: "attention's output merged by the matmul that makes it: (w [2,4,16,16] @ v [2,4,16,8]) → [2,16,32]",
    f: (w, v) => np.reshape(np.transpose(np.matmul(w, v), [0, 2, 1, 3]), [2, 16, 32]),
    shapes: [
      [2, 4, 16, 16],
      [2, 4, 16, 8],
    ],
    // Stored at [b, t, h·8 + d]: rows 32 apart, vec4 stores.
    kernels: [/^\/\/ matmul_transpose_reshape: \[8×\] 16×16 @ 16×8 \(A·B\).*vec4 loads/],
  },
  {
    name: "a product stored transposed: a [3,8,12] @ b [3,12,16] swapped to [3,16,8] (scalar stores, rows 1 apart)",
    f: (a, b) => np.swapaxes(np.matmul(a, b), -1, -2),
    shapes: [
      [3, 8, 12],
      [3, 12, 16],
    ],
    kernels: [/^\/\/ matmul_transpose: \[3×\] 8×12 @ 12×16 /],
  },
  {
    name: "head size 6 merged back: (w [2,2,8,8] @ v [2,2,8,6]) → [2,8,12] by scalar stores",
    f: (w, v) => np.reshape(np.transpose(np.matmul(w, v), [0, 2, 1, 3]), [2, 8, 12]),
    shapes: [
      [2, 2, 8, 8],
      [2, 2, 8, 6],
    ],
    kernels: [/^\/\/ matmul_transpose_reshape: \[4×\] 8×8 @ 8×6 /],
  },
  {
    name: "q and k from one qkv buffer [2,16,3,2,8] (the transformer example): both views of one input",
    f: (qkv) => {
      const head = (i: number) => np.transpose(np.reshape(qkv.at(null, null, i).get(), [2, 16, 2, 8]), [0, 2, 1, 3]);
      return np.matmul(head(0), np.swapaxes(head(1), -1, -2));
    },
    shapes: [[2, 16, 3, 2, 8]],
    // The buffer is bound once, read as vec4s by both operands.
    kernels: [/^\/\/ matmul: \[4×\] 16×8 @ 8×16 \(A·Bᵀ\).*vec4 loads/],
  },
];

testKernelCases(cases, (c) => `${c.name}: ${c.kernels.length} kernel(s) as listed, on WebGPU ≡ eager CPU`);

test("a head split read in place indexes its source by batch coordinates: batch (b, h) of q starts at vec4 b·128 + h·2, its rows 8 vec4s apart", async () => {
  const f = (q: Tracer, k: Tracer) => np.matmul(heads(q, [2, 16, 4, 8]), np.swapaxes(heads(k, [2, 16, 4, 8]), -1, -2));
  const lo = await jit(f).lower(ramp([2, 16, 32], 0.1, 0), ramp([2, 16, 32], 0.1, 1));
  const wgsl = lo.kernels[0]!.wgsl;
  // Batch (b, h) of q starts at element b·512 + h·8 (vec4 b·128 + h·2); its rows are 32 apart.
  assert.match(wgsl, /let aB0 = \(bzu % 4u\) \* 2u \+ \(bzu \/ 4u\) \* 128u \+ min\(r0u \+ 0u, 15u\) \* 8u;/);
});

/** Multi-head causal attention and its projections, as a GPT block writes it. */
function attentionLoss(x: Tracer, wq: Tracer, wk: Tracer, wv: Tracer, wo: Tracer): Tracer {
  const [b, t, h, d] = [2, 16, 4, 8];
  const split = (w: Tracer) => heads(np.matmul(x, w), [b, t, h, d]);
  const scores = np.multiply(np.matmul(split(wq), np.swapaxes(split(wk), -1, -2)), 1 / Math.sqrt(d));
  const mask = np.greater_equal(np.reshape(np.arange(t), [t, 1]), np.reshape(np.arange(t), [1, t]));
  const weights = nn.softmax(np.where(mask, scores, -1e9), -1);
  const merged = np.reshape(np.transpose(np.matmul(weights, split(wv)), [0, 2, 1, 3]), [b, t, h * d]);
  return np.mean(np.square(np.matmul(merged, wo)));
}

test("multi-head attention's loss and gradients: no layout kernel, on WebGPU ≡ eager CPU", async (t) => {
  const args = [
    [2, 16, 32],
    [32, 32],
    [32, 32],
    [32, 32],
    [32, 32],
  ].map((s, i) => ramp(s, 0.05, i)) as [ConcreteArray, ConcreteArray, ConcreteArray, ConcreteArray, ConcreteArray];
  const f = (x: Tracer, wq: Tracer, wk: Tracer, wv: Tracer, wo: Tracer) => {
    const [loss, g] = valueAndGrad(attentionLoss, [0, 1, 2, 3, 4])(x, wq, wk, wv, wo) as unknown as [Tracer, Tracer[]];
    return [loss, ...g];
  };
  const lo = await jit(f).lower(...args);
  const layout = firstLines(lo).filter((l) => l.includes("layout kernel"));
  assert.deepEqual(layout, []);
  const gpu = await webgpuDeviceOrSkip(t);
  if (!gpu) return;
  const expected = await Promise.all((f(...args) as unknown as ConcreteArray[]).map((a) => a.toArray()));
  const got = await runPlanOnWebGpu(gpu, lo, args as ConcreteArray[]);
  assert.equal(got.length, expected.length);
  got.forEach((g, i) => assertClose(g as Nested, expected[i] as Nested, "float32", 1e-4, 1e-4));
});
