// Convolution and pooling: lax.conv_general_dilated (strides, SAME / VALID / explicit padding,
// lhs and rhs dilation, dimension_numbers, feature groups), lax.conv, lax.reduce_window and
// nn.max_pool / avg_pool against hand values and an independent reference (every output as a
// dot product of explicit patches); gradients against finite differences; vmap against a loop;
// the conv kernel with its epilogue and the buffer-limit split of wide concatenates.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as lax from "../../../runtime/src/lax.js";
import * as nn from "../../../runtime/src/nn.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import { STORAGE_BUFFER_LIMIT } from "../../../runtime/src/passes/fuse.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, expectUserError, here, onBackend, opCases, webgpuOrSkip, type Nested } from "./harness.js";
import { checkGradient, input, rand, toArray } from "../transforms/fd.js";

const f32 = (v: Nested) => np.array(v as number[]);
const NHWC = ["NHWC", "HWIO", "NHWC"] as const;

opCases("conv", [
  // 1-D, NCH / OIH: [1,2,3,4] * [1,10] valid -> 21, 32, 43
  { name: "1-D valid", build: () => lax.conv(f32([[[1, 2, 3, 4]]]), f32([[[1, 10]]]), [1], "VALID"), expect: [[[21, 32, 43]]], dtype: "float32" },
  { name: "1-D stride 2, SAME pads (0, 1)", build: () => lax.conv(f32([[[1, 2, 3, 4]]]), f32([[[1, 10]]]), [2], "SAME"), expect: [[[21, 43]]], dtype: "float32" },
  { name: "1-D explicit padding (1, 0)", build: () => lax.conv(f32([[[1, 2, 3]]]), f32([[[1, 10]]]), [1], [[1, 0]]), expect: [[[10, 21, 32]]], dtype: "float32" },
  // rhs dilation 2: taps x[i] and x[i+2]
  { name: "rhs dilation 2", build: () => lax.conv_general_dilated(f32([[[1, 2, 3, 4]]]), f32([[[1, 10]]]), [1], "VALID", { rhs_dilation: [2] }), expect: [[[31, 42]]], dtype: "float32" },
  // lhs dilation 2: [1,0,2,0,3] * [1,10] -> 1, 20, 2, 30
  { name: "lhs dilation 2 (a transposed convolution)", build: () => lax.conv_general_dilated(f32([[[1, 2, 3]]]), f32([[[1, 10]]]), [1], "VALID", { lhs_dilation: [2] }), expect: [[[1, 20, 2, 30]]], dtype: "float32" },
  // two channels, two groups: each output channel sees its own input channel
  { name: "feature_group_count 2 (depthwise)", build: () => lax.conv_general_dilated(f32([[[1, 2], [3, 4]]]), f32([[[1]], [[10]]]), [1], "VALID", { feature_group_count: 2 }), expect: [[[1, 2], [30, 40]]], dtype: "float32" },
  // NHWC / HWIO 2-D: 3x3 input of 1..9, a 2x2 kernel of ones summing each 2x2 block
  { name: "2-D NHWC / HWIO box sum", build: () => lax.conv_general_dilated(np.arange(1, 10).reshape(1, 3, 3, 1).astype("float32"), np.ones([2, 2, 1, 1]), [1, 1], "VALID", { dimension_numbers: NHWC }), expect: [[[[12], [16]], [[24], [28]]]], dtype: "float32" },
]);

opCases("pooling", [
  { name: "max_pool 2x2 stride 2 (NHWC)", build: () => nn.max_pool(np.arange(16).reshape(1, 4, 4, 1).astype("float32"), [2, 2], [2, 2]), expect: [[[[5], [7]], [[13], [15]]]], dtype: "float32" },
  { name: "avg_pool 2x2 stride 1", build: () => nn.avg_pool(np.arange(9).reshape(1, 3, 3, 1).astype("float32"), [2, 2]), expect: [[[[2], [3]], [[5], [6]]]], dtype: "float32" },
  { name: "max_pool SAME keeps the size (padding never wins)", build: () => nn.max_pool(f32([[[[-5], [-1], [-3]]]]), [1, 2], [1, 1], "SAME"), expect: [[[[-1], [-1], [-3]]]], dtype: "float32" },
  { name: "reduce_window sum over a 1-D window of 3, stride 2", build: () => lax.reduce_window(f32([1, 2, 3, 4, 5]), 0, "sum", [3], [2]), expect: [6, 12], dtype: "float32" },
  { name: "reduce_window max on int32", build: () => lax.reduce_window(np.array([3, 1, 4, 1, 5], { dtype: "int32" }), -2147483648, "max", [2], [1]), expect: [3, 4, 4, 5], dtype: "int32" },
]);

