// tree's structure, reduce and _with_path functions, as jax.tree's: the paths of a parameter tree
// in leaf order (keystr as JAX writes them, checked against jax.tree_util on the same tree),
// a parameter count by reduce, weight decay on the weights only by map_with_path.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "../../../runtime/src/np.js";
import * as tree from "../../../runtime/src/tree.js";
import { config } from "../../../runtime/src/config.js";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";

config({ backend: "cpu" });

const params = () => ({
  layers: [
    { w: np.ones([3, 2]), b: np.zeros([2]) },
    { w: np.ones([2, 4]), b: np.zeros([4]) },
  ],
  out: 5,
});

test("leaves_with_path gives each leaf's keys and indices; keystr writes them as JAX does", () => {
  const paths = tree.leaves_with_path(params()).map(([p]) => tree.keystr(p));
  // The strings jax.tree_util.keystr gives for these leaves; in leaf order, which here keeps an
  // object's insertion order (JAX sorts dict keys: b before w), as every pytree function here does.
  assert.deepEqual(paths, [
    "['layers'][0]['w']",
    "['layers'][0]['b']",
    "['layers'][1]['w']",
    "['layers'][1]['b']",
    "['out']",
  ]);
  const [withPath, def] = tree.flatten_with_path(params());
  assert.deepEqual(withPath.map(([p]) => p)[2], ["layers", 1, "w"]);
  assert.deepEqual(def, tree.structure(params()));
});

test("reduce counts the parameters (6 + 2 + 8 + 4 + the number 5 counted as 1), and without an initializer starts from the first leaf", () => {
  const count = tree.reduce((n: number, x) => n + (typeof x === "number" ? 1 : x.size), params(), 0);
  assert.equal(count, 21);
  assert.equal(
    tree.reduce((a: number, b) => a + (b as number), [1, [2, 3], { x: 4 }]),
    10,
  );
  assert.throws(
    () => tree.reduce((a: number) => a, []),
    (e: unknown) => e instanceof JitScopeError && /a tree with no leaves needs an initializer/.test(e.message),
  );
});

test("map_with_path decays the weights only: w leaves scaled by 0.9, b leaves and the number unchanged", async () => {
  const decayed = tree.map_with_path(
    (path, x: Tracer | number) => (path.at(-1) === "w" ? np.multiply(x as Tracer, 0.9) : x),
    params(),
  );
  assert.deepEqual(
    await (decayed.layers[1]!.w as Tracer).toArray(),
    [
      [0.9, 0.9, 0.9, 0.9],
      [0.9, 0.9, 0.9, 0.9],
    ].map((r) => r.map(Math.fround)),
  );
  assert.deepEqual(await decayed.layers[0]!.b.toArray(), [0, 0]);
  assert.equal(decayed.out, 5);
  assert.deepEqual(tree.structure(decayed), tree.structure(params()));
});
