// The implicit-GEMM conv kernel (codegen/lowerConv.ts) on WebGPU against the CPU reference:
// strides 1 and 2, SAME / VALID / explicit padding, rhs and lhs dilation, feature groups,
// feature counts that are not multiples of 4 (so every register block shape and edge block of
// the default configurations runs), batch 1 and 8, eagerly and under jit; and jit(grad) of a
// small conv net's loss, whose weight gradient takes the split-K kernel.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as lax from "../../../runtime/src/lax.js";
import * as nn from "../../../runtime/src/nn.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import type { ConvOptions, Padding } from "../../../runtime/src/lax/conv.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { isHardwareAdapter } from "../../../runtime/src/codegen/subgroupSupport.js";
import { assertClose, onBackend, webgpuBackendOrSkip } from "./harness.js";
import { rand } from "../transforms/fd.js";

const arr = (data: number[], shape: readonly number[]) => np.reshape(np.array(new Float32Array(data)), [...shape]);
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

interface ConvCase {
  readonly name: string;
  readonly x: readonly number[];
  readonly w: readonly number[];
  readonly strides: readonly number[];
  readonly padding: Padding;
  readonly options?: ConvOptions;
}

const NHWC = ["NHWC", "HWIO", "NHWC"] as const;
const cases: ConvCase[] = [
  {
    name: "3×3 SAME stride 1, NHWC, batch 8, 3 → 16 features",
    x: [8, 16, 16, 3],
    w: [3, 3, 3, 16],
    strides: [1, 1],
    padding: "SAME",
    options: { dimension_numbers: NHWC },
  },
  {
    name: "3×3 SAME stride 2, batch 1, 5 → 7 features",
    x: [1, 5, 11, 9],
    w: [7, 5, 3, 3],
    strides: [2, 2],
    padding: "SAME",
  },
  {
    name: "3×3 VALID stride 1, batch 8, 6 → 10 features (an edge block of output features)",
    x: [8, 6, 9, 7],
    w: [10, 6, 3, 3],
    strides: [1, 1],
    padding: "VALID",
  },
  {
    name: "5×3 explicit padding (2,1),(0,3), stride (2,1), 4 → 3 features",
    x: [2, 4, 9, 8],
    w: [3, 4, 5, 3],
    strides: [2, 1],
    padding: [
      [2, 1],
      [0, 3],
    ],
  },
  {
    name: "3×3 rhs dilation 2, SAME, 2 → 1 feature",
    x: [3, 2, 10, 10],
    w: [1, 2, 3, 3],
    strides: [1, 1],
    padding: "SAME",
    options: { rhs_dilation: [2, 2] },
  },
  {
    name: "3×3 lhs dilation 2 (a transposed conv), explicit padding (2,2), 3 → 5 features",
    x: [2, 3, 6, 5],
    w: [5, 3, 3, 3],
    strides: [1, 1],
    padding: [
      [2, 2],
      [2, 2],
    ],
    options: { lhs_dilation: [2, 2] },
  },
  {
    name: "feature groups 3, 6 → 9 features, stride 2 VALID",
    x: [4, 6, 9, 9],
    w: [9, 2, 3, 3],
    strides: [2, 2],
    padding: "VALID",
    options: { feature_group_count: 3 },
  },
  {
    name: "1-D, 40 features in, a 7-tap window, 13 out",
    x: [8, 40, 30],
    w: [13, 40, 7],
    strides: [1],
    padding: "SAME",
  },
  {
    name: "1×1 conv, 17 → 33 features, batch 8",
    x: [8, 17, 6, 6],
    w: [33, 17, 1, 1],
    strides: [1, 1],
    padding: "VALID",
  },
  {
    name: "7×7 window (49 taps), stride 2 SAME, 3 → 8 features",
    x: [2, 3, 20, 20],
    w: [8, 3, 7, 7],
    strides: [2, 2],
    padding: "SAME",
  },
];

for (const c of cases) {
  test(`conv ${c.name}: WebGPU eager and jit equal the CPU reference`, async (t) => {
    const xd = rand(size(c.x), 11),
      wd = rand(size(c.w), 12);
    const build = () => lax.conv_general_dilated(arr(xd, c.x), arr(wd, c.w), c.strides, c.padding, c.options ?? {});
    const want = Array.from(await onBackend("cpu", build).data());
    if (!(await webgpuBackendOrSkip(t))) return;
    assertClose(Array.from(await onBackend("webgpu", build).data()), want, "float32", 1e-4, 1e-4);
    const jitted = onBackend("webgpu", () => jit(build)() as Tracer);
    assertClose(Array.from(await jitted.data()), want, "float32", 1e-4, 1e-4);
  });
}

