// jit's and grad's options take JAX's keyword names (static_argnums, has_aux, argnums), with the older
// camelCase spellings as aliases; an option they do not know, or two spellings that disagree,
// is an error naming it at the user's line instead of being ignored.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad, valueAndGrad } from "../../../runtime/src/trace/grad.js";
import { hessian, jacfwd, jacrev } from "../../../runtime/src/trace/jacobian.js";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";

const here = new URL(import.meta.url).pathname;
const read = (x: unknown): Promise<unknown> => (x as Tracer).toArray();
const scale = (x: Tracer, mode: string) => (mode === "double" ? np.multiply(x, 2) : np.negative(x));

test("jit's static_argnums, as a list or one position, and its alias staticArgnums give the same static argument", async () => {
  for (const opts of [{ static_argnums: [1] }, { static_argnums: 1 }, { staticArgnums: [1] }]) {
    let traces = 0;
    const f = jit((x: Tracer, mode: string) => (traces++, scale(x, mode)), opts);
    assert.deepEqual(await read(f(np.array([1, 2]), "double")), [2, 4], JSON.stringify(opts));
    assert.deepEqual(await read(f(np.array([1, 2]), "negate")), [-1, -2], JSON.stringify(opts));
    f(np.array([3, 4]), "double");
    assert.equal(traces, 2, `one trace per static value with ${JSON.stringify(opts)}`);
  }
});

test("jit's static_argnames and donate_argnames name parameters of f: the same static argument as static_argnums, the same donation as donate_argnums", async () => {
  let traces = 0;
  const f = jit(
    function scaleBy(x: Tracer, mode: string, acc: Tracer) {
      traces++;
      return np.add(scale(x, mode), acc);
    },
    { static_argnames: "mode", donate_argnames: ["acc"] },
  );
  const acc = np.array([10, 10]);
  assert.deepEqual(await read(f(np.array([1, 2]), "double", acc)), [12, 14]);
  assert.ok((acc as unknown as { isDisposed: boolean }).isDisposed, "acc was donated");
  assert.deepEqual(await read(f(np.array([1, 2]), "negate", np.array([0, 0]))), [-1, -2]);
  f(np.array([3, 4]), "double", np.array([0, 0]));
  assert.equal(traces, 2, "one trace per static value of mode");
  // Names and positions together are joined; a name and a position of one parameter are one.
  const g = jit((a: Tracer, b: Tracer) => np.add(a, b), { donate_argnums: 0, donate_argnames: ["a", "b"] });
  const [a, b] = [np.array([1]), np.array([2])];
  assert.deepEqual(await read(g(a, b)), [3]);
  assert.ok([a, b].every((v) => (v as unknown as { isDisposed: boolean }).isDisposed));
});

test("static_argnames finds a parameter esbuild renamed by appending a number (lr → lr3), and only when one parameter is so named", () => {
  let traces = 0;
  const counted = jit(
    (x: Tracer, lr3: number) => {
      traces++;
      return np.multiply(x, lr3);
    },
    { static_argnames: "lr" },
  );
  counted(np.array([1]), 2);
  counted(np.array([1]), 3);
  assert.equal(traces, 2, "lr3 is static: one trace per value");
  assert.throws(
    () => jit((lr2: number, lr3: number) => np.array([lr2 + lr3]), { static_argnames: "lr" }),
    /static_argnames names "lr", which is not a parameter of anonymous \(its parameters: lr2, lr3\)/,
  );
});

test("jit refuses an option it does not know (keep_unused) and disagreeing spellings, naming them at the user's line", () => {
  const refuses = (opts: object, message: RegExp) =>
    assert.throws(
      () => jit((x: Tracer) => x, opts as never),
      (e: unknown) => {
        assert.ok(e instanceof JitScopeError);
        assert.match(e.message, message);
        assert.equal(e.location?.file, here);
        return true;
      },
    );
  refuses(
    { keep_unused: true },
    /jit: unknown option "keep_unused" \(it takes static_argnums, static_argnames, donate_argnums, donate_argnames, name\)/,
  );
  refuses(
    { static_argnames: ["mod"] },
    /static_argnames names "mod", which is not a parameter of anonymous \(its parameters: x\)/,
  );
  refuses({ static_argnums: [1], staticArgnums: [2] }, /jit: static_argnums and its alias staticArgnums disagree/);
});

