// Calls a JAX user gets wrong that fell through to a JS TypeError deep inside the runtime, or to a
// message about something else: each is now a JitScopeError that says what to write, at the
// user's line.
import { test } from "node:test";
import { lax, optim } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import { expectUserError, here } from "./harness.js";

const f = "misuseErrors.test.ts";

test("np.where(condition) alone points at nonzero with a size; before, it blamed an undefined argument 0", async (t) => {
  const line = here() + 1;
  const call = () => (np.where as unknown as (c: unknown) => unknown)(np.greater(np.ones([3]), 0));
  await expectUserError(
    t,
    call,
    f,
    line,
    "where(condition) with one argument is nonzero",
    "np.nonzero(condition, { size })",
  );
});

test("an optimizer's update without its state says to pass the state from init; before, \"reading 'count'\"", async (t) => {
  const line = here() + 1;
  const call = () => optim.adam(1e-3).update({ w: np.ones([2]) }, undefined as never, { w: np.ones([2]) });
  await expectUserError(t, call, f, line, "optim.adam: update needs the optimizer's state", "opt.init(params)");
});

test('a loop given something other than a function names the argument; before, "body is not a function"', async (t) => {
  const l1 = here() + 1;
  const fori = () => lax.fori_loop(0, 3, 5 as never, np.ones([2]));
  const l2 = here() + 1;
  const whileLoop = () => lax.while_loop(() => true, null as never, np.ones([2]));
  const l3 = here() + 1;
  const scan = () => lax.scan("step" as never, np.ones([2]), np.ones([3, 2]));
  await expectUserError(t, fori, f, l1, "lax.fori_loop: body_fun must be a function, got number");
  await expectUserError(t, whileLoop, f, l2, "lax.while_loop: body_fun must be a function, got null");
  await expectUserError(t, scan, f, l3, "lax.scan: f must be a function, got string");
});

test("a loop's carry that is not arrays names the loop's argument, as a JitScopeError; before, a TypeError saying \"jit\"", async (t) => {
  const line = here() + 1;
  const call = () => lax.scan((c: np.ArrayLike, y: np.ArrayLike) => [c, y], "a" as never, np.ones([3]));
  await expectUserError(t, call, f, line, "lax.scan init", 'is a string ("a")');
});
