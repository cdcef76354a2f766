// optim.flatten (optax.flatten): the inner transformation runs on one vector of every leaf. Its
// trajectory is replayed against optax's in optimSchedules.test.ts; here, what it is made of.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, optim, config, grad, JitScopeError } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";

config({ backend: "cpu" });

const params = () => ({
  layers: [0, 1, 2].map((i) => ({ w: np.full([4, 4], 0.1 * (i + 1)), b: np.zeros([4]) })),
  head: np.ones([4, 2]),
});
type P = ReturnType<typeof params>;
const loss = (p: P, x: Tracer) => {
  let h = x;
  for (const l of p.layers) h = np.tanh(np.add(np.matmul(h, l.w), l.b));
  return np.mean(np.square(np.matmul(h, p.head)));
};

test("the state is one vector of every leaf, and the updates come back in the params' shapes", async () => {
  const opt = optim.flatten(optim.adam(0.1));
  const state = opt.init(params());
  assert.deepEqual((state.mu as Tracer).shape, [3 * (16 + 4) + 8]);
  const [updates] = opt.update(grad(loss)(params(), np.ones([2, 4])), state);
  const u = updates as P;
  assert.deepEqual(u.layers[2]!.w.shape, [4, 4]);
  assert.deepEqual(u.head.shape, [4, 2]);
  // The same first step as adam on the leaves: -lr · sign(g) where g ≠ 0.
  const [plain] = optim.adam(0.1).update(grad(loss)(params(), np.ones([2, 4])), optim.adam(0.1).init(params()));
  assert.deepEqual(await u.head.toArray(), await (plain as P).head.toArray());
});

test("under jit, clipping by the global norm then AdamW over 7 leaves is fewer kernels flattened than leaf by leaf", async () => {
  const kernelsOf = async (opt: optim.GradientTransformation<unknown>) => {
    const step = jit(function step(p: P, s: unknown, x: Tracer) {
      const [u, next] = opt.update(grad(loss)(p, x), s, p);
      return [optim.apply_updates(p, u), next] as const;
    });
    return (await step.lower(params(), opt.init(params()), np.ones([2, 4]))).kernels.length;
  };
  // The norm is one reduction over the vector instead of one per leaf and their sum.
  const make = () =>
    optim.chain(optim.clip_by_global_norm(1), optim.adamw(0.1) as optim.GradientTransformation<unknown>);
  const leafByLeaf = await kernelsOf(make() as optim.GradientTransformation<unknown>);
  const flat = await kernelsOf(optim.flatten(make()) as optim.GradientTransformation<unknown>);
  assert.ok(flat < leafByLeaf, `${flat} kernels flattened, ${leafByLeaf} leaf by leaf`);
});

test("flattening a tree with no arrays is an error that says so", () => {
  assert.throws(
    () => optim.flatten(optim.sgd(0.1)).init({}),
    (e: unknown) => {
      assert.ok(e instanceof JitScopeError);
      assert.match(e.message, /optim\.flatten: the tree has no arrays to flatten/);
      return true;
    },
  );
});
