// Row kernels whose output is reshaped (issue 16): a layer norm over [B, T, D] whose result a
// matmul reads as [B·T, D] (every pre-norm transformer block does this) writes the normalized rows
// from the row kernel itself; before, the reshape kept the normalize step out of the row kernel,
// and an elementwise kernel read the row again to write it. A reshape that changes the row length
// still stays out. Every WebGPU result is compared with the CPU backend's on the same inputs.

import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, np } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { forceRowKernels } from "../../../runtime/src/codegen/subgroupSupport.js";
import { isFullShape } from "../../../runtime/src/codegen/rowLocal.js";
import { jitOnWebGpuMatchesCpu, webgpuBackendOrSkip } from "../ops/harness.js";

type A = Tracer;
forceRowKernels(true);

const data = (n: number, seed: number, scale = 1): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * scale);

const layerNorm = (x: A): A => {
  const d = np.subtract(x, np.mean(x, -1, { keepdims: true }));
  return np.divide(d, np.sqrt(np.add(np.mean(np.square(d), -1, { keepdims: true }), 1e-5))) as A;
};

/** GPT's second norm: x1 = x + att @ wo, then ln(x1) read by a matmul at [B·T, D]. */
const block = (x: A, att: A, wo: A, w1: A): A => {
  const [B, T, D] = x.aval.shape as [number, number, number];
  const x1 = np.add(x, np.reshape(np.matmul(np.reshape(att, [B * T, D]), wo), [B, T, D])) as A;
  return np.matmul(np.reshape(layerNorm(x1), [B * T, D]), w1) as A;
};

function run(name: string, f: (...xs: A[]) => A, shapes: number[][], tol: number) {
  const host = shapes.map((s, i) =>
    data(
      s.reduce((p, d) => p * d, 1),
      i + 1,
      i === 0 ? 2 : 0.1,
    ),
  );
  return jitOnWebGpuMatchesCpu(name, f, () => host.map((h, i) => np.reshape(np.array(h), shapes[i]!) as A), tol);
}

test("isFullShape: a shape holds the full rows when it keeps the last axis and the element count", () => {
  assert.equal(isFullShape([4, 64, 128], [4, 64, 128]), true);
  assert.equal(isFullShape([256, 128], [4, 64, 128]), true);
  assert.equal(isFullShape([2, 2, 64, 128], [4, 64, 128]), true);
  assert.equal(isFullShape([4, 8192], [4, 64, 128]), false, "rows of another length");
  assert.equal(isFullShape([128, 256], [4, 64, 128]), false, "same count, another last axis");
  assert.equal(isFullShape([4, 64], [4, 64, 128]), false, "the row shape");
});

test("a layer norm over [4,64,128] read by a matmul as [256,128] is one row kernel between the two matmuls, with no elementwise kernel, and matches the CPU", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  const lowered = await run(
    "block",
    block,
    [
      [4, 64, 128],
      [4, 64, 128],
      [128, 128],
      [128, 512],
    ],
    1e-4,
  );
  const kinds = lowered.schedule.groups.map((g) => g.kind);
  assert.deepEqual(kinds, ["matmul", "row", "matmul"], `kernels: ${lowered.kernels.map((k) => k.name).join(", ")}`);
  const row = lowered.schedule.groups[1]!;
  assert.ok(
    row.eqns.some((e) => e.prim === "reshape"),
    "the reshape to [256,128] is inside the row kernel",
  );
  assert.deepEqual(
    row.outputs.map((o) => o.aval.shape),
    [[256, 128]],
    "the row kernel writes the normalized rows at the shape the matmul reads",
  );
});

test("log-softmax over [2,3,1000] reshaped to [6,1000] and scaled is one row kernel and matches the CPU; reshaped to [3,2000] the reshape stays out of it", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  const kept = await run(
    "log-softmax as [6,1000]",
    (x: A) => np.multiply(np.reshape(nn.log_softmax(x, -1), [6, 1000]), 3) as A,
    [[2, 3, 1000]],
    2e-5,
  );
  assert.equal(kept.kernels.length, 1, `kernels: ${kept.kernels.map((k) => k.name).join(", ")}`);
  assert.equal(kept.schedule.groups[0]!.kind, "row");

  const moved = await run(
    "log-softmax as [3,2000]",
    (x: A) => np.multiply(np.reshape(nn.log_softmax(x, -1), [3, 2000]), 3) as A,
    [[2, 3, 1000]],
    2e-5,
  );
  const rows = moved.schedule.groups.filter((g) => g.kind === "row");
  assert.equal(rows.length, 1, "the log-softmax is still one row kernel");
  assert.ok(
    rows[0]!.eqns.every((e) => e.prim !== "reshape" || e.outputs[0]!.aval.shape.at(-1) !== 2000),
    "the reshape to rows of 2000 is not in the row kernel",
  );
});
