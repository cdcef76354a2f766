// lax loops: each form against a plain JS loop (CPU reference, eager and jit), the IR keeps one
// loop equation, gradients through scan and fori_loop against finite differences, vmap of each
// form against a loop over the batch, while_loop with a data-dependent trip count, cond under vmap.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as lax from "../../../runtime/src/lax.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { input, toArray } from "../transforms/fd.js";
import { arr, close } from "./loopCheck.js";

config({ backend: "cpu" });

type T = Tracer;

// An RNN-like step: carry {h, n}, x row → new carry and y = sum(h).
const W = toArray(input([3, 3], 1, -0.5, 0.5));
const step = (c: { h: T; n: T }, x: T): [{ h: T; n: T }, T] => {
  const h = np.tanh(np.add(np.matmul(np.reshape(c.h, [1, 3]), W).reshape([3]), x));
  return [{ h, n: np.add(c.n, 1) }, np.sum(h)];
};
const XS = toArray(input([5, 3], 2));

/** The same recurrence as a plain JS loop on host numbers. */
function hostRnn(xs: number[], w: number[], reverse = false): { h: number[]; ys: number[] } {
  let h = [0, 0, 0];
  const ys = new Array<number>(5);
  for (let i = 0; i < 5; i++) {
    const t = reverse ? 4 - i : i;
    h = [0, 1, 2].map((j) => Math.tanh(h[0]! * w[j]! + h[1]! * w[3 + j]! + h[2]! * w[6 + j]! + xs[t * 3 + j]!));
    ys[t] = h[0]! + h[1]! + h[2]!;
  }
  return { h, ys };
}

test("scan equals a plain JS loop, eagerly and under jit, forwards and reversed, with a pytree carry", async () => {
  const xs = await arr(XS),
    w = await arr(W);
  for (const reverse of [false, true]) {
    const want = hostRnn(xs, w, reverse);
    const run = (init: { h: T; n: T }, x: T) => lax.scan(step, init, x, { reverse });
    const init = { h: np.zeros([3]), n: np.array(0) };
    for (const [mode, fn] of [
      ["eager", run],
      ["jit", jit(run)],
    ] as const) {
      const [c, ys] = fn(init, XS);
      close(await arr(c.h), want.h, 1e-5, `${mode} reverse=${reverse} h`);
      close(await arr(c.n), [5], 0, `${mode} n`);
      close(await arr(ys), want.ys, 1e-5, `${mode} ys`);
    }
  }
});

test("under jit a scan is one equation holding its body, and its body is compiled once", async () => {
  const f = jit((x: T) => lax.scan(step, { h: np.zeros([3]), n: np.array(0) }, x));
  const lo = await f.lower(XS);
  const scans = lo.program.eqns.filter((e) => e.prim === "scan");
  assert.equal(scans.length, 1);
  assert.equal((scans[0]!.params as { length: number }).length, 5);
  assert.equal(lo.program.eqns.filter((e) => e.prim === "tanh").length, 0, "no tanh outside the body (not unrolled)");
  assert.match(lo.text("trace"), /scan\[length=5, consts=1, carry=2\]/);
  assert.equal(lo.text("trace").match(/= tanh/g)?.length, 1, "the body's tanh is printed once");
  // Its state (3 numbers, a step counter) is small: one kernel runs the body unrolled.
  assert.match(lo.text("fuse"), /scan × 5 as one recurrence kernel: its state is small/);
});

test("fori_loop equals a plain JS loop (static bounds: a scan; array bounds: a while loop)", async () => {
  const body = (i: T, v: T) => np.add(np.multiply(v, 0.5), np.multiply(i, 2));
  let want = [1, 2];
  for (let i = 2; i < 9; i++) want = want.map((v) => v * 0.5 + 2 * i);
  close(await arr(lax.fori_loop(2, 9, body, np.array([1, 2]))), want, 1e-6, "eager");
  close(await arr(jit((v: T) => lax.fori_loop(2, 9, body, v))(np.array([1, 2]))), want, 1e-6, "jit");
  const lo = await jit((v: T) => lax.fori_loop(2, 9, body, v)).lower(np.array([1, 2]));
  assert.ok(lo.program.eqns.some((e) => e.prim === "scan"));
  const traced = jit((v: T, hi: T) => lax.fori_loop(np.array(2, { dtype: "int32" }), hi, body, v));
  close(await arr(traced(np.array([1, 2]), np.array(9, { dtype: "int32" }))), want, 1e-6, "traced bounds");
  assert.ok(
    (await traced.lower(np.array([1, 2]), np.array(9, { dtype: "int32" }))).program.eqns.some(
      (e) => e.prim === "while",
    ),
  );
});

