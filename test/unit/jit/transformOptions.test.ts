// jit's and grad's options take JAX's keyword names (static_argnums, has_aux), with the older
// camelCase spellings as aliases; an option they do not know, or two spellings that disagree,
// is an error naming it at the user's line instead of being ignored.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad, valueAndGrad } from "../../../runtime/src/trace/grad.js";
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

test("jit refuses an option it does not know (static_argnames) and disagreeing spellings, naming them at the user's line", () => {
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
    { static_argnames: ["mode"] },
    /jit: unknown option "static_argnames" \(it takes static_argnums, donate_argnums, name\)/,
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
    /grad: unknown option "hasaux" \(it takes has_aux\)/,
  );
  const f = (x: Tracer): [Tracer, Tracer] => [np.sum(x), x];
  assert.throws(
    () => (grad(f as never) as unknown as (x: Tracer) => unknown)(np.array([1, 2])),
    /the function must return one array \(a scalar\), got .*; if it returns \[value, aux\], pass \{ has_aux: true \}/,
  );
});
