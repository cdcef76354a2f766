// tree.map / leaves / flatten / unflatten over jit's pytrees, and the optax-shaped optimizers:
// three steps of sgd, momentum, adam and adamw against optax's update rules run in float64 (fixture), eager and
// as one jitted training step.
import test from "node:test";
import assert from "node:assert/strict";
import * as np from "../../../runtime/src/np.js";
import * as tree from "../../../runtime/src/tree.js";
import * as optim from "../../../runtime/src/optim.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import { assertClose, onBackend, webgpuOrSkip, type Nested } from "../ops/harness.js";
import { expected } from "../ops/surfaceExpected.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";

test("tree.map over two trees of one structure, leaves and flatten/unflatten round trip", async () => {
  const params = { w: np.array([1, 2]), layers: [np.array([3]), { b: np.array([4, 5]) }], n: 2, skip: null };
  const grads = { w: np.array([10, 20]), layers: [np.array([30]), { b: np.array([40, 50]) }], n: 1, skip: null };
  const out = tree.map((p: Tracer | number, g: Tracer | number) => np.add(p, g), params, grads);
  assert.deepEqual(await (out.w as Tracer).toArray(), [11, 22]);
  assert.deepEqual(await (out.layers[1] as { b: Tracer }).b.toArray(), [44, 55]);
  assert.deepEqual(await (out.n as unknown as Tracer).toArray(), 3);
  assert.equal(out.skip, null);
  const leaves = tree.leaves(params);
  assert.equal(leaves.length, 4, "w, layers[0], layers[1].b and n (null is an empty node, not a leaf)");
  const [flat, def] = tree.flatten(params);
  const back = tree.unflatten<typeof params>(def, flat);
  assert.equal(back.w, params.w);
  assert.equal((back.layers[1] as { b: Tracer }).b, (params.layers[1] as { b: Tracer }).b);
});

test("tree.map says where two trees differ", () => {
  assert.throws(
    () => tree.map((a: Tracer, b: Tracer) => np.add(a, b), { w: np.zeros([1]) }, { v: np.zeros([1]) }),
    (e: unknown) => e instanceof JitScopeError && /tree 1 has a different structure/.test(e.message),
  );
});

type P = { w: Tracer };
const loss = (c: Tracer) => (p: P) => np.add(np.multiply(np.sum(np.square(p.w)), 0.5), np.sum(np.multiply(p.w, c)));

const optimizers: [string, () => optim.GradientTransformation<unknown>][] = [
  ["optim_sgd", () => optim.sgd(0.1) as optim.GradientTransformation<unknown>],
  ["optim_momentum", () => optim.momentum(0.1, 0.9) as optim.GradientTransformation<unknown>],
  ["optim_adam", () => optim.adam(0.1) as optim.GradientTransformation<unknown>],
  ["optim_adamw", () => optim.adamw(0.1, { weight_decay: 0.01 }) as optim.GradientTransformation<unknown>],
];

for (const [name, make] of optimizers) {
  const { inputs, expect } = expected(name);
  const run = async (jitted: boolean) => {
    const c = np.array(inputs[1] as number[]);
    const opt = make();
    let params: P = { w: np.array(inputs[0] as number[]) };
    let state = opt.init(params);
    const stepFn = (p: P, s: unknown): [P, unknown] => {
      const g = grad(loss(c))(p) as P;
      const [updates, next] = opt.update(g, s, p);
      return [optim.apply_updates(p, updates), next];
    };
    const step = jitted ? jit(stepFn) : stepFn;
    const traj: Nested[] = [];
    for (let i = 0; i < 3; i++) {
      [params, state] = step(params, state);
      traj.push((await params.w.toArray()) as Nested);
    }
    return traj;
  };
  test(`${name.replace("optim_", "optim.")}: three steps match NumPy's trajectory, eager on the cpu reference`, async () => {
    assertClose(await onBackend("cpu", () => run(false)), expect, "float32", 1e-5, 1e-6);
  });
  test(`${name.replace("optim_", "optim.")}: one jitted training step (grad + update + apply) on webgpu matches the float64 reference trajectory`, async (t) => {
    if (!(await webgpuOrSkip(t))) return;
    assertClose(await onBackend("webgpu", () => run(true)), expect, "float32", 1e-5, 1e-6);
  });
}

test("optim.adamw without params in update says to pass them", () => {
  const opt = optim.adamw(0.1);
  const params = { w: np.zeros([2]) };
  const s = opt.init(params);
  assert.throws(() => opt.update(params, s), /update needs params for weight decay/);
});

test("tree_util.tree_map / tree_leaves are jax.tree_util's names for tree.map / tree.leaves", async () => {
  const api = await import("../../../runtime/src/index.js");
  assert.equal(api.tree_util.tree_map, api.tree.map);
  assert.equal(api.tree_util.tree_leaves, api.tree.leaves);
  assert.equal(api.tree_util.tree_flatten, api.tree.flatten);
  assert.equal(api.tree_util.tree_unflatten, api.tree.unflatten);
});
