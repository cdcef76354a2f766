// A compiled kernel that binds both the call's buffers (its inputs and outputs) and intermediates
// takes the call's in a bind group of their own (group 1): its group over intermediates is made
// once, and each call makes only the smaller one (backend/pipelineCache.ts, webgpuExecutable.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, jit, config } from "../../../runtime/src/index.js";

type Arr = ReturnType<typeof np.ones>;
import { PipelineCache, splitBindings } from "../../../runtime/src/backend/pipelineCache.js";
import type { KernelSpec } from "../../../runtime/src/codegen/kernelPlan.js";
import { webgpuBackendOrSkip } from "../ops/harness.js";

const MODULE = [
  "// k",
  "@group(0) @binding(0) var<storage, read> in0: array<f32>;",
  "@group(0) @binding(1) var<storage, read> in1: array<f32>;",
  "@group(0) @binding(2) var<storage, read_write> out0: array<f32>;",
  "@group(0) @binding(3) var<storage, read_write> out1: array<f32>;",
  "fn main() { out0[0] = in0[0] + in1[0]; out1[0] = in1[1]; }",
].join("\n");

test("splitBindings moves the marked bindings to group 1 and numbers each group's bindings from 0 in order", () => {
  const out = splitBindings(MODULE, [true, false, false, true])!;
  assert.deepEqual(
    out.split("\n").filter((l) => l.startsWith("@group")),
    [
      "@group(1) @binding(0) var<storage, read> in0: array<f32>;",
      "@group(0) @binding(0) var<storage, read> in1: array<f32>;",
      "@group(0) @binding(1) var<storage, read_write> out0: array<f32>;",
      "@group(1) @binding(1) var<storage, read_write> out1: array<f32>;",
    ],
  );
  // The body is untouched.
  assert.equal(out.split("\n").at(-1), "fn main() { out0[0] = in0[0] + in1[0]; out1[0] = in1[1]; }");
});

test("splitBindings gives null (the kernel keeps one group) when a binding is not declared exactly once or one beyond them is", () => {
  assert.equal(splitBindings(MODULE.replace("@group(0) @binding(3) var", "var"), [true, false, false, true]), null);
  const twice = `${MODULE}\n@group(0) @binding(1) var<storage, read> again: array<f32>;`;
  assert.equal(splitBindings(twice, [true, false, false, true]), null);
  const extra = `${MODULE}\n@group(0) @binding(4) var<storage, read> more: array<f32>;`;
  assert.equal(splitBindings(extra, [true, false, false, true]), null);
});

/** A kernel adding `scale` times input 1 to input 0, as the code generator declares bindings. */
function addKernel(scale: number): KernelSpec {
  const v = (id: number) => ({ id, aval: { shape: [4], dtype: "float32" as const } });
  const wgsl = [
    "@group(0) @binding(0) var<storage, read> in0: array<f32>;",
    "@group(0) @binding(1) var<storage, read> in1: array<f32>;",
    "@group(0) @binding(2) var<storage, read_write> out0: array<f32>;",
    "@compute @workgroup_size(4)",
    `fn main(@builtin(global_invocation_id) g: vec3<u32>) { out0[g.x] = in0[g.x] + ${scale.toFixed(1)} * in1[g.x]; }`,
  ].join("\n");
  return {
    name: `add${scale}`,
    wgsl,
    entryPoint: "main",
    inputs: [v(0), v(1)],
    outputs: [v(2)],
  } as unknown as KernelSpec;
}

test("on WebGPU, kernels whose group-1 bindings are of the same kinds share one layout object; other kinds get another", async (t) => {
  const backend = await webgpuBackendOrSkip(t);
  if (!backend) return;
  const cache = new PipelineCache(backend.device);
  const inputAndOutput = [true, false, true];
  const a = cache.get(addKernel(2), undefined, inputAndOutput).cached;
  const b = cache.get(addKernel(3), undefined, inputAndOutput).cached;
  const c = cache.get(addKernel(3), undefined, [true, true, false]).cached;
  assert.notEqual(a.pipeline, b.pipeline, "two kernels, two pipelines");
  assert.ok(a.ioLayout && b.ioLayout && c.ioLayout, "each made its split");
  assert.equal(a.ioLayout, b.ioLayout, "read + read-write: one layout (so one bind group for the same buffers)");
  assert.notEqual(a.ioLayout, c.ioLayout, "read + read: another");
  assert.notEqual(a.layout, b.layout, "group 0 stays each kernel's own");
});

