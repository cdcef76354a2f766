// custom_jvp / custom_vjp functions called inside lax loop bodies (scan, fori_loop, while_loop)
// keep their rules when the loop is differentiated or batched under jit, as outside loops: nn.relu
// in a scan over layers, a user's rule that differs from the function's own derivative (so a test
// tells the two apart), a custom_vjp clipping gradients in a fori_loop, nested custom calls, and a
// function closing over a constant array. Expected values are computed by hand.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, nn, lax, jit, grad, jvp, vmap, custom_jvp, custom_vjp, config } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";

config({ backend: "cpu" });
type T = Tracer;
const close = (got: number[], want: number[], tol = 1e-5) =>
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]!) <= tol, `${JSON.stringify(got)} vs ${JSON.stringify(want)}`));
const values = async (x: T) => (await x.toArray()) as number[];

// softplus with a deliberately wrong derivative, 0.5 · t: the rule, not the ops, must be used.
const soft = custom_jvp(function soft(a: T): T {
  return np.log1p(np.exp(a));
});
soft.defjvp(([a]: T[], [t]: T[]) => [soft(a!), np.multiply(t!, 0.5)]);
const sp = (v: number) => Math.log1p(Math.exp(v));
// Two steps of c ← soft(c): its derivative by the rule is 0.5 · 0.5.
const twoSteps = (v: T) => np.sum(lax.scan((c: T, _x: T): [T, T] => [soft(c), c], v, np.zeros([2]))[0]);

test("jit(grad) of a scan calling a custom_jvp uses its rule: 0.25 for two steps, not softplus's own derivative", async () => {
  close(await values(jit(grad(twoSteps))(np.array([1, 2, 3]))), [0.25, 0.25, 0.25]);
  // The forward values are the function's.
  close(
    [(await jit(twoSteps)(np.array([1, 2, 3])).toArray()) as number],
    [[1, 2, 3].reduce((s, v) => s + sp(sp(v)), 0)],
  );
});

test("jvp inside jit of a scan calling a custom_jvp uses its rule: tangent 3 · 0.25", async () => {
  const tangent = jit((v: T) => jvp(twoSteps, [v], [np.ones([3])])[1]);
  close([(await tangent(np.array([1, 2, 3])).toArray()) as number], [0.75]);
});

test("jit(vmap(grad)) of a scan calling a custom_jvp uses its rule in every batch element", async () => {
  const g = await jit(vmap(grad(twoSteps)))(
    np.array([
      [1, 2, 3],
      [-1, 0, 4],
    ]),
  );
  close(((await g.toArray()) as number[][]).flat(), [0.25, 0.25, 0.25, 0.25, 0.25, 0.25]);
});

test("jit(grad) through nn.relu in a scan over stacked layers: relu's derivative, 0 where the input is negative", async () => {
  // h ← relu(h · w_l) over three layers w = [2, -1, 3] for h0 = x: positive x dies at layer 2,
  // negative x at layer 1 and revives at layer 2 (relu(−1 · 0) = 0): every gradient is 0 except
  // through a live path. With w = [2, 1, 3] the path lives for x > 0: d/dx = 6.
  const net = (x: T, w: T) =>
    np.sum(lax.scan((h: T, wl: T): [T, null] => [nn.relu(np.multiply(h, wl)), null], x, w)[0]);
  close(await values(jit(grad(net))(np.array([1.5, -2, 0.5]), np.array([2, 1, 3]))), [6, 0, 6]);
  close(await values(jit(grad(net))(np.array([1.5, -2, 0.5]), np.array([2, -1, 3]))), [0, 0, 0]);
  // With respect to the weights at x = 1.5: h1 = 3, h2 = 3, out = 9; d/dw = [1.5·1·3, 3·3, 3].
  close(await values(jit(grad(net, 1))(np.array([1.5]), np.array([2, 1, 3]))), [4.5, 9, 3]);
});

