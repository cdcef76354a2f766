// einsum pairs whose matmul would be a dot per batch element ("...d,...d->...") or an outer
// product ("bi,bj->bij") are a multiply and a sum: under jit a pairwise-distance einsum is one
// fused kernel with its subtraction (it was a reshape kernel and a [B,1,K]@[B,K,1] matmul), with
// the same values and gradients as the written-out form, on the CPU backend and WebGPU.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "../../../runtime/src/np.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, webgpuOrSkip, type Nested } from "./harness.js";

const pts = (n: number, d: number, salt: number) =>
  np.reshape(np.array(Array.from({ length: n * d }, (_, i) => ((((i + salt) * 7) % 11) - 5) / 4)), [n, d]);
const sqdist = (a: Tracer, b: Tracer) => {
  const diff = np.subtract(np.expand_dims(a, 1), np.expand_dims(b, 0));
  return np.einsum("...d,...d->...", diff, diff);
};
const written = (a: Tracer, b: Tracer) =>
  np.sum(np.square(np.subtract(np.expand_dims(a, 1), np.expand_dims(b, 0))), -1);

test("jit of a pairwise-distance einsum is one kernel with no matmul", () => {
  onBackend("cpu", () => {
    const f = jit(sqdist);
    f(pts(6, 3, 0), pts(5, 3, 1));
    assert.equal(f.lastCallKernels, 1);
    const outer = jit((a: Tracer, b: Tracer) => np.exp(np.einsum("bi,bj->bij", a, b)));
    outer(pts(4, 3, 0), pts(4, 2, 1));
    assert.equal(outer.lastCallKernels, 1, "an outer product with its exp is one kernel");
  });
});

for (const backend of ["cpu", "webgpu"] as const) {
  test(`dot-per-batch and outer-product einsums equal the written-out forms, values and gradients, on ${backend}`, async (t) => {
    if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
    const [outs, refs] = onBackend(backend, () => {
      const a = pts(6, 3, 0),
        b = pts(5, 3, 1),
        c = pts(6, 2, 2);
      const loss = (x: Tracer) =>
        np.sum(np.multiply(sqdist(x, b), np.expand_dims(np.einsum("bi,bj->bij", x, c).at(null, 0, 1).get(), -1)));
      const lossW = (x: Tracer) =>
        np.sum(np.multiply(written(x, b), np.expand_dims(np.multiply(x.at(null, 0).get(), c.at(null, 1).get()), -1)));
      const out = [sqdist(a, b), np.einsum("bi,bj->bij", a, c), grad(loss)(a), jit(grad(loss))(a)];
      const ref = [
        written(a, b),
        np.multiply(np.expand_dims(a, 2), np.expand_dims(c, 1)),
        grad(lossW)(a),
        grad(lossW)(a),
      ];
      return [out, ref];
    });
    const got = await Promise.all(outs.map((x) => x.toArray()));
    const want = await Promise.all(refs.map((x) => x.toArray()));
    got.forEach((g, i) => assertClose(g, want[i] as Nested, "float32", 1e-5, 1e-5, `output ${i}`));
  });
}
