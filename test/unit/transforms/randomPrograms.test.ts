// Generated programs: random chains of smooth ops on two inputs (elementwise, broadcasting,
// reductions, matmul, shape ops, gather / scatter / conv / pooling), each checked three ways: grad vs central finite differences,
// jit(grad) vs grad, and vmap vs a loop.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as lax from "../../../runtime/src/lax.js";
import * as nn from "../../../runtime/src/nn.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, type Nested } from "../ops/harness.js";
import { checkGradient, input, toArray } from "./fd.js";

config({ backend: "cpu" });

// Each step maps the current [3,3] value `v` (and the inputs a, b) to a new [3,3] value.
type Step = (v: Tracer, a: Tracer, b: Tracer) => Tracer;
const STEPS: Record<string, Step> = {
  tanh: (v) => np.tanh(v),
  sin: (v) => np.sin(v),
  mulA: (v, a) => np.multiply(v, a),
  addB: (v, _a, b) => np.add(v, b),
  subRow: (v, a) => np.subtract(v, np.mean(a, 0)),
  scaleExp: (v) => np.exp(np.multiply(v, 0.3)),
  matmulB: (v, _a, b) => np.multiply(np.matmul(v, b), 0.5),
  transpose: (v) => np.transpose(v),
  softplusLike: (v) => np.log(np.add(np.exp(v), 1)),
  maxCol: (v) => np.add(v, np.max(v, 1, { keepdims: true })),
  square: (v) => np.multiply(np.square(v), 0.5),
  divPos: (v, a) => np.divide(v, np.add(np.square(a), 1)),
  sliceConcat: (v) => np.concatenate([np.slice(v, [1, 0], [3, 3]), np.slice(v, [0, 0], [1, 3])], 0),
  // indexing and convolution (gather, scatter, conv, window reductions)
  takeRows: (v) => np.take(v, np.array([2, 0, 2], { dtype: "int32" }), 0),
  atAddDup: (v) => v.at(np.array([0, 2, 0], { dtype: "int32" })).add(np.tanh(v)),
  atSetBox: (v) => v.at("1:", "::2").set(np.sin(v.at("1:", "::2").get())),
  conv2x2: (v, _a, b) =>
    lax
      .conv(v.reshape(1, 1, 3, 3), np.multiply(b.at(":2", ":2").get(), 0.5).reshape(1, 1, 2, 2), [1, 1], "SAME")
      .reshape(3, 3),
  maxPool: (v) => nn.max_pool(v.reshape(1, 3, 3, 1), [2, 2], [1, 1], "SAME").reshape(3, 3),
};
const names = Object.keys(STEPS);
const programArb = fc.array(fc.constantFrom(...names), { minLength: 1, maxLength: 6 });

function build(prog: readonly string[]): (a: Tracer, b: Tracer) => Tracer {
  return (a, b) => {
    let v = a;
    for (const s of prog) v = STEPS[s]!(v, a, b);
    return np.sum(
      np.multiply(
        v,
        np.array([
          [1, 0.5, -1],
          [0.25, 2, 1],
          [-0.5, 1, 0.75],
        ]),
      ),
    );
  };
}

test("grad of generated programs matches finite differences, and jit(grad) matches grad", async () => {
  await fc.assert(
    fc.asyncProperty(programArb, fc.integer({ min: 1, max: 1000 }), async (prog, seed) => {
      const f = build(prog);
      const A = input([3, 3], seed, -0.8, 0.8);
      const B = input([3, 3], seed + 1, -0.8, 0.8);
      await checkGradient(f, [A, B], { rtol: 5e-2, atol: 2e-2 });
      const eager = grad(f, [0, 1])(toArray(A), toArray(B));
      const compiled = jit(grad(f, [0, 1]))(toArray(A), toArray(B));
      for (const i of [0, 1]) {
        assertClose(await compiled[i]!.toArray(), (await eager[i]!.toArray()) as Nested, "float32", 1e-4, 1e-5);
      }
    }),
    { numRuns: 25, seed: 42 },
  );
});

test("vmap of generated programs matches a loop over the batch", async () => {
  await fc.assert(
    fc.asyncProperty(programArb, fc.integer({ min: 1, max: 1000 }), async (prog, seed) => {
      const f = build(prog);
      const as = toArray(input([4, 3, 3], seed));
      const B = toArray(input([3, 3], seed + 7));
      const got = vmap(f, [0, null])(as, B);
      const want = np.stack(
        [0, 1, 2, 3].map((i) => f(np.take(as, i, 0), B)),
        0,
      );
      assert.deepEqual(got.shape, [4]);
      assertClose(await got.toArray(), (await want.toArray()) as Nested, "float32", 1e-4, 1e-4);
    }),
    { numRuns: 25, seed: 7 },
  );
});
