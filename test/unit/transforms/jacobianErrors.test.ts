// Bad input to jacfwd, jacrev and hessian: each a JitScopeError that says what is wrong and names
// the line of this file that made the call (so prettier leaves this file's lines as they are).
import { test } from "node:test";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import { jacfwd, jacrev, hessian } from "../../../runtime/src/trace/jacobian.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { expectUserError, here } from "../ops/harness.js";

type T = Tracer;
const FILE = "jacobianErrors.test.ts";
const sq = (x: T) => np.multiply(x, x);
const f2 = (a: T, b: T) => np.multiply(a, b);

test("bad argnums name the problem: out of range, not an integer, empty, repeated", async (t) => {
  await expectUserError(t, () => jacfwd(sq, 1)(np.array([1, 2])), FILE, here(), "jacfwd(sq)", "argnums 1 is out of range", "1 argument");
  await expectUserError(t, () => jacrev(sq, -2)(np.array([1, 2])), FILE, here(), "jacrev(sq)", "argnums -2 is out of range");
  await expectUserError(t, () => hessian(sq, 0.5), FILE, here(), "hessian: argnums must be integers, got 0.5");
  await expectUserError(t, () => jacrev(sq, [] as number[]), FILE, here(), "jacrev: argnums is an empty list");
  await expectUserError(t, () => jacfwd(sq, [0, 0]), FILE, here(), "jacfwd: argnums [0, 0] has repeats");
});

test("an unknown option is named; has_aux and its alias hasAux must agree", async (t) => {
  const opts = { holomorphic: true } as unknown as { has_aux: false };
  await expectUserError(t, () => jacrev(sq, 0, opts), FILE, here(), 'jacrev: unknown option "holomorphic"', "has_aux");
  const both = { has_aux: true, hasAux: false } as unknown as { has_aux: true };
  await expectUserError(t, () => hessian(sq, 0, both), FILE, here(), "hessian: has_aux and its alias hasAux disagree");
});

test("integer inputs are an error naming the argument, as in JAX; jacrev rejects an integer output", async (t) => {
  const ints = np.array([1, 2], { dtype: "int32" });
  await expectUserError(t, () => jacfwd(f2, [0, 1])(np.array([1, 2]), ints), FILE, here(), "jacfwd(f2): argument 1 is int32[2]", "float32", "jvp");
  await expectUserError(t, () => jacrev(f2, 1)(np.array([1, 2]), ints), FILE, here(), "jacrev(f2): argument 1 is int32[2]", "vjp");
  await expectUserError(t, () => hessian(sq)(ints), FILE, here(), "hessian(sq): argument 0 is int32[2]", "hessian needs float32");
  const tree = { w: np.array([1, 2]), n: ints };
  await expectUserError(t, () => jacrev((p: typeof tree) => p.w)(tree), FILE, here(), "argument 0 has a leaf that is int32[2]");
  await expectUserError(t, () => jacrev((x: T) => np.argmax(x))(np.array([1, 2])), FILE, here(), "output 0 is int32[]", "float32 outputs");
});

test("has_aux with a function that does not return [value, aux] says so", async (t) => {
  await expectUserError(t, () => jacfwd(sq, 0, { has_aux: true })(np.array([1, 2])), FILE, here(), "jacfwd(sq)", "must return [value, aux]");
  await expectUserError(t, () => jacrev(sq, 0, { hasAux: true })(np.array([1, 2])), FILE, here(), "jacrev(sq)", "must return [value, aux]");
});
