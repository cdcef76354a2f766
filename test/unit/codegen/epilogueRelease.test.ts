// Values stored for a matmul's epilogue that it did not get (issue 16). fuse stores a value
// computed from a matmul's result (`0.5 * h`) when several kernels would recompute it, so that
// the matmul keeps `h` in registers. In a GELU MLP's training step the backward kernel reads `h`
// itself (for 3h²), so `h` is written anyway, and storing 0.5·h and h + 0.044715·h³ as well cost
// two more writes and their reads: the forward matmul wrote 4 arrays where 2 suffice. Where no
// other kernel reads the matmul's result, the value is still stored and the result stays in
// registers. Every WebGPU result is compared with the CPU backend's on the same inputs.

import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, np } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { jitOnWebGpuMatchesCpu, webgpuBackendOrSkip } from "../ops/harness.js";

type A = Tracer;

const data = (n: number, seed: number, scale: number): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * scale);

const gelu = (h: A): A =>
  np.multiply(
    np.multiply(h, 0.5),
    np.add(1, np.tanh(np.multiply(0.7978845608, np.add(h, np.multiply(0.044715, np.power(h, 3)))))),
  ) as A;

function run(name: string, f: (...xs: A[]) => A, shapes: number[][]) {
  const host = shapes.map((s, i) =>
    data(
      s.reduce((p, d) => p * d, 1),
      i + 1,
      i === 0 ? 1 : 0.2,
    ),
  );
  return jitOnWebGpuMatchesCpu(name, f, () => host.map((h, i) => np.reshape(np.array(h), shapes[i]!) as A));
}

const EPILOGUE = "keep it as its epilogue";

test("the gradient of a GELU MLP: the first matmul's kernel writes h and GELU(h) only, as h is read back anyway, and matches the CPU", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  // Both gradients of sum((GELU(x @ w1) @ w2 - y)²): the backward reads h = x @ w1 for 3h², and
  // GELU(h) is dw2's operand.
  const f = (x: A, w1: A, w2: A, y: A): A => {
    const loss = (p: { w1: A; w2: A }) =>
      np.sum(np.square(np.subtract(np.matmul(gelu(np.matmul(x, p.w1) as A), p.w2), y)));
    const g = grad(loss)({ w1, w2 }) as { w1: A; w2: A };
    return np.concatenate([np.reshape(g.w1, [-1]), np.reshape(g.w2, [-1])]) as A;
  };
  const lowered = await run("dL/dw1, dL/dw2", f, [
    [64, 32],
    [32, 128],
    [128, 16],
    [64, 16],
  ]);
  const groups = lowered.schedule.groups;
  const forward = groups.find(
    (g) =>
      g.kind === "matmul" &&
      g.eqns.some((e) => e.prim === "tanh") &&
      g.outputs.every((o) => String(o.aval.shape) === "64,128"),
  );
  assert.ok(forward, `a matmul kernel computes GELU: ${lowered.kernels.map((k) => k.name).join(", ")}`);
  assert.equal(forward.outputs.length, 2, "it writes h (read by the backward) and GELU(h) (the next matmul's operand)");
  const h = forward.eqns.find((e) => e.prim === "matmul")!.outputs[0]!.id;
  assert.ok(
    forward.outputs.some((o) => o.id === h),
    "h itself is one of the two",
  );
  const stored = lowered.fusion.boundaries.filter(
    (b) => b.fromKernel.endsWith(`/${forward.id}`) && b.reason.includes(EPILOGUE),
  );
  assert.deepEqual(stored, [], "nothing leaves the kernel as stored for its epilogue");
});

test("a matmul result read only through a value two reductions share: that value is stored for the epilogue and the result stays in registers, matching the CPU", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  // z = (x @ w) · 2 + 1 feeds a row max and a row sum: two kernels would recompute it.
  const f = (x: A, w: A): A => {
    const z = np.add(np.multiply(np.matmul(x, w), 2), 1) as A;
    return np.add(np.max(z, -1), np.sum(np.exp(z), -1)) as A;
  };
  const lowered = await run("max + sum exp", f, [
    [64, 32],
    [32, 128],
  ]);
  const mm = lowered.schedule.groups.find((g) => g.kind === "matmul")!;
  const result = mm.eqns.find((e) => e.prim === "matmul")!.outputs[0]!.id;
  assert.ok(!mm.outputs.some((o) => o.id === result), "the matmul's result is not written");
  assert.ok(
    lowered.fusion.boundaries.some((b) => b.fromKernel.endsWith(`/${mm.id}`) && b.reason.includes(EPILOGUE)),
    `z is stored for the epilogue: ${lowered.fusion.boundaries.map((b) => b.reason).join("; ")}`,
  );
});
