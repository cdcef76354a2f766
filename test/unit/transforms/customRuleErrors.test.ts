// custom_vjp / custom_jvp given bad rules or used where JAX refuses: each error names the
// function and what is wrong.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "../../../runtime/src/np.js";
import * as lax from "../../../runtime/src/lax.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import { jvp } from "../../../runtime/src/trace/jvp.js";
import { custom_jvp, custom_vjp } from "../../../runtime/src/trace/custom.js";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";

config({ backend: "cpu" });
type T = Tracer;
const x = () => np.array([1, 2, 3]);

const twice = (bwd: (res: T, g: T) => readonly unknown[]) => {
  const f = custom_vjp(function double(a: T, b: T): T {
    return np.multiply(np.add(a, b), 2);
  });
  f.defvjp((a, b) => [np.multiply(np.add(a, b), 2), a], bwd as never);
  return f;
};

test("calling a custom_vjp before defvjp, or a custom_jvp before defjvp, is JAX's error naming the function", () => {
  const f = custom_vjp(function sq(a: T): T {
    return np.square(a);
  });
  assert.throws(
    () => f(x()),
    (e: unknown) =>
      e instanceof JitScopeError && /No VJP defined for custom_vjp function sq using defvjp/.test(e.message),
  );
  const g = custom_jvp(function cube(a: T): T {
    return np.power(a, 3);
  });
  assert.throws(() => g(x()), /No JVP defined for custom_jvp function cube using defjvp/);
});

test("bwd returning the wrong number of cotangents names the function and both counts", () => {
  const f = twice((_r, g) => [g]);
  assert.throws(
    () => grad((a: T) => np.sum(f(a, x())))(x()),
    /custom_vjp\(double\): bwd must return a list with one cotangent per argument \(2; null for a zero cotangent\), but it returned a list of 1/,
  );
});

test("bwd returning a cotangent of the wrong shape names the function, the argument and both shapes", () => {
  const f = twice((_r, g) => [g, np.sum(g)]);
  assert.throws(
    () => grad((a: T) => np.sum(f(a, x())))(x()),
    /custom_vjp\(double\): bwd's cotangent 1 is float32\[\] but argument 1 is float32\[3\]; they must match/,
  );
});

test("jvp of a custom_vjp function is JAX's error, naming the function", async () => {
  const f = twice((_r, g) => [g, g]);
  assert.throws(
    () => jvp((a: T) => f(a, a), [x()], [x()]),
    /can't apply forward-mode autodiff \(jvp\) to a custom_vjp function \(double\)/,
  );
});

test("a jvp rule whose tangent's shape differs from its primal output's names the function and both", () => {
  const g = custom_jvp(function total(a: T): T {
    return np.sum(a);
  });
  g.defjvp(([a]: T[], [t]: T[]) => [np.sum(a!), t!]);
  assert.throws(
    () => jvp(g, [x()], [x()]),
    /custom_jvp\(total\): the jvp rule's tangent output 0 is float32\[3\] but its primal output is float32\[\]; they must match/,
  );
});

test("fwd not returning [output, residuals] and nondiff_argnums holding an array are errors naming the function", () => {
  const f = custom_vjp(function ident(a: T): T {
    return a;
  });
  f.defvjp(((a: T) => a) as never, (_r: T, g: T) => [g]);
  assert.throws(() => grad((a: T) => np.sum(f(a)))(x()), /custom_vjp\(ident\): fwd must return \[output, residuals\]/);
  const h = custom_vjp((s: T, a: T) => np.multiply(s, a), { nondiff_argnums: [0] });
  h.defvjp(
    (s, a) => [np.multiply(s, a), null],
    (_s: T, _r: null, g: T) => [g],
  );
  assert.throws(() => h(x(), x()), /argument 0 is in nondiff_argnums but holds an array/);
});

test("a custom function in a jitted scan body that closes over a value computed in the body is refused under grad, naming it; without grad it runs", async () => {
  const loop = (v: T) =>
    np.sum(
      lax.scan(
        (c: T, _x: T): [T, T] => {
          const scale = np.exp(np.negative(c)); // computed in the body, closed over below
          const g = custom_jvp(function soft(a: T): T {
            return np.log1p(np.exp(np.multiply(a, scale)));
          });
          g.defjvp(([a]: T[], [t]: T[]) => [g(a!), np.multiply(t!, 0.5)]);
          return [g(c), c];
        },
        v,
        np.zeros([2]),
      )[0],
    );
  assert.throws(
    () => jit(grad(loop))(x()),
    /custom_jvp\(soft\) is called inside a lax loop body that is being differentiated, and it closes over a value computed in that body: its rule cannot be applied there; pass that value as an argument/,
  );
  const y = (await jit(loop)(x()).toArray()) as number;
  const sp = (v: number) => Math.log1p(Math.exp(v * Math.exp(-v)));
  assert.ok(Math.abs(y - [1, 2, 3].reduce((s, v) => s + sp(sp(v)), 0)) < 1e-5);
});