test("while_loop runs a data-dependent number of iterations (z = z² + 1 until z ≥ 100), eagerly and under jit", async () => {
  const grow = (z0: T) =>
    lax.while_loop(
      ([z]: [T, T]) => np.less(z, 100),
      ([z, k]: [T, T]) => [np.add(np.multiply(z, z), 1), np.add(k, 1)] as [T, T],
      [z0, np.array(0, { dtype: "int32" })] as [T, T],
    );
  const host = (z: number) => {
    let k = 0;
    while (z < 100) {
      z = z * z + 1;
      k++;
    }
    return [z, k] as const;
  };
  for (const z of [0, 1, 9, 150]) {
    const [hz, hk] = host(z);
    for (const [mode, fn] of [
      ["eager", grow],
      ["jit", jit(grow)],
    ] as const) {
      const [zz, kk] = fn(np.array(z));
      assert.deepEqual(await arr(kk), [hk], `${mode} z0=${z} trip count`);
      assert.deepEqual(await arr(zz), [hz], `${mode} z0=${z} value`);
    }
  }
  assert.deepEqual([host(0)[1], host(9)[1], host(150)[1]], [5, 2, 0]);
});

test("cond and switch pick the branch of the predicate / index (clamped), eagerly and under jit", async () => {
  const c = (p: T, x: T) =>
    lax.cond(
      p,
      (a: T) => np.multiply(a, 10),
      (a: T) => np.negative(a),
      x,
    );
  const s = (i: T, x: T) =>
    lax.switch(i, [(a: T) => np.add(a, 1), (a: T) => np.multiply(a, 2), (a: T) => np.square(a)], x);
  const x = np.array([1, -3]);
  for (const [mode, cf, sf] of [
    ["eager", c, s],
    ["jit", jit(c), jit(s)],
  ] as const) {
    assert.deepEqual(await arr(cf(np.array(true, { dtype: "bool" }), x)), [10, -30], mode);
    assert.deepEqual(await arr(cf(np.array(0), x)), [-1, 3], mode);
    assert.deepEqual(await arr(sf(np.array(1, { dtype: "int32" }), x)), [2, -6], mode);
    assert.deepEqual(await arr(sf(np.array(7, { dtype: "int32" }), x)), [1, 9], `${mode} clamped high`);
    assert.deepEqual(await arr(sf(np.array(-2, { dtype: "int32" }), x)), [2, -2], `${mode} clamped low`);
  }
});

test("cond and switch whose branches return different shapes or dtypes are refused, naming both, eagerly and under jit", () => {
  const x = np.array([1, 2]);
  const shapes = (p: T) =>
    lax.cond(
      p,
      (a: T) => a,
      (a: T) => np.sum(a),
      x,
    );
  const dtypes = (p: T) =>
    lax.cond(
      p,
      (a: T) => a,
      (a: T) => np.astype(a, "int32"),
      x,
    );
  const switched = (i: T) => lax.switch(i, [(a: T) => a, (a: T) => np.reshape(a, [2, 1])], x);
  for (const [mode, run] of [
    ["eager", (f: (p: T) => T, p: T) => f(p)],
    ["jit", (f: (p: T) => T, p: T) => jit(f)(p)],
  ] as const) {
    // Both predicates: on the CPU an eager cond runs one branch, and must refuse either way.
    for (const p of [np.array(true, { dtype: "bool" }), np.array(false, { dtype: "bool" })]) {
      assert.throws(
        () => run(shapes, p),
        /lax\.cond: branch 1 returns f32\[\] where branch 0 returns f32\[2\]; every branch must return the same shapes and dtypes/,
        mode,
      );
      assert.throws(() => run(dtypes, p), /branch 1 returns i32\[2\] where branch 0 returns f32\[2\]/, mode);
    }
    assert.throws(
      () => run(switched, np.array(0, { dtype: "int32" })),
      /lax\.switch: branch 1 returns f32\[2,1\] where branch 0 returns f32\[2\]/,
      mode,
    );
  }
});

/** d/dw of f by central differences, eagerly (scan as a plain loop) on the CPU reference. */
async function fdGrad(f: (w: T) => T, w: number[], shape: number[], eps = 1e-2): Promise<number[]> {
  const out: number[] = [];
  for (let j = 0; j < w.length; j++) {
    const at = (d: number) => f(np.reshape(np.array(new Float32Array(w.map((v, k) => (k === j ? v + d : v)))), shape));
    out.push(((await arr(at(eps)))[0]! - (await arr(at(-eps)))[0]!) / (2 * eps));
  }
  return out;
}

