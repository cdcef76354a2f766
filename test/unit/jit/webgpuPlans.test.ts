// The representative programs, compiled and run on the WebGPU backend kernel by kernel as fuse
// decided: results equal eager evaluation on the CPU reference, and the kernel counts are the
// ones the fusion tests promise.
import { test } from "node:test";
import { np, nn, config } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import type { ConcreteArray } from "../../../runtime/src/array.js";
import { assertClose, type Nested } from "../ops/harness.js";
import { geluChain, mlpLayer, rowSoftmax } from "./fixtures.js";
import { ramp, runPlanOnWebGpu, webgpuDeviceOrSkip } from "./webgpuPlan.js";
import assert from "node:assert/strict";
import { forceSubgroupFallback } from "../../../runtime/src/codegen/subgroupSupport.js";

// These tests use the row softmax as a three-kernel program (max, sum of exp, divide): lower it as a
// device without subgroups does (with them it is one row kernel: test/unit/codegen/rowFused.test.ts).
forceSubgroupFallback(true);

config({ backend: "cpu" });

type Case = { name: string; f: (...a: Tracer[]) => unknown; args: () => ConcreteArray[]; kernels: number };

const cases: Case[] = [
  { name: "gelu chain on 2^16 floats (vec4)", f: geluChain, args: () => [ramp([1 << 16])], kernels: 1 },
  { name: "row softmax", f: rowSoftmax, args: () => [ramp([33, 70])], kernels: 3 },
  {
    name: "relu(x @ w + b)",
    f: mlpLayer,
    args: () => [ramp([20, 37]), ramp([37, 9], 0.05, 1), ramp([9], 0.1, 2)],
    kernels: 1,
  },
  {
    name: "nine-input sum split at the buffer limit",
    f: (...xs: Tracer[]) => xs.reduce((s, v) => np.add(s, v)),
    args: () => Array.from({ length: 9 }, (_, i) => ramp([50], 1, i)),
    kernels: 2,
  },
  {
    name: "two outputs from one kernel",
    f: (x: Tracer) => [np.sin(x), np.cos(x)],
    args: () => [ramp([7, 3])],
    kernels: 1,
  },
  {
    name: "scalar computed and broadcast in place",
    f: (x: Tracer, s: Tracer) => np.multiply(x, np.exp(np.add(s, 1))),
    args: () => [ramp([4, 5]), np.full([], 0.25) as ConcreteArray],
    kernels: 1,
  },
  {
    name: "transpose fused with elementwise",
    f: (x: Tracer, y: Tracer) => np.tanh(np.add(np.transpose(x), y)),
    args: () => [ramp([6, 10]), ramp([10, 6], 0.1, 3)],
    kernels: 1,
  },
  {
    name: "reduction with prologue and epilogue",
    f: (x: Tracer) => np.sqrt(np.sum(np.multiply(x, x), 1)),
    args: () => [ramp([12, 300])],
    kernels: 1,
  },
  {
    name: "MLP training step (grad through two layers)",
    f: (w1: Tracer, w2: Tracer, x: Tracer, y: Tracer) => {
      const loss = (w1: Tracer, w2: Tracer) =>
        np.mean(np.square(np.subtract(np.matmul(nn.relu(np.matmul(x, w1)), w2), y)));
      const [g1, g2] = grad(loss, [0, 1])(w1, w2) as Tracer[];
      return [np.subtract(w1, np.multiply(g1!, 0.1)), np.subtract(w2, np.multiply(g2!, 0.1))];
    },
    args: () => [ramp([16, 32], 0.02), ramp([32, 10], 0.02, 1), ramp([8, 16], 0.1, 2), ramp([8, 10], 0.1, 3)],
    kernels: -1,
  },
];

for (const c of cases) {
  test(`on WebGPU: ${c.name} ≡ eager CPU`, async (t) => {
    const gpu = await webgpuDeviceOrSkip(t);
    if (!gpu) return;
    const args = c.args();
    const eager = c.f(...args);
    const expected = await Promise.all((Array.isArray(eager) ? eager : [eager]).map((e: Tracer) => e.toArray()));
    const lo = await jit(c.f).lower(...args);
    if (c.kernels > 0) assert.equal(lo.kernels.length, c.kernels, "kernels");
    const got = await runPlanOnWebGpu(gpu, lo, args);
    assert.equal(got.length, expected.length);
    got.forEach((g, i) => assertClose(g, expected[i] as Nested, "float32", 2e-4, 2e-4, `output ${i}`));
  });
}
