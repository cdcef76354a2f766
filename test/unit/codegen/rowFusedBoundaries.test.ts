// A row kernel merges kernels that each recomputed the same consumer of a value from another
// kernel (a causal mask's broadcast, read by the max, the sum and the output pass of a masked
// softmax): the merged kernel has one fusion boundary from that value, not one per merged kernel
// (the CLI's "not fused" table listed it three times). Values checked against the CPU backend.
import { test } from "node:test";
import assert from "node:assert/strict";
import { jit, nn, np } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, webgpuBackendOrSkip } from "../ops/harness.js";

type A = Tracer;
/** The mask comes out of a matmul's epilogue (c @ c, lower triangle): stored, then broadcast. */
const masked = (s: A, c: A) => nn.softmax(np.where(np.greater(np.tril(np.matmul(c, c)), 0), s, -1e9), -1) as A;
/** The mask is np.tril of an input: index math and one read, computed by the row kernel itself. */
const maskedTril = (s: A, c: A) => nn.softmax(np.where(np.greater(np.tril(c), 0), s, -1e9), -1) as A;
const args = (): [A, A] => [
  np.reshape(np.sin(np.arange(4 * 12 * 12, { dtype: "float32" })), [4, 12, 12]),
  np.ones([12, 12]),
];

test("masked softmax: one row kernel, and one boundary from the mask to it", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  const compiled = jit(masked);
  const lo = await onBackend("webgpu", () => compiled.lower(...args()));
  assert.equal(lo.kernels.length, 2, "the matmul with the mask as its epilogue, then one row kernel");
  assert.equal(lo.fusion.decisions.filter((d) => d.kind === "row").length, 1);
  const edges = lo.fusion.boundaries.map((b) => `${b.from}>${b.to} ${b.fromKernel}>${b.toKernel}`);
  assert.equal(edges.length, 1, `one boundary: ${edges.join(", ")}`);
  assert.equal(new Set(edges).size, edges.length, "no boundary twice");
  const want = await onBackend("cpu", () => masked(...args())).toArray();
  const got = await onBackend("webgpu", () => compiled(...args())).toArray();
  assertClose(got, want as never, "float32", 1e-5, 1e-6);
});

test("masked softmax with np.tril of an input as its mask: one row kernel computes the mask too, with no boundary", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  const compiled = jit(maskedTril);
  const lo = await onBackend("webgpu", () => compiled.lower(...args()));
  assert.deepEqual(
    lo.fusion.decisions.map((d) => d.kind),
    ["row"],
  );
  assert.equal(lo.fusion.boundaries.length, 0);
  const want = await onBackend("cpu", () => maskedTril(...args())).toArray();
  const got = await onBackend("webgpu", () => compiled(...args())).toArray();
  assertClose(got, want as never, "float32", 1e-5, 1e-6);
});
