// Generated programs over the issue-14 surface: random chains of its ops on [3,3] values, each
// checked for grad vs central finite differences (smooth steps only: a finite difference across
// sort's swaps or clip's corners measures the jump), jit(grad) ≡ grad, vmap ≡ a loop, and
// jit ≡ eager on WebGPU (all steps).
import { test } from "node:test";
import fc from "fast-check";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as nn from "../../../runtime/src/nn.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, webgpuOrSkip, type Nested } from "../ops/harness.js";
import { checkGradient, input, toArray } from "./fd.js";

config({ backend: "cpu" });

type Step = (v: Tracer, a: Tracer, b: Tracer) => Tracer;
const SMOOTH: Record<string, Step> = {
  cumsum: (v) => np.multiply(np.cumsum(v, 1), 0.5),
  cumprod: (v) => np.cumprod(np.add(np.multiply(np.tanh(v), 0.3), 1), 0),
  flip: (v) => np.flip(v, 0),
  roll: (v) => np.roll(v, 1, 1),
  tril: (v, a) => np.add(np.tril(v), np.triu(a, 1)),
  logaddexp: (v, _a, b) => np.logaddexp(v, b),
  softplus: (v) => nn.softplus(v),
  silu: (v) => nn.silu(v),
  log1p: (v) => np.log1p(np.square(v)),
  expm1: (v) => np.expm1(np.multiply(v, 0.5)),
  standardize: (v) => np.multiply(nn.standardize(v, -1, { epsilon: 0.5 }), 0.5),
  einsum: (v, _a, b) => np.multiply(np.einsum("ij,kj->ik", v, b), 0.5),
  padSlice: (v) => np.slice(np.pad(v, 1), [1, 0], [4, 3]),
  tile: (v) => np.slice(np.tile(v, [1, 2]), [0, 1], [3, 4]),
  prodRows: (v) => np.multiply(v, np.prod(np.add(np.multiply(np.tanh(v), 0.2), 1), 1, { keepdims: true })),
};
const KINKED: Record<string, Step> = {
  sort: (v) => np.sort(v, 1),
  sortCols: (v) => np.sort(v, 0),
  clip: (v) => np.clip(v, -0.5, 0.5),
  elu: (v) => nn.elu(v),
  leaky: (v) => nn.leaky_relu(v, 0.1),
  round: (v) => np.add(v, np.multiply(np.round(np.multiply(v, 4)), 0.1)),
  mod: (v) => np.add(v, np.mod(np.multiply(v, 3), 1)),
};
const ALL = { ...SMOOTH, ...KINKED };
const smoothArb = fc.array(fc.constantFrom(...Object.keys(SMOOTH)), { minLength: 1, maxLength: 5 });
const allArb = fc.array(fc.constantFrom(...Object.keys(ALL)), { minLength: 1, maxLength: 6 });
const WEIGHTS = [
  [1, 0.5, -1],
  [0.25, 2, 1],
  [-0.5, 1, 0.75],
];

function build(prog: readonly string[]): (a: Tracer, b: Tracer) => Tracer {
  return (a, b) => {
    let v = a;
    for (const s of prog) v = ALL[s]!(v, a, b);
    return np.sum(np.multiply(v, np.array(WEIGHTS)));
  };
}

test("grad of generated surface programs matches finite differences, and jit(grad) matches grad", async () => {
  await fc.assert(
    fc.asyncProperty(smoothArb, fc.integer({ min: 1, max: 1000 }), async (prog, seed) => {
      const f = build(prog);
      const A = input([3, 3], seed, -0.8, 0.8);
      const B = input([3, 3], seed + 1, -0.8, 0.8);
      await checkGradient(f, [A, B], { rtol: 5e-2, atol: 2e-2 });
      const eager = grad(f, [0, 1])(toArray(A), toArray(B));
      const compiled = jit(grad(f, [0, 1]))(toArray(A), toArray(B));
      for (const i of [0, 1])
        assertClose(await compiled[i]!.toArray(), (await eager[i]!.toArray()) as Nested, "float32", 1e-4, 1e-5);
    }),
    { numRuns: 20, seed: 14 },
  );
});

test("vmap of generated surface programs (sort, clip, mod included) matches a loop over the batch", async () => {
  await fc.assert(
    fc.asyncProperty(allArb, fc.integer({ min: 1, max: 1000 }), async (prog, seed) => {
      const f = build(prog);
      const as = toArray(input([4, 3, 3], seed));
      const B = toArray(input([3, 3], seed + 7));
      const got = vmap(f, [0, null])(as, B);
      const want = np.stack(
        [0, 1, 2, 3].map((i) => f(np.take(as, i, 0), B)),
        0,
      );
      assertClose(await got.toArray(), (await want.toArray()) as Nested, "float32", 1e-4, 1e-4);
    }),
    { numRuns: 20, seed: 15 },
  );
});

test("jit ≡ eager on webgpu for generated surface programs and their gradients", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  await fc.assert(
    fc.asyncProperty(allArb, fc.integer({ min: 1, max: 1000 }), async (prog, seed) => {
      const f = build(prog);
      const both = (a: Tracer, b: Tracer) => [f(a, b), ...(grad(f, [0, 1])(a, b) as Tracer[])];
      const [A, B] = onBackend("webgpu", () => [toArray(input([3, 3], seed)), toArray(input([3, 3], seed + 3))]);
      const eager = onBackend("webgpu", () => both(A!, B!));
      const compiled = onBackend("webgpu", () => jit(both)(A!, B!)) as Tracer[];
      for (let i = 0; i < eager.length; i++) {
        assertClose(
          await compiled[i]!.toArray(),
          (await eager[i]!.toArray()) as Nested,
          "float32",
          1e-4,
          1e-4,
          `${prog.join(",")} output ${i}`,
        );
      }
    }),
    { numRuns: 15, seed: 16 },
  );
});
