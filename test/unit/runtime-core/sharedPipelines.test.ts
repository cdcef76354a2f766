// Kernels the same up to value names share one pipeline (codegen/shaderIdentity.ts): the code
// generator names values after their IR ids, so an unrolled loop's steps compiled a pipeline each.
import { test } from "node:test";
import assert from "node:assert/strict";
import { jit, np } from "../../../runtime/src/index.js";
import { shaderIdentity } from "../../../runtime/src/codegen/shaderIdentity.js";
import { assertClose, onBackend, webgpuBackendOrSkip } from "../ops/harness.js";

const K1 = `// add: kernel one
fn k() { let v12_0 = in0[i]; let v14_1 = (v12_0 + v12_0); /* sum */ out0[i] = v14_1; }`;
const K2 = `// add: kernel two, other ids
fn k() { let v40_0 = in0[i]; let v41_1 = (v40_0 + v40_0); out0[i] = v41_1; }`;

test("shaderIdentity: two kernels differing only in value names and comments read the same", () => {
  assert.equal(shaderIdentity(K1), shaderIdentity(K2));
  assert.equal(shaderIdentity(K1).trim(), "fn k() { let v_0 = in0[i]; let v_1 = (v_0 + v_0); out0[i] = v_1; }");
});

test("shaderIdentity: a renaming must be one-to-one, and other names and constants still count", () => {
  // v40_0 + v41_1 reads two values where K1 reads one twice: not the same shader.
  const twoValues = K2.replace("(v40_0 + v40_0)", "(v40_0 + v41_1)");
  assert.notEqual(shaderIdentity(K1), shaderIdentity(twoValues));
  assert.notEqual(shaderIdentity(K1), shaderIdentity(K1.replace("in0[i]", "in1[i]")));
  assert.notEqual(shaderIdentity(K1), shaderIdentity(K1.replace("in0[i]", "in0[i + 400]")));
  // Names other than the value names (t0, acc0_0, row0c) are kept as they are.
  assert.equal(shaderIdentity("let t0 = acc0_0.x + row0c;"), "let t0 = acc0_0.x + row0c;");
});

test("an unrolled loop of six tanh(h @ w) steps dispatches 6 kernels on 3 pipelines and matches the CPU", async (t) => {
  const gpu = await webgpuBackendOrSkip(t);
  if (!gpu) return;
  type Arr = ReturnType<typeof np.ones>;
  const f = (h: Arr, w: Arr): Arr => {
    for (let s = 0; s < 6; s++) h = np.tanh(np.matmul(h, w));
    return h;
  };
  const H = Float32Array.from({ length: 32 * 16 }, (_, i) => ((i * 37) % 19) / 19 - 0.5);
  const W = Float32Array.from({ length: 16 * 16 }, (_, i) => ((i * 11) % 23) / 23 - 0.5);
  const args = () => [np.reshape(np.array(H), [32, 16]), np.reshape(np.array(W), [16, 16])] as const;
  const want = Array.from(await onBackend("cpu", () => f(...args())).data());
  const g = jit(f);
  await onBackend("webgpu", () => g(...args())).data();
  gpu.dropPipelines();
  const before = gpu.stats().dispatches;
  const got = Array.from(await onBackend("webgpu", () => g(...args())).data());
  assertClose(got, want, "float32", 1e-4, 1e-4, "the unrolled steps");
  assert.equal(gpu.stats().dispatches - before, 6, "one kernel per step");
  // The first step reads the call's argument and the last writes its result, each binding them
  // in a group of its own (webgpuExecutable.ts): the four steps between share one pipeline.
  assert.equal(gpu.stats().pipelines, 3, "the four middle steps share one compiled pipeline");
});
