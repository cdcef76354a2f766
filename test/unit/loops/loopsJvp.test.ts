// Forward mode (jvp) through lax loops on the CPU reference: scan (forwards and reversed, pytree
// carry, xs and ys), fori_loop (static and traced bounds), while_loop with a data-dependent trip
// count, cond and switch; each against central finite differences and against jvp of the same
// program written as a plain JS loop, eagerly and under jit. Under jit the loop stays one loop.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as lax from "../../../runtime/src/lax.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { jvp } from "../../../runtime/src/trace/jvp.js";
import type { ScanParams } from "../../../runtime/src/ir/types.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { arr, close } from "./loopCheck.js";
import { closeAll, fdJvp, mk } from "./jvpCheck.js";

config({ backend: "cpu" });

type T = Tracer;
type Carry = { h: T; n: T };
type X = { a: T; b: T };
const int = (v: number): T => np.array(v, { dtype: "int32" });
const row = (x: T, t: number): T => np.reshape(np.slice(x, [t, 0], [t + 1, x.shape[1]!]), [x.shape[1]!]);

/** One RNN step: a pytree carry {h, n (int32)}, a pytree x {a, b}, a pytree y {s, h}. */
const step =
  (w: T) =>
  (c: Carry, x: X): [Carry, { s: T; h: T }] => {
    const h = np.tanh(np.add(np.reshape(np.matmul(np.reshape(c.h, [1, 3]), w), [3]), np.multiply(x.a, x.b)));
    return [
      { h, n: np.add(c.n, 1) },
      { s: np.sum(np.square(h)), h },
    ];
  };

/** The program as a lax.scan, returning its float outputs [hT, ys.s, ys.h]. */
const viaScan =
  (reverse: boolean) =>
  (h0: T, w: T, xs: T): T[] => {
    const [c, ys] = lax.scan(step(w), { h: h0, n: int(0) }, { a: xs, b: np.cos(xs) }, { reverse });
    return [c.h, ys.s, ys.h];
  };

/** The same program as a plain JS loop (unrolled while tracing). */
const viaLoop =
  (reverse: boolean) =>
  (h0: T, w: T, xs: T): T[] => {
    const n = xs.shape[0]!;
    let c: Carry = { h: h0, n: int(0) };
    const s: T[] = new Array(n),
      hs: T[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const t = reverse ? n - 1 - i : i;
      const [c2, y] = step(w)(c, { a: row(xs, t), b: np.cos(row(xs, t)) });
      c = c2;
      s[t] = y.s;
      hs[t] = y.h;
    }
    return [c.h, np.stack(s, 0), np.stack(hs, 0)];
  };

const H0 = mk([3], 1),
  W = mk([3, 3], 2, -0.6, 0.6),
  XS = mk([5, 3], 3);
const TH = mk([3], 4),
  TW = mk([3, 3], 5),
  TX = mk([5, 3], 6);

/** jvp of `f` eagerly and under jit: [mode, tangent outputs]. */
function jvpModes(f: (...a: T[]) => T[], primals: T[], tangents: T[]): [string, T[]][] {
  const n = primals.length;
  const run = (...a: T[]) => jvp(f, a.slice(0, n), a.slice(n))[1];
  return [
    ["eager", run(...primals, ...tangents)],
    ["jit", jit(run)(...primals, ...tangents)],
  ];
}

test("jvp of scan (pytree carry, xs and ys; along h0, the closed-over w and xs) matches finite differences and the plain loop's jvp, forwards and reversed, eagerly and under jit", async () => {
  for (const reverse of [false, true]) {
    const primals = [H0, W, XS],
      tangents = [TH, TW, TX];
    const fd = await fdJvp(viaScan(reverse), primals, tangents);
    const [, loopT] = jvp(viaLoop(reverse), primals, tangents);
    const loopVals = await Promise.all(loopT.map(arr));
    for (const [mode, ts] of jvpModes(viaScan(reverse), primals, tangents)) {
      await closeAll(ts, fd, 2e-3, `${mode} reverse=${reverse} vs finite differences`);
      await closeAll(ts, loopVals, 1e-5, `${mode} reverse=${reverse} vs the plain loop's jvp`);
    }
    // The primal outputs of jit(jvp) are the scan's own.
    const [p] = jit((a: T, b: T, c: T, d: T, e: T, f: T) => jvp(viaScan(reverse), [a, b, c], [d, e, f]))(
      H0,
      W,
      XS,
      TH,
      TW,
      TX,
    );
    await closeAll(p, await Promise.all(viaLoop(reverse)(H0, W, XS).map(arr)), 1e-6, `primal reverse=${reverse}`);
  }
});