const X = (seed: number) => Float32Array.from({ length: 8 * 16 }, (_, i) => Math.sin(i * 0.37 + seed));
const W = (seed: number) => Float32Array.from({ length: 16 * 32 }, (_, i) => Math.cos(i * 0.11 + seed) * 0.3);

/** tanh(x @ w) @ wᵀ + sum(tanh(x @ w)), by hand in float64. */
function expected(x: Float32Array, w: Float32Array): number[] {
  const h = Array.from({ length: 8 * 32 }, (_, i) => {
    const [r, c] = [Math.floor(i / 32), i % 32];
    let s = 0;
    for (let k = 0; k < 16; k++) s += x[r * 16 + k]! * w[k * 32 + c]!;
    return Math.tanh(s);
  });
  const total = h.reduce((a, v) => a + v, 0);
  return Array.from({ length: 8 * 16 }, (_, i) => {
    const [r, c] = [Math.floor(i / 16), i % 16];
    let s = 0;
    for (let k = 0; k < 32; k++) s += h[r * 32 + k]! * w[c * 32 + k]!;
    return s + total;
  });
}

test("on WebGPU, a call with fresh inputs makes bind groups over its inputs and outputs only, never again over intermediates, and computes the same values", async (t) => {
  const backend = await webgpuBackendOrSkip(t);
  if (!backend) return;
  const prev = config({ backend: "webgpu" });
  try {
    const f = jit(function twoMatmuls(x: Arr, w: Arr) {
      const h = np.tanh(np.matmul(x, w));
      return np.add(np.matmul(h, np.transpose(w)), np.sum(h));
    });
    const args = (seed: number) =>
      [np.reshape(np.array(X(seed)), [8, 16]), np.reshape(np.array(W(seed)), [16, 32])] as const;
    // Which of each kernel's bindings are the call's inputs or outputs, from the compiled plan.
    const lowered = await f.lower(...args(0));
    const callVars = new Set(
      [...lowered.program.inputs, ...lowered.program.outputs].flatMap((v) => ("id" in v ? [v.id] : [])),
    );
    const perKernel = lowered.kernels.map((k) => [...k.inputs, ...k.outputs].map((v) => callVars.has(v.id)));
    const mixed = perKernel.filter((b) => b.some((c) => c) && b.some((c) => !c));
    assert.ok(mixed.length > 0, "the program has a kernel binding both the call's buffers and intermediates");
    const callBindings = perKernel.reduce((n, b) => n + b.filter((c) => c).length, 0);

    const device = backend.device as GPUDevice & { createBindGroup: GPUDevice["createBindGroup"] };
    const made: number[] = [];
    const original = device.createBindGroup.bind(device);
    device.createBindGroup = (d: GPUBindGroupDescriptor) => {
      made.push([...d.entries].length);
      return original(d);
    };
    const kept: Arr[] = [];
    try {
      const perCall: number[][] = [];
      for (let seed = 1; seed <= 3; seed++) {
        made.length = 0;
        kept.push(f(...args(seed)) as Arr);
        perCall.push([...made]);
      }
      // Calls 2 and 3: fresh inputs and outputs (every output kept alive, so none is reused).
      for (const call of perCall.slice(1)) {
        assert.equal(
          call.reduce((a, n) => a + n, 0),
          callBindings,
          `bind group entries made in a call: ${JSON.stringify(call)}, the call's bindings ${callBindings}`,
        );
      }
    } finally {
      device.createBindGroup = original;
    }
    const got = await kept[2]!.data();
    expected(Float32Array.from(X(3)), Float32Array.from(W(3))).forEach((e, i) =>
      assert.ok(Math.abs(got[i]! - e) < 1e-4 * (1 + Math.abs(e)), `element ${i}: ${got[i]} vs ${e}`),
    );
  } finally {
    config(prev);
  }
});
