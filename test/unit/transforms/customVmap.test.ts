// custom_batching.custom_vmap and sequential_vmap against JAX (scripts/jax/run_jax_transforms_misc.py
// wrote test/fixtures/jax/transforms_misc.json): a matrix-vector product whose batching rule is
// a different algorithm (one matmul or einsum instead of a broadcast product and a sum), under
// vmap over the vectors, over both, over the matrices, nested vmaps, vmap of jvp (the rule's jvp),
// and sequential_vmap (CPU reference, WebGPU, jit on WebGPU). Then what runs where: the function
// unbatched, the rule under vmap with the batched flags, jit, a loop body, grad through vmap;
// and the refusals (grad of the function, a missing rule, a malformed rule result).
import { test } from "node:test";
import assert from "node:assert/strict";
import { custom_batching, grad, jit, jvp, lax, vmap } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested } from "../ops/harness.js";
import { fixtureCases } from "../ops/surface2Expected.js";

const { jaxOpCase, jaxParts } = fixtureCases("transforms_misc");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const tol = { rtol: 1e-5, atol: 1e-5 };

/** Each rule call's [axisSize, inBatched], for the tests that check what ran. */
const ruleCalls: unknown[] = [];
const matvec = custom_batching.custom_vmap(function matvec(m: Tracer, v: Tracer): Tracer {
  return np.sum(np.multiply(m, np.expand_dims(v, 0)), 1);
});
matvec.def_vmap((axisSize: number, inBatched: unknown[], m: Tracer, v: Tracer) => {
  ruleCalls.push([axisSize, inBatched]);
  const [mb, vb] = inBatched as [boolean, boolean];
  if (mb && vb) return [np.einsum("bij,bj->bi", m, v), true];
  if (vb) return [np.matmul(v, np.transpose(m)), true];
  return [np.einsum("bij,j->bi", m, v), true];
});
const seq = custom_batching.sequential_vmap((m: Tracer, v: Tracer) => np.tanh(np.matmul(m, v)));

opCases("custom_vmap", [
  jaxOpCase("cv_vectors", (m, v) => vmap(matvec, [null, 0])(f(m), f(v)), tol),
  jaxOpCase("cv_both", (m, v) => vmap(matvec)(f(m), f(v)), tol),
  jaxOpCase("cv_matrices", (m, v) => vmap(matvec, [0, null])(f(m), f((v as Nested[])[0]!)), tol),
  jaxOpCase("cv_nested", (m, v) => vmap(vmap(matvec, [null, 0]), [null, 0])(f(m), f(v)), tol),
  ...jaxParts(
    "cv_vmap_jvp",
    2,
    (m, v, t) =>
      vmap((vv: Tracer, tt: Tracer) => jvp((u: Tracer) => matvec(f(m), u), [vv], [tt]))(f(v), f(t)) as Tracer[],
  ).map((c) => ({ ...c, ...tol })),
  jaxOpCase("cv_sequential", (m, v) => vmap(seq, [null, 0])(f(m), f(v)), tol),
]);

/** A custom_vmap whose rule gives a visibly different value (cos instead of sin), as JAX's docs. */
const sinOrCos = custom_batching.custom_vmap(function sinOrCos(x: Tracer, y: Tracer | number): Tracer {
  return np.multiply(np.sin(x), y);
});
sinOrCos.def_vmap((_n: number, _b: unknown[], xs: Tracer, ys: Tracer) => [np.multiply(np.cos(xs), ys), true]);
const sin1 = Math.fround(Math.sin(1));
const cos1 = Math.fround(Math.cos(1));

test("custom_vmap runs the function unbatched (sin) and the rule under vmap, jit(vmap), vmap(jit) (cos), with JAX's inBatched flags", async () => {
  {
    const x = np.ones([3]);
    assert.deepEqual(await sinOrCos(x, x).toArray(), [sin1, sin1, sin1]);
    for (const g of [vmap(sinOrCos), jit(vmap(sinOrCos)), vmap(jit(sinOrCos))])
      assert.deepEqual(await (g(x, x) as Tracer).toArray(), [cos1, cos1, cos1]);
    ruleCalls.length = 0;
    vmap(matvec, [0, null])(np.ones([2, 4, 3]), np.ones([3]));
    vmap(matvec, [null, 0])(np.ones([4, 3]), np.ones([5, 3]));
    assert.deepEqual(ruleCalls, [
      [2, [true, false]],
      [5, [false, true]],
    ]);
  }
});

test("custom_vmap in a lax.scan body under jit(vmap) runs the rule (3 steps of cos(1) = 1.6209), as eagerly", async () => {
  {
    const h = (xs: Tracer) =>
      lax.scan((c: Tracer, xi: Tracer) => [np.add(c, sinOrCos(xi, 1)), c], np.zeros([]), xs)[0] as Tracer;
    for (const g of [vmap(h), jit(vmap(h))]) {
      const r = (await (g(np.ones([2, 3])) as Tracer).toArray()) as number[];
      r.forEach((v) => assert.ok(Math.abs(v - 3 * cos1) < 1e-5, `${v}`));
    }
  }
});

test("custom_vmap: jvp differentiates the function (cos(1)); grad through vmap differentiates the rule (−sin(1)); grad of the function is refused by name", async () => {
  {
    const [p, t] = jvp((a: Tracer) => sinOrCos(a, 1), [np.array(1)], [np.array(1)]) as Tracer[];
    assert.deepEqual([await p!.toArray(), await t!.toArray()], [sin1, cos1]);
    const g = grad((a: Tracer) => np.sum(vmap(sinOrCos, [0, null])(a, 1)))(np.ones([2])) as Tracer;
    assert.deepEqual(await g.toArray(), [-sin1, -sin1]);
    refuses(
      () => grad((a: Tracer) => sinOrCos(a, 1))(np.array(1)),
      /can't apply reverse-mode autodiff \(grad, vjp\) to a custom_vmap function \(sinOrCos\)/,
    );
    refuses(() => vmap(grad((a: Tracer) => sinOrCos(a, 1)))(np.ones([2])), /custom_vmap function \(sinOrCos\)/);
  }
});

test("custom_vmap refuses under vmap a missing rule and a rule result whose outBatched does not match or whose batched output lacks the batch axis", () => {
  onBackend("cpu", () => {
    const x = np.ones([3]);
    const noRule = custom_batching.custom_vmap(function ident(v: Tracer) {
      return v;
    });
    assert.ok(noRule(x));
    refuses(() => vmap(noRule)(x), /No batching rule defined for custom_vmap function ident using def_vmap/);
    const badFlags = custom_batching
      .custom_vmap((v: Tracer) => v)
      .def_vmap((_n: number, _b: unknown[], v: Tracer) => [v, [true]]);
    refuses(() => vmap(badFlags)(x), /the structure of the vmap rule's output and of its outBatched do not match/);
    const badAxis = custom_batching
      .custom_vmap((v: Tracer) => v)
      .def_vmap((_n: number, _b: unknown[], v: Tracer) => [np.sum(v), true]);
    refuses(
      () => vmap(badAxis)(x),
      /says output 0 is batched, but its shape \[\] does not start with the batch size 3/,
    );
    const notPair = custom_batching.custom_vmap((v: Tracer) => v).def_vmap((() => 1) as never);
    refuses(() => vmap(notPair)(x), /the vmap rule must return \[out, outBatched\]/);
  });
});
