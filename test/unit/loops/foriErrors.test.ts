// fori_loop's body returning a carry of another shape or structure: the error names
// lax.fori_loop, body_fun and the leaf of the user's own carry (fori_loop runs as a scan or while
// loop whose carry also holds the counter, and their errors named "f[1]" or "lax.scan … carry 1"),
// eagerly, under jit and with traced bounds, at the line of the call; a JS number init still works.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as lax from "../../../runtime/src/lax.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { expectUserError, here } from "../ops/harness.js";

const FILE = "foriErrors.test.ts";
const grow = (_i: Tracer, _c: Tracer) => np.ones([5]);

test("a fori_loop body that changes its carry's shape names body_fun, the leaf and both shapes", async (t) => {
  const x = () => np.ones([4]);
  const why = ["lax.fori_loop: body_fun returns carry leaf 0", "[5]", "init_val has", "[4]"];
  await expectUserError(t, () => lax.fori_loop(0, 3, grow, x()), FILE, here(), ...why);
  await expectUserError(t, () => jit((v: Tracer) => lax.fori_loop(0, 3, grow, v))(x()), FILE, here(), ...why);
  const line = here() + 1; // the fori_loop call in the next line is where the error points
  const traced = jit((v: Tracer, n: Tracer) => lax.fori_loop(0, n, grow, v));
  await expectUserError(t, () => traced(x(), np.array(3, { dtype: "int32" })), FILE, line, ...why);
});

test("a fori_loop body that drops part of its carry says which structure it expected", async (t) => {
  const body = (_i: Tracer, [a]: [Tracer, Tracer]) => [np.add(a, 1)] as never as [Tracer, Tracer];
  const init = (): [Tracer, Tracer] => [np.zeros([2]), np.ones([2])];
  const why = ["lax.fori_loop: the value body_fun returns", "expected a list of 2, got a list of 1"];
  await expectUserError(t, () => lax.fori_loop(0, 3, body, init()), FILE, here(), ...why);
});

test("a fori_loop whose init is a JS number still runs, eagerly and under jit", async () => {
  const sum = (i: Tracer, c: Tracer) => np.add(c, i);
  assert.equal(await lax.fori_loop(0, 4, sum, 0 as never as Tracer).toArray(), 6);
  assert.deepEqual(
    await jit((v: Tracer) => lax.fori_loop(0, 3, (_i, c: Tracer) => np.add(c, 1), v))(np.zeros([2])).toArray(),
    [3, 3],
  );
});