test("jit(grad) of a fori_loop calling a custom_vjp that clips its cotangent uses the clip at every step", async () => {
  const clipped = custom_vjp(function clipGrad(a: T): T {
    return np.multiply(a, 1);
  });
  clipped.defvjp(
    (a: T) => [np.multiply(a, 1), null],
    (_r: null, g: T) => [np.clip(g, -1, 1)],
  );
  // c ← 3 · clipped(c), four times: the cotangent reaching each clipped(c) is 3 · 1, clipped to 1,
  // so the gradient is 1.
  const f = (v: T) => np.sum(lax.fori_loop(0, 4, (_i, c: T) => np.multiply(clipped(c), 3), v));
  close(await values(jit(grad(f))(np.array([0.5, -2]))), [1, 1]);
  // Without the clip the derivative would be 3^4 = 81.
  close(
    await values(jit(grad((v: T) => np.sum(lax.fori_loop(0, 4, (_i, c: T) => np.multiply(c, 3), v))))(np.array([0.5]))),
    [81],
  );
});

test("jit(jvp) of a while_loop calling a custom_jvp uses its rule on each iteration run", async () => {
  // c ← soft(c) while the counter is under 3: three applications, tangent 0.5^3.
  const f = (v: T) =>
    lax.while_loop(
      (s: [T, T]) => np.less(s[0], 3),
      (s: [T, T]): [T, T] => [np.add(s[0], 1), soft(s[1])],
      [np.array(0), v] as [T, T],
    )[1];
  const tangent = jit((v: T) => jvp(f, [v], [np.ones([2])])[1]);
  close(await values(tangent(np.array([0.3, -0.7]))), [0.125, 0.125]);
});

test("a custom_jvp whose function calls another custom_jvp, in a scan: the outer rule is used", async () => {
  const outer = custom_jvp(function outer(a: T): T {
    return np.multiply(soft(a), 2);
  });
  outer.defjvp(([a]: T[], [t]: T[]) => [outer(a!), np.multiply(t!, 10)]);
  const f = (v: T) => np.sum(lax.scan((c: T, _x: T): [T, T] => [outer(c), c], v, np.zeros([1]))[0]);
  close(await values(jit(grad(f))(np.array([0.2, 1]))), [10, 10]);
});

test("a custom_jvp closing over a concrete array, in a scan under jit(grad): the rule is used", async () => {
  const table = np.array([2, 4]);
  const scaled = custom_jvp(function scaled(a: T): T {
    return np.multiply(a, table);
  });
  scaled.defjvp(([a]: T[], [t]: T[]) => [scaled(a!), np.multiply(t!, 7)]);
  const f = (v: T) => np.sum(lax.scan((c: T, _x: T): [T, T] => [scaled(c), c], v, np.zeros([2]))[0]);
  close(await values(jit(grad(f))(np.array([1, 1]))), [49, 49]);
  close([(await jit(f)(np.array([1, 1])).toArray()) as number], [4 + 16]);
});

test("a scan body calling a custom_vjp and a custom_jvp on a value it closes over, under grad and jit(grad): the rules are used (clip 0.5 and 0.5·t per step, 3 steps)", async () => {
  // Before, the closed-over value being differentiated took the call out of the body, and its
  // result escaped when the body finished.
  const clip = custom_vjp(function clip(a: T): T {
    return np.multiply(3, np.sin(a));
  });
  clip.defvjp(
    (a: T) => [clip(a), a],
    (a: T, g: T) => [np.multiply(np.multiply(np.clip(g, -0.5, 0.5), 3), np.cos(a))],
  );
  const x = [1, 2];
  for (const [fn, perStep] of [
    [clip, (v: number) => 0.5 * 3 * Math.cos(v)],
    [soft, () => 0.5],
  ] as const) {
    const loss = (v: T) =>
      lax.scan((c: T, _x: null): [T, null] => [np.add(c, np.sum(fn(v))), null], np.array(0), null, { length: 3 })[0];
    const want = x.map((v) => 3 * perStep(v));
    close(await values(grad(loss)(np.array(x))), want);
    close(await values(jit(grad(loss))(np.array(x))), want);
  }
});