test("jit(jvp(scan)) is one scan carrying (primal, tangent) pairs: no tangent for the int32 counter, the body traced once", async () => {
  const f = (h0: T, w: T, xs: T, th: T, tw: T, tx: T) => jvp(viaScan(false), [h0, w, xs], [th, tw, tx]);
  const lo = await jit(f).lower(H0, W, XS, TH, TW, TX);
  const scans = lo.program.eqns.filter((e) => e.prim === "scan");
  assert.equal(scans.length, 1, "one loop for primal and tangent");
  const p = scans[0]!.params as ScanParams;
  assert.equal(p.numCarry, 3, "carry h, n and h's tangent (n is int32: its tangent stays symbolic)");
  assert.equal(p.length, 5);
  assert.equal(lo.program.eqns.filter((e) => e.prim === "tanh").length, 0, "not unrolled");
  assert.equal(p.body.eqns.filter((e) => e.prim === "tanh").length, 1, "the body's tanh once");
  // Only xs have a tangent (h0 and w are closed over): the carry still gets one (the fixpoint)
  // and w, a const, gets none, so the body's new inputs are tangents of the carry and the xs only.
  const g = (xs: T, tx: T) => jvp((x: T) => viaScan(false)(H0, W, x), [xs], [tx]);
  const p2 = (await jit(g).lower(XS, TX)).program.eqns.find((e) => e.prim === "scan")!.params as ScanParams;
  assert.equal(p2.numCarry, 3, "h, n and h's tangent");
  const plain = (await jit((x: T) => viaScan(false)(H0, W, x)).lower(XS)).program.eqns.find((e) => e.prim === "scan")!
    .params as ScanParams;
  assert.equal(p2.numConsts, plain.numConsts, "no tangent const for w");
  assert.equal(p2.body.inputs.length, plain.body.inputs.length + 3, "h's tangent and those of x.a and x.b = cos(x.a)");
});

test("jvp through a scan whose tangent enters only through a const reaches the carry (fixpoint) and matches finite differences", async () => {
  const f = (w: T) => [lax.scan((h: T, x: T): [T, T] => [np.sin(np.add(np.multiply(h, w), x)), h], H0, XS)[0]];
  const w0 = np.reshape(np.slice(W, [0, 0], [1, 3]), [3]);
  const fd = await fdJvp(f, [w0], [TH]);
  for (const [mode, ts] of jvpModes(f, [w0], [TH])) await closeAll(ts, fd, 2e-3, `${mode}`);
});

/** fori_loop with a pytree carry [v, u]; `hi` a number (a scan) or an int32 array (a while loop). */
const fori = (a: T, v0: T, hi: number | T): T[] => {
  const [v, u] = lax.fori_loop(
    1,
    hi,
    (i: T, [v, u]: [T, T]): [T, T] => [np.sin(np.add(np.multiply(v, a), np.multiply(i, 0.1))), np.add(u, v)],
    [v0, np.zeros([2])] as [T, T],
  );
  return [v, u];
};
const foriLoop = (a: T, v0: T): T[] => {
  let [v, u] = [v0, np.zeros([2])];
  for (let i = 1; i < 7; i++) [v, u] = [np.sin(np.add(np.multiply(v, a), np.multiply(int(i), 0.1))), np.add(u, v)];
  return [v, u];
};

test("jvp of fori_loop with static bounds (a scan) and traced bounds (a while loop) matches finite differences and the plain loop, eagerly and under jit", async () => {
  const A = np.array([0.9, 1.3]),
    V0 = np.array([0.3, -0.2]),
    TA = np.array([1, -0.5]),
    TV = np.array([0.2, 1]);
  const fd = await fdJvp((a, v) => fori(a, v, 7), [A, V0], [TA, TV]);
  const loopVals = await Promise.all(jvp(foriLoop, [A, V0], [TA, TV])[1].map(arr));
  fd.forEach((d, k) => close(d, loopVals[k]!, 2e-3, `the plain loop's jvp vs finite differences, output ${k}`));
  for (const [mode, ts] of jvpModes((a, v) => fori(a, v, 7), [A, V0], [TA, TV])) {
    await closeAll(ts, fd, 2e-3, `static ${mode} vs finite differences`);
    await closeAll(ts, loopVals, 1e-5, `static ${mode} vs the plain loop`);
  }
  const traced = (a: T, v: T, hi: T, ta: T, tv: T) => jvp((x: T, y: T) => fori(x, y, hi), [a, v], [ta, tv])[1];
  for (const [mode, fn] of [
    ["eager", traced],
    ["jit", jit(traced)],
  ] as const) {
    await closeAll(fn(A, V0, int(7), TA, TV), loopVals, 1e-5, `traced bounds ${mode}`);
  }
  const lo = await jit(traced).lower(A, V0, int(7), TA, TV);
  assert.ok(lo.program.eqns.some((e) => e.prim === "while"));
});