test("jit(grad) through scan (one forward and one reverse loop) matches finite differences", async () => {
  const loss = (w: T, xs: T) => {
    const [h, ys] = lax.scan(
      (c: T, x: T): [T, T] => {
        const h2 = np.tanh(np.add(np.matmul(np.reshape(c, [1, 3]), w).reshape([3]), x));
        return [h2, np.sum(np.square(h2))];
      },
      np.full([3], 0.1),
      xs,
    );
    return np.add(np.sum(ys), np.sum(np.multiply(h, np.sum(xs, 0))));
  };
  const w = await arr(W);
  const g = jit(grad(loss))(W, XS);
  const fd = await fdGrad((wt) => loss(wt, XS), w, [3, 3]);
  close(await arr(g), fd, 2e-2, "dL/dw");
  const lo = await jit(grad(loss)).lower(W, XS);
  assert.equal(lo.program.eqns.filter((e) => e.prim === "scan").length, 2, "a forward scan and a transposed scan");
  // Cotangents of xs come out stacked, one row per step.
  const gx = jit(grad(loss, 1))(W, XS);
  const xsv = await arr(XS);
  const fdx = await fdGrad((xt) => loss(W, xt), xsv, [5, 3]);
  close(await arr(gx), fdx, 2e-2, "dL/dxs");
});

test("jit(grad) through fori_loop matches finite differences", async () => {
  const loss = (a: T) =>
    np.sum(
      lax.fori_loop(
        0,
        6,
        (i: T, v: T) => np.sin(np.add(np.multiply(v, a), np.multiply(i, 0.1))),
        np.array([0.3, -0.2]),
      ),
    );
  const a0 = [0.9, 1.1];
  const g = jit(grad(loss))(np.array(a0));
  close(await arr(g), await fdGrad(loss, a0, [2]), 2e-2, "dL/da");
});

test("vmap of scan, fori_loop, while_loop and cond equals a loop over the batch (under jit)", async () => {
  const B = toArray(input([4, 5, 3], 7));
  const perExample = (xs: T) => lax.scan(step, { h: np.zeros([3]), n: np.array(0) }, xs)[1];
  const batched = await arr(jit(vmap(perExample))(B));
  const rows: number[] = [];
  for (let b = 0; b < 4; b++)
    rows.push(...(await arr(jit(perExample)(np.reshape(np.slice(B, [b, 0, 0], [b + 1, 5, 3]), [5, 3])))));
  close(batched, rows, 1e-5, "scan");

  const fori = (v: T) => lax.fori_loop(0, 4, (_i: T, u: T) => np.add(np.multiply(u, u), -0.5), v);
  const vs = [0.1, 0.5, -0.9];
  close(
    await arr(jit(vmap(fori))(np.array(vs))),
    await Promise.all(vs.map(async (v) => (await arr(fori(np.array(v))))[0]!)),
    1e-6,
    "fori",
  );

  // Each element halves until below its own threshold: different trip counts across the batch.
  const halve = (x: T, lim: T) =>
    lax.while_loop(
      ([v]: [T, T]) => np.greater(v, lim),
      ([v, k]: [T, T]) => [np.multiply(v, 0.5), np.add(k, 1)] as [T, T],
      [x, np.array(0, { dtype: "int32" })] as [T, T],
    );
  const [vv, kk] = jit(vmap(halve))(np.array([10, 3, 100]), np.array([1, 2, 1]));
  assert.deepEqual(await arr(kk), [4, 1, 7]);
  close(await arr(vv), [0.625, 1.5, 0.78125], 1e-6, "while values");

  const c = (p: T, x: T) =>
    lax.cond(
      np.greater(p, 0),
      (a: T) => np.multiply(a, 10),
      (a: T) => np.negative(a),
      x,
    );
  const lo = await jit(vmap(c)).lower(np.array([1, -1, 2]), np.array([1, 2, 3]));
  assert.ok(
    lo.program.eqns.some((e) => e.prim === "where"),
    "cond under vmap is a select",
  );
  assert.deepEqual(await arr(jit(vmap(c))(np.array([1, -1, 2]), np.array([1, 2, 3]))), [10, -2, 30]);
});

test("a scan whose carry changes shape is refused, naming the carry", () => {
  assert.throws(
    () => jit((x: T) => lax.scan((c: T, r: T): [T, T] => [np.concatenate([c, r]), r], np.zeros([3]), x))(XS),
    (e: unknown) =>
      e instanceof JitScopeError &&
      /carry 0 as float32\[6\]|f32\[6\]/.test(e.message) &&
      /keeps its shape/.test(e.message),
  );
});