test("grad's has_aux and its alias hasAux both differentiate the value and pass aux through", async () => {
  const f = (w: Tracer, x: Tracer): [Tracer, Tracer] => [np.sum(np.multiply(w, x)), np.multiply(x, 10)];
  for (const opts of [{ has_aux: true as const }, { hasAux: true as const }]) {
    const [g, aux] = grad(f, 0, opts)(np.array([1, 2]), np.array([3, -1]));
    assert.deepEqual(await read(g), [3, -1]);
    assert.deepEqual(await read(aux), [30, -10]);
    const [[value, aux2], g2] = valueAndGrad(f, 0, opts)(np.array([1, 2]), np.array([3, -1]));
    assert.equal(await read(value), 1);
    assert.deepEqual(await read(aux2), [30, -10]);
    assert.deepEqual(await read(g2), [3, -1]);
  }
});

test("grad refuses an unknown option, and a [value, aux] function without has_aux is told to pass it", () => {
  assert.throws(
    () => grad((x: Tracer) => np.sum(x), 0, { hasaux: true } as never),
    /grad: unknown option "hasaux": did you mean "has_aux"\? \(it takes argnums, has_aux\)/,
  );
  const f = (x: Tracer): [Tracer, Tracer] => [np.sum(x), x];
  assert.throws(
    () => (grad(f as never) as unknown as (x: Tracer) => unknown)(np.array([1, 2])),
    /the function must return one array \(a scalar\), got .*; if it returns \[value, aux\], pass \{ has_aux: true \}/,
  );
});

test("grad, value_and_grad, jacfwd, jacrev and hessian take argnums inside their options, as JAX's keyword, with the positional results", async () => {
  const f = (w: Tracer, x: Tracer): Tracer => np.sum(np.multiply(np.square(w), x)); // ∂/∂x = w², ∂/∂w = 2wx
  const [w, x] = [np.array([1, 2]), np.array([3, -1])];
  assert.deepEqual(await read(grad(f, { argnums: 1 })(w, x)), [1, 4]);
  assert.deepEqual(await read(grad(f)(w, x)), [6, -4]);
  const [v, gx] = valueAndGrad(f, { argnums: 1 })(w, x);
  assert.equal(await read(v), -1);
  assert.deepEqual(await read(gx), [1, 4]);
  const both = grad(f, { argnums: [0, 1] })(w, x);
  assert.deepEqual(await Promise.all(both.map(read)), [
    [6, -4],
    [1, 4],
  ]);
  // With has_aux, no argnums: the first argument.
  const withAux = (a: Tracer): [Tracer, Tracer] => [np.sum(np.square(a)), np.negative(a)];
  const [[value, aux], g] = valueAndGrad(withAux, { has_aux: true })(np.array([3, 4]));
  assert.equal(await read(value), 25);
  assert.deepEqual(await read(aux), [-3, -4]);
  assert.deepEqual(await read(g), [6, 8]);
  const [g2, aux2] = grad(withAux, { has_aux: true })(np.array([3, 4]));
  assert.deepEqual(
    [await read(g2), await read(aux2)],
    [
      [6, 8],
      [-3, -4],
    ],
  );
  // The Jacobians: of x ↦ w²·x elementwise, diag(w²); the Hessian in w of Σ w²x: diag(2x), at x = (3, 1).
  const h = (ww: Tracer, xx: Tracer): Tracer => np.multiply(np.square(ww), xx);
  for (const jac of [jacfwd, jacrev])
    assert.deepEqual(await read(jac(h, { argnums: 1 })(w, x)), [
      [1, 0],
      [0, 4],
    ]);
  assert.deepEqual(await read(hessian(f, { argnums: 0 })(w, np.array([3, 1]))), [
    [6, 0],
    [0, 2],
  ]);
});

test("argnums given both as an argument and as an option, or options given twice, is refused", () => {
  const f = (a: Tracer, b: Tracer) => np.sum(np.multiply(a, b));
  assert.throws(
    () => grad(f, 0, { argnums: 1 } as never),
    /grad: argnums given twice, as an argument and as an option/,
  );
  assert.throws(
    () => valueAndGrad(f, { argnums: 1 } as never, {} as never),
    /value_and_grad: options given twice; pass either value_and_grad\(f, \{ argnums, \.\.\. \}\) or value_and_grad\(f, argnums, \{ \.\.\. \}\)/,
  );
  assert.throws(
    () => jacrev(f, { argnums: 1, hasaux: true } as never),
    /jacrev: unknown option "hasaux": did you mean "has_aux"\? \(it takes argnums, has_aux\)/,
  );
});