type Net = { w: Tracer; b: Tracer; dw: Tracer };
/** A conv net's loss: conv (NHWC) + bias + relu, 2×2 max pool, dense, squared error. */
function netLoss(stride: number, padding: Padding) {
  return (p: Net, x: Tracer) => {
    const h = nn.relu(
      np.add(lax.conv_general_dilated(x, p.w, [stride, stride], padding, { dimension_numbers: NHWC }), p.b),
    );
    const pooled = nn.max_pool(h, [2, 2], [2, 2]);
    const flat = np.reshape(pooled, [pooled.shape[0]!, -1]);
    return np.mean(np.square(np.matmul(flat, p.dw)));
  };
}

const nets = [
  // Weight gradient: K = 8 images × 256 pixels, 45 × 7 outputs: split over 32 invocations on a
  // CPU adapter (or none attached), 64 on a GPU.
  {
    name: "batch 8, 16×16×5 → 7 features, 3×3 SAME stride 1",
    n: 8,
    hw: 16,
    cin: 5,
    cout: 7,
    k: 3,
    stride: 1,
    padding: "SAME" as Padding,
    split: ["split-K 32", "split-K 64"],
  },
  // K = 2 images × 576 pixels: split over 32 invocations on a CPU adapter, 128 on a GPU.
  {
    name: "batch 2, 24×24×3 → 4 features, 3×3 SAME stride 1",
    n: 2,
    hw: 24,
    cin: 3,
    cout: 4,
    k: 3,
    stride: 1,
    padding: "SAME" as Padding,
    split: ["split-K 32", "split-K 128"],
  },
  // VALID: K = 2 images × 484 pixels stays under the split threshold.
  {
    name: "batch 2, 20×20×3 → 4 features, 3×3 VALID stride 1",
    n: 2,
    hw: 20,
    cin: 3,
    cout: 4,
    k: 3,
    stride: 1,
    padding: "VALID" as Padding,
    split: null,
  },
  // Stride 2: the input gradient dilates the output's cotangent.
  {
    name: "batch 1, 12×12×2 → 6 features, 3×3 SAME stride 2",
    n: 1,
    hw: 12,
    cin: 2,
    cout: 6,
    k: 3,
    stride: 2,
    padding: "SAME" as Padding,
    split: null,
  },
];

for (const c of nets) {
  test(`jit(grad) of a conv net's loss (${c.name}) on WebGPU equals the CPU reference, for the weights and the input`, async (t) => {
    const out = c.padding === "SAME" ? Math.ceil(c.hw / c.stride) : Math.floor((c.hw - c.k) / c.stride) + 1;
    const feats = Math.floor(out / 2) ** 2 * c.cout;
    const data = {
      x: rand(c.n * c.hw * c.hw * c.cin, 21),
      w: rand(c.k * c.k * c.cin * c.cout, 22, -0.5, 0.5),
      b: rand(c.cout, 23, -0.1, 0.1),
      dw: rand(feats * 3, 24, -0.3, 0.3),
    };
    const loss = netLoss(c.stride, c.padding);
    const step = jit((p: Net, x: Tracer) => grad(loss, [0, 1])(p, x) as unknown as [Net, Tracer]);
    const args = (): [Net, Tracer] => [
      { w: arr(data.w, [c.k, c.k, c.cin, c.cout]), b: arr(data.b, [c.cout]), dw: arr(data.dw, [feats, 3]) },
      arr(data.x, [c.n, c.hw, c.hw, c.cin]),
    ];
    const cpu = onBackend("cpu", () => step(...args()));
    if (c.split) {
      const lo = await step.lower(...onBackend("cpu", args));
      const convs = lo.kernels.filter((k) => k.ops.includes("conv"));
      const split = c.split[isHardwareAdapter() ? 1 : 0]!;
      assert.ok(
        convs.some((k) => k.wgsl.split("\n")[0]!.includes(split)),
        convs.map((k) => k.wgsl.split("\n")[0]).join("\n"),
      );
    }
    if (!(await webgpuBackendOrSkip(t))) return;
    const gpu = onBackend("webgpu", () => step(...args()));
    for (const key of ["w", "b", "dw"] as const) {
      assertClose(Array.from(await gpu[0][key].data()), Array.from(await cpu[0][key].data()), "float32", 2e-4, 1e-5);
    }
    assertClose(Array.from(await gpu[1].data()), Array.from(await cpu[1].data()), "float32", 2e-4, 1e-6);
  });
}

config({ backend: "cpu" });