/** Independent reference: NCHW / OIHW 2-D conv with padding and strides, by explicit loops. */
function refConv(x: number[], xs: number[], w: number[], ws: number[], stride: number[], pad: [number, number][], groups: number): number[] {
  const [N, C, H, W] = xs as [number, number, number, number];
  const [O, Cg, KH, KW] = ws as [number, number, number, number];
  const OH = Math.floor((H + pad[0]![0] + pad[0]![1] - KH) / stride[0]!) + 1;
  const OW = Math.floor((W + pad[1]![0] + pad[1]![1] - KW) / stride[1]!) + 1;
  const out: number[] = [];
  for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++) {
    let s = 0;
    const g = Math.floor(o / (O / groups));
    for (let c = 0; c < Cg; c++) for (let a = 0; a < KH; a++) for (let b = 0; b < KW; b++) {
      const y = i * stride[0]! + a - pad[0]![0], z = j * stride[1]! + b - pad[1]![0];
      if (y < 0 || y >= H || z < 0 || z >= W) continue;
      s += x[((n * C + g * Cg + c) * H + y) * W + z]! * w[((o * Cg + c) * KH + a) * KW + b]!;
    }
    out.push(s);
  }
  return out;
}

test("2-D conv with strides, padding and groups equals explicit loops, on the CPU reference, WebGPU and jit", async (t) => {
  const xs = [2, 4, 7, 6], ws = [6, 2, 3, 2];
  const x = rand(2 * 4 * 7 * 6, 1), w = rand(6 * 2 * 3 * 2, 2);
  const pad: [number, number][] = [[1, 2], [0, 1]];
  const want = refConv(x, xs, w, ws, [2, 1], pad, 2);
  const build = () => lax.conv_general_dilated(np.array(new Float32Array(x)).reshape(xs), np.array(new Float32Array(w)).reshape(ws), [2, 1], pad, { feature_group_count: 2 });
  const cpu = onBackend("cpu", build);
  assertClose(Array.from(await cpu.data()), want, "float32", 1e-5, 1e-5);
  if (!(await webgpuOrSkip(t))) return;
  assertClose(Array.from(await onBackend("webgpu", build).data()), want, "float32", 1e-5, 1e-5);
  assertClose(Array.from(await onBackend("webgpu", () => jit(build)() as Tracer).data()), want, "float32", 1e-5, 1e-5);
});

config({ backend: "cpu" });

test("conv gradients (both operands; strides, padding, dilations, groups, NHWC) match finite differences", async () => {
  await checkGradient((x, w) => np.sum(np.square(lax.conv(x, w, [2, 1], [[1, 0], [1, 1]]))), [input([1, 2, 5, 4], 1), input([3, 2, 2, 3], 2)]);
  await checkGradient((x, w) => np.sum(np.tanh(lax.conv_general_dilated(x, w, [1, 2], "SAME", { rhs_dilation: [2, 1], dimension_numbers: NHWC }))), [input([2, 5, 5, 2], 3), input([2, 2, 2, 3], 4)]);
  await checkGradient((x, w) => np.sum(np.square(lax.conv_general_dilated(x, w, [1], "VALID", { lhs_dilation: [2], feature_group_count: 2 }))), [input([1, 4, 4], 5), input([2, 2, 3], 6)]);
});

test("pooling gradients match finite differences", async () => {
  await checkGradient((x) => np.sum(np.square(nn.max_pool(x, [2, 2], [2, 2]))), [input([1, 4, 4, 2], 7)]);
  await checkGradient((x) => np.sum(np.square(nn.avg_pool(x, [3, 2], [1, 2], "SAME"))), [input([2, 4, 4, 1], 8)]);
});

test("vmap of conv equals a loop, with the input, the kernel or both batched", async () => {
  const X = toArray(input([3, 2, 2, 5, 5], 9)), W = toArray(input([3, 4, 1, 3, 3], 10));
  const f = (x: Tracer, w: Tracer) => lax.conv_general_dilated(x, w, [1, 2], "SAME", { feature_group_count: 2 });
  for (const axes of [[0, null], [null, 0], [0, 0]] as (number | null)[][]) {
    const args = [axes[0] === null ? np.take(X, 0, 0) : X, axes[1] === null ? np.take(W, 0, 0) : W];
    const got = vmap(f, axes)(args[0]!, args[1]!);
    const want = np.stack([0, 1, 2].map((b) => f(...(args.map((a, k) => (axes[k] === null ? a : np.take(a, b, 0))) as [Tracer, Tracer]))));
    assert.deepEqual(got.shape, want.shape);
    assertClose(await got.toArray(), (await want.toArray()) as Nested, "float32", 1e-5, 1e-5);
  }
});