/** z ← z·a + 0.5 until z ≥ 10 (a data-dependent trip count), accumulating sin(z). */
const grow = (z0: T, a: T): T[] => {
  const [z, s] = lax.while_loop(
    ([z]: [T, T, T]) => np.less(z, 10),
    ([z, s, k]: [T, T, T]): [T, T, T] => [np.add(np.multiply(z, a), 0.5), np.add(s, np.sin(z)), np.add(k, 1)],
    [z0, np.array(0), int(0)] as [T, T, T],
  );
  return [z, s];
};
const growLoop =
  (trips: number) =>
  (z0: T, a: T): T[] => {
    let [z, s] = [z0, np.array(0)];
    for (let k = 0; k < trips; k++) [z, s] = [np.add(np.multiply(z, a), 0.5), np.add(s, np.sin(z))];
    return [z, s];
  };

test("jvp of while_loop (data-dependent trip count, tangent along z0 and the closed-over a) matches finite differences and the plain loop, eagerly and under jit", async () => {
  for (const [z0, a, trips] of [
    [1.1, 1.7, 4],
    [0.2, 2.3, 4],
  ] as const) {
    let [z, k] = [z0, 0];
    for (; z < 10; k++) z = z * a + 0.5;
    assert.equal(k, trips, "the hand-counted trip count");
    const primals = [np.array(z0), np.array(a)],
      tangents = [np.array(1), np.array(0.5)];
    const fd = await fdJvp(grow, primals, tangents, 1e-3);
    const loopVals = await Promise.all(jvp(growLoop(trips), primals, tangents)[1].map(arr));
    for (const [mode, ts] of jvpModes(grow, primals, tangents)) {
      await closeAll(ts, fd, 5e-3, `z0=${z0} ${mode} vs finite differences`);
      await closeAll(ts, loopVals, 1e-5, `z0=${z0} ${mode} vs the plain loop (${trips} trips)`);
    }
  }
  const lo = await jit((z: T, a: T, tz: T, ta: T) => jvp(grow, [z, a], [tz, ta])).lower(
    np.array(1),
    np.array(2),
    np.array(1),
    np.array(1),
  );
  const whiles = lo.program.eqns.filter((e) => e.prim === "while");
  assert.equal(whiles.length, 1, "one while loop carrying primal and tangent");
  assert.equal(whiles[0]!.outputs.length, 5, "carry z, s, k and the tangents of z and s");
});

test("jvp of cond and switch (predicated selects) matches finite differences and the chosen branch's jvp, eagerly and under jit", async () => {
  const X = np.array([0.4, -1.2]),
    TXc = np.array([1, 2]);
  const c = (p: T) => (x: T) => [
    lax.cond(
      np.greater(p, 0),
      (v: T) => np.multiply(np.exp(v), v),
      (v: T) => np.sin(v),
      x,
    ),
  ];
  const s = (i: T) => (x: T) => [
    lax.switch(i, [(v: T) => np.square(v), (v: T) => np.tanh(v), (v: T) => np.multiply(v, 3)], x),
  ];
  const cases: [string, (x: T) => T[], (x: T) => T[], (p: T, x: T, t: T) => T[], T][] = [
    ["cond true", c(np.array(1)), (v) => [np.multiply(np.exp(v), v)], (p, x, t) => jvp(c(p), [x], [t])[1], np.array(1)],
    ["cond false", c(np.array(-1)), (v) => [np.sin(v)], (p, x, t) => jvp(c(p), [x], [t])[1], np.array(-1)],
    ["switch 1", s(int(1)), (v) => [np.tanh(v)], (i, x, t) => jvp(s(i), [x], [t])[1], int(1)],
    ["switch 5 (clamped)", s(int(5)), (v) => [np.multiply(v, 3)], (i, x, t) => jvp(s(i), [x], [t])[1], int(5)],
  ];
  for (const [name, f, branch, run, sel] of cases) {
    const fd = await fdJvp(f, [X], [TXc]);
    const want = await Promise.all(jvp(branch, [X], [TXc])[1].map(arr));
    close(fd[0]!, want[0]!, 2e-3, `${name}: the finite differences agree with the branch`);
    await closeAll(run(sel, X, TXc), want, 1e-6, `${name} eager`);
    await closeAll(jit(run)(sel, X, TXc), want, 1e-6, `${name} jit`);
  }
});