test("relu(conv(x, w) + b) is one conv kernel with its bias and relu as the epilogue", async () => {
  const lo = await jit((x: Tracer, w: Tracer, b: Tracer) => nn.relu(np.add(lax.conv_general_dilated(x, w, [1, 1], "SAME"), b.reshape(1, 4, 1, 1))))
    .lower(np.ones([2, 3, 8, 8]), np.ones([4, 3, 3, 3]), np.ones([4]));
  const convs = lo.kernels.filter((k) => k.ops.includes("conv"));
  assert.equal(convs.length, 1);
  assert.ok(convs[0]!.ops.includes("max") && convs[0]!.ops.includes("add"), convs[0]!.ops.join(","));
  assert.equal(lo.kernels.length, 1);
  // 2 per multiply-add over 3 channels × 9 taps per output, plus the add and the max per output.
  assert.equal(convs[0]!.flops, 2 * 2 * 4 * 8 * 8 * 3 * 9 + 2 * (2 * 4 * 8 * 8));
});

test("np.stack of 100 arrays under jit respects the storage-buffer limit, says why, and equals the CPU reference on WebGPU", async (t) => {
  const xs = Array.from({ length: 100 }, (_, i) => np.full([3], i));
  const lo = await jit((...a: Tracer[]) => np.stack(a)).lower(...xs);
  for (const k of lo.kernels) assert.ok(k.inputs.length + k.outputs.length <= STORAGE_BUFFER_LIMIT, `${k.name} binds ${k.inputs.length + k.outputs.length}`);
  assert.ok(lo.fusion.boundaries.some((b) => b.rule === "buffer-limit" && b.reason.includes("storage buffer limit")));
  if (!(await webgpuOrSkip(t))) return;
  const got = onBackend("webgpu", () => {
    const ys = Array.from({ length: 100 }, (_, i) => np.full([3], i));
    return jit((...a: Tracer[]) => np.concatenate(a.map((v) => np.multiply(v, 2))))(...ys) as Tracer;
  });
  assertClose(Array.from(await got.data()), Array.from({ length: 300 }, (_, i) => 2 * Math.floor(i / 3)), "float32");
  const stacked = onBackend("webgpu", () => jit((...a: Tracer[]) => np.stack(a, 1))(...Array.from({ length: 100 }, (_, i) => np.full([2], i))) as Tracer);
  assert.deepEqual(stacked.shape, [2, 100]);
  assertClose(Array.from(await stacked.data()), Array.from({ length: 200 }, (_, i) => i % 100), "float32");
  const eager = onBackend("webgpu", () => np.stack(Array.from({ length: 100 }, (_, i) => np.full([2], i))));
  assertClose(Array.from(await eager.data()), Array.from({ length: 200 }, (_, i) => Math.floor(i / 2)), "float32");
});

test("bad convolutions name the op, the shapes and the user's line", async (t) => {
  let line = here() + 1;
  await expectUserError(t, () => lax.conv(np.ones([1, 3, 5, 5]), np.ones([2, 2, 3, 3]), [1, 1], "VALID"), "conv.test.ts", line, "conv", "f32[1,3,5,5]", "f32[2,2,3,3]");
  line = here() + 1;
  await expectUserError(t, () => lax.conv(np.ones([1, 2, 5]), np.ones([2, 2, 3]), [1, 1], "VALID"), "conv.test.ts", line, "window_strides", "1 positive");
  line = here() + 1;
  await expectUserError(t, () => nn.max_pool(np.ones([4, 4]), [2, 2]), "conv.test.ts", line, "max_pool", "rank");
  line = here() + 1;
  await expectUserError(t, () => nn.avg_pool(np.ones([1, 4, 4, 1]), [2, 2], [2, 2], "SAMEX" as "SAME"), "conv.test.ts", line, "avg_pool", "padding", "SAMEX");
});

test("vmap of random.uniform over 40 keys (one draw over the batch of keys) runs eagerly and under jit on WebGPU and equals the CPU reference", async (t) => {
  const random = await import("../../../runtime/src/random.js");
  const keys = () => random.split(random.key(3), 40);
  const draw = (k: Tracer) => vmap((key: Tracer) => random.uniform(key, [3]))(k);
  const want = onBackend("cpu", () => draw(keys()));
  if (!(await webgpuOrSkip(t))) return;
  assertClose(await onBackend("webgpu", () => draw(keys())).toArray(), (await want.toArray()) as Nested, "float32");
  assertClose(await onBackend("webgpu", () => jit(draw)(keys()) as Tracer).toArray(), (await want.toArray()) as Nested, "float32");
});
